"""Old WordPress addresses → new pages, answered with 301.

The reader site consults :func:`find_redirect` only when it has nothing at an address (a 404),
plus for the home page with WordPress's query forms (``/?p=123``), which would otherwise show
the home page. Hooked in as :class:`LegacyRedirectMiddleware`.
"""

import re
from urllib.parse import unquote, urlsplit

from django.http import HttpResponsePermanentRedirect

from articles.importers.wordpress.bodies import upload_path
from articles.importers.wordpress.models import LegacyRedirect

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

# WordPress's own query forms, in the order it checks them.
QUERY_KEYS = ("p", "page_id", "attachment_id", "cat", "tag", "author", "name", "pagename")


def normalise_path(path):
    """Decoded, lower-cased where WordPress is case-insensitive, with one trailing slash."""
    path = unquote(path or "/")
    if not path.startswith("/"):
        path = "/" + path
    path = re.sub(r"/{2,}", "/", path)
    if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        path += "/"
    return path.lower()


def path_of(url):
    """The normalised path (with an identifying query, if any) of an address in the export."""
    if not (url or "").strip():
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    path = normalise_path(parts.path or "/")
    if parts.query:
        for pair in parts.query.split("&"):
            key, _, value = pair.partition("=")
            if key in QUERY_KEYS and value:
                return f"{path}?{key}={unquote(value).lower()}"
    return path


def candidates(request, *, queries_only=False):
    out = []
    for key in QUERY_KEYS:
        value = request.GET.get(key)
        if value:
            out.append(f"{normalise_path(request.path)}?{key}={value.lower()}")
    if queries_only:
        return out
    path = normalise_path(request.path)
    out.append(path)
    rel = upload_path(request.path)
    if rel:
        out.append(f"/wp-content/uploads/{rel}")
    return out


def target_url(redirect):
    if redirect.target_url:
        return redirect.target_url
    target = redirect.target
    if target is None:
        return None
    if hasattr(target, "original_url"):
        return target.original_url
    return target.get_absolute_url()


def find_redirect(request, *, queries_only=False):
    """The new address for an old one, or None."""
    # An address with control characters was never a WordPress address, and PostgreSQL
    # refuses a NUL in a query: such a request stays the 404 it is.
    keys = [k for k in candidates(request, queries_only=queries_only) if not _CONTROL.search(k)]
    if not keys:
        return None
    rows = {r.old_path: r for r in LegacyRedirect.objects.filter(old_path__in=keys)}
    for key in keys:
        if key in rows:
            url = target_url(rows[key])
            if url and url != request.get_full_path():
                return url
    return None


class LegacyRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        safe = request.method in ("GET", "HEAD")
        if safe and request.path == "/" and any(k in request.GET for k in QUERY_KEYS):
            url = find_redirect(request, queries_only=True)
            if url:
                return HttpResponsePermanentRedirect(url)
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            url = find_redirect(request)
            if url:
                return HttpResponsePermanentRedirect(url)
        return response
