"""Article cards, rendered once and kept by what they show.

A card (``templates/includes/article_card.html``) shows an article row, its section, its
lead picture and its byline's authors, in the site's language. Its cache key is exactly
that: the values of every loaded field of those rows (so an edit, a rename, a new crop or a
rights date makes a new key), whether the picture's rights have run out today, the card's
variant and the active language. Nothing is ever invalidated: the old card ages out of a
least-recently-used table held by each process (``JTVC_CARD_CACHE`` cards; a key holds the
row's text, so a few kilobytes each).

Because a key names content rather than an address, the table may live in process memory
without any coordination between workers, and a stale card cannot be served: keys are
compared in full, so a card is reused only for rows that read the same in every field the
template can reach. What the key cannot see (the template file, translations, settings)
changes only with a restart, or through ``override_settings`` in tests, which empties the
table (``setting_changed``).

Home shows about 45 cards; rendering them was two thirds of its CPU. Off when ``DEBUG`` is
on (template edits show at once) or ``JTVC_CARD_CACHE`` is 0 (its size otherwise).
"""

import threading
from collections import OrderedDict

from django.conf import settings
from django.core.signals import setting_changed
from django.db.models import FileField, JSONField
from django.dispatch import receiver
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from jtvc import languages

TEMPLATE = "includes/article_card.html"


class _Table:
    """A bounded least-recently-used mapping, safe to share between a process's threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rows = OrderedDict()

    def get(self, key):
        with self.lock:
            value = self.rows.get(key)
            if value is not None:
                self.rows.move_to_end(key)
            return value

    def put(self, key, value, size):
        with self.lock:
            self.rows[key] = value
            self.rows.move_to_end(key)
            while len(self.rows) > size:
                self.rows.popitem(last=False)

    def clear(self):
        with self.lock:
            self.rows.clear()


_table = _Table()
_fields = {}


_PLAIN, _FILE, _JSON = 0, 1, 2


def _kind(field):
    if isinstance(field, FileField):
        return _FILE
    if isinstance(field, JSONField):
        return _JSON
    return _PLAIN


def _loaded(obj):
    """The values of *obj*'s loaded fields, in field order (deferred ones are not read), as
    a hashable tuple."""
    if obj is None:
        return None
    model = type(obj)
    fields = _fields.get(model)
    if fields is None:
        fields = _fields[model] = tuple((f.attname, _kind(f)) for f in model._meta.concrete_fields)
    state = obj.__dict__
    return tuple(
        # A file field holds its name until first read, then a FieldFile: keep the name, so
        # the key does not depend on what else the page happened to read first. JSON values
        # (lists, dicts) are kept as their text, which can be hashed.
        state[name] if kind == _PLAIN else str(state[name]) if kind == _FILE else repr(state[name])
        for name, kind in fields
        if name in state
    )


def fingerprint(article, variant):
    """Everything the card for *article* in *variant* can show, as a hashable tuple.

    The table compares keys in full (a hash only picks the slot), so two cards can never
    be mistaken for each other.
    """
    image = article.lead_image if article.lead_image_id else None
    section = article.section if article.section_id else None
    return (
        variant,
        get_language(),
        _loaded(article),
        _loaded(section),
        _loaded(image),
        image.rights_expired if image is not None else None,
        tuple((_loaded(b), _loaded(b.author)) for b in article.bylines.all()),
    )


def _size():
    if settings.DEBUG:
        return 0
    return settings.JTVC_CARD_CACHE


def render_card(article, *, size="", level=3, first=False, show_section=True):
    """The card's HTML (safe), from the table when the same content was rendered before."""
    variant = (size or "", level, bool(first), bool(show_section))
    limit = _size()
    key = fingerprint(article, variant) if limit else None
    if key is not None:
        html = _table.get(key)
        if html is not None:
            return html
    chrome = languages.site_language()
    html = mark_safe(  # noqa: S308 - the output of an autoescaping template
        get_template(TEMPLATE).render(
            {
                "article": article,
                "size": size,
                "level": level,
                "first": first,
                "show_section": show_section,
                "chrome_lang": chrome,
                "chrome_dir": languages.direction(chrome),
            }
        )
    )
    if key is not None:
        _table.put(key, html, limit)
    return html


def clear():
    _table.clear()


@receiver(setting_changed)
def _forget_on_setting_change(**kwargs):
    clear()
