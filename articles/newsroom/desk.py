"""The desk: what needs me now (the admin's front page for newsroom roles), and my settings.

Each list is one query and short (``DESK_LIST_SIZE``); the page costs the same whatever the
size of the archive or the library. Query counts are pinned in tests/articles/test_desk.py.
"""

from datetime import datetime, time, timedelta

from django import forms
from django.contrib import messages
from django.db.models import Exists, OuterRef, Q, Subquery
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from articles import services
from articles.models import Article, BodyImage, NewsroomProfile, StatusChange
from media_app.models import Image

DESK_LIST_SIZE = 8
RIGHTS_WARNING_DAYS = 30
NEWSROOM_ROLES = {services.ROLE_JOURNALISTS, services.ROLE_EDITORS, services.ROLE_SITE_ADMINS}

Status = Article.Status


def has_newsroom_role(user):
    if not (user.is_active and user.is_staff):
        return False
    return user.is_superuser or user.groups.filter(name__in=NEWSROOM_ROLES).exists()


def _with_last_change(articles):
    """Annotate the latest status change: from which status, by whom, with what note."""
    last = StatusChange.objects.filter(article=OuterRef("pk")).order_by("-created_at", "-id")
    return articles.annotate(
        last_from=Subquery(last.values("from_status")[:1]),
        last_actor_id=Subquery(last.values("actor_id")[:1]),
        last_note=Subquery(last.values("note")[:1]),
        last_at=Subquery(last.values("created_at")[:1]),
    )


def _returned(articles, user):
    """Drafts whose latest step was someone else sending them back from review or schedule."""
    return articles.filter(
        status=Status.DRAFT, last_from__in=[Status.IN_REVIEW, Status.PUBLISHED]
    ).exclude(last_actor_id=user.pk)


def _mine(user):
    # A subquery, not a join: no duplicates and no DISTINCT over annotated rows.
    from articles.models import ArticleAuthor

    bylined = ArticleAuthor.objects.filter(article=OuterRef("pk"), author__user=user)
    return Article.objects.filter(Exists(bylined) | Q(created_by=user))


def _list(queryset):
    return list(queryset.defer("body", "seo_title", "seo_description")[:DESK_LIST_SIZE])


def desk_lists(user, *, now=None):
    """The dashboard's lists for *user*; each is one query. Returns [(key, title, items)]."""
    now = now or timezone.now()
    editor = services.is_editor(user)
    mine = _with_last_change(_mine(user)).select_related("section")
    returned = _returned(mine, user)
    lists = [
        ("returned", "Returned to me", _list(returned.order_by("-last_at"))),
        (
            "drafts",
            "My drafts",
            _list(
                mine.filter(status__in=[Status.DRAFT, Status.UNPUBLISHED])
                .exclude(pk__in=returned.values("pk"))
                .order_by("-modified_at")
            ),
        ),
    ]
    if editor:
        waiting = _with_last_change(Article.objects.filter(status=Status.IN_REVIEW))
        lists.append(
            (
                "review",
                "Waiting for review",
                _list(waiting.select_related("section").order_by("last_at", "pk")),
            )
        )
    local_midnight = timezone.make_aware(datetime.combine(timezone.localdate(now), time.min))
    lists += [
        (
            "scheduled",
            "Scheduled next",
            _list(
                Article.objects.scheduled(now=now)
                .select_related("section")
                .order_by("published_at")
            ),
        ),
        (
            "today",
            "Published today",
            _list(
                Article.objects.published(now=now)
                .filter(published_at__gte=local_midnight)
                .select_related("section")
                .order_by("-published_at")
            ),
        ),
    ]
    if user.has_perm("media_app.view_image"):
        lists.append(("pictures", "Pictures whose rights run out", rights_watch(now=now)))
    return lists


def rights_watch(*, now=None):
    """Pictures whose rights end within 30 days, and expired ones still in use; soonest first."""
    today = timezone.localdate(now)
    in_use = (
        Exists(Article.objects.filter(lead_image=OuterRef("pk")))
        | Exists(Article.objects.filter(social_image=OuterRef("pk")))
        | Exists(BodyImage.objects.filter(image=OuterRef("pk")))
    )
    soon = Q(
        rights_expire_at__gte=today, rights_expire_at__lte=today + timedelta(RIGHTS_WARNING_DAYS)
    )
    expired_in_use = Q(rights_expire_at__lt=today) & in_use
    return list(
        Image.objects.filter(soon | expired_in_use)
        .only("pk", "title", "alt_text", "rights_expire_at", "credit")
        .order_by("rights_expire_at", "pk")[:DESK_LIST_SIZE]
    )


def dashboard(site, request, extra_context=None):
    user = request.user
    context = {
        **site.each_context(request),
        "title": "Newsroom: your desk",
        "subtitle": None,
        "desk_lists": desk_lists(user),
        "is_editor": services.is_editor(user),
        "today": timezone.localdate(),
        "time_zone": timezone.get_current_timezone_name(),
        "app_list": site.get_app_list(request),
        **(extra_context or {}),
    }
    request.current_app = site.name
    return TemplateResponse(request, "admin/desk/index.html", context)


# --- My notification settings -----------------------------------------------------------


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = NewsroomProfile
        fields = [f"notify_{kind}" for kind in NewsroomProfile.KINDS] + ["sections"]
        widgets = {"sections": forms.CheckboxSelectMultiple}


def preferences(site, request):
    profile, _ = NewsroomProfile.objects.get_or_create(user=request.user)
    form = PreferencesForm(request.POST or None, instance=profile)
    if not services.is_editor(request.user):
        # Writers are not sent submissions or "went live" mails: do not offer those switches.
        for name in ("notify_submitted", "notify_went_live", "sections"):
            del form.fields[name]
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your notification settings are saved.")
        return redirect("admin:desk_preferences")
    context = {
        **site.each_context(request),
        "title": "Your notifications",
        "form": form,
        "media": form.media,
    }
    request.current_app = site.name
    return TemplateResponse(request, "admin/desk/preferences.html", context)
