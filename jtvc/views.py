from django.db import DatabaseError, connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from jtvc import pagecache


@never_cache
@require_GET
def healthz(request):
    """Answer 200 when the database answers, 503 when it does not.

    Used by the container health check and load balancers; it touches no table so it
    stays cheap and works before migrations have run. A cache that does not answer makes
    the site slower, not broken (pages are rendered uncached): the answer stays 200 and
    says "degraded", so monitoring sees it and load balancers keep sending readers.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse(
            {"status": "error", "database": "unreachable", "cache": pagecache.probe()},
            status=503,
        )
    cache = pagecache.probe()
    status = "ok" if cache == "ok" else "degraded"
    return JsonResponse({"status": status, "database": "ok", "cache": cache})


@require_GET
def favicon(request):
    # Browsers ask for /favicon.ico whatever the page links; send them to the real icon.
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
