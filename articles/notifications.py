"""Who is told what, and when: the newsroom's mail.

The workflow services call ``article_moved`` inside their transaction; the mail itself is a
task (``django.tasks``) enqueued after commit, so a rolled-back step tells nobody, and the
worker (or, with Django's default immediate backend, the request itself) does the sending.

    submitted    -> the section's editors (else the editors who chose no section, else all)
    returned     -> the writers, with the editor's note
    scheduled    -> the writers, with the time in the newsroom's time zone
    published    -> the writers, with the public address
    unpublished  -> the writers, with the reason
    went_live    -> the section's editors, when a scheduled story's time has come

The person who acted is never mailed about their own step. Each kind can be turned off in
one's own profile (``NewsroomProfile``); with no profile, everything is on.

"Went live" needs a clock: scheduling records a ``GoLiveNotice``. A worker that can defer
tasks runs ``deliver_went_live`` at the publication time; ``manage.py notify_went_live``
sweeps whatever is owed (run it every minute or so from a timer); both claim the notice
with one conditional UPDATE, so the mail goes once.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import Q
from django.tasks import default_task_backend, task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, GoLiveNotice, SiteSettings

logger = logging.getLogger(__name__)

ROLE_EDITORS = "Editors"
KINDS = ("submitted", "returned", "scheduled", "published", "unpublished", "went_live")
TO_EDITORS = {"submitted", "went_live"}
# The workflow's actions (articles.services.TRANSITIONS) and the mail each sends.
KIND_OF_ACTION = {
    "submit": "submitted",
    "return": "returned",
    "schedule": "scheduled",
    "publish": "published",
    "unpublish": "unpublished",
}


# --- Called by the workflow -------------------------------------------------------------


def article_moved(*, kind, article, actor=None, note=""):
    """Record what the step owes and send its mail once the transaction commits."""
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}")
    if kind == "scheduled" and article.published_at:
        notice, _ = GoLiveNotice.objects.update_or_create(
            article=article, publish_at=article.published_at, defaults={"sent_at": None}
        )
        transaction.on_commit(lambda: _defer_went_live(notice))
    args = {
        "kind": kind,
        "article_id": article.pk,
        "actor_id": actor.pk if actor else None,
        "note": note or "",
    }
    transaction.on_commit(lambda: send_article_notice.enqueue(**args))


def _defer_went_live(notice):
    # A worker that can wait runs the check at the publication time; the immediate backend
    # cannot, and the sweep (manage.py notify_went_live) covers it.
    if default_task_backend.supports_defer:
        deliver_went_live.using(run_after=notice.publish_at).enqueue(notice_id=notice.pk)


# --- Recipients -------------------------------------------------------------------------


def _people():
    return get_user_model().objects.filter(is_active=True).exclude(email="")


def _wanting(users, kind):
    # No profile yet means the defaults: every kind on.
    return users.exclude(**{f"newsroom_profile__notify_{kind}": False})


def editors_for(article):
    """The editors who look after *article*'s section; else those who chose no section."""
    editors = _people().filter(groups__name=ROLE_EDITORS)
    if article.section_id:
        chosen = editors.filter(newsroom_profile__sections=article.section_id)
        if chosen.exists():
            return chosen.distinct()
    unchosen = editors.filter(
        Q(newsroom_profile__isnull=True) | Q(newsroom_profile__sections__isnull=True)
    )
    return (unchosen if unchosen.exists() else editors).distinct()


def writers_of(article):
    """The accounts behind the byline, and whoever created the article."""
    return _people().filter(Q(author__bylines__article=article) | Q(pk=article.created_by_id))


def recipients(kind, article, *, actor_id=None):
    users = editors_for(article) if kind in TO_EDITORS else writers_of(article)
    users = _wanting(users, kind)
    if actor_id:
        users = users.exclude(pk=actor_id)
    return list(users.distinct().order_by("pk"))


# --- The mail ---------------------------------------------------------------------------


def site_name():
    """The name editors gave the site (site settings), for mail."""
    return SiteSettings.objects.values_list("site_name", flat=True).first() or "JTVC"


def absolute(path):
    return settings.JTVC_SITE_URL.rstrip("/") + path


def _name(user):
    if user is None:
        return "Someone in the newsroom"
    return user.get_full_name().strip() or user.get_username()


def _when(moment):
    local = timezone.localtime(moment)
    return f"{local:%A %-d %B %Y at %H:%M} ({local.tzname()})"


def compose(kind, article, *, actor=None, note=""):
    """(subject, context) of the mail for *kind*; the templates lay it out."""
    title = article.title
    who = _name(actor)
    public = absolute(article.get_absolute_url())
    section = f" in {article.section.name}" if article.section_id else ""
    texts = {
        "submitted": (
            f"For review: {title}",
            [f"{who} has handed in “{title}”{section} and it is waiting for an editor."],
            "Note from the writer",
        ),
        "returned": (
            f"Back to you: {title}",
            [
                f"{who} has sent “{title}” back to you.",
                "It is a draft again: make the changes, then submit it for review.",
            ],
            "What to change",
        ),
        "scheduled": (
            f"Scheduled: {title}",
            [f"{who} has scheduled “{title}” to go live {_when(article.published_at)}."],
            "Note",
        ),
        "published": (
            f"Published: {title}",
            [f"{who} has published “{title}”. Readers can see it now."],
            "Note",
        ),
        "unpublished": (
            f"Taken down: {title}",
            [f"{who} has taken “{title}” off the site. Its address no longer answers readers."],
            "Reason",
        ),
        "went_live": (
            f"Now live: {title}",
            [
                f"“{title}”{section}, scheduled for {_when(article.published_at)}, "
                "is now on the site."
            ],
            "",
        ),
    }
    subject, paragraphs, note_label = texts[kind]
    context = {
        "kind": kind,
        "subject": subject,
        "paragraphs": paragraphs,
        "note": note.strip(),
        "note_label": note_label,
        "article": article,
        "admin_url": absolute(reverse("admin:articles_article_change", args=[article.pk])),
        "public_url": public if kind in {"published", "went_live"} else "",
        "preferences_url": absolute(reverse("admin:desk_preferences")),
        "site_name": site_name(),
    }
    return subject, context


def build_messages(kind, article, *, actor=None, note=""):
    subject, context = compose(kind, article, actor=actor, note=note)
    messages = []
    for person in recipients(kind, article, actor_id=actor.pk if actor else None):
        personal = {**context, "person": person, "greeting": _name(person)}
        text = render_to_string("articles/mail/notice.txt", personal)
        html = render_to_string("articles/mail/notice.html", personal)
        message = EmailMultiAlternatives(subject, text, to=[person.email])
        message.attach_alternative(html, "text/html")
        messages.append(message)
    return messages


@task()
def send_article_notice(*, kind, article_id, actor_id=None, note=""):
    """Mail everyone who should hear of *kind* on the article; returns how many were sent."""
    article = Article.objects.select_related("section").filter(pk=article_id).first()
    if article is None:
        return 0  # deleted since: nothing to tell
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    messages = build_messages(kind, article, actor=actor, note=note)
    if not messages:
        return 0
    return mailers.default.send_messages(messages) or 0


# --- "Went live" ------------------------------------------------------------------------


def _deliver(notice, *, now):
    """Claim *notice* and mail the editors if its article really is live as scheduled."""
    claimed = GoLiveNotice.objects.filter(pk=notice.pk, sent_at__isnull=True).update(sent_at=now)
    if not claimed:
        return 0  # another run got there first
    article = notice.article
    still_as_scheduled = (
        article.status == Article.Status.PUBLISHED and article.published_at == notice.publish_at
    )
    if not still_as_scheduled:
        return 0  # unpublished, returned or moved: this notice is closed without a mail
    try:
        return send_article_notice.call(kind="went_live", article_id=article.pk)
    except Exception:
        # Give the next run a chance rather than lose the mail.
        GoLiveNotice.objects.filter(pk=notice.pk).update(sent_at=None)
        raise


def send_went_live_notices(*, now=None):
    """Send every "now live" mail that is owed; returns how many mails went out."""
    now = now or timezone.now()
    owed = GoLiveNotice.objects.filter(sent_at__isnull=True, publish_at__lte=now)
    sent = 0
    for notice in owed.select_related("article", "article__section").order_by("publish_at"):
        sent += _deliver(notice, now=now)
    return sent


@task()
def deliver_went_live(*, notice_id):
    notice = GoLiveNotice.objects.select_related("article").filter(pk=notice_id).first()
    if notice is None or notice.publish_at > timezone.now():
        return 0
    return _deliver(notice, now=timezone.now())
