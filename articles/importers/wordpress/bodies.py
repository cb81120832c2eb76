"""A WordPress post's HTML → our article HTML.

Handles both editors: Gutenberg block markup (``<!-- wp:… -->`` comments) and classic HTML,
which WordPress shows through ``wpautop`` (blank lines are paragraphs, single newlines line
breaks) and so stores without ``<p>``. Then:

- ``[caption]`` shortcodes, ``wp:image`` blocks and ``[gallery]`` become ``<figure class="image">``
  with the picture and a figcaption (a trailing "Credit: …" moves to the picture's credit,
  which the reader site prints under every picture);
- every ``<img>`` and link pointing into ``wp-content/uploads`` is matched to an imported
  picture (``wp-image-<id>`` class first, then the file path with any ``-300x200`` size suffix
  removed) and rewritten to it; a picture we do not have is removed and reported;
- posts on X/Twitter — a bare address on its own line, ``wp:embed`` / ``core-embed/twitter``
  blocks, ``[embed]``, ``blockquote.twitter-tweet`` — become the same
  ``<figure class="media"><oembed url>`` the editor's media button makes; the text of a quoted
  post is kept as a ``TweetSnapshot`` for the caller to store;
- other embeds (YouTube, Vimeo, Instagram, Facebook…) become a paragraph with a link;
- other shortcodes are removed (an enclosing one keeps its inner text) and reported.

The result goes through ``articles.richtext.clean_html`` like everything the editor saves.
Nothing here touches the database: the caller passes a ``resolve_image`` function.
"""

import html
import json
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from articles.embeds import canonical_status_url, parse_status_url
from articles.richtext import clean_html


@dataclass
class TweetSnapshot:
    handle: str
    tweet_id: str
    text: str = ""
    author_name: str = ""
    language: str = ""
    posted_on: str = ""


@dataclass
class BodyResult:
    html: str
    tweets: list = field(default_factory=list)  # [TweetSnapshot]
    removed_shortcodes: list = field(default_factory=list)  # names, in order, repeated
    missing_images: list = field(default_factory=list)  # addresses we had no picture for
    links: list = field(default_factory=list)  # embeds turned into links
    credits: dict = field(default_factory=dict)  # {image key: credit from a caption}


# --- uploads: recognising a file address and its size variants

UPLOADS_RE = re.compile(r"/wp-content/uploads/(?:sites/\d+/)?(?P<rel>[^?#\"'\s]+)", re.I)
SIZE_SUFFIX_RE = re.compile(r"-(?:\d+x\d+|scaled|rotated|e\d{10,})(?=\.[A-Za-z0-9]+$)")


def upload_path(url):
    """'http://old/wp-content/uploads/2021/01/a-300x169.jpg' → '2021/01/a.jpg' (or None)."""
    match = UPLOADS_RE.search(unquote(url or ""))
    if not match:
        return None
    rel = match["rel"]
    # A size variant and the "-scaled" big-image copy both point at the original.
    previous = None
    while previous != rel:
        previous, rel = rel, SIZE_SUFFIX_RE.sub("", rel)
    return rel.lower()


# --- shortcodes

SHORTCODE_RE = re.compile(r"\[(?P<close>/)?(?P<name>[A-Za-z][\w-]*)(?P<attrs>(?:\s[^\]]*)?)\]")
ATTR_RE = re.compile(r'([\w-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|(\S+))')
# Shortcodes recognised by name even without attributes or a closing tag.
KNOWN_SHORTCODES = {
    "caption",
    "wp_caption",
    "gallery",
    "embed",
    "video",
    "audio",
    "playlist",
    "youtube",
    "vimeo",
    "tweet",
    "twitter",
    "instagram",
    "soundcloud",
    "spotify",
    "googlemaps",
    "contact-form",
    "contact-form-7",
    "gravityform",
    "wpforms",
    "code",
    "sourcecode",
    "toc",
    "more",
    "nextpage",
    "pullquote",
    "dropcap",
    "button",
    "column",
    "one_half",
    "one_third",
    "archives",
    "polldaddy",
    "slideshow",
}


def _attrs(text):
    out = {}
    for key, a, b, c in ATTR_RE.findall(text or ""):
        out[key.lower()] = a or b or c
    return out


def _is_shortcode(name, attrs, closers):
    name = name.lower()
    return name in KNOWN_SHORTCODES or bool(attrs.strip()) or name in closers


# --- Gutenberg

BLOCK_EMBED_RE = re.compile(
    r"<!--\s*wp:(?P<block>embed|core-embed/[\w-]+)\s*(?P<json>\{.*?\})?\s*-->"
    r"(?P<inner>.*?)<!--\s*/wp:(?P=block)\s*-->",
    re.S,
)
BLOCK_COMMENT_RE = re.compile(r"<!--\s*/?wp:[^>]*?-->")
CAPTION_RE = re.compile(
    r"\[(?:wp_)?caption(?P<attrs>[^\]]*)\](?P<inner>.*?)\[/(?:wp_)?caption\]", re.S
)
GALLERY_RE = re.compile(r"\[gallery(?P<attrs>[^\]]*)\]")
EMBED_SC_RE = re.compile(r"\[embed[^\]]*\](?P<url>.*?)\[/embed\]", re.S)
TWEET_BLOCKQUOTE_RE = re.compile(
    r"<blockquote[^>]*class=\"[^\"]*twitter-tweet[^\"]*\"[^>]*>(?P<inner>.*?)</blockquote>"
    r"(?:\s*<script[^>]*>\s*</script>)?",
    re.S | re.I,
)
STATUS_LINK_RE = re.compile(
    r"href=\"(?P<url>https?://(?:www\.|mobile\.)?(?:x|twitter)\.com/[^\"]+/status(?:es)?/\d+[^\"]*)\"",
    re.I,
)
SCRIPT_RE = re.compile(r"<script\b[^>]*>.*?</script>", re.S | re.I)
IMG_RE = re.compile(r"<img\b[^>]*>", re.I)
A_UPLOAD_RE = re.compile(r"<a\b(?P<attrs>[^>]*)>(?P<inner>.*?)</a>", re.S | re.I)
ATTR_IN_TAG_RE = re.compile(r'([\w:-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
WP_IMAGE_CLASS_RE = re.compile(r"\bwp-image-(\d+)\b")
FIGURE_OPEN_RE = re.compile(r"<figure\b(?P<attrs>[^>]*)>", re.I)
CREDIT_TAIL_RE = re.compile(
    r"(?:^|[\s.,;|—–-])\(?(?:photo\s+)?(?:credit|photo|image|picture)s?\s*:\s*(?P<credit>[^()<>]{2,120}?)\)?\s*$",
    re.I,
)
BARE_URL_LINE_RE = re.compile(r"^\s*(?P<url>https?://[^\s<>\"]+)\s*$", re.M)


def split_credit(caption):
    """'Boats at dawn. Credit: Dana Levi/Reuters' → ('Boats at dawn.', 'Dana Levi/Reuters')."""
    caption = (caption or "").strip()
    match = CREDIT_TAIL_RE.search(caption)
    if not match:
        return caption, ""
    return caption[: match.start()].strip(" \t\n|—–-"), match["credit"].strip().rstrip(".")


def _tag_attrs(tag):
    return {k.lower(): html.unescape(a or b) for k, a, b in ATTR_IN_TAG_RE.findall(tag)}


def _escape(text):
    return html.escape(text or "", quote=True)


BLOCK_NAMES = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|"
    "blockquote|address|style|script|p|h[1-6]|hr|fieldset|legend|section|article|aside|header|"
    "footer|nav|figure|figcaption|details|summary|iframe"
)
_BLOCK_OPEN = re.compile(rf"(<(?:{BLOCK_NAMES})(?=[\s/>]))", re.I)
_BLOCK_CLOSE = re.compile(rf"(</(?:{BLOCK_NAMES})>)", re.I)
_STARTS_WITH_BLOCK = re.compile(rf"^</?(?:{BLOCK_NAMES})(?=[\s/>])", re.I)


def wpautop(text):
    """Blank-line-separated text becomes paragraphs and single newlines line breaks, while
    block elements (headings, lists, quotes, tables, figures…) stand on their own, as
    WordPress shows a classic post."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _BLOCK_OPEN.sub(r"\n\n\1", text)
    text = _BLOCK_CLOSE.sub(r"\1\n\n", text)
    out = []
    for chunk in re.split(r"\n\s*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if _STARTS_WITH_BLOCK.match(chunk) or chunk.startswith("<!--"):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n".join(out)


class BodyConverter:
    """Converts one body. ``resolve_image(wp_id=None, path=None)`` returns an object with
    ``url`` (our address for the picture) and ``key``, or None when we do not have it."""

    def __init__(self, resolve_image):
        self.resolve_image = resolve_image

    def convert(self, content, *, oembed_cache=(), attached=()):
        self.result = BodyResult(html="")
        self.attached = list(attached)
        text = content or ""
        for cached in oembed_cache:
            self._tweet_from_blockquote_html(cached)
        gutenberg = "<!-- wp:" in text
        text = SCRIPT_RE.sub("", text) if "twitter-tweet" not in text else text
        text = BLOCK_EMBED_RE.sub(self._block_embed, text)
        text = TWEET_BLOCKQUOTE_RE.sub(self._tweet_blockquote, text)
        text = SCRIPT_RE.sub("", text)
        text = EMBED_SC_RE.sub(lambda m: "\n\n" + self._embed_url(m["url"].strip()) + "\n\n", text)
        text = CAPTION_RE.sub(self._caption, text)
        text = GALLERY_RE.sub(self._gallery, text)
        text = self._other_shortcodes(text)
        if gutenberg:
            text = BLOCK_COMMENT_RE.sub("", text)
            text = BARE_URL_LINE_RE.sub(lambda m: self._embed_url(m["url"]), text)
        else:
            text = BARE_URL_LINE_RE.sub(lambda m: self._embed_url(m["url"]), text)
            text = wpautop(text)
        # Our articles use h2-h4 (the headline is the h1): shift the others to fit.
        text = re.sub(r"<(/?)h1\b", r"<\1h2", text, flags=re.I)
        text = re.sub(r"<(/?)h[56]\b", r"<\1h4", text, flags=re.I)
        text = FIGURE_OPEN_RE.sub(self._figure_class, text)
        text = A_UPLOAD_RE.sub(self._upload_link, text)
        text = IMG_RE.sub(self._img, text)
        self.result.html = clean_html(text)
        return self.result

    # --- embeds

    def _embed_url(self, url):
        url = html.unescape(url.strip())
        parsed = parse_status_url(url)
        if parsed:
            self.result.tweets.append(TweetSnapshot(*parsed))
            url = canonical_status_url(*parsed)
            return f'<figure class="media"><oembed url="{url}"></oembed></figure>'
        if not url.startswith(("http://", "https://")):
            return _escape(url)
        self.result.links.append(url)
        host = urlsplit(url).netloc.removeprefix("www.")
        return f'<p><a href="{_escape(url)}">{_escape(url)}</a></p>' if host else _escape(url)

    def _block_embed(self, match):
        try:
            attrs = json.loads(match["json"] or "{}")
        except ValueError:
            attrs = {}
        url = attrs.get("url") if isinstance(attrs, dict) else None
        inner = match["inner"]
        if not url:
            found = re.search(r"https?://[^\s<\"]+", inner)
            url = found.group(0) if found else ""
        if "twitter-tweet" in inner:
            self._tweet_from_blockquote_html(inner)
        caption = re.search(r"<figcaption[^>]*>(.*?)</figcaption>", inner, re.S)
        out = "\n\n" + self._embed_url(url) + "\n\n" if url else ""
        if caption and caption.group(1).strip():
            out += f"<p>{caption.group(1).strip()}</p>\n\n"
        return out

    def _tweet_from_blockquote_html(self, fragment):
        snapshot = None
        for match in TWEET_BLOCKQUOTE_RE.finditer(fragment or ""):
            snapshot = self._snapshot(match["inner"])
        return snapshot

    def _snapshot(self, inner):
        links = STATUS_LINK_RE.findall(inner)
        parsed = None
        for url in reversed(links):
            parsed = parse_status_url(html.unescape(url))
            if parsed:
                break
        if not parsed:
            return None
        para = re.search(r"<p(?P<attrs>[^>]*)>(?P<text>.*?)</p>", inner, re.S | re.I)
        text = lang = ""
        if para:
            text = re.sub(r"<br\s*/?>", "\n", para["text"])
            text = html.unescape(re.sub(r"<[^>]+>", "", text)).strip()
            lang_match = re.search(r'lang="([A-Za-z-]{2,8})"', para["attrs"])
            lang = lang_match.group(1) if lang_match else ""
        tail = inner[para.end() :] if para else inner
        tail_text = html.unescape(re.sub(r"<[^>]+>", "", tail)).strip()
        name_match = re.match(
            r"^[—–-]*\s*(?P<name>.*?)\s*\(@(?P<handle>\w{1,15})\)\s*(?P<date>.*)$", tail_text, re.S
        )
        name = name_match["name"].strip() if name_match else ""
        posted = name_match["date"].strip() if name_match else ""
        snapshot = TweetSnapshot(
            parsed[0], parsed[1], text=text, author_name=name[:120], language=lang, posted_on=posted
        )
        self.result.tweets.append(snapshot)
        return snapshot

    def _tweet_blockquote(self, match):
        snapshot = self._snapshot(match["inner"])
        if snapshot is None:
            return match.group(0)
        url = canonical_status_url(snapshot.handle, snapshot.tweet_id)
        return f'\n\n<figure class="media"><oembed url="{url}"></oembed></figure>\n\n'

    # --- pictures

    def _figure_html(self, image_tag, caption):
        caption, credit = split_credit(caption)
        if credit:
            attrs = _tag_attrs(image_tag)
            found = self._find(attrs)
            if found is not None:
                self.result.credits.setdefault(found.key, credit)
        cap = f"<figcaption>{caption}</figcaption>" if caption else ""
        return f'\n\n<figure class="image">{image_tag}{cap}</figure>\n\n'

    def _caption(self, match):
        inner = match["inner"].strip()
        imgs = IMG_RE.findall(inner)
        if not imgs:
            return inner
        # The caption is what follows the picture (and its link, if any).
        last = inner.rfind(imgs[-1]) + len(imgs[-1])
        rest = inner[last:]
        rest = re.sub(r"^\s*</a>", "", rest)
        caption = rest.strip() or _tag_attrs(f"<x {match['attrs']}>").get("caption", "")
        return self._figure_html(imgs[-1], caption)

    def _gallery(self, match):
        attrs = _attrs(match["attrs"])
        ids = [i.strip() for i in attrs.get("ids", "").split(",") if i.strip()]
        if not ids:
            # A gallery without ids shows the pictures attached to the post.
            ids = self.attached
        if not ids:
            self.result.removed_shortcodes.append("gallery (no ids)")
            return ""
        figures = []
        for wp_id in ids:
            found = self.resolve_image(wp_id=wp_id, path=None)
            if found is None:
                self.result.missing_images.append(f"attachment {wp_id}")
                continue
            img = f'<img src="{_escape(found.url)}" alt="{_escape(found.alt)}">'
            figures.append(f'<figure class="image">{img}</figure>')
        return "\n\n" + "\n".join(figures) + "\n\n"

    def _find(self, attrs):
        found = None
        klass = attrs.get("class", "")
        wp_id = WP_IMAGE_CLASS_RE.search(klass)
        if wp_id:
            found = self.resolve_image(wp_id=wp_id.group(1), path=None)
        if found is None:
            path = upload_path(attrs.get("src", ""))
            if path:
                found = self.resolve_image(wp_id=None, path=path)
        return found

    def _img(self, match):
        tag = match.group(0)
        attrs = _tag_attrs(tag)
        src = attrs.get("src", "")
        found = self._find(attrs)
        if found is None:
            self.result.missing_images.append(src or "(an image without an address)")
            return ""
        alt = attrs.get("alt") or found.alt
        return f'<img src="{_escape(found.url)}" alt="{_escape(alt)}">'

    def _upload_link(self, match):
        attrs = _tag_attrs(f"<a {match['attrs']}>")
        href = attrs.get("href", "")
        inner = match["inner"]
        path = upload_path(href)
        if not path:
            return match.group(0)
        if IMG_RE.search(inner):
            return inner  # a picture linked to its own file: the picture is enough
        found = self.resolve_image(wp_id=None, path=path)
        if found is None or not found.absolute_url:
            if found is None:
                self.result.missing_images.append(href)
            return inner
        return f'<a href="{_escape(found.absolute_url)}">{inner}</a>'

    def _figure_class(self, match):
        attrs = _tag_attrs(match.group(0))
        classes = attrs.get("class", "")
        if "media" in classes.split():
            return match.group(0)
        if "wp-block-table" in classes or "table" in classes.split():
            return '<figure class="table">'
        return '<figure class="image">'

    # --- other shortcodes

    def _other_shortcodes(self, text):
        closers = {m["name"].lower() for m in SHORTCODE_RE.finditer(text) if m["close"]}

        def replace(match):
            name = match["name"]
            if not _is_shortcode(name, match["attrs"], closers):
                return match.group(0)
            if not match["close"]:
                self.result.removed_shortcodes.append(name.lower())
            return ""

        return SHORTCODE_RE.sub(replace, text)
