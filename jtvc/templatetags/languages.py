"""Language and direction in templates.

``{% text_lang_attrs value %}`` marks a fragment whose language nobody recorded (an author's
bio, a caption, a tag): ``lang="he" dir="rtl"`` when it is mostly Hebrew, else ``dir="auto"``
so the browser isolates it and takes its direction from its first strong letter.
"""

import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from jtvc import languages

register = template.Library()


@register.filter
def text_direction(language):
    return languages.direction(language)


@register.simple_tag
def text_lang_attrs(value):
    if languages.detect_language(str(value or "")) == "he":
        return mark_safe('lang="he" dir="rtl"')  # noqa: S308 - constant
    return mark_safe('dir="auto"')  # noqa: S308 - constant


@register.simple_tag
def lang_attrs(language):
    """``lang="…" dir="…"`` for content whose language is recorded."""
    return format_html('lang="{}" dir="{}"', language, languages.direction(language))


# @handles, #tags, addresses and numbers with their separators: left-to-right islands that
# would otherwise be reordered inside right-to-left text ("@jtvc" shown as "jtvc@").
_ISLAND_RE = re.compile(r"(https?://\S+|[@#][\w.]+|\d[\d.,:/\-–]*\d)")


@register.filter(needs_autoescape=True)
def isolate_runs(text, autoescape=True):
    """Escape *text* and wrap handles, tags, links and numbers in ``<bdi>``."""
    parts = _ISLAND_RE.split(str(text or ""))
    out = []
    for i, part in enumerate(parts):
        out.append(f"<bdi>{escape(part)}</bdi>" if i % 2 else escape(part))
    return mark_safe("".join(out))  # noqa: S308 - every part escaped above
