"""The admin of the editorial models other than Article."""

import reversion
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect

from articles import services
from articles.embeds import canonical_status_url, duplicate_post_message, parse_status_url
from articles.models import Article, Author, Page, Section, SiteSettings, StatusChange, Tweet
from articles.newsroom.forms import PageAdminForm, with_editor_csp


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

    class Media:
        js = ["articles/autocomplete-names.js"]  # names the account search box


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
        # The task worker asks X (articles/tasks.py): retried when X does not answer, and a
        # failure is listed with the other tasks for site admins.
        from articles.tasks import fill_tweet_text

        pks = list(queryset.filter(text="").values_list("pk", flat=True))
        for pk in pks:
            fill_tweet_text.enqueue(pk)
        messages.success(
            request, f"Asked for the text of {len(pks)} post(s); it appears when X has answered."
        )

    def save_model(self, request, obj, form, change):
        parsed = parse_status_url(obj.url)
        if parsed and not obj.tweet_id:
            obj.handle = obj.handle or parsed[0]
            obj.tweet_id = parsed[1]
        super().save_model(request, obj, form, change)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        def clean_url(self):
            parsed = parse_status_url(self.cleaned_data["url"])
            if not parsed:
                raise ValidationError(
                    "Paste the post's address, like https://x.com/name/status/1234567890."
                )
            same = Tweet.objects.filter(tweet_id=parsed[1]).exclude(pk=self.instance.pk).first()
            if same is not None:
                raise ValidationError(duplicate_post_message(same), code="duplicate")
            # One form for every post: https, x.com, no tracking suffix.
            return canonical_status_url(*parsed)

        form.clean_url = clean_url
        return form


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    form = PageAdminForm
    list_display = ["title", "slug", "is_published", "updated_at"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    view_on_site = False

    def save_model(self, request, obj, form, change):
        services.save_page(obj)

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
