from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from jtvc import two_factor, views
from media_app.views import serve_media

admin.site.site_header = "JTVC newsroom"
admin.site.site_title = "JTVC newsroom"
admin.site.index_title = "Newsroom"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("admin/two-factor/", two_factor.setup, name="two_factor_setup"),
    path("admin/two-factor/verify/", two_factor.verify, name="two_factor_verify"),
    path("admin/", admin.site.urls),
    path("media-library/", include("media_app.urls")),
    path("", include("articles.reader.urls")),
]

# Answers only while settings.SERVE_MEDIA is on (read per request); 404 otherwise.
urlpatterns += [
    re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.+)$", serve_media, name="media"),
]
