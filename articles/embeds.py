"""Embeds in rich text: the one place that parses and normalises their markup.

A body holds an embed in one form once cleaned: CKEditor 5's media embed,
``<figure class="media"><oembed url="…"></oembed></figure>``. ``normalise`` (run by the
cleaner, articles.richtext) turns the other form people type — a paragraph holding nothing but
a post's address, linked or not — into it, with the address of a post on X rewritten to
``https://x.com/<handle>/status/<id>``. The renderer (``replace_embeds``), the revision diff
(``replace_embeds`` too) and the Tweet rows (``tweet_refs``) all read embeds through here.
Nothing in this module fetches anything.
"""

import html
import re

# https://x.com/<handle>/status/<id>, also twitter.com, www. and mobile., with an optional
# trailing path or query (?s=20, /photo/1). Handles are 1-15 word characters; ids are digits.
STATUS_URL_RE = re.compile(
    r"^https?://(?:www\.|mobile\.)?(?:x|twitter)\.com/"
    r"(?P<handle>[A-Za-z0-9_]{1,15})/status(?:es)?/(?P<tweet_id>[0-9]{1,25})(?:[/?#]\S*)?$",
    # Host names are case-insensitive: TWITTER.com is twitter.com.
    re.IGNORECASE,
)

# The media embed, with or without its figure (older bodies, or a figure the cleaner kept
# apart). Cleaned HTML quotes attributes with double quotes and escapes "&" inside them.
EMBED_RE = re.compile(
    r'(?:<figure class="media">\s*)?<oembed url="(?P<url>[^"]*)"\s*>\s*</oembed>(?:\s*</figure>)?',
    re.IGNORECASE,
)
# A paragraph holding nothing but an address, linked or not.
BARE_URL_RE = re.compile(
    r"<p>\s*(?:<a [^>]*>\s*)?(?P<url>https?://[^\s<\"]+)\s*(?:</a>)?\s*</p>", re.IGNORECASE
)
_EMPTY_EMBED_RE = re.compile(
    r'<figure class="media">\s*<oembed>\s*</oembed>\s*</figure>|<oembed>\s*</oembed>'
)
YOUTUBE_RE = re.compile(r"^https?://(?:www\.|m\.)?(?:youtube\.com|youtu\.be)/", re.I)


def parse_status_url(url):
    """(handle, tweet_id) for a post's address, or None for anything else."""
    match = STATUS_URL_RE.match((url or "").strip())
    if not match:
        return None
    return match["handle"], match["tweet_id"]


def duplicate_post_message(tweet):
    return (
        f"This post is already in the library as {tweet.url} (the same post, whether its "
        "address says x.com or twitter.com). Open that one to edit its text."
    )


def canonical_status_url(handle, tweet_id):
    return f"https://x.com/{handle}/status/{tweet_id}"


def embed_markup(url):
    """The stored form of an embed of *url* (an address already known to be http(s))."""
    parsed = parse_status_url(url)
    if parsed:
        url = canonical_status_url(*parsed)
    return f'<figure class="media"><oembed url="{html.escape(url, quote=True)}"></oembed></figure>'


def normalise(cleaned_html):
    """Cleaned HTML with empty embeds dropped and a post's address alone on its line made an
    embed (addresses of other sites alone on a line stay the paragraphs they are)."""

    def bare(match):
        parsed = parse_status_url(html.unescape(match["url"]))
        return embed_markup(canonical_status_url(*parsed)) if parsed else match.group(0)

    return BARE_URL_RE.sub(bare, _EMPTY_EMBED_RE.sub("", cleaned_html))


def replace_embeds(body, replace):
    """*body* with each embed swapped for ``replace(url, bare)``.

    ``bare`` is True for a paragraph holding only an address (bodies stored before the
    cleaner normalised them): returning None there keeps the paragraph as it is.
    """

    def embedded(match):
        return replace(html.unescape(match["url"]), False)

    def bare(match):
        found = replace(html.unescape(match["url"]), True)
        return match.group(0) if found is None else found

    return BARE_URL_RE.sub(bare, EMBED_RE.sub(embedded, body or ""))


def embedded_urls(body):
    """Every embedded address in *body*, in order (bare post addresses included)."""
    urls = []

    def collect(url, bare):
        if not bare or parse_status_url(url):
            urls.append(url)
        return ""

    replace_embeds(body, collect)
    return urls


def tweet_refs(body):
    """[(handle, tweet_id), ...] for the posts embedded in *body*, first mention first."""
    seen, refs = set(), []
    for url in embedded_urls(body):
        parsed = parse_status_url(url)
        if parsed and parsed[1] not in seen:
            seen.add(parsed[1])
            refs.append(parsed)
    return refs
