"""The editorial workflow: status changes, bylines, slug redirects and tweet snapshots.

Every transition is keyword-only, atomic, checks the actor's permission and the article's
current status (read under a row lock), bumps the article's version (so a form opened before
the change cannot silently overwrite it), logs a StatusChange and records a revision.
"""

import reversion
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from articles.embeds import canonical_status_url
from articles.models import Article, ArticleAuthor, Author, SlugRedirect, StatusChange, Tweet
from articles.richtext import tweet_refs

Status = Article.Status

ROLE_JOURNALISTS = "Journalists"
ROLE_EDITORS = "Editors"
ROLE_SITE_ADMINS = "Site admins"


class WorkflowError(Exception):
    """An illegal transition, or an article not ready for it. The message is for the user."""

    def __init__(self, message, *, problems=()):
        super().__init__(message)
        self.problems = list(problems)


# --- Who may do what --------------------------------------------------------------------


def is_editor(user):
    return user.is_active and (user.is_superuser or user.has_perm("articles.edit_any_article"))


def can_publish(user):
    return user.is_active and user.has_perm("articles.publish_article")


def writes(user, article):
    """True when *user* is on the byline of, or created, *article*."""
    if not article.pk:
        return True
    if article.created_by_id == user.pk:
        return True
    return article.bylines.filter(author__user=user).exists()


def can_view(user, article):
    return Article.objects.visible_to(user).filter(pk=article.pk).exists()


def can_edit(user, article):
    """Editors edit everything; a writer edits their own article while it is with them.

    "With them" means a draft (including one returned by an editor) or an unpublished article
    they are reworking; in review or published it is the editors' until returned.
    """
    if not user.is_active or not user.has_perm("articles.change_article"):
        return False
    if is_editor(user):
        return True
    return article.status in {Status.DRAFT, Status.UNPUBLISHED} and writes(user, article)


# --- Transitions ------------------------------------------------------------------------


def _locked(article):
    return Article.objects.select_for_update().get(pk=article.pk)


def _move(article, locked, *, user, to_status, note="", comment, **fields):
    from_status = locked.status
    fields["status"] = to_status
    Article.objects.filter(pk=locked.pk).update(
        version=F("version") + 1, modified_at=timezone.now(), **fields
    )
    StatusChange.objects.create(
        article=locked, actor=user, from_status=from_status, to_status=to_status, note=note
    )
    fresh = Article.objects.get(pk=locked.pk)
    # Keep the caller's object current: they may render it straight after.
    for name in ("status", "published_at", "version", "modified_at", "is_featured"):
        setattr(article, name, getattr(fresh, name))
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(comment + (f": {note}" if note else ""))
        reversion.add_to_revision(fresh)
    return article


def _require(condition, message):
    if not condition:
        raise PermissionDenied(message)


def _require_status(locked, allowed, action):
    if locked.status not in allowed:
        raise WorkflowError(
            f"Cannot {action}: the article is {locked.get_status_display().lower()}."
        )


def publishing_problems(article, *, author_count=None):
    """What stops *article* from going out, one message per missing field.

    The editor's Publish and the checklist every writer sees in the form both ask this.
    The form's checklist passes the bylines being edited (``author_count``), since they are
    not saved yet; the article itself may be unsaved too.
    """
    problems = []
    if not article.section_id:
        problems.append("Section: choose the section the article belongs to.")
    if author_count is None:
        author_count = article.bylines.count() if article.pk else 0
    if not author_count:
        problems.append("Authors: add at least one author to the byline.")
    if not article.dek.strip():
        problems.append("Standfirst: write the one or two sentences under the headline.")
    image = article.lead_image
    if image is None:
        problems.append("Lead image: choose a lead image.")
    else:
        if not image.alt_text.strip():
            problems.append("Lead image: the image needs alt text.")
        if not image.credit.strip():
            problems.append("Lead image: the image needs a credit (photographer/organisation).")
    for tweet in tweets_without_text(article.body):
        problems.append(
            f"Post on X: {tweet.url} has no text yet; write it in the post's card under the body."
        )
    return problems


def tweets_without_text(html):
    """The posts embedded in *html* whose snapshot has no text (unsaved ones included)."""
    refs = tweet_refs(html or "")
    if not refs:
        return []
    known = {t.tweet_id: t for t in Tweet.objects.filter(tweet_id__in=[i for _, i in refs])}
    missing = []
    for handle, tweet_id in refs:
        tweet = known.get(tweet_id) or Tweet(
            tweet_id=tweet_id, handle=handle, url=canonical_status_url(handle, tweet_id)
        )
        if not tweet.text.strip():
            missing.append(tweet)
    return missing


def _check_publishable(locked):
    problems = publishing_problems(locked)
    if problems:
        raise WorkflowError(
            "The article cannot be published yet. " + " ".join(problems), problems=problems
        )


@transaction.atomic
def submit_for_review(*, article, user, note=""):
    """A writer hands a draft to the editors."""
    locked = _locked(article)
    _require(can_edit(user, locked), "You cannot submit this article.")
    _require_status(locked, {Status.DRAFT, Status.UNPUBLISHED}, "submit for review")
    return _move(
        article, locked, user=user, to_status=Status.IN_REVIEW, note=note, comment="Submitted"
    )


@transaction.atomic
def withdraw(*, article, user, note=""):
    """The writer takes an article back from review to keep working on it."""
    locked = _locked(article)
    _require(
        is_editor(user) or (user.has_perm("articles.change_article") and writes(user, locked)),
        "You cannot withdraw this article.",
    )
    _require_status(locked, {Status.IN_REVIEW}, "withdraw")
    return _move(article, locked, user=user, to_status=Status.DRAFT, note=note, comment="Withdrawn")


@transaction.atomic
def publish_article(*, article, editor, note=""):
    """Publish now. A scheduled article goes out at once; a republished one keeps its date."""
    locked = _locked(article)
    _require(can_publish(editor), "Only editors can publish.")
    _require_status(
        locked,
        {Status.DRAFT, Status.IN_REVIEW, Status.UNPUBLISHED, Status.PUBLISHED},
        "publish",
    )
    if locked.is_published():
        raise WorkflowError("Cannot publish: the article is already published.")
    _check_publishable(locked)
    now = timezone.now()
    published_at = now
    if locked.status == Status.UNPUBLISHED and locked.published_at and locked.published_at <= now:
        published_at = locked.published_at  # back online: the original date stands
    return _move(
        article,
        locked,
        user=editor,
        to_status=Status.PUBLISHED,
        note=note,
        comment="Published",
        published_at=published_at,
    )


@transaction.atomic
def schedule_article(*, article, editor, publish_at, note=""):
    """Publish at a future time. Readers see it from then on, decided at read time."""
    locked = _locked(article)
    _require(can_publish(editor), "Only editors can schedule.")
    _require_status(
        locked,
        {Status.DRAFT, Status.IN_REVIEW, Status.UNPUBLISHED, Status.PUBLISHED},
        "schedule",
    )
    if publish_at is None or publish_at <= timezone.now():
        raise WorkflowError("Cannot schedule: choose a time in the future.")
    if locked.is_published():
        raise WorkflowError("Cannot schedule: the article is already live; unpublish it first.")
    _check_publishable(locked)
    return _move(
        article,
        locked,
        user=editor,
        to_status=Status.PUBLISHED,
        note=note,
        comment=f"Scheduled for {timezone.localtime(publish_at):%Y-%m-%d %H:%M %Z}",
        published_at=publish_at,
        updated_at=None,
    )


@transaction.atomic
def return_to_writer(*, article, editor, note):
    """Send an article in review (or scheduled) back to its writer as a draft, with a note."""
    locked = _locked(article)
    _require(is_editor(editor), "Only editors can return an article to its writer.")
    if not (note or "").strip():
        raise WorkflowError("Write a note telling the writer what to change.")
    allowed = {Status.IN_REVIEW} | ({Status.PUBLISHED} if locked.is_scheduled else set())
    _require_status(locked, allowed, "return to the writer")
    return _move(
        article,
        locked,
        user=editor,
        to_status=Status.DRAFT,
        note=note.strip(),
        comment="Returned to writer",
        published_at=None,
        updated_at=None,
    )


@transaction.atomic
def unpublish_article(*, article, editor, note=""):
    """Take a published (or scheduled) article off the site; its address then answers 404."""
    locked = _locked(article)
    _require(can_publish(editor), "Only editors can unpublish.")
    _require_status(locked, {Status.PUBLISHED}, "unpublish")
    fields = {"is_featured": False}
    if locked.is_scheduled:
        fields["published_at"] = None
        fields["updated_at"] = None
    return _move(
        article,
        locked,
        user=editor,
        to_status=Status.UNPUBLISHED,
        note=note,
        comment="Unpublished",
        **fields,
    )


@transaction.atomic
def set_featured(*, articles, editor, featured, order=None):
    """Feature or unfeature articles on the home page; returns how many changed."""
    _require(is_editor(editor) and editor.has_perm("articles.feature_article"), "Not allowed.")
    fields = {"is_featured": featured}
    if order is not None:
        fields["feature_order"] = order
    return Article.objects.filter(pk__in=[a.pk for a in articles]).update(
        version=F("version") + 1, **fields
    )


# --- Derived rows -----------------------------------------------------------------------


def record_slug_change(*, article, old_slug):
    """Keep every earlier address of *article* answering, and free the one it now uses.

    Redirects point at the article, not at a slug, so a chain A -> B -> C leaves both A and B
    leading to the article's current address.
    """
    if old_slug and old_slug != article.slug:
        SlugRedirect.objects.update_or_create(old_slug=old_slug, defaults={"article": article})
    # The current slug answers directly; a stale redirect (ours or another article's) must go.
    SlugRedirect.objects.filter(old_slug=article.slug).delete()


def create_missing_tweets(*, html):
    """Create a Tweet row (without text) for every post embedded in *html* that has none.

    Nothing is fetched: an editor pastes the text in the Tweet admin ("needs text").
    """
    refs = tweet_refs(html)
    if not refs:
        return []
    existing = set(
        Tweet.objects.filter(tweet_id__in=[tid for _, tid in refs]).values_list(
            "tweet_id", flat=True
        )
    )
    new = [
        Tweet(tweet_id=tid, handle=handle, url=canonical_status_url(handle, tid))
        for handle, tid in refs
        if tid not in existing
    ]
    return Tweet.objects.bulk_create(new, ignore_conflicts=True)


def author_for_user(user):
    """The byline of a newsroom account, created on first need.

    Named from the account's full name; the login name only when no full name is set.
    """
    try:
        return user.author
    except Author.DoesNotExist:
        pass
    name = user.get_full_name().strip() or user.get_username()
    author, _ = Author.objects.get_or_create(
        user=user, defaults={"name": name, "role": "Staff writer", "email": user.email}
    )
    return author


def add_writer_to_byline(*, article, user):
    """Put a journalist's own byline on an article they create, if the byline lacks it."""
    if is_editor(user):
        return
    author = author_for_user(user)
    if not article.bylines.filter(author=author).exists():
        last = article.bylines.order_by("-position").values_list("position", flat=True).first()
        ArticleAuthor.objects.create(
            article=article, author=author, position=0 if last is None else last + 1
        )
