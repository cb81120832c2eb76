"""Reading WordPress eXtended RSS (WXR 1.0, 1.1, 1.2), streaming and safely.

``read(path)`` yields ``(kind, record)`` pairs one at a time — ``channel`` (once, before the
first item), ``author``, ``category``, ``tag``, ``term`` and ``item`` — clearing each element
once read, so memory is bounded by the largest item rather than by the file.

The parser is defusedxml's: a document type declaration is refused outright, which rules out
external entities (no file or network access) and entity-expansion bombs. A file that is not
well-formed raises :class:`ExportRefused` carrying the line and column. A ``.gz`` export is
read through gzip.
"""

import gzip
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse


class ExportRefused(Exception):
    """The file cannot be read as a WordPress export; nothing has been written."""

    def __init__(self, message, *, line=None, column=None):
        self.line, self.column = line, column
        where = f" (line {line}, column {column})" if line is not None else ""
        super().__init__(f"{message}{where}")


@dataclass
class Channel:
    title: str = ""
    link: str = ""
    language: str = ""
    wxr_version: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""


@dataclass
class Author:
    wp_id: str
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass
class Term:
    taxonomy: str  # "category", "post_tag", or any other taxonomy name
    wp_id: str
    slug: str
    name: str
    parent: str = ""  # the parent's slug
    description: str = ""


@dataclass
class Item:
    wp_id: str
    post_type: str
    title: str = ""
    link: str = ""
    pub_date: str = ""
    creators: list = field(default_factory=list)
    guid: str = ""
    content: str = ""
    excerpt: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    post_name: str = ""
    status: str = ""
    parent: str = "0"
    menu_order: str = "0"
    password: str = ""
    sticky: bool = False
    attachment_url: str = ""
    # [(domain, nicename, label)] in document order
    terms: list = field(default_factory=list)
    # [(key, value)] in document order (a key may repeat, e.g. _wp_old_slug)
    meta: list = field(default_factory=list)
    comments: int = 0

    def meta_value(self, key, default=""):
        for k, v in self.meta:
            if k == key:
                return v
        return default

    def meta_values(self, key):
        return [v for k, v in self.meta if k == key]


def _local(tag):
    """'{http://wordpress.org/export/1.2/}post_id' → 'wp:post_id' (any WXR version)."""
    if tag[:1] != "{":
        return tag
    uri, local = tag[1:].split("}", 1)
    if "wordpress.org/export" in uri:
        prefix = "excerpt" if uri.rstrip("/").endswith("excerpt") else "wp"
    elif "purl.org/rss/1.0/modules/content" in uri:
        prefix = "content"
    elif "purl.org/dc/elements" in uri:
        prefix = "dc"
    else:
        prefix = "x"
    return f"{prefix}:{local}"


def _text(elem):
    return (elem.text or "") if elem is not None else ""


def _children(elem):
    """{local name: text} of an element's direct children (first wins), stripped."""
    out = {}
    for child in elem:
        out.setdefault(_local(child.tag), (child.text or "").strip())
    return out


def _author(elem):
    c = _children(elem)
    return Author(
        wp_id=c.get("wp:author_id", ""),
        login=c.get("wp:author_login", ""),
        email=c.get("wp:author_email", ""),
        display_name=c.get("wp:author_display_name", ""),
        first_name=c.get("wp:author_first_name", ""),
        last_name=c.get("wp:author_last_name", ""),
    )


def _term(elem, kind):
    c = _children(elem)
    if kind == "category":
        return Term(
            "category",
            c.get("wp:term_id", ""),
            c.get("wp:category_nicename", ""),
            c.get("wp:cat_name", "") or c.get("wp:category_nicename", ""),
            c.get("wp:category_parent", ""),
            c.get("wp:category_description", ""),
        )
    if kind == "tag":
        return Term(
            "post_tag",
            c.get("wp:term_id", ""),
            c.get("wp:tag_slug", ""),
            c.get("wp:tag_name", "") or c.get("wp:tag_slug", ""),
            "",
            c.get("wp:tag_description", ""),
        )
    return Term(
        c.get("wp:term_taxonomy", ""),
        c.get("wp:term_id", ""),
        c.get("wp:term_slug", ""),
        c.get("wp:term_name", "") or c.get("wp:term_slug", ""),
        c.get("wp:term_parent", ""),
        c.get("wp:term_description", ""),
    )


def _item(elem):
    item = Item(wp_id="", post_type="")
    for child in elem:
        name = _local(child.tag)
        text = child.text or ""
        if name == "title":
            item.title = text.strip()
        elif name == "link":
            item.link = text.strip()
        elif name == "pubDate":
            item.pub_date = text.strip()
        elif name == "dc:creator" or name == "wp:author":
            # wp:author inside an item is an older exporter's spelling of dc:creator.
            if text.strip():
                item.creators.append(text.strip())
        elif name == "guid":
            item.guid = text.strip()
        elif name == "content:encoded":
            item.content = text
        elif name == "excerpt:encoded":
            item.excerpt = text
        elif name == "wp:post_id":
            item.wp_id = text.strip()
        elif name == "wp:post_date":
            item.post_date = text.strip()
        elif name == "wp:post_date_gmt":
            item.post_date_gmt = text.strip()
        elif name == "wp:post_name":
            item.post_name = text.strip()
        elif name == "wp:status":
            item.status = text.strip()
        elif name == "wp:post_parent":
            item.parent = text.strip() or "0"
        elif name == "wp:menu_order":
            item.menu_order = text.strip() or "0"
        elif name == "wp:post_type":
            item.post_type = text.strip()
        elif name == "wp:post_password":
            item.password = text
        elif name == "wp:is_sticky":
            item.sticky = text.strip() == "1"
        elif name == "wp:attachment_url":
            item.attachment_url = text.strip()
        elif name == "category":
            item.terms.append(
                (child.get("domain", "category"), child.get("nicename", ""), text.strip())
            )
        elif name == "wp:postmeta":
            c = {}
            for part in child:
                c.setdefault(_local(part.tag), part.text or "")
            item.meta.append((c.get("wp:meta_key", "").strip(), c.get("wp:meta_value", "")))
        elif name == "wp:comment":
            item.comments += 1
    if not item.post_type:
        item.post_type = "post"
    return item


def _open(path):
    with open(path, "rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rb") if gzipped else open(path, "rb")  # noqa: SIM115


def read(path):
    """Yield ("channel" | "author" | "category" | "tag" | "term" | "item", record)."""
    channel = Channel()
    channel_sent = False
    depth = 0
    container = None  # the <channel> element, whose finished children we drop
    root_seen = False
    with _open(path) as source:
        try:
            for event, elem in iterparse(source, events=("start", "end"), forbid_dtd=True):
                if event == "start":
                    depth += 1
                    if depth == 1:
                        root_seen = True
                        if _local(elem.tag) != "rss":
                            raise ExportRefused(
                                f"This is not a WordPress export: the document is "
                                f"<{_local(elem.tag)}>, not <rss>."
                            )
                    elif depth == 2 and _local(elem.tag) == "channel":
                        container = elem
                    continue
                depth -= 1
                if depth != 2 or container is None:
                    continue
                name = _local(elem.tag)
                kind = record = None
                if name == "item":
                    kind, record = "item", _item(elem)
                elif name == "wp:author":
                    kind, record = "author", _author(elem)
                elif name == "wp:category":
                    kind, record = "category", _term(elem, "category")
                elif name == "wp:tag":
                    kind, record = "tag", _term(elem, "tag")
                elif name == "wp:term":
                    kind, record = "term", _term(elem, "term")
                elif name == "title":
                    channel.title = _text(elem).strip()
                elif name == "link":
                    channel.link = _text(elem).strip()
                elif name == "language":
                    channel.language = _text(elem).strip()
                elif name == "wp:wxr_version":
                    channel.wxr_version = _text(elem).strip()
                elif name == "wp:base_site_url":
                    channel.base_site_url = _text(elem).strip()
                elif name == "wp:base_blog_url":
                    channel.base_blog_url = _text(elem).strip()
                container.remove(elem)
                if kind:
                    if not channel_sent:
                        channel_sent = True
                        yield "channel", channel
                    yield kind, record
        except ParseError as error:
            line, column = getattr(error, "position", (None, None))
            message = str(error).split(":")[0]
            raise ExportRefused(
                f"The file is not well-formed XML ({message})", line=line, column=column
            ) from None
        except DefusedXmlException as error:
            raise ExportRefused(
                "The file declares a document type or entities, which a WordPress export "
                f"never does; refused for safety ({type(error).__name__})"
            ) from None
        except (OSError, EOFError) as error:
            raise ExportRefused(f"The file could not be read: {error}") from None
    if not root_seen:
        raise ExportRefused("The file is empty.")
    if container is None:
        raise ExportRefused("This is not a WordPress export: it has no <channel>.")
    if not channel_sent:
        yield "channel", channel


def parse_date(value):
    """A WordPress 'YYYY-MM-DD HH:MM:SS' (taken as UTC) or an RFC 822 date; None if empty."""
    value = (value or "").strip()
    if not value or value.startswith("0000-00-00"):
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        pass
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed
