"""The shared (edge) cache: what a page may be kept for, what it shows, and purging it.

Views say what a page shows with ``add_keys(request, ...)`` (``card_keys`` for each card),
in the vocabulary of ``jtvc.invalidation``: ``article:<pk>``, ``section:<pk>`` (pages that
*list* a section), ``tag:<pk>``, ``author:<pk>``, ``page:<pk>``, ``tweet:<pk>``,
``image:<pk>``, ``home``, ``lists``; every public response also carries ``site``, which
``ALL`` purges. A key is put only where a change of that thing shows: an article page
carries its own key and its related cards', not its section's, so publishing in a section
leaves that section's other articles cached.

``EdgeCacheMiddleware`` turns the 200 answer to an anonymous GET of such a page into a
shareable one: ``Cache-Control: public, max-age=0, s-maxage=…, stale-while-revalidate=…,
stale-if-error=…`` (browsers revalidate with the ETag, shared caches keep it) and a
``Surrogate-Key`` header (Fastly's name; Varnish's VCL copies it into xkey). Its policy has
no nonce (a shared page cannot carry one: JSON-LD is a data block and needs none, scripts
come from our origin). Anything personal is never marked: a session or messages cookie,
a response setting a cookie, staff previews and unpublished pages (``jtvc_no_cache``).

Purging (``purge(keys)``, a backend of ``jtvc.invalidation``) goes to the backend named by
``JTVC_EDGE_PURGE``: ``varnish`` (``PURGE`` with an ``xkey-purge`` header to every URL in
``JTVC_VARNISH_URLS``), ``fastly`` (the surrogate-key purge API, ``Fastly-Key`` token) or
``none``. A purge that fails is logged and never fails the write behind it; pages then
live at most ``s-maxage``.
"""

import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.utils.csp import CSP

log = logging.getLogger(__name__)

SURROGATE_HEADER = "Surrogate-Key"
SITE_KEY = "site"
ALL = "*"  # jtvc.invalidation.ALL
# Fastly accepts at most 256 keys per purge call and 16 KB of keys per response.
MAX_KEYS_PER_PURGE = 256
MAX_HEADER_BYTES = 16_000


# --- What a page shows ------------------------------------------------------------------


def add_keys(request, *keys):
    """Record that the page being rendered for *request* shows *keys*."""
    found = getattr(request, "edge_keys", None)
    if found is None:
        found = request.edge_keys = {SITE_KEY}
    found.update(str(key) for key in keys if key)
    return found


def card_keys(article):
    """What an article's card shows: the article and its byline (names)."""
    keys = {f"article:{article.pk}"}
    bylines = getattr(article, "_prefetched_objects_cache", {}).get("bylines")
    if bylines is not None:
        keys.update(f"author:{b.author_id}" for b in bylines)
    if article.lead_image_id:
        keys.add(f"image:{article.lead_image_id}")
    return keys


def add_cards(request, articles):
    keys = set()
    for article in articles:
        if article is not None:
            keys |= card_keys(article)
    return add_keys(request, *keys)


def header_value(keys):
    """The Surrogate-Key header: sorted (stable bytes for equal pages), capped in size."""
    value, size = [], 0
    for key in sorted(keys):
        size += len(key) + 1
        if size > MAX_HEADER_BYTES:
            # Too much to name: say "site", which every purge of everything reaches.
            return SITE_KEY
        value.append(key)
    return " ".join(value)


# --- Marking responses shareable --------------------------------------------------------


def cache_control(max_age=None):
    shared = settings.JTVC_EDGE_MAX_AGE if max_age is None else max_age
    return (
        f"public, max-age=0, s-maxage={max(1, int(shared))}, "
        f"stale-while-revalidate={settings.JTVC_EDGE_STALE_WHILE_REVALIDATE}, "
        f"stale-if-error={settings.JTVC_EDGE_STALE_IF_ERROR}"
    )


def is_personal(request):
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies


def without_nonce(policy):
    return {
        directive: [value for value in values if value != CSP.NONCE]
        for directive, values in policy.items()
    }


def shared_max_age(request=None):
    """Seconds a shared cache may keep a page: the setting, less if a publication is due."""
    from jtvc import pagecache

    limit = settings.JTVC_EDGE_MAX_AGE
    seconds_until = getattr(pagecache, "seconds_until_next_change", None)
    if seconds_until is not None:
        due = seconds_until(request)
        if due is not None:
            limit = min(limit, due)
    return max(1, int(limit))


def mark_shareable(request, response, keys):
    response["Cache-Control"] = cache_control(shared_max_age(request))
    response[SURROGATE_HEADER] = header_value(keys)
    config = getattr(response, "_csp_config", None)
    if config is None:
        config = settings.SECURE_CSP
    if config:  # {} means no policy header at all (a 304 keeps the one it had)
        response._csp_config = without_nonce(config)


class EdgeCacheMiddleware:
    """Marks anonymous reader pages shareable; everything else private or as it was.

    Sits after Django's CSP middleware in MIDDLEWARE, so it sees the response first and can
    hand that middleware a policy without a nonce.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        keys = getattr(response, "edge_keys", None) or getattr(request, "edge_keys", None)
        if keys is None:
            return response
        if is_personal(request):
            # A page drawn for someone signed in (or with a message waiting): theirs only.
            response["Cache-Control"] = "private, no-cache"
            return response
        if (
            request.method in ("GET", "HEAD")
            and response.status_code in (200, 304)
            and not response.has_header("Set-Cookie")
            and not getattr(response, "jtvc_no_cache", False)
            and "no-store" not in response.get("Cache-Control", "")
            and "private" not in response.get("Cache-Control", "")
        ):
            mark_shareable(request, response, keys)
        return response


class CompressSharedMiddleware:
    """Gzip what is shared (``Cache-Control: public``) for clients that accept it.

    Only shareable answers: they hold no secret (no CSRF token, no session, nothing
    personal), so compression cannot leak one through its size (BREACH). Forms, the admin
    and anything personal go out uncompressed. First in MIDDLEWARE, so it compresses last.
    """

    def __init__(self, get_response):
        from django.middleware.gzip import GZipMiddleware

        self.get_response = get_response
        self.gzip = GZipMiddleware(get_response)

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Cache-Control", "").startswith("public"):
            return self.gzip.process_response(request, response)
        return response


# --- Purging ----------------------------------------------------------------------------


def edge_keys_for(keys):
    """Invalidation keys as the shared cache knows them (``ALL`` is every page's ``site``)."""
    return sorted({SITE_KEY if key == ALL else key for key in keys})


def purge(keys):
    """Purge *keys* from the configured shared cache (a ``jtvc.invalidation`` backend)."""
    backend = settings.JTVC_EDGE_PURGE
    keys = edge_keys_for(keys)
    if not keys or backend == "none":
        return 0
    sent = 0
    for start in range(0, len(keys), MAX_KEYS_PER_PURGE):
        chunk = keys[start : start + MAX_KEYS_PER_PURGE]
        if backend == "varnish":
            sent += _purge_varnish(chunk)
        elif backend == "fastly":
            sent += _purge_fastly(chunk)
        else:
            log.error("JTVC_EDGE_PURGE=%r is not a purge backend; nothing purged.", backend)
            return 0
    return sent


def _send(request):
    try:
        with urllib.request.urlopen(request, timeout=settings.JTVC_EDGE_PURGE_TIMEOUT) as answer:
            answer.read(4096)
            return True
    except (urllib.error.URLError, OSError, ValueError) as error:
        log.error("Edge purge %s %s failed: %s", request.get_method(), request.full_url, error)
        return False


def _purge_varnish(keys):
    done = 0
    for base in settings.JTVC_VARNISH_URLS:
        request = urllib.request.Request(
            base.rstrip("/") + "/", method="PURGE", headers={"xkey-purge": " ".join(keys)}
        )
        done += _send(request)
    return done


def _purge_fastly(keys):
    service = settings.JTVC_FASTLY_SERVICE_ID
    token = settings.JTVC_FASTLY_API_TOKEN
    if not (service and token):
        log.error("JTVC_EDGE_PURGE=fastly needs JTVC_FASTLY_SERVICE_ID and JTVC_FASTLY_API_TOKEN.")
        return 0
    # A hard purge: a soft one would let stale-while-revalidate show the old page once more.
    request = urllib.request.Request(
        f"{settings.JTVC_FASTLY_API_URL.rstrip('/')}/service/{service}/purge",
        method="POST",
        data=b"",
        headers={
            "Fastly-Key": token,
            "Surrogate-Key": " ".join(keys),
            "Accept": "application/json",
        },
    )
    return int(_send(request))
