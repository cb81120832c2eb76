"""Whole-page cache for anonymous readers, invalidated by any content change.

Every cache key carries a *generation* number. Saving or deleting any content row (articles,
authors, sections, tags, images, pages, site settings, ...) bumps the generation, so every
cached page is stale at once and simply never read again (entries expire on their own).
A scheduled article's publication time bounds how long a page may stay cached, so it
appears on time without a cron job.

Anonymous requests only: a session or messages cookie means someone who may see other
things (staff, a flash message), and they always get a fresh page. Cached HTML is stored
with the CSP nonce replaced by a placeholder, and each hit gets the request's own nonce.
ETag (hash of the stored page) and Last-Modified (render time) are sent with every anonymous
page, cached or not; conditional requests answer 304.
"""

import hashlib
from datetime import UTC, datetime
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, quote_etag

GENERATION_KEY = "jtvc:content-generation"
NONCE_PLACEHOLDER = "__JTVC_CSP_NONCE__"

# Models whose changes readers can see. Workflow logs and revisions are left out: they do
# not change a public page, and rendition rows written while rendering must not evict it.
CONTENT_MODELS = {
    "articles.article",
    "articles.articleauthor",
    "articles.author",
    "articles.section",
    "articles.slugredirect",
    "articles.correction",
    "articles.tweet",
    "articles.page",
    "articles.sitesettings",
    "articles.article_related",
    "media_app.image",
    "taggit.tag",
    "taggit.taggeditem",
}


def enabled():
    return getattr(settings, "JTVC_PAGE_CACHE", True)


def generation():
    value = cache.get(GENERATION_KEY)
    if value is None:
        # Start from the clock, not 0: after a cache flush old keys can never be reused.
        value = int(timezone.now().timestamp() * 1000)
        cache.add(GENERATION_KEY, value, timeout=None)
        value = cache.get(GENERATION_KEY, value)
    return value


def bump_generation(**kwargs):
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # missing: the next read starts a fresh generation
        cache.delete(GENERATION_KEY)


def on_content_change(sender, **kwargs):
    if sender._meta.label_lower in CONTENT_MODELS:
        bump_generation()


def connect_signals():
    from django.db.models.signals import m2m_changed, post_delete, post_save

    post_save.connect(on_content_change, dispatch_uid="jtvc-pagecache-save")
    post_delete.connect(on_content_change, dispatch_uid="jtvc-pagecache-delete")
    m2m_changed.connect(on_content_change, dispatch_uid="jtvc-pagecache-m2m")


def page_timeout():
    """Seconds a page may stay cached: the default, or less if a publication is due."""
    from articles.models import Article

    default = getattr(settings, "JTVC_PAGE_CACHE_TIMEOUT", 300)
    key = f"jtvc:next-scheduled:{generation()}"
    due = cache.get(key)
    if due is None:
        first = (
            Article.objects.scheduled()
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )
        due = first.timestamp() if first else 0
        cache.set(key, due, timeout=default)
    if not due:
        return default
    return max(1, min(default, int(due - timezone.now().timestamp())))


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
    raw = f"{get_language()} {request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(raw.encode()).hexdigest()
    return f"jtvc:page:{generation()}:{digest}"


def _conditional(request, entry):
    response = get_conditional_response(
        request, etag=entry["etag"], last_modified=entry["last_modified"]
    )
    if response is not None and response.status_code == 304:
        # The browser keeps the body it has, with the policy header it came with; a new
        # policy (new nonce) on a 304 would no longer match that body.
        response._csp_config = {}
    return response


def _from_entry(request, entry):
    content = entry["content"]
    if NONCE_PLACEHOLDER.encode() in content:
        # str() generates the nonce, so the middleware puts it in this response's policy.
        nonce = str(request._csp_nonce)
        content = content.replace(NONCE_PLACEHOLDER.encode(), nonce.encode())
    response = HttpResponse(content, content_type=entry["content_type"], status=200)
    _decorate(response, entry)
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
        use_cache = enabled()
        key = _key(request) if use_cache else None
        entry = cache.get(key) if use_cache else None
        if entry is not None:
            return _conditional(request, entry) or _from_entry(request, entry)

        response = view(request, *args, **kwargs)
        if (
            response.status_code != 200
            or response.streaming
            or getattr(response, "jtvc_no_cache", False)
            or response.has_header("Set-Cookie")
        ):
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
        }
        if use_cache:
            cache.set(key, entry, timeout=page_timeout())
        _decorate(response, entry)
        return _conditional(request, entry) or response

    return wrapper
