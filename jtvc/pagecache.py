"""Whole-page cache for anonymous readers, invalidated precisely after every content change.

This module is a backend of ``jtvc.invalidation``. A page is stored with the keys of what it
shows (``jtvc.edge.add_keys``: ``article:12``, ``lists``, ...) and the time its rendering
started. An invalidation stamps each of its keys with the current time (one ``set_many``);
a stored page is served only while every one of its keys was last stamped before that page
began to render, so publishing one article leaves unrelated article pages cached. ``ALL``
(site settings, the sections menu) and a cache coming back after an outage bump a
*generation* that is part of every page's cache key instead: everything is stale at once.
Memos (``remember``) depend on keys the same way. Apps say when pages change without a write
(``register_expiry``: a scheduled article's publication time), which bounds how long a page
may stay cached.

Anonymous requests only: a session or messages cookie means someone who may see other
things (staff, a flash message), and they always get a fresh page. Reader pages carry no
nonce (their policy is shared, see jtvc.edge); other cached HTML is stored with the nonce
replaced by a placeholder, and each hit gets the request's own. ETag (hash of the stored
page) and Last-Modified (render time) are sent with every anonymous page, cached or not;
conditional requests answer 304.

On Redis a hit costs one round trip (a Lua script reads the generation, the page, the
stamps of its keys and the next-change memo); other backends need two.

Degrade, don't fail: when the cache backend cannot be reached, pages are rendered uncached.
The failure is logged once, the cache is left alone for ``JTVC_CACHE_RETRY_SECONDS``, then
tried again (one more log line per interval while it stays down). When it answers again the
generation is bumped first, since invalidations may have been missed meanwhile.
"""

import hashlib
import logging
import pickle
import re
import threading
import time
from datetime import UTC, datetime
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.utils.text import compress_string
from redis.exceptions import RedisError

from jtvc import invalidation

log = logging.getLogger(__name__)

GENERATION_KEY = "jtvc:content-generation"
NONCE_PLACEHOLDER = "__JTVC_CSP_NONCE__"

# What a cache backend raises when its server is away (Django's Redis backend: redis-py's).
CACHE_ERRORS = (RedisError, OSError)

_MISSING = object()
# What GZipMiddleware accepts as a client that takes gzip.
_accepts_gzip = re.compile(r"\bgzip\b")
_expiry_providers = []


def enabled():
    return settings.JTVC_PAGE_CACHE


# --- Degrade, don't fail ----------------------------------------------------------------


class _Health:
    """This process's view of the cache backend (one per process, shared by its threads)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_until = 0.0  # time.monotonic() before which the cache is not tried
        self.down = False
        self.error = ""


_health = _Health()


def cache_is_down():
    return _health.down


def guarded(operation, default=None):
    """Run *operation()* against the cache; if the cache is away, answer *default*."""
    if _health.down:
        if time.monotonic() < _health.down_until:
            return default
        if not _came_back():
            return default
    try:
        return operation()
    except CACHE_ERRORS as error:
        _went_down(error)
        return default


def _went_down(error):
    retry = settings.JTVC_CACHE_RETRY_SECONDS
    with _health.lock:
        first = not _health.down
        _health.down = True
        _health.down_until = time.monotonic() + retry
        _health.error = f"{type(error).__name__}: {error}"
    # Once when it goes, then once per retry while it stays away: never once per request.
    log.error(
        "Page cache %s (%s); reader pages are served uncached, next try in %s s.",
        "unreachable" if first else "still unreachable",
        _health.error,
        retry,
    )


def _came_back():
    """Try the cache again after an outage: True when it answers (and is usable again).

    Changes made while it was away could not bump the generation, so the first thing done
    is a new generation: pages cached before the outage are never served after it.
    """
    try:
        _bump()
    except CACHE_ERRORS as error:
        _went_down(error)
        return False
    with _health.lock:
        was_down, _health.down, _health.error = _health.down, False, ""
    if was_down:
        log.warning("Page cache reachable again; started a new generation.")
    return True


def probe():
    """ "ok" when the cache answers now, "unreachable" when not (for the health check)."""
    if _health.down and time.monotonic() < _health.down_until:
        return "unreachable"
    marker = guarded(lambda: cache.get("jtvc:healthz", "ok"), "unreachable")
    return "ok" if marker == "ok" else "unreachable"


def reset_health():
    """Forget a past outage (tests that stop and start a cache server)."""
    with _health.lock:
        _health.down = False
        _health.down_until = 0.0
        _health.error = ""


# --- Generations ------------------------------------------------------------------------


def generation():
    """The current generation (raises the cache's own errors; callers use ``guarded``)."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        # Start from the clock, not 0: after a cache flush old keys can never be reused.
        value = int(timezone.now().timestamp() * 1000)
        cache.add(GENERATION_KEY, value, timeout=None)
        value = cache.get(GENERATION_KEY, value)
    return value


def _bump():
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # missing: the next read starts a fresh generation
        cache.delete(GENERATION_KEY)


def bump_generation(keys=frozenset()):
    """Empty the page cache at once (every page, every memo)."""
    guarded(_bump)


VERSION_PREFIX = "jtvc:kv:"
# Keys no invalidation stamps (every page's "site" goes with the generation).
UNSTAMPED = frozenset({"site"})
# A page that named nothing it shows goes stale with every article change.
DEFAULT_KEYS = ("lists",)


def _now_ns():
    return time.time_ns()


def invalidate_keys(keys):
    """The invalidation backend: pages and memos showing any of *keys* become stale."""
    if invalidation.ALL in keys:
        guarded(_bump)
        return
    stamp = _now_ns()
    stamps = {VERSION_PREFIX + key: stamp for key in keys if key not in UNSTAMPED}
    if stamps:
        guarded(lambda: cache.set_many(stamps, timeout=None))


def _is_fresh(entry):
    """True while no key of *entry* was invalidated since its rendering began."""
    names = [
        VERSION_PREFIX + key for key in entry.get("keys", DEFAULT_KEYS) if key not in UNSTAMPED
    ]
    if not names:
        return True
    stamps = cache.get_many(names)
    started = entry.get("started", 0)
    return all(stamp < started for stamp in stamps.values())


def remember(name, compute, timeout, *, depends=(invalidation.ALL,)):
    """*compute()*, kept until a key in *depends* is invalidated, or *timeout* seconds
    (a number, or a function giving one, called only when the value is stored).

    ``ALL`` (the default) means: until the generation changes. When the cache is away this
    simply computes.
    """
    key = guarded(lambda: f"jtvc:{name}:{generation()}")
    if key is None:
        return compute()
    keys = [k for k in depends if k != invalidation.ALL]
    entry = guarded(lambda: cache.get(key))
    if isinstance(entry, dict) and guarded(lambda: _is_fresh(entry), False):
        return entry["value"]
    started = _now_ns()
    value = compute()
    entry = {"value": value, "keys": keys, "started": started}
    seconds = timeout() if callable(timeout) else timeout
    guarded(lambda: cache.set(key, entry, timeout=seconds))
    return value


def register_expiry(provider):
    """*provider()* returns when pages next change without a write (a datetime), or None."""
    if provider not in _expiry_providers:
        _expiry_providers.append(provider)
    return provider


def _next_change():
    due = [when for when in (provider() for provider in _expiry_providers) if when]
    return min(due).timestamp() if due else 0


def page_timeout():
    """Seconds a page may stay cached: the default, or less if a publication is due."""
    default = settings.JTVC_PAGE_CACHE_TIMEOUT
    # Any article change (a new schedule) stamps "lists".
    due = remember("next-change", _next_change, timeout=default, depends=("lists",))
    if not due:
        return default
    return max(1, min(default, int(due - timezone.now().timestamp())))


def seconds_until_next_change(request=None):
    """Seconds until a scheduled change shows without a write, or None (for jtvc.edge).

    A page-cache hit on Redis has already read the memo in its one round trip.
    """
    due = getattr(request, "_jtvc_next_change", _MISSING)
    if due is _MISSING:
        due = remember(
            "next-change",
            _next_change,
            timeout=settings.JTVC_PAGE_CACHE_TIMEOUT,
            depends=("lists",),
        )
    if not due:
        return None
    return max(1, int(due - timezone.now().timestamp()))


def connect():
    invalidation.register_backend(invalidate_keys)


# --- The page cache ---------------------------------------------------------------------


def is_cacheable_request(request):
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _nonce_of(request):
    nonce = getattr(request, "_csp_nonce", None)
    return str(nonce) if nonce else ""


def _key(request):
    from django.utils.translation import get_language

    # The language is part of the page: the same address renders differently per edition.
    # The generation is not part of the key but of the entry, so that a hit can read the
    # generation and the page in the same round trip.
    raw = f"{get_language()} {request.scheme}://{request.get_host()}{request.get_full_path()}"
    return f"jtvc:page:{hashlib.sha256(raw.encode()).hexdigest()}"


# A hit in one round trip on Redis: the generation, the page (stored as the names of the
# stamps it depends on, a newline, then the pickled entry), each of those stamps, and the
# memo of the next scheduled change with the "lists" stamp it depends on. The stamp names are
# read from the stored value, so this needs a single Redis (or keys in one cluster slot).
_LOOKUP_SCRIPT = """
local generation = redis.call('GET', KEYS[1]) or ''
local page = redis.call('GET', KEYS[2]) or ''
local lists = redis.call('GET', KEYS[3]) or '0'
local next_change = ''
if generation ~= '' then
  next_change = redis.call('GET', ARGV[1] .. generation) or ''
end
local stamps = {}
local newline = string.find(page, '\\n', 1, true)
if newline then
  for name in string.gmatch(string.sub(page, 1, newline - 1), '%S+') do
    stamps[#stamps + 1] = redis.call('GET', name) or '0'
  end
end
return {generation, page, lists, next_change, stamps}
"""
_scripts = {}


def _redis_client():
    """The redis-py client behind the default cache, or None when it is not Redis."""
    from django.core.cache import caches

    from jtvc.redis_cache import RedisCache

    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    return backend, backend._cache.get_client(write=True)


def _stamp_names(backend, entry):
    return [
        backend.make_and_validate_key(VERSION_PREFIX + key)
        for key in entry.get("keys", DEFAULT_KEYS)
        if key not in UNSTAMPED
    ]


def _lookup_redis(request, backend, client):
    key = _key(request)
    script = _scripts.get(id(client))
    if script is None:
        script = _scripts[id(client)] = client.register_script(_LOOKUP_SCRIPT)
    make = backend.make_and_validate_key
    raw_generation, raw, lists, raw_next, stamps = script(
        keys=[make(GENERATION_KEY), make(key), make(VERSION_PREFIX + "lists")],
        args=[make("jtvc:next-change:")],
    )
    if not raw_generation:
        return key, generation(), None  # a new generation starts (an emptied cache)
    current = int(raw_generation)
    if raw_next:
        memo = pickle.loads(raw_next)  # noqa: S301 - our own cache, as Django's backend does
        if isinstance(memo, dict) and int(lists) < memo["started"]:
            request._jtvc_next_change = memo["value"]
    if not raw:
        return key, current, None
    entry = pickle.loads(raw.partition(b"\n")[2])  # noqa: S301
    if entry.get("generation") != current:
        return key, current, None
    started = entry.get("started", 0)
    if any(int(stamp) >= started for stamp in stamps):
        return key, current, None
    return key, current, entry


def _lookup(request):
    """(key, generation, entry) from the cache; (None, None, None) when it is off or away."""
    redis = _redis_client()
    if redis is not None:
        found = guarded(lambda: _lookup_redis(request, *redis))
        return found or (None, None, None)
    key = _key(request)
    found = guarded(lambda: cache.get_many([GENERATION_KEY, key]))
    if found is None:
        return None, None, None
    current = found.get(GENERATION_KEY)
    if current is None:
        current = guarded(generation)
        if current is None:
            return None, None, None
    entry = found.get(key)
    if entry is not None and (
        entry.get("generation") != current or not guarded(lambda: _is_fresh(entry), False)
    ):
        entry = None
    return key, current, entry


def _store(key, entry, timeout):
    redis = _redis_client()
    if redis is None:
        cache.set(key, entry, timeout=timeout)
        return
    backend, client = redis
    names = " ".join(_stamp_names(backend, entry)).encode()
    value = names + b"\n" + pickle.dumps(entry, pickle.HIGHEST_PROTOCOL)
    client.set(backend.make_and_validate_key(key), value, ex=timeout)


def _conditional(request, entry):
    response = get_conditional_response(
        request, etag=entry["etag"], last_modified=entry["last_modified"]
    )
    if response is not None and response.status_code == 304:
        # The browser keeps the body it has, with the policy header it came with; a new
        # policy (new nonce) on a 304 would no longer match that body.
        response._csp_config = {}
    return response


def _compressed(content):
    """The gzip bytes kept beside a page, or None (a page with a per-response nonce, or one
    too small to gain). Only anonymous pages are stored, so no secret is compressed."""
    if len(content) < 200 or NONCE_PLACEHOLDER.encode() in content:
        return None
    packed = compress_string(content)
    return packed if len(packed) < len(content) else None


def _from_entry(request, entry):
    content = entry["content"]
    gzipped = entry.get("gzip")
    if gzipped and _accepts_gzip.search(request.headers.get("accept-encoding", "")):
        # Compressed once when stored, not on every hit (CompressSharedMiddleware leaves an
        # answer that already has a Content-Encoding alone).
        response = HttpResponse(gzipped, content_type=entry["content_type"], status=200)
        _decorate(response, entry)
        response["Content-Encoding"] = "gzip"
        response["ETag"] = "W/" + entry["etag"]  # as GZipMiddleware marks a compressed body
        patch_vary_headers(response, ["Accept-Encoding"])
        response.edge_keys = set(entry.get("keys", DEFAULT_KEYS))
        return response
    if NONCE_PLACEHOLDER.encode() in content:
        # str() generates the nonce, so the middleware puts it in this response's policy.
        nonce = str(request._csp_nonce)
        content = content.replace(NONCE_PLACEHOLDER.encode(), nonce.encode())
    response = HttpResponse(content, content_type=entry["content_type"], status=200)
    _decorate(response, entry)
    response.edge_keys = set(entry.get("keys", DEFAULT_KEYS))
    return response


def _decorate(response, entry):
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(entry["last_modified"])
    response["Cache-Control"] = "no-cache"
    patch_vary_headers(response, ["Cookie"])


def cache_page_for_readers(view):
    """Serve anonymous readers from the page cache, with ETag/Last-Modified and 304s."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_cacheable_request(request):
            response = view(request, *args, **kwargs)
            patch_vary_headers(response, ["Cookie"])
            return response
        key, current, entry = _lookup(request) if enabled() else (None, None, None)
        if entry is not None:
            conditional = _conditional(request, entry)
            if conditional is not None:
                conditional.edge_keys = set(entry.get("keys", DEFAULT_KEYS))
                return conditional
            return _from_entry(request, entry)

        started = _now_ns()
        response = view(request, *args, **kwargs)
        if response.status_code != 200 or response.streaming or response.has_header("Set-Cookie"):
            return response
        if hasattr(response, "render") and callable(response.render):
            response.render()
        content = response.content
        nonce = _nonce_of(request)
        stored = content.replace(nonce.encode(), NONCE_PLACEHOLDER.encode()) if nonce else content
        entry = {
            "content": stored,
            "content_type": response["Content-Type"],
            "etag": quote_etag(hashlib.sha256(stored).hexdigest()[:32]),
            "last_modified": int(datetime.now(tz=UTC).timestamp()),
            "keys": sorted(getattr(request, "edge_keys", None) or DEFAULT_KEYS),
            "started": started,
            "generation": current,
        }
        if key is not None:
            entry["gzip"] = _compressed(stored)
            guarded(lambda: _store(key, entry, page_timeout()))
        _decorate(response, entry)
        conditional = _conditional(request, entry)
        if conditional is not None:
            conditional.edge_keys = set(entry["keys"])
            return conditional
        return response

    return wrapper
