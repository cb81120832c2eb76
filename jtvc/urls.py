from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from jtvc import views

admin.site.site_header = "JTVC newsroom"
admin.site.site_title = "JTVC newsroom"
admin.site.index_title = "Newsroom"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("media-library/", include("media_app.urls")),
    path("", include("articles.reader.urls")),
]

if settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [
        re_path(
            rf"^{media_prefix}(?P<path>.*)$",
            views.serve_media,
            {"document_root": settings.MEDIA_ROOT},
        ),
    ]
