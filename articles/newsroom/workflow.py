"""The article admin's workflow: buttons, their POSTs, list actions and share links.

All of it is drawn from the transitions table (articles.services.TRANSITIONS): the change
form shows ``available_actions``, the POST is checked and carried out by ``perform``, and the
list actions are the table's bulk transitions. Nothing here decides who may do what.
"""

from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from articles import services
from articles.newsroom.forms import WorkflowForm
from articles.newsroom.preview import make_preview_token
from articles.services import TRANSITIONS, WorkflowError


def status_words(article):
    if article.is_scheduled:
        when = timezone.localtime(article.published_at).strftime("%d %b %Y %H:%M")
        return f"scheduled for {when}"
    return article.get_status_display().lower()


def _bulk_action(transition):
    def action(modeladmin, request, queryset):
        modeladmin.perform_each(request, queryset, transition)

    action.__name__ = f"{transition.action}_selected"
    # Shown to those whose role may ever take it; each article is still checked by perform.
    return admin.action(
        description=transition.bulk_label, permissions=[f"{transition.action}_transition"]
    )(action)


# The list actions: the transitions that need neither a note nor a time.
BULK_ACTIONS = [_bulk_action(t) for t in TRANSITIONS.values() if t.bulk_label]


class WorkflowAdminMixin:
    """Mixed into ArticleAdmin."""

    def workflow_context(self, request, obj):
        user = request.user
        return {
            "workflow_buttons": [
                (t.action, t.label) for t in services.available_actions(user, obj)
            ],
            "workflow_url": reverse("admin:articles_article_workflow", args=[obj.pk]),
            "status_log": obj.status_changes.select_related("actor")[:50],
            "preview_link": obj.get_absolute_url(),
            "can_share": services.can_publish(user),
            "share_action": reverse("admin:articles_article_share", args=[obj.pk]),
            "publishing_problems": (
                services.publishing_problems(obj) if services.can_publish(user) else []
            ),
        }

    def workflow_urls(self):
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
        ]

    def workflow_view(self, request, object_id):
        if request.method != "POST":
            raise Http404
        obj = self.visible_or_404(request, object_id)
        form = WorkflowForm(request.POST)
        if not form.is_valid():
            for error in form.errors.get("__all__", []) or ["Choose an action."]:
                messages.error(request, error)
            return self.back_to(obj)
        try:
            services.perform(
                form.cleaned_data["action"],
                article=obj,
                user=request.user,
                note=form.cleaned_data["note"],
                publish_at=form.cleaned_data["publish_at"],
            )
        except WorkflowError as error:
            messages.error(request, str(error))
        except PermissionDenied as error:
            messages.error(request, str(error) or "You are not allowed to do that.")
        else:
            messages.success(request, f"“{obj.title}” is now {status_words(obj)}.")
        return self.back_to(obj)

    def share_view(self, request, object_id):
        if request.method != "POST":
            raise Http404
        obj = self.visible_or_404(request, object_id)
        if not services.can_publish(request.user):
            raise PermissionDenied
        path_ = reverse("articles:preview", args=[make_preview_token(obj)])
        url = request.build_absolute_uri(path_)
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
        return self.back_to(obj)

    # List actions: the table's bulk transitions, each item through the same service.

    def perform_each(self, request, queryset, transition):
        done, failed = 0, []
        for article in queryset:
            try:
                services.perform(transition.action, article=article, user=request.user)
                done += 1
            except (WorkflowError, PermissionDenied) as error:
                failed.append(f"“{article.title}”: {error}")
        if done:
            messages.success(request, f"{transition.done}: {done} article(s).")
        for failure in failed:
            messages.error(request, failure)

    @admin.action(description="Feature on the home page", permissions=["feature"])
    def feature(self, request, queryset):
        n = services.set_featured(articles=list(queryset), editor=request.user, featured=True)
        messages.success(request, f"Featured {n} article(s).")

    @admin.action(description="Stop featuring", permissions=["feature"])
    def unfeature(self, request, queryset):
        n = services.set_featured(articles=list(queryset), editor=request.user, featured=False)
        messages.success(request, f"Unfeatured {n} article(s).")

    def has_feature_permission(self, request):
        return services.can_feature(request.user)


def _role_check(transition):
    def check(self, request):
        return transition.role(request.user)

    return check


for _transition in TRANSITIONS.values():
    setattr(
        WorkflowAdminMixin,
        f"has_{_transition.action}_transition_permission",
        _role_check(_transition),
    )
