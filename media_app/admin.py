import logging
from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from media_app import services
from media_app.forms import ImageUploadForm
from media_app.models import Image
from media_app.usage import usages_for
from media_app.views import alt_text_from_filename

logger = logging.getLogger(__name__)


class MissingCreditFilter(admin.SimpleListFilter):
    title = "credit"
    parameter_name = "credit"

    def lookups(self, request, model_admin):
        return [("missing", "Missing credit"), ("present", "Has a credit")]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(credit="")
        if self.value() == "present":
            return queryset.exclude(credit="")
        return queryset


class RightsFilter(admin.SimpleListFilter):
    title = "rights"
    parameter_name = "rights"

    def lookups(self, request, model_admin):
        return [
            ("expired", "Expired"),
            ("soon", "Expiring within 30 days"),
            ("none", "No expiry date"),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "expired":
            return queryset.filter(rights_expire_at__lt=today)
        if self.value() == "soon":
            return queryset.filter(
                rights_expire_at__gte=today, rights_expire_at__lte=today + timedelta(days=30)
            )
        if self.value() == "none":
            return queryset.filter(rights_expire_at__isnull=True)
        return queryset


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = [
        "thumbnail",
        "describe",
        "credit",
        "licence",
        "dimensions",
        "uploaded_by",
        "created_at",
    ]
    list_display_links = ["thumbnail", "describe"]
    list_filter = [
        "licence",
        ("uploaded_by", admin.RelatedOnlyFieldListFilter),
        MissingCreditFilter,
        RightsFilter,
        "alt_text_needs_review",
    ]
    list_select_related = ["uploaded_by"]
    list_per_page = 48
    search_fields = ["title", "caption", "credit", "source", "alt_text"]
    date_hierarchy = "created_at"
    readonly_fields = ["focal_picker", "crops", "facts", "used_in"]
    fieldsets = [
        (None, {"fields": ["focal_picker", "focal_x", "focal_y"]}),
        (
            "Description",
            {"fields": ["alt_text", "alt_text_needs_review", "title", "caption"]},
        ),
        (
            "Credit and rights",
            {
                "fields": [
                    "credit",
                    "credit_url",
                    "source",
                    "licence",
                    "licence_version",
                    "rights_expire_at",
                ]
            },
        ),
        ("Used in", {"fields": ["used_in"]}),
        ("Crops for share cards", {"fields": ["crops"], "classes": ["collapse"]}),
        ("File", {"fields": ["facts"]}),
    ]

    class Media:
        css = {"all": ["media_app/admin.css"]}
        js = ["media_app/focal-point.js"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs.setdefault("widgets", {})["alt_text"] = forms.Textarea(attrs={"rows": 2, "cols": 80})
        return super().get_form(request, obj, change, **kwargs)

    # --- who may change a picture (everyone may use it)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.can_be_changed_by(request.user))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.can_be_changed_by(request.user))

    # --- list

    @admin.display(description="Picture")
    def thumbnail(self, obj):
        return format_html(
            '<img class="library-thumb" src="{}" alt="" width="96" height="{}" loading="lazy">',
            obj.thumbnail_url,
            round(96 / obj.aspect_ratio) if obj.aspect_ratio else 96,
        )

    @admin.display(description="Title / alt text", ordering="title")
    def describe(self, obj):
        flag = mark_safe(' <strong class="flag">alt text to review</strong>')
        return format_html(
            "{}{}", obj.title or obj.alt_text[:80], flag if obj.alt_text_needs_review else ""
        )

    @admin.display(description="Size")
    def dimensions(self, obj):
        return f"{obj.width}×{obj.height}"

    # --- change form

    @admin.display(description="Picture and focal point")
    def focal_picker(self, obj):
        if not obj or not obj.pk:
            return "—"
        return format_html(
            '<div class="focal-picker" data-focal-picker data-x-input="id_focal_x" '
            'data-y-input="id_focal_y"><img src="{}" alt="{}" width="{}" height="{}">'
            '<span class="focal-marker" aria-hidden="true"></span></div>'
            '<p class="help">Click the most important point of the picture: crops for share '
            "cards keep it in view. Save to remake the crops.</p>",
            obj.width_url(960),
            obj.alt_text,
            obj.width,
            obj.height,
        )

    @admin.display(description="Crops")
    def crops(self, obj):
        if not obj or not obj.pk:
            return "—"
        return format_html_join(
            "",
            '<figure class="crop"><img src="{}" alt="" width="{}" height="{}" loading="lazy">'
            "<figcaption>{}</figcaption></figure>",
            (
                (obj.crop_url(ratio), *obj.crop_size(ratio), ratio)
                for ratio in ("16:9", "4:3", "1:1")
            ),
        )

    @admin.display(description="File")
    def facts(self, obj):
        if not obj or not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{} {}×{}, {} KB</a><br>SHA-256 {}<br>Uploaded by {} on {}',
            obj.original_url,
            obj.format,
            obj.width,
            obj.height,
            round(obj.byte_size / 1024),
            obj.sha256,
            obj.uploaded_by or "—",
            obj.created_at.strftime("%Y-%m-%d %H:%M"),
        )

    @admin.display(description="Used in")
    def used_in(self, obj):
        if not obj or not obj.pk:
            return "—"
        found = usages_for([obj]).get(obj.pk, [])
        if not found:
            return "Not used anywhere yet."
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{}</li>", ((_usage_html(u),) for u in found)),
        )

    def save_model(self, request, obj, form, change):
        if "alt_text" in form.changed_data and "alt_text_needs_review" not in form.changed_data:
            obj.alt_text_needs_review = False
        super().save_model(request, obj, form, change)
        if {"focal_x", "focal_y"} & set(form.changed_data):
            services.queue_crops(image=obj)

    # --- upload (the add page)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImageUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            created, failures = self._import_all(request, form)
            for image in created:
                self.log_addition(request, image, [{"added": {}}])
            if created:
                messages.success(
                    request,
                    format_html(
                        "Added to the library: {}.",
                        format_html_join(
                            ", ",
                            '<a href="{}">{}</a>',
                            (
                                (reverse("admin:media_app_image_change", args=[i.pk]), str(i))
                                for i in created
                            ),
                        ),
                    ),
                )
            if not failures:
                if len(created) == 1:
                    url = reverse("admin:media_app_image_change", args=[created[0].pk])
                else:
                    url = reverse("admin:media_app_image_changelist")
                return HttpResponseRedirect(url)
            for message in failures:
                form.add_error("files", message)
        context = {
            **self.admin_site.each_context(request),
            "title": "Upload pictures",
            "opts": self.model._meta,
            "form": form,
            "media": self.media + form.media,
            "has_view_permission": self.has_view_permission(request),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/media_app/image/upload.html", context)

    def _import_all(self, request, form):
        created, failures = [], []
        alt_text = (form.cleaned_data.get("alt_text") or "").strip()
        for upload in form.cleaned_data["files"]:
            try:
                image = services.import_image(
                    file=upload,
                    alt_text=alt_text or alt_text_from_filename(upload.name),
                    alt_text_needs_review=not alt_text,
                    uploaded_by=request.user,
                    **form.metadata(),
                )
            except ValidationError as error:
                failures.append(f"{upload.name}: {' '.join(error.messages)}")
                continue
            except OSError:
                logger.exception("storing %s failed", upload.name)
                failures.append(f"{upload.name}: {services.STORAGE_FAILED}")
                continue
            created.append(image)
        return created, failures

    # --- deleting: never an image still in use

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        objs = list(objs)
        for pk, found in usages_for(objs).items():
            image = next(o for o in objs if o.pk == pk)
            protected += [format_html("{} — {}", str(image), _usage_html(usage)) for usage in found]
        return deleted, counts, perms_needed, protected

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ProtectedError as error:
            # Something began to use the picture between the confirmation and the delete.
            image = self.get_object(request, object_id)
            messages.error(request, services.protected_message(image, error.protected_objects))
            return HttpResponseRedirect(request.path.rsplit("delete/", 1)[0])

    def changelist_view(self, request, extra_context=None):
        layout = request.GET.get("layout")
        if layout in ("grid", "list"):
            # Remembered for the session; the admin refuses unknown query parameters.
            request.session["media_app_layout"] = layout
            query = request.GET.copy()
            del query["layout"]
            return HttpResponseRedirect(f"{request.path}?{query.urlencode()}".rstrip("?"))
        extra_context = {
            "library_layout": request.session.get("media_app_layout", "list"),
            **(extra_context or {}),
        }
        try:
            return super().changelist_view(request, extra_context)
        except ProtectedError as error:
            names = "; ".join(str(o) for o in list(error.protected_objects)[:10])
            messages.error(request, f"Nothing was deleted: some pictures are in use ({names}).")
            return HttpResponseRedirect(request.get_full_path())


def _usage_html(usage):
    if usage.admin_url:
        return format_html('<a href="{}">{}</a>', usage.admin_url, usage.label)
    return usage.label
