"""Never an empty slug: the one place that gives a slug-less name an address.

A tag, section, author or article whose name has nothing ``slugify`` keeps (emoji only,
symbols only: "🔥🔥🔥", "{{", "/") gets ``<kind>-<8 hex digits of the name's SHA-1>``:
stable (the same name always gives the same slug), unique enough, and valid in every URL,
feed and sitemap. Taggit's ``Tag`` fills its own slug and would store an empty one, so a
``pre_save`` handler repairs it; our models call ``unique_slug`` from ``save()``.
"""

import hashlib

from django.db.models.signals import pre_save
from django.utils.text import slugify


def fallback_slug(text, *, prefix="item"):
    return f"{prefix}-" + hashlib.sha1((text or "").encode()).hexdigest()[:8]


def unique_slug(model, text, *, instance_pk=None, max_length=200, field="slug", prefix="item"):
    """A unicode slug for *text* that no other row of *model* has.

    Hebrew, Arabic and other scripts are kept (``allow_unicode``); text that yields nothing
    falls back to ``fallback_slug``, so every name gets a URL.
    """
    base = slugify(text or "", allow_unicode=True)[: max_length - 10].strip("-_")
    if not base:
        base = fallback_slug(text, prefix=prefix)
    candidate, n = base, 2
    others = model._default_manager.exclude(pk=instance_pk)
    while others.filter(**{field: candidate}).exists():
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _fill_empty_slug(sender, instance, raw=False, **kwargs):
    if raw or (getattr(instance, "slug", None) or "").strip("-_"):
        return
    prefix = sender._meta.model_name
    max_length = sender._meta.get_field("slug").max_length
    instance.slug = unique_slug(
        sender, instance.name, instance_pk=instance.pk, max_length=max_length, prefix=prefix
    )


def connect_signals():
    from taggit.models import Tag

    from articles.models import Section

    for model in (Tag, Section):
        pre_save.connect(_fill_empty_slug, sender=model, dispatch_uid=f"slug-{model.__name__}")
