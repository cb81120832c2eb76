"""What readers see changed: one after-commit path from every write to every cache.

A change is described by a set of *keys*, short strings naming what a reader could see
change: ``"article:12"``, ``"section:3"``, ``"tag:7"``, ``"author:5"``, ``"page:2"``,
``"image:9"``, ``"home"``, ``"lists"``, ``"settings"``, or ``ALL`` (anything at all).
This module knows no model: apps declare theirs in ``AppConfig.ready()``.

- ``watch(Model, keys)``: a change to a row of *Model* affects ``keys(instance)`` (an
  iterable of keys). Saving or deleting a row, and changing a many-to-many relation whose
  through model is watched, then invalidate those keys by themselves (model signals).
- ``WatchedQuerySet``: the base of a watched model's QuerySet; ``update()``,
  ``bulk_create()`` and ``bulk_update()`` send no signal, so it invalidates for them.
- ``invalidate(keys)``: the one function every write path ends in. Call it yourself only
  where neither of the above sees the write (raw SQL, another app's bulk inserts).
- ``register_backend(fn)``: ``fn(keys)`` receives a frozenset of keys after each commit
  that changed something. The page cache is one backend; an edge cache purge is another.

Keys are delivered after the transaction commits (at once outside a transaction), merged,
so a reader can never re-cache the old page between the invalidation and the commit, and a
rolled-back write purges nothing it needs to. A backend that fails is logged; it never
fails the write that caused it (see ``jtvc.pagecache`` for how the page cache recovers).
"""

import logging
import threading
from collections.abc import Callable, Iterable
from functools import partial

from django.db import DEFAULT_DB_ALIAS, models, router, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

log = logging.getLogger(__name__)

ALL = "*"

_watched: dict[type, Callable] = {}
_backends: list[Callable] = []
_local = threading.local()


def everything(instance):
    """The default key function: a change to this model may show anywhere."""
    return {ALL}


def watch(model, keys=everything):
    """Declare that changes to *model* are visible to readers; *keys(instance)* says where.

    *keys* sees the row as saved (or as it was, for a delete); it may return any iterable
    of strings and must not query the database. Registering twice replaces the function.
    """
    _watched[model] = keys
    uid = f"jtvc-invalidation-{model._meta.label_lower}"
    post_save.connect(_on_save, sender=model, dispatch_uid=uid + "-save")
    post_delete.connect(_on_delete, sender=model, dispatch_uid=uid + "-delete")
    m2m_changed.connect(_on_m2m, sender=model, dispatch_uid=uid + "-m2m")
    return keys


def watched_models():
    return list(_watched)


def keys_for(instance):
    """The keys a change to *instance* affects; empty when its model is not watched."""
    for model in type(instance).__mro__:
        function = _watched.get(model)
        if function is not None:
            return {str(key) for key in function(instance) if key}
    return set()


def register_backend(backend):
    """*backend(keys)* is called after each commit that changed something readers see."""
    if backend not in _backends:
        _backends.append(backend)
    return backend


def unregister_backend(backend):
    if backend in _backends:
        _backends.remove(backend)


def invalidate(keys: Iterable[str], *, using=DEFAULT_DB_ALIAS):
    """Tell every backend that *keys* changed, once the current transaction commits."""
    keys = {str(key) for key in keys if key}
    if not keys:
        return
    pending = _pending(using)
    pending |= keys
    # One callback per call, but the first one to run delivers everything pending for this
    # connection and the others find nothing: keys from a savepoint that rolled back are
    # merely delivered too (a needless purge, never a missed one).
    transaction.on_commit(partial(_flush, using), using=using, robust=True)


def _pending(using):
    store = getattr(_local, "pending", None)
    if store is None:
        store = _local.pending = {}
    return store.setdefault(using, set())


def _flush(using):
    store = getattr(_local, "pending", {})
    keys = store.pop(using, None)
    if keys:
        deliver(frozenset(keys))


def deliver(keys):
    """Hand *keys* to every backend now (tests and commands that commit by themselves)."""
    for backend in list(_backends):
        try:
            backend(keys)
        except Exception:  # a purge that fails must never fail the write behind it
            log.exception("Cache invalidation backend %r failed", backend)


# --- Signals of watched models ----------------------------------------------------------


def _on_save(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    invalidate(keys_for(instance), using=using)


def _on_delete(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    invalidate(keys_for(instance), using=using)


def _on_m2m(sender, instance, action, model, pk_set, using=DEFAULT_DB_ALIAS, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    keys = keys_for(instance) or {ALL}
    # The other side of the relation, known only by primary key (post_clear sends none).
    for pk in pk_set or ():
        keys |= keys_for(model(pk=pk))
    if action == "post_clear":
        keys.add(ALL)
    invalidate(keys, using=using)


# --- QuerySet writes that send no signal ------------------------------------------------


class WatchedQuerySet(models.QuerySet):
    """A QuerySet whose signal-less writes invalidate like ``save()`` does.

    ``update()`` reads the affected rows once after writing (one extra query) and invalidates
    their keys; ``bulk_create()`` and ``bulk_update()`` use the objects they were given.
    """

    def update(self, **kwargs):
        using = self.db
        pks = list(self.values_list("pk", flat=True))
        count = super().update(**kwargs)
        if pks:
            rows = self.model._base_manager.using(using).filter(pk__in=pks)
            invalidate(set().union(*(keys_for(row) for row in rows)), using=using)
        return count

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        made = super().bulk_create(objs, *args, **kwargs)
        _invalidate_objects(made, using=router.db_for_write(self.model))
        return made

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        count = super().bulk_update(objs, fields, *args, **kwargs)
        _invalidate_objects(objs, using=router.db_for_write(self.model))
        return count


def _invalidate_objects(objs, *, using):
    keys = set()
    for obj in objs:
        keys |= keys_for(obj)
    invalidate(keys, using=using)
