"""Cleaning editor HTML: size and nesting capped first, then nh3 against an allowlist.

Only the output of :func:`clean_html` is ever marked safe. Anything the allowlist does not name
(script, style attributes, event handlers, SVG, iframes, ``javascript:`` links, images from other
sites) is gone after a save.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError

from articles import embeds

# A long feature is ~60 KB of HTML; the cap leaves room for tables without letting a paste of a
# whole web page (or a hostile megabyte) reach the sanitiser.
MAX_HTML_CHARS = 400_000
# Real articles nest 4-6 deep (figure > table > tbody > tr > td > p > strong); 30 is generous.
MAX_NESTING = 30

ALLOWED_TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "a",
    "strong",
    "em",
    "b",
    "i",
    "blockquote",
    "figure",
    "figcaption",
    "img",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "br",
    "oembed",
}
# Removed together with their content, not just unwrapped.
DROP_WITH_CONTENT = {"script", "style", "svg", "math", "iframe", "object", "embed", "template"}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "oembed": {"url"},
    "ol": {"start"},
}
ALLOWED_CLASSES = {"figure": {"media", "table", "image"}}
LINK_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow"

VOID_TAGS = {"br", "img", "hr", "wbr", "input", "meta", "link", "source", "col", "area", "base"}


class RichTextError(ValidationError):
    pass


class _DepthCounter(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.deepest = 0

    def handle_starttag(self, tag, attrs):
        if tag in VOID_TAGS:
            return
        self.depth += 1
        self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag):
        if tag not in VOID_TAGS:
            self.depth = max(0, self.depth - 1)


def check_limits(html):
    """Refuse HTML too large or too deeply nested, before any cleaning work is done."""
    if len(html) > MAX_HTML_CHARS:
        raise RichTextError(
            "The text is too long to save (%(size)s characters; the limit is %(limit)s). "
            "Split it into two articles or remove pasted material.",
            code="too_long",
            params={"size": f"{len(html):,}", "limit": f"{MAX_HTML_CHARS:,}"},
        )
    counter = _DepthCounter()
    counter.feed(html)
    counter.close()
    if counter.deepest > MAX_NESTING:
        raise RichTextError(
            "The text is nested too deeply (%(depth)s levels; the limit is %(limit)s). "
            "This usually comes from pasting a web page: paste as plain text instead.",
            code="too_deep",
            params={"depth": counter.deepest, "limit": MAX_NESTING},
        )


def _is_http_url(value):
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return False
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def _is_own_media(value):
    value = value.strip()
    media_url = settings.MEDIA_URL
    if not value.startswith(media_url) or ".." in value or "\\" in value:
        return False
    # "/media/x" only: no scheme, no host ("//evil/...") and nothing after the path.
    parts = urlsplit(value)
    return not parts.scheme and not parts.netloc and not value.startswith("//")


def _attribute_filter(tag, attribute, value):
    if tag == "a" and attribute == "href":
        try:
            scheme = urlsplit(value.strip()).scheme.lower()
        except ValueError:
            return None
        return value if scheme in LINK_SCHEMES else None
    if tag == "img" and attribute == "src":
        return value if _is_own_media(value) else None
    if tag == "oembed" and attribute == "url":
        return value.strip() if _is_http_url(value) else None
    if attribute in {"width", "height", "colspan", "rowspan", "start"}:
        return value if value.isdigit() and len(value) <= 5 else None
    return value


_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def clean_html(html):
    """The cleaned, safe-to-render form of editor HTML. Raises RichTextError when over the caps."""
    html = html or ""
    check_limits(html)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        allowed_classes=ALLOWED_CLASSES,
        link_rel=LINK_REL,
        url_schemes=LINK_SCHEMES,
        strip_comments=True,
    )
    cleaned = _IMG_WITHOUT_SRC.sub("", cleaned)
    return embeds.normalise(cleaned).strip()
