"""One cleaning step for every piece of text that comes in, whatever the path.

Text pasted from word processors, spreadsheets and chat apps carries characters nobody
meant to type: C0/C1 control characters (which XML, and so every RSS feed and sitemap,
refuses), zero-width spaces (which split a word so search no longer finds it) and bidi
overrides (which reverse the text around them). ``clean_text`` removes them; the model
signal in ``connect_signals`` runs it on every text field of our models before each save,
so the admin, the editor, importers and the shell all store the same clean text.
"""

import re
import unicodedata

from django.db import models
from django.db.models.signals import pre_save

# C0 and C1 control characters except tab, newline and carriage return (those are handled
# below), plus lone surrogates and the two non-characters XML cannot carry.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Bidi embeddings and overrides (LRE RLE PDF LRO RLO) and isolates (LRI RLI FSI PDI): an
# unclosed one reverses everything after it on the page. Marks (LRM, RLM, ALM) stay: they
# are how Hebrew and Arabic writers fix the order of a number or a Latin word.
_BIDI_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# Zero-width characters that split words for search and are invisible in a headline.
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u2060\u180e\ufeff]")
# A zero-width joiner glues emoji into one picture (family, flags with a symbol); between
# letters it only hides a word from search.
_ZWJ = "\u200d"
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u3000]+")

# Fields holding headlines and names (single-line text readers search for): zero-width
# characters and bidi controls are removed there too.
NAME_FIELDS = frozenset(
    {"title", "name", "seo_title", "author_name", "site_name", "alt_text", "credit", "handle"}
)


def _drop_zwj_between_letters(text):
    if _ZWJ not in text:
        return text
    out = []
    for i, char in enumerate(text):
        if char == _ZWJ:
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            letters = [c for c in (before, after) if c]
            if not letters or any(unicodedata.category(c).startswith(("L", "N")) for c in letters):
                continue
        out.append(char)
    return "".join(out)


def clean_text(value, *, single_line=False, name=False):
    """*value* without control characters (and, for names, without invisible ones).

    Newlines become ``\\n``; tabs stay in multi-line text. ``single_line`` turns line breaks
    and tabs into spaces and trims; ``name`` also removes zero-width characters and bidi
    overrides and collapses runs of spaces, so "Har\\u200bbour" is found by "harbour".
    """
    if not isinstance(value, str) or not value:
        return value
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    if single_line or name:
        text = text.replace("\n", " ").replace("\t", " ")
    if name:
        text = _BIDI_CONTROLS.sub("", _ZERO_WIDTH.sub("", text))
        text = _drop_zwj_between_letters(text)
        text = _SPACES.sub(" ", text).strip()
    elif single_line:
        text = text.strip()
    return text


def clean_query(value, *, limit):
    """A search query as searched and echoed: clean like a name, at most *limit* characters."""
    return clean_text(value or "", name=True)[:limit].strip()


def xml_safe(value):
    """Text XML 1.0 can carry: what the feeds and sitemaps do with rows stored before the
    cleaning step existed (or written by a bulk update that skipped it)."""
    if not isinstance(value, str):
        return value
    return _CONTROL.sub("", value.replace("\r\n", "\n"))


def clean_instance(instance):
    """Run ``clean_text`` over every text field of a model instance (in place)."""
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField) or field.choices:
            continue
        if isinstance(field, models.URLField | models.EmailField | models.SlugField):
            value = getattr(instance, field.attname)
            setattr(instance, field.attname, clean_text(value, single_line=True))
            continue
        value = getattr(instance, field.attname)
        if isinstance(field, models.TextField):
            cleaned = clean_text(value)
        else:
            cleaned = clean_text(value, single_line=True, name=field.name in NAME_FIELDS)
        if cleaned is not value:
            setattr(instance, field.attname, cleaned)


CLEANED_APPS = ("articles", "media_app", "taggit", "jtvc")


def _clean_before_save(sender, instance, raw=False, **kwargs):
    if raw or sender._meta.app_label not in CLEANED_APPS:
        return
    clean_instance(instance)


def connect_signals():
    pre_save.connect(_clean_before_save, dispatch_uid="jtvc.text.clean_before_save")
