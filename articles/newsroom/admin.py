from datetime import timedelta

import reversion
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import F, Prefetch
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.csp import CSP
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from reversion.models import Version
from taggit.models import Tag

from articles import services
from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    Correction,
    Page,
    Section,
    SiteSettings,
    StatusChange,
    Tweet,
)
from articles.newsroom.diff import diff_versions
from articles.newsroom.forms import ArticleAdminForm, PageAdminForm, WorkflowForm
from articles.newsroom.preview import make_preview_token
from articles.newsroom.writing import WritingAdminMixin
from articles.richtext import clean_html
from articles.services import WorkflowError

Status = Article.Status


def preview_url(article):
    """The article's own address (staff see drafts there), or None before the reader site."""
    try:
        return article.get_absolute_url()
    except NoReverseMatch:
        return None


def share_url(token):
    try:
        return reverse("articles:preview", args=[token])
    except NoReverseMatch:
        return f"/preview/{token}/"


# --- Filters ----------------------------------------------------------------------------


class ScheduledFilter(admin.SimpleListFilter):
    title = "schedule"
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("scheduled", "Scheduled"), ("live", "Live now")]

    def queryset(self, request, queryset):
        if self.value() == "scheduled":
            return queryset.scheduled()
        if self.value() == "live":
            return queryset.published()
        return queryset


class NeedsReviewFilter(admin.SimpleListFilter):
    title = "needs review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("yes", "Waiting for an editor")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(status=Status.IN_REVIEW)
        return queryset


class MineFilter(admin.SimpleListFilter):
    """Journalists open the list on their own articles; "Everyone's" shows the rest."""

    title = "whose"
    parameter_name = "mine"

    def __init__(self, request, params, model, model_admin):
        self.default = None if services.is_editor(request.user) else "yes"
        super().__init__(request, params, model, model_admin)

    def value(self):
        return super().value() or self.default

    def lookups(self, request, model_admin):
        return [("yes", "Mine"), ("all", "Everyone's")]

    def choices(self, changelist):
        choices = super().choices(changelist)
        if self.default:
            next(choices)  # "All" would show the default, "Mine": "Everyone's" says it plainly
        yield from choices

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(authors__user=request.user).distinct()
        return queryset


class AuthorFilter(admin.SimpleListFilter):
    title = "author"
    parameter_name = "author"

    def lookups(self, request, model_admin):
        return list(Author.objects.values_list("pk", "name"))

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(bylines__author_id=self.value()).distinct()
        return queryset


class TagFilter(admin.SimpleListFilter):
    title = "tag"
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        return list(Tag.objects.order_by("name").values_list("slug", "name"))

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(tags__slug=self.value()).distinct()
        return queryset


# --- Article ----------------------------------------------------------------------------


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


def with_editor_csp(response):
    """Let CKEditor 5 set style *attributes* on the pages that host it.

    The editor sizes uploaded pictures and draws upload progress with style attributes,
    which the site-wide policy blocks. Only `style-src-attr` is widened, only here: style
    elements still need the nonce, and scripts are untouched.
    """
    response._csp_config = {**settings.SECURE_CSP, "style-src-attr": [CSP.UNSAFE_INLINE]}
    return response


@admin.register(Article)
class ArticleAdmin(WritingAdminMixin, admin.ModelAdmin):
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
    autocomplete_fields = ["section", "related"]
    save_on_top = True
    view_on_site = False
    actions = ["submit_selected", "publish_selected", "unpublish_selected", "feature", "unfeature"]
    # The writing desk's layout: "desk-side" fieldsets go to the side panel (change_form.html).
    fieldsets = [
        (None, {"fields": ["title", "slug", "dek", "body", "loaded_version"]}),
        ("Placement", {"classes": ["desk-side"], "fields": ["section", "tags", "language"]}),
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
                .prefetch_related(
                    Prefetch("bylines", queryset=ArticleAuthor.objects.select_related("author"))
                )
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
                if f != "loaded_version"
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
        if not request.user.has_perm("articles.feature_article"):
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
        super().save_model(request, obj, form, change)

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
            extra_context.update(self._workflow_context(request, obj))
        return super().change_view(request, object_id, form_url, extra_context)

    def _workflow_context(self, request, obj):
        user = request.user
        buttons = []
        editable = services.can_edit(user, obj)
        writer = services.writes(user, obj)
        if obj.status in {Status.DRAFT, Status.UNPUBLISHED} and editable:
            buttons.append(("submit", "Submit for review"))
        if obj.status == Status.IN_REVIEW and (services.is_editor(user) or writer):
            buttons.append(("withdraw", "Withdraw to draft"))
        if services.can_publish(user):
            if not obj.is_published():
                buttons.append(("publish", "Publish now"))
                if not obj.is_scheduled:
                    buttons.append(("schedule", "Schedule"))
            if obj.status == Status.PUBLISHED:
                buttons.append(("unpublish", "Unpublish"))
        if services.is_editor(user) and (obj.status == Status.IN_REVIEW or obj.is_scheduled):
            buttons.append(("return", "Return to writer"))
        return {
            "workflow_buttons": buttons,
            "workflow_url": reverse("admin:articles_article_workflow", args=[obj.pk]),
            "status_log": obj.status_changes.select_related("actor")[:50],
            "preview_link": preview_url(obj),
            "can_share": services.can_publish(user),
            "share_action": reverse("admin:articles_article_share", args=[obj.pk]),
            "publishing_problems": (
                services.publishing_problems(obj) if services.can_publish(user) else []
            ),
        }

    # Extra views: workflow, share link, history with compare and restore

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/workflow/",
                view(self.workflow_view),
                name="articles_article_workflow",
            ),
            path(
                "<path:object_id>/share-link/", view(self.share_view), name="articles_article_share"
            ),
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
        ] + super().get_urls()

    def _visible_or_404(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No such article.")
        return obj

    def _back(self, obj):
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))

    def workflow_view(self, request, object_id):
        if request.method != "POST":
            raise Http404
        obj = self._visible_or_404(request, object_id)
        form = WorkflowForm(request.POST)
        if not form.is_valid():
            for error in form.errors.get("__all__", []) or ["Choose an action."]:
                messages.error(request, error)
            return self._back(obj)
        action, note = form.cleaned_data["action"], form.cleaned_data["note"]
        user = request.user
        calls = {
            "submit": lambda: services.submit_for_review(article=obj, user=user, note=note),
            "withdraw": lambda: services.withdraw(article=obj, user=user, note=note),
            "publish": lambda: services.publish_article(article=obj, editor=user, note=note),
            "schedule": lambda: services.schedule_article(
                article=obj, editor=user, publish_at=form.cleaned_data["publish_at"], note=note
            ),
            "return": lambda: services.return_to_writer(article=obj, editor=user, note=note),
            "unpublish": lambda: services.unpublish_article(article=obj, editor=user, note=note),
        }
        try:
            calls[action]()
        except WorkflowError as error:
            messages.error(request, str(error))
        except PermissionDenied as error:
            messages.error(request, str(error) or "You are not allowed to do that.")
        else:
            messages.success(request, f"“{obj.title}” is now {self._status_words(obj)}.")
        return self._back(obj)

    @staticmethod
    def _status_words(obj):
        if obj.is_scheduled:
            when = timezone.localtime(obj.published_at).strftime("%d %b %Y %H:%M")
            return f"scheduled for {when}"
        return obj.get_status_display().lower()

    def share_view(self, request, object_id):
        if request.method != "POST":
            raise Http404
        obj = self._visible_or_404(request, object_id)
        if not services.can_publish(request.user):
            raise PermissionDenied
        url = request.build_absolute_uri(share_url(make_preview_token(obj)))
        expires = timezone.localtime(timezone.now() + timedelta(days=7)).strftime("%d %b %Y")
        messages.success(
            request,
            format_html(
                'Share link (works until {}): <input readonly size=80 value="{}" '
                'aria-label="Share link">',
                expires,
                url,
            ),
        )
        return self._back(obj)

    def history_view(self, request, object_id, extra_context=None):
        obj = self._visible_or_404(request, object_id)
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
        obj = self._visible_or_404(request, object_id)
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
        obj = self._visible_or_404(request, object_id)
        if not services.can_edit(request.user, obj):
            raise PermissionDenied
        version = Version.objects.get_for_object(obj).filter(pk=version_id).first()
        if version is None:
            raise Http404("No such version.")
        restore_version(article=obj, version=version, user=request.user)
        messages.success(request, "The earlier version was restored (as a new revision).")
        return self._back(obj)

    # List actions: each item goes through the same service as the buttons.

    def _each(self, request, queryset, verb, call):
        done, failed = 0, []
        for article in queryset:
            try:
                call(article)
                done += 1
            except (WorkflowError, PermissionDenied) as error:
                failed.append(f"“{article.title}”: {error}")
        if done:
            messages.success(request, f"{verb}: {done} article(s).")
        for failure in failed:
            messages.error(request, failure)

    @admin.action(description="Submit selected for review")
    def submit_selected(self, request, queryset):
        self._each(
            request,
            queryset,
            "Submitted",
            lambda a: services.submit_for_review(article=a, user=request.user),
        )

    @admin.action(description="Publish selected now", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._each(
            request,
            queryset,
            "Published",
            lambda a: services.publish_article(article=a, editor=request.user),
        )

    @admin.action(description="Unpublish selected", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._each(
            request,
            queryset,
            "Unpublished",
            lambda a: services.unpublish_article(article=a, editor=request.user),
        )

    @admin.action(description="Feature on the home page", permissions=["feature"])
    def feature(self, request, queryset):
        n = services.set_featured(articles=list(queryset), editor=request.user, featured=True)
        messages.success(request, f"Featured {n} article(s).")

    @admin.action(description="Stop featuring", permissions=["feature"])
    def unfeature(self, request, queryset):
        n = services.set_featured(articles=list(queryset), editor=request.user, featured=False)
        messages.success(request, f"Unfeatured {n} article(s).")

    def has_publish_permission(self, request):
        return services.can_publish(request.user)

    def has_feature_permission(self, request):
        return request.user.has_perm("articles.feature_article")


def restore_version(*, article, version, user):
    """Bring back the words, byline and tags of an earlier version, as a new revision.

    Status, dates and placement on the home page are left alone: restoring text never
    publishes or unpublishes anything.
    """
    from django.db import transaction

    data = version.field_dict
    fields = ["title", "dek", "body", "lead_image_caption", "seo_title", "seo_description"]
    bylines, tag_ids = [], []
    for other in version.revision.version_set.all():
        model = other._model
        if model is ArticleAuthor:
            row = other.field_dict
            if row.get("article_id") == article.pk:
                bylines.append((row["position"], row["author_id"]))
        elif model._meta.label == "taggit.TaggedItem":
            row = other.field_dict
            if str(row.get("object_id")) == str(article.pk):
                tag_ids.append(row["tag_id"])
    with transaction.atomic(), reversion.create_revision():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        for name in fields:
            if name in data:
                setattr(locked, name, data[name])
        locked.version = F("version") + 1
        locked.save()
        known_authors = set(
            Author.objects.filter(pk__in=[a for _, a in bylines]).values_list("pk", flat=True)
        )
        locked.bylines.all().delete()
        ArticleAuthor.objects.bulk_create(
            ArticleAuthor(article=locked, author_id=a, position=p)
            for p, a in sorted(bylines)
            if a in known_authors
        )
        locked.tags.set(list(Tag.objects.filter(pk__in=tag_ids)))
        reversion.set_user(user)
        when = timezone.localtime(version.revision.date_created).strftime("%d %b %Y %H:%M")
        reversion.set_comment(f"Restored the version of {when}")
    locked.refresh_from_db()
    return locked


# --- The other editorial models ---------------------------------------------------------


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "user", "is_guest"]
    list_filter = ["is_guest"]
    search_fields = ["name", "slug", "role"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["photo"]
    autocomplete_fields = ["user"]
    list_select_related = ["user"]
    view_on_site = False


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    view_on_site = False


class NeedsTextFilter(admin.SimpleListFilter):
    title = "text"
    parameter_name = "needs_text"

    def lookups(self, request, model_admin):
        return [("yes", "Needs text"), ("no", "Has text")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(text="")
        if self.value() == "no":
            return queryset.exclude(text="")
        return queryset


@admin.register(Tweet)
class TweetAdmin(admin.ModelAdmin):
    list_display = ["__str__", "author_name", "has_text", "language", "posted_at", "created_at"]
    list_filter = [NeedsTextFilter, "language"]
    search_fields = ["handle", "author_name", "text", "tweet_id"]
    readonly_fields = ["tweet_id"]
    fields = ["url", "tweet_id", "author_name", "handle", "text", "language", "posted_at", "media"]
    raw_id_fields = ["media"]
    ordering = ["-created_at", "-id"]

    actions = ["fetch_text"]

    @admin.display(boolean=True, description="has text")
    def has_text(self, obj):
        return not obj.needs_text

    def has_oembed_permission(self, request):
        return settings.JTVC_TWEET_OEMBED and self.has_change_permission(request)

    @admin.action(description="Fill missing text from X (oEmbed)", permissions=["oembed"])
    def fetch_text(self, request, queryset):
        from articles.oembed import LookupFailed, fetch_tweet_text

        for tweet in queryset.filter(text=""):
            try:
                fetch_tweet_text(tweet)
            except LookupFailed as error:
                messages.error(request, f"{tweet}: {error}")
            else:
                messages.success(request, f"{tweet}: text filled in.")

    def save_model(self, request, obj, form, change):
        from articles.embeds import parse_status_url

        parsed = parse_status_url(obj.url)
        if parsed and not obj.tweet_id:
            obj.handle = obj.handle or parsed[0]
            obj.tweet_id = parsed[1]
        super().save_model(request, obj, form, change)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        def clean_url(self):
            from articles.embeds import parse_status_url

            url = self.cleaned_data["url"]
            if not parse_status_url(url):
                from django.core.exceptions import ValidationError

                raise ValidationError(
                    "Paste the post's address, like https://x.com/name/status/1234567890."
                )
            return url

        form.clean_url = clean_url
        return form


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    form = PageAdminForm
    list_display = ["title", "slug", "is_published", "updated_at"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    view_on_site = False

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with reversion.create_revision():
            reversion.set_user(request.user)
            response = super().changeform_view(request, object_id, form_url, extra_context)
        return with_editor_csp(response)


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ["article", "from_status", "to_status", "actor", "created_at"]
    list_select_related = ["article", "actor"]
    list_filter = ["to_status"]
    search_fields = ["article__title", "note"]

    def get_queryset(self, request):
        visible = Article.objects.visible_to(request.user).values("pk")
        return super().get_queryset(request).filter(article__in=visible)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    fieldsets = [
        (None, {"fields": ["site_name", "tagline", "about_blurb", "footer_credit"]}),
        ("Founding", {"fields": ["founding_year"]}),
        (
            "Social links",
            {
                "fields": [
                    "x_handle",
                    "facebook_url",
                    "instagram_url",
                    "youtube_url",
                    "mastodon_url",
                ]
            },
        ),
        ("Images", {"fields": ["logo", "default_share_image"]}),
    ]
    raw_id_fields = ["logo", "default_share_image"]

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        obj = SiteSettings.load()
        return redirect("admin:articles_sitesettings_change", obj.pk)

    def has_add_permission(self, request):
        # The one row is made on first visit (load()); asking the database here would cost a
        # query on every admin page, for the sidebar's "add" link.
        return False

    def has_delete_permission(self, request, obj=None):
        return False
