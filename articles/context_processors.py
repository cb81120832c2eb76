"""Site-wide template context: the site settings row and the sections menu, cached.

Both change rarely; they are kept under the page cache's generation (jtvc.pagecache), so an
edit in the admin shows on the next request and an ordinary page costs no query for them.
"""

from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from articles.models import Section, SiteSettings
from jtvc import languages, pagecache


def _site_data():
    row = SiteSettings.objects.select_related("logo", "default_share_image").first()
    return {"settings": row or SiteSettings(), "sections": list(Section.objects.all())}


def load_site(request=None):
    """{"settings": SiteSettings, "sections": [Section]}, from the cache when possible."""
    cached = getattr(request, "_jtvc_site_data", None)
    if cached is not None:
        return cached
    data = pagecache.remember("site-context", _site_data, timeout=3600)
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
