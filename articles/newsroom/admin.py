"""The newsroom's admin: the article change form and list, and the other editorial models.

The article admin is assembled from mixins kept beside it: the workflow (buttons, list
actions, share links; ``workflow.py``) and the history (compare, restore; ``history.py``).
Who may see an article is ``Article.objects.visible_to``; who may change it and how it moves
through the workflow are ``articles.services``.
"""

import reversion
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles import services
from articles.models import Article, ArticleAuthor, Correction
from articles.newsroom import content_admin  # noqa: F401  (registers the other models)
from articles.newsroom.filters import (
    AuthorFilter,
    MineFilter,
    NeedsReviewFilter,
    ScheduledFilter,
    TagFilter,
)
from articles.newsroom.forms import ArticleAdminForm, with_editor_csp
from articles.newsroom.history import HistoryAdminMixin
from articles.newsroom.workflow import BULK_ACTIONS, WorkflowAdminMixin
from articles.newsroom.writing import WritingAdminMixin
from articles.richtext import clean_html


class ArticleAuthorInline(admin.TabularInline):
    model = ArticleAuthor
    extra = 0
    min_num = 0
    autocomplete_fields = ["author"]
    fields = ["author", "position"]
    ordering = ["position", "id"]
    verbose_name = "byline author"
    verbose_name_plural = "Byline (in order; lower position first)"

    def _editable(self, request, obj):
        return obj is None or services.can_edit(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(request, obj)


class CorrectionInline(admin.StackedInline):
    model = Correction
    extra = 0
    fields = ["text", "created_at"]


@admin.register(Article)
class ArticleAdmin(WritingAdminMixin, WorkflowAdminMixin, HistoryAdminMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    inlines = [ArticleAuthorInline, CorrectionInline]
    list_display = [
        "title",
        "status_label",
        "section",
        "byline",
        "published_at",
        "is_featured",
        "modified_at",
    ]
    list_filter = [
        "status",
        NeedsReviewFilter,
        ScheduledFilter,
        MineFilter,
        "section",
        AuthorFilter,
        TagFilter,
        "is_featured",
        "language",
    ]
    search_fields = ["title", "dek", "slug"]
    ordering = ["-modified_at", "-id"]
    list_select_related = ["section"]
    list_per_page = 50
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["section", "related", "translation_of"]
    save_on_top = True
    view_on_site = False
    # The transitions table's bulk transitions, then featuring.
    actions = [*BULK_ACTIONS, "feature", "unfeature"]
    # The writing desk's layout: "desk-side" fieldsets go to the side panel (change_form.html).
    fieldsets = [
        (None, {"fields": ["title", "slug", "dek", "body", "loaded_version"]}),
        (
            "Placement",
            {
                "classes": ["desk-side"],
                "fields": ["section", "tags", "language", "language_chosen", "translation_of"],
            },
        ),
        (
            "Lead picture",
            {"classes": ["desk-side"], "fields": ["lead_image", "lead_image_caption"]},
        ),
        (
            "Publishing",
            {
                "classes": ["desk-side"],
                "fields": ["status", "published_at", "updated_at", "is_featured", "feature_order"],
            },
        ),
        (
            "Search and sharing",
            {
                "classes": ["collapse", "desk-side"],
                "fields": ["seo_title", "seo_description", "social_image", "noindex", "related"],
            },
        ),
    ]

    # Querysets and per-object permissions: a journalist never reaches a colleague's draft.

    def get_queryset(self, request):
        articles = Article.objects.visible_to(request.user)
        match = request.resolver_match
        if match and match.url_name == "articles_article_changelist":
            # The list shows neither body nor SEO text: do not drag 50 bodies over the wire.
            articles = (
                articles.select_related("section", "lead_image")  # lead image: the thumbnail
                .defer("body", "seo_description", "dek")
                .with_bylines()
            )
        return articles

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or services.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or services.is_editor(request.user)
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Read-only: show the body as the reader will see it, not as escaped markup.
        swapped = []
        for name, options in fieldsets:
            fields = [
                "body_preview" if f == "body" else f
                for f in options["fields"]
                if f not in ("loaded_version", "language_chosen")
            ]
            swapped.append((name, {**options, "fields": fields}))
        return swapped

    @admin.display(description="body")
    def body_preview(self, obj):
        # Cleaned on save; cleaned again here because only cleaned HTML is marked safe.
        return mark_safe(clean_html(obj.body))

    def get_readonly_fields(self, request, obj=None):
        fields = ["status", "published_at"]
        if obj is not None and not self.has_change_permission(request, obj):
            fields.append("body_preview")
        if not services.is_editor(request.user):
            fields += ["updated_at", "noindex"]
        if not services.can_feature(request.user):
            fields += ["is_featured", "feature_order"]
        return fields

    def get_inlines(self, request, obj):
        inlines = [ArticleAuthorInline]
        if request.user.has_perm("articles.view_correction"):
            inlines.append(CorrectionInline)
        return inlines

    # List columns

    @admin.display(description="status", ordering="status")
    def status_label(self, obj):
        if obj.is_scheduled:
            return format_html(
                "Scheduled for {}", timezone.localtime(obj.published_at).strftime("%d %b %H:%M")
            )
        return obj.get_status_display()

    @admin.display(description="authors")
    def byline(self, obj):
        return ", ".join(b.author.name for b in obj.bylines.all())

    # Saving

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        else:
            # The form checked the version under a row lock; the save moves it on.
            obj.version = (form.cleaned_data.get("loaded_version") or obj.version) + 1
        services.save_article(obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            services.add_writer_to_byline(article=form.instance, user=request.user)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment("Created" if object_id is None else "Edited")
            response = super().changeform_view(request, object_id, form_url, extra_context)
        return with_editor_csp(response)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            extra_context.update(self.workflow_context(request, obj))
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return self.workflow_urls() + self.history_urls() + super().get_urls()

    def visible_or_404(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No such article.")
        return obj

    def back_to(self, obj):
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))
