"""The newsroom's rules: who may do what, the workflow, and the rows a save implies.

The workflow is one table, ``TRANSITIONS``: for each action, the states it starts from, who
may take it, the state it leads to and what is checked. ``available_actions(user, article)``
reads it for the admin's buttons and list actions; ``perform`` carries an action out.
Every transition is atomic, re-reads the article under a row lock, checks permission and
state, bumps the article's version (so a form opened before the change cannot silently
overwrite it), logs a StatusChange and records a revision. The write goes through the
article QuerySet, which invalidates the reader caches after the commit (jtvc.invalidation).
"""

from dataclasses import dataclass, field
from datetime import datetime

import reversion
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from taggit.models import Tag

from articles import notifications, pictures
from articles.embeds import canonical_status_url, tweet_refs
from articles.models import Article, ArticleAuthor, Author, SlugRedirect, StatusChange, Tweet

Status = Article.Status

ROLE_JOURNALISTS = "Journalists"
ROLE_EDITORS = "Editors"
ROLE_SITE_ADMINS = "Site admins"


TAKEDOWN_REASON = "Say why the article is coming down: the reason is kept in the status log."


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


def can_feature(user):
    return is_editor(user) and user.has_perm("articles.feature_article")


def writes(user, article):
    """True when *user* is on the byline of, or created, *article*."""
    if not article.pk:
        return True
    if article.created_by_id == user.pk:
        return True
    return article.bylines.filter(author__user=user).exists()


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


def can_withdraw(user, article):
    return is_editor(user) or (user.has_perm("articles.change_article") and writes(user, article))


# --- The workflow -----------------------------------------------------------------------

# The states an action starts from. "live" and "scheduled" are both status "published"; the
# difference is the publication time, decided at read time (ArticleQuerySet.published()).
DRAFT, REVIEW, LIVE, SCHEDULED, UNPUBLISHED = "draft", "review", "live", "scheduled", "unpublished"


def state_of(article, *, now=None):
    if article.status == Status.PUBLISHED:
        return LIVE if article.is_published(now=now) else SCHEDULED
    return str(article.status)


@dataclass(frozen=True)
class Transition:
    action: str  # the value of the admin button
    label: str  # the button's words
    done: str  # past tense, for messages ("Published")
    sources: frozenset  # states it starts from
    may: object  # may(user, article) -> bool: who may take it (per article)
    role: object  # role(user) -> bool: whether this user could ever take it (list actions)
    to: str  # the status it leads to
    checks: tuple = ()  # "publishable", "note", "future"
    bulk_label: str = ""  # offered as a list action with these words (needs no note or time)
    fields: dict = field(default_factory=dict)


def _writer_role(user):
    return user.is_active and user.has_perm("articles.change_article")


TRANSITIONS = {
    t.action: t
    for t in [
        Transition(
            "submit",
            "Submit for review",
            "Submitted",
            frozenset({DRAFT, UNPUBLISHED}),
            may=can_edit,
            role=_writer_role,
            to=Status.IN_REVIEW,
            bulk_label="Submit selected for review",
        ),
        Transition(
            "withdraw",
            "Withdraw to draft",
            "Withdrawn",
            frozenset({REVIEW}),
            may=can_withdraw,
            role=_writer_role,
            to=Status.DRAFT,
        ),
        Transition(
            "publish",
            "Publish now",
            "Published",
            frozenset({DRAFT, REVIEW, UNPUBLISHED, SCHEDULED}),
            may=lambda user, article: can_publish(user),
            role=can_publish,
            to=Status.PUBLISHED,
            checks=("publishable",),
            bulk_label="Publish selected now",
        ),
        Transition(
            "schedule",
            "Schedule",
            "Scheduled",
            # A scheduled article may be given another time.
            frozenset({DRAFT, REVIEW, UNPUBLISHED, SCHEDULED}),
            may=lambda user, article: can_publish(user),
            role=can_publish,
            to=Status.PUBLISHED,
            checks=("future", "publishable"),
        ),
        Transition(
            "return",
            "Return to writer",
            "Returned to writer",
            frozenset({REVIEW, SCHEDULED}),
            may=lambda user, article: is_editor(user),
            role=is_editor,
            to=Status.DRAFT,
            checks=("note",),
        ),
        Transition(
            "unpublish",
            "Unpublish",
            "Unpublished",
            frozenset({LIVE, SCHEDULED}),
            may=lambda user, article: can_publish(user),
            role=can_publish,
            to=Status.UNPUBLISHED,
            # A takedown says why (kept in the status log, mailed to the writers); a schedule
            # cancelled before its time needs no reason. Not a list action: each asks why.
            checks=("reason",),
        ),
    ]
}


def available_actions(user, article):
    """The transitions *user* may take on *article* now, in the table's order."""
    state = state_of(article)
    return [t for t in TRANSITIONS.values() if state in t.sources and t.may(user, article)]


def _state_words(state):
    return {
        DRAFT: "a draft",
        REVIEW: "in review",
        LIVE: "already published",
        SCHEDULED: "scheduled",
        UNPUBLISHED: "unpublished",
    }[state]


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
    problems += pictures.rights_problems(article) + pictures.uncredited_problems(article)
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


def _fields_for(transition, locked, *, publish_at, now):
    """The columns a transition writes besides status, version and modified_at."""
    action = transition.action
    if action == "publish":
        published_at = now
        if (
            locked.status == Status.UNPUBLISHED
            and locked.published_at
            and locked.published_at <= now
        ):
            published_at = locked.published_at  # back online: the original date stands
        return {"published_at": published_at}
    if action == "schedule":
        return {"published_at": publish_at, "updated_at": None}
    if action == "return":
        return {"published_at": None, "updated_at": None}
    if action == "unpublish":
        fields = {"is_featured": False}
        if state_of(locked, now=now) == SCHEDULED:  # never went out: it loses its date
            fields.update(published_at=None, updated_at=None)
        return fields
    return {}


def _comment(transition, *, publish_at):
    if transition.action == "schedule":
        return f"Scheduled for {timezone.localtime(publish_at):%Y-%m-%d %H:%M %Z}"
    return transition.done


@transaction.atomic
def perform(action, *, article, user, note="", publish_at: datetime | None = None):
    """Carry out *action* (a key of TRANSITIONS) on *article* as *user*.

    Raises PermissionDenied when *user* may not, WorkflowError when the article's state or
    content does not allow it (``problems`` lists what is missing for publishing). Returns
    *article*, brought up to date.
    """
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise WorkflowError("Choose an action.")
    locked = Article.objects.select_for_update().get(pk=article.pk)
    now = timezone.now()
    if not transition.may(user, locked):
        raise PermissionDenied(f"You are not allowed to {transition.label.lower()} this article.")
    note = (note or "").strip()
    if "note" in transition.checks and not note:
        raise WorkflowError("Write a note telling the writer what to change.")
    state = state_of(locked, now=now)
    if state not in transition.sources:
        raise WorkflowError(
            f"Cannot {transition.label.lower()}: the article is {_state_words(state)}."
        )
    if "reason" in transition.checks and state == LIVE and not note:
        raise WorkflowError(TAKEDOWN_REASON)
    if "future" in transition.checks and (publish_at is None or publish_at <= now):
        raise WorkflowError("Cannot schedule: choose a time in the future.")
    if "publishable" in transition.checks:
        problems = publishing_problems(locked)
        if problems:
            raise WorkflowError(
                "The article cannot be published yet. " + " ".join(problems), problems=problems
            )
    fields = _fields_for(transition, locked, publish_at=publish_at, now=now)
    Article.objects.filter(pk=locked.pk).update(
        status=transition.to, version=F("version") + 1, modified_at=now, **fields
    )
    StatusChange.objects.create(
        article=locked, actor=user, from_status=locked.status, to_status=transition.to, note=note
    )
    fresh = Article.objects.get(pk=locked.pk)
    # Keep the caller's object current: they may render it straight after.
    for name in ("status", "published_at", "updated_at", "version", "modified_at", "is_featured"):
        setattr(article, name, getattr(fresh, name))
    with reversion.create_revision():
        reversion.set_user(user)
        comment = _comment(transition, publish_at=publish_at)
        reversion.set_comment(comment + (f": {note}" if note else ""))
        reversion.add_to_revision(fresh)
    # Mail after commit (articles/notifications.py); withdrawing tells nobody.
    kind = notifications.KIND_OF_ACTION.get(transition.action)
    if kind:
        notifications.article_moved(kind=kind, article=article, actor=user, note=note)
    return article


# The named steps, for code and the shell; each is ``perform`` with its action.


def submit_for_review(*, article, user, note=""):
    """A writer hands a draft to the editors."""
    return perform("submit", article=article, user=user, note=note)


def withdraw(*, article, user, note=""):
    """The writer takes an article back from review to keep working on it."""
    return perform("withdraw", article=article, user=user, note=note)


def publish_article(*, article, editor, note=""):
    """Publish now. A scheduled article goes out at once; a republished one keeps its date."""
    return perform("publish", article=article, user=editor, note=note)


def schedule_article(*, article, editor, publish_at, note=""):
    """Publish at a future time. Readers see it from then on, decided at read time."""
    return perform("schedule", article=article, user=editor, note=note, publish_at=publish_at)


def return_to_writer(*, article, editor, note):
    """Send an article in review (or scheduled) back to its writer as a draft, with a note."""
    return perform("return", article=article, user=editor, note=note)


def unpublish_article(*, article, editor, note=""):
    """Take a published (or scheduled) article off the site; its address then answers 404."""
    return perform("unpublish", article=article, user=editor, note=note)


@transaction.atomic
def set_featured(*, articles, editor, featured, order=None):
    """Feature or unfeature articles on the home page; returns how many changed."""
    if not can_feature(editor):
        raise PermissionDenied("Not allowed.")
    fields = {"is_featured": featured}
    if order is not None:
        fields["feature_order"] = order
    return Article.objects.filter(pk__in=[a.pk for a in articles]).update(
        version=F("version") + 1, **fields
    )


# --- Saving -----------------------------------------------------------------------------


@transaction.atomic
def save_article(article, **kwargs):
    """Save *article* with the rows a save implies: every write path calls this.

    ``Article.save()`` only derives fields (cleaned body, slug). Here, in the same
    transaction, a changed slug leaves a redirect from the old address and every post on X
    embedded in the body gets its Tweet row.
    """
    old_slug = None
    if article.pk:
        old_slug = Article.objects.filter(pk=article.pk).values_list("slug", flat=True).first()
    article.save(**kwargs)
    record_slug_change(article=article, old_slug=old_slug)
    create_missing_tweets(html=article.body)
    pictures.sync_body_images(article)
    return article


@transaction.atomic
def save_page(page, **kwargs):
    """Save a standing page and create the Tweet rows its body embeds."""
    page.save(**kwargs)
    create_missing_tweets(html=page.body)
    pictures.sync_body_images(page)
    return page


@transaction.atomic
def restore_version(*, article, version, user):
    """Bring back the words, byline and tags of an earlier version, as a new revision.

    Status, dates and placement on the home page are left alone: restoring text never
    publishes or unpublishes anything.
    """
    if not can_edit(user, article):
        raise PermissionDenied("You cannot change this article.")
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
    with reversion.create_revision():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        for name in fields:
            if name in data:
                setattr(locked, name, data[name])
        locked.version = F("version") + 1
        save_article(locked)
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


def joins_byline_on_create(user):
    """Whether saving a new article puts *user* on its byline: journalists yes; editors, who
    also file others' copy, byline by hand."""
    return not is_editor(user)


def add_writer_to_byline(*, article, user):
    """Put a journalist's own byline on an article they create, if the byline lacks it."""
    if not joins_byline_on_create(user):
        return
    author = author_for_user(user)
    if not article.bylines.filter(author=author).exists():
        last = article.bylines.order_by("-position").values_list("position", flat=True).first()
        ArticleAuthor.objects.create(
            article=article, author=author, position=0 if last is None else last + 1
        )
