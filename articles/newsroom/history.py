"""The article admin's history: revisions and status log, compare two versions, restore one."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from reversion.models import Version

from articles import services
from articles.newsroom.diff import diff_versions


class HistoryAdminMixin:
    """Mixed into ArticleAdmin. Reversion's own revert views are not used: they would bring
    back status and dates too; restoring is ``services.restore_version``."""

    def history_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/history/compare/",
                view(self.compare_view),
                name="articles_article_compare",
            ),
            path(
                "<path:object_id>/history/<int:version_id>/restore/",
                view(self.restore_view),
                name="articles_article_restore",
            ),
        ]

    def history_view(self, request, object_id, extra_context=None):
        obj = self.visible_or_404(request, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = list(Version.objects.get_for_object(obj).select_related("revision__user")[:100])
        context = {
            **self.admin_site.each_context(request),
            "title": f"History: {obj}",
            "opts": self.model._meta,
            "original": obj,
            "object": obj,
            "versions": versions,
            "status_log": obj.status_changes.select_related("actor"),
            "can_restore": services.can_edit(request.user, obj),
            "compare_url": reverse("admin:articles_article_compare", args=[obj.pk]),
        }
        return TemplateResponse(request, "admin/articles/article/history.html", context)

    def compare_view(self, request, object_id):
        obj = self.visible_or_404(request, object_id)
        versions = Version.objects.get_for_object(obj).select_related("revision__user")
        try:
            older = versions.get(pk=int(request.GET.get("a", "")))
            newer = versions.get(pk=int(request.GET.get("b", "")))
        except (ValueError, Version.DoesNotExist):
            messages.error(request, "Choose two versions to compare.")
            return redirect("admin:articles_article_history", obj.pk)
        if older.revision.date_created > newer.revision.date_created:
            older, newer = newer, older
        context = {
            **self.admin_site.each_context(request),
            "title": f"Changes to “{obj}”",
            "opts": self.model._meta,
            "original": obj,
            "older": older,
            "newer": newer,
            "diffs": diff_versions(older.field_dict, newer.field_dict),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def restore_view(self, request, object_id, version_id):
        if request.method != "POST":
            raise Http404
        obj = self.visible_or_404(request, object_id)
        version = Version.objects.get_for_object(obj).filter(pk=version_id).first()
        if version is None:
            raise Http404("No such version.")
        services.restore_version(article=obj, version=version, user=request.user)
        messages.success(request, "The earlier version was restored (as a new revision).")
        return self.back_to(obj)
