"""Site admins import a WordPress export from the admin: upload, watch progress, read the report."""

import os
import uuid

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from articles.importers.wordpress.models import ImportRun, LegacyRedirect
from articles.importers.wordpress.tasks import import_dir, run_wordpress_import

MAX_EXPORT_BYTES = 2 * 1024**3


class ImportForm(forms.Form):
    export = forms.FileField(
        label="WordPress export",
        help_text="The .xml file from WordPress's Tools → Export (“All content”); .xml.gz too.",
    )
    uploads = forms.FileField(
        label="Uploads (optional)",
        required=False,
        help_text="A .zip or .tar.gz of the site's wp-content/uploads folder, for the "
        "pictures. Without it, pictures are listed in the report as missing.",
    )
    dry_run = forms.BooleanField(
        label="Dry run",
        required=False,
        help_text="Read everything and show the report, but change nothing.",
    )

    def clean_export(self):
        f = self.cleaned_data["export"]
        if f.size > MAX_EXPORT_BYTES:
            raise forms.ValidationError("The export is larger than 2 GB; split it in WordPress.")
        head = f.read(512)
        f.seek(0)
        if not (head.startswith(b"\x1f\x8b") or b"<" in head):
            raise forms.ValidationError(
                "This does not look like a WordPress export (an XML file). Choose the file "
                "WordPress's Tools → Export gave you."
            )
        return f


def _save_upload(upload, suffix):
    path = os.path.join(import_dir(), f"{uuid.uuid4().hex}{suffix}")
    with open(path, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["__str__", "export_name", "dry_run", "status", "created_at", "started_by"]
    list_filter = ["status", "dry_run"]
    list_select_related = ["started_by"]

    def has_change_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            return self._denied(request)
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            export = form.cleaned_data["export"]
            uploads = form.cleaned_data.get("uploads")
            run = ImportRun.objects.create(
                export_name=os.path.basename(export.name)[:255],
                export_path=_save_upload(export, ".xml"),
                uploads_name=os.path.basename(uploads.name)[:255] if uploads else "",
                uploads_path=_save_upload(uploads, ".archive") if uploads else "",
                dry_run=form.cleaned_data["dry_run"],
                started_by=request.user,
            )
            transaction.on_commit(lambda: run_wordpress_import.enqueue(run.pk))
            return HttpResponseRedirect(
                reverse("admin:wordpress_import_importrun_change", args=[run.pk])
            )
        context = {
            **self.admin_site.each_context(request),
            "title": "Import from WordPress",
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/wordpress_import/import_form.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        run = self.get_object(request, object_id)
        if run is None or not self.has_view_permission(request, run):
            return self._denied(request)
        report = run.report or {}
        context = {
            **self.admin_site.each_context(request),
            "title": str(run),
            "run": run,
            "report": report,
            "counts": sorted((report.get("counts") or {}).items()),
            "opts": self.model._meta,
            "running": run.status in (ImportRun.Status.QUEUED, ImportRun.Status.RUNNING),
        }
        return TemplateResponse(request, "admin/wordpress_import/progress.html", context)

    def _denied(self, request):
        raise PermissionDenied


@admin.register(LegacyRedirect)
class LegacyRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_path", "content_type", "object_id", "target_url", "created_at"]
    search_fields = ["old_path", "target_url"]
    list_filter = ["content_type"]
    list_select_related = ["content_type"]
    readonly_fields = ["content_type", "object_id"]
