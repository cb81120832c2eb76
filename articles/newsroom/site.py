"""The newsroom's admin site: Django's own, with the desk as its front page.

Installed through ``NewsroomAdminConfig`` (in INSTALLED_APPS instead of
``django.contrib.admin``), so ``admin.site`` and ``@admin.register`` everywhere still work.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.urls import path


class NewsroomAdminSite(admin.AdminSite):
    site_header = "JTVC newsroom"
    site_title = "JTVC newsroom"
    index_title = "Newsroom"

    def index(self, request, extra_context=None):
        from articles.newsroom import desk

        if desk.has_newsroom_role(request.user):
            return desk.dashboard(self, request, extra_context)
        return super().index(request, extra_context)

    def get_urls(self):
        from articles.newsroom import desk, people

        return [
            path(
                "desk/notifications/",
                self.admin_view(lambda request: desk.preferences(self, request)),
                name="desk_preferences",
            ),
            # Opened from the invitation mail, before the person has a password: no login.
            path(
                "welcome/<uidb64>/<token>/",
                lambda request, uidb64, token: people.accept_invitation(
                    request, uidb64, token, site=self
                ),
                name="accept_invitation",
            ),
        ] + super().get_urls()


class NewsroomAdminConfig(AdminConfig):
    default_site = "articles.newsroom.site.NewsroomAdminSite"
