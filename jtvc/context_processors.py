"""Site-wide template context: the site settings row and the sections menu, cached.

Both change rarely; they are cached under the content generation (jtvc.pagecache), so an
edit in the admin shows on the next request and an ordinary page costs no query for them.
"""

from django.core.cache import cache
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from jtvc import languages, pagecache


def load_site(request=None):
    """{"settings": SiteSettings, "sections": [Section]}, from the cache when possible."""
    from articles.models import Section, SiteSettings

    cached = getattr(request, "_jtvc_site_data", None)
    if cached is not None:
        return cached
    key = f"jtvc:site-context:{pagecache.generation()}"
    data = cache.get(key)
    if data is None:
        row = SiteSettings.objects.select_related("logo", "default_share_image").first()
        data = {"settings": row or SiteSettings(), "sections": list(Section.objects.all())}
        cache.set(key, data, timeout=3600)
    if request is not None:
        request._jtvc_site_data = data
    return data


def site(request):
    # Lazy: the admin and other pages that never show the site's name or menu pay nothing.
    data = SimpleLazyObject(lambda: load_site(request))
    chrome_lang = languages.site_language()
    return {
        # The language and direction of the page's chrome (LANGUAGE_CODE); content carries
        # its own.
        "chrome_lang": chrome_lang,
        "chrome_dir": languages.direction(chrome_lang),
        "site": SimpleLazyObject(lambda: data["settings"]),
        "site_name": SimpleLazyObject(lambda: data["settings"].site_name),
        "nav_sections": SimpleLazyObject(lambda: data["sections"]),
        "current_year": timezone.now().year,
        # The page's address without its query string; views override it where needed.
        "default_canonical": request.build_absolute_uri(request.path),
    }
