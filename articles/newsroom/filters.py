"""The article list's filters."""

from django.contrib import admin
from taggit.models import Tag

from articles import services
from articles.models import Article, Author

Status = Article.Status


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
