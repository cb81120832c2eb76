"""Body images: make the editor's <img> tags responsive and credited when they are rendered.

``enrich_body_images(html)`` takes cleaned article HTML. Every <img> whose src points into
our library (an original or a rendition; both carry the image's SHA-256 in their path) gets
src/srcset/sizes/width/height/loading/decoding from the Image row, keeps the editor's alt
text, and gets a "Credit: …" line: in the figure's <figcaption> when the picture is already
in a <figure> (CKEditor's block images are), after the picture otherwise. Images from
anywhere else, and library pictures whose rights have expired, are removed; a figure left
with neither picture nor caption text is dropped whole (never an empty frame). One query per
call, whatever the number of images.

``library_shas(html)`` names the library pictures a body uses (for "used in").
"""

import re
from html import escape
from html.parser import HTMLParser

from django.conf import settings

from media_app.models import Image
from media_app.templatetags.media_tags import image_attrs

VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
BLOCK_PARENTS = {"p", "a", "span", "em", "strong", "i", "b", "li", "td", "th", "figcaption"}


def _sha_pattern():
    prefix = re.escape(settings.MEDIA_URL)
    return re.compile(rf"^{prefix}(?:images|renditions)/[0-9a-f]{{2}}/([0-9a-f]{{64}})")


def _attrs_html(attrs):
    return "".join(
        f" {name}" if value is None else f' {name}="{escape(value, quote=True)}"'
        for name, value in attrs
    )


def _credit_html(image):
    if not image.credit:
        return ""
    credit = escape(image.credit)
    if image.credit_url:
        credit = (
            f'<a href="{escape(image.credit_url, quote=True)}" rel="nofollow noopener">{credit}</a>'
        )
    return f'<span class="credit">Credit: {credit}</span>'


class _Collector(HTMLParser):
    def __init__(self, pattern):
        super().__init__(convert_charrefs=True)
        self.pattern, self.shas = pattern, set()

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            match = self.pattern.match(dict(attrs).get("src") or "")
            if match:
                self.shas.add(match.group(1))

    handle_startendtag = handle_starttag


class _Rewriter(HTMLParser):
    def __init__(self, pattern, images):
        super().__init__(convert_charrefs=True)
        self.pattern, self.images = pattern, images
        self.out = []
        self.stack = []  # open elements
        self.figures = []  # per open <figure>: {"credit": html, "captioned": bool}

    # --- helpers

    def _library_image(self, attrs):
        match = self.pattern.match(dict(attrs).get("src") or "")
        image = self.images.get(match.group(1)) if match else None
        if image is not None and image.rights_expired:
            return None  # the rights are over: readers see no picture
        return image

    def _emit_img(self, attrs):
        image = self._library_image(attrs)
        if image is None:
            return  # not ours: removed
        editor_alt = dict(attrs).get("alt")
        new = [(k, v) for k, v in image_attrs(image, "body")]
        if editor_alt:  # the journalist's alt text, typed in the editor, wins
            new = [(k, editor_alt if k == "alt" else v) for k, v in new]
        classes = dict(attrs).get("class")
        if classes:
            new.append(("class", classes))
        tag = f"<img{_attrs_html(new)}>"
        credit = _credit_html(image)
        if self.figures:
            self.figures[-1]["content"] = True
            if credit and not self.figures[-1]["credit"]:
                self.figures[-1]["credit"] = credit
            self.out.append(tag)
        elif credit and any(t in BLOCK_PARENTS for t in self.stack):
            self.out.append(tag + credit)  # inline image: a figure may not sit inside a <p>
        elif credit:
            self.out.append(
                f'<figure class="image">{tag}<figcaption>{credit}</figcaption></figure>'
            )
        else:
            self.out.append(tag)

    # --- parser events

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self._emit_img(attrs)
            return
        if self.figures and tag not in ("figcaption", "figure"):
            self.figures[-1]["content"] = True  # an embed, a table: the figure holds something
        self.out.append(f"<{tag}{_attrs_html(attrs)}>")
        if tag in VOID:
            return
        self.stack.append(tag)
        if tag == "figure":
            self.figures.append(
                {
                    "credit": "",
                    "captioned": False,
                    "text": "",
                    "content": False,
                    "start": len(self.out) - 1,
                }
            )

    def handle_startendtag(self, tag, attrs):
        if tag == "img":
            self._emit_img(attrs)
        else:
            self.out.append(f"<{tag}{_attrs_html(attrs)}>")

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if tag == "figcaption" and self.figures:
            figure = self.figures[-1]
            figure["captioned"] = True
            if figure["credit"] and "Credit:" not in figure["text"]:
                self.out.append(" " + figure["credit"])
        if tag == "figure" and self.figures:
            figure = self.figures.pop()
            if not figure["content"] and not figure["text"].strip():
                # Its picture was removed and nothing else is in it: no empty frame.
                del self.out[figure["start"] :]
                while self.stack and self.stack.pop() != "figure":
                    pass
                return
            if self.figures:
                self.figures[-1]["content"] = True
            if figure["credit"] and not figure["captioned"]:
                self.out.append(f"<figcaption>{figure['credit']}</figcaption>")
        if tag in self.stack:
            while self.stack:
                if self.stack.pop() == tag:
                    break
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if self.figures and "figcaption" in self.stack:
            self.figures[-1]["text"] += data
        elif self.figures and data.strip():
            self.figures[-1]["content"] = True  # e.g. a table's text
        self.out.append(escape(data, quote=False))

    def handle_comment(self, data):
        pass  # comments have no place in rendered article bodies


def library_shas(html):
    """The SHA-256 of every library picture *html* shows (originals and renditions)."""
    if not html or "<img" not in html:
        return set()
    collector = _Collector(_sha_pattern())
    collector.feed(html)
    collector.close()
    return collector.shas


def enrich_body_images(html):
    """Return *html* with library images made responsive and credited; others removed."""
    if not html or "<img" not in html:
        return html or ""
    pattern = _sha_pattern()
    collector = _Collector(pattern)
    collector.feed(html)
    collector.close()
    images = {}
    if collector.shas:
        images = {img.sha256: img for img in Image.objects.filter(sha256__in=collector.shas)}
    rewriter = _Rewriter(pattern, images)
    rewriter.feed(html)
    rewriter.close()
    return "".join(rewriter.out)
