from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItem

from articles.richtext import clean_html
from articles.slugs import unique_slug
from jtvc import languages
from jtvc.invalidation import WatchedQuerySet
from media_app.models import Image

LANGUAGES = [
    ("en", "English"),
    ("he", "Hebrew"),
    ("ar", "Arabic"),
    ("fr", "French"),
    ("es", "Spanish"),
    ("de", "German"),
    ("ru", "Russian"),
]
RTL_LANGUAGES = languages.RTL_LANGUAGES


class Section(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(
        max_length=80,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text="The section's address. Filled from the name when left empty.",
    )
    description = models.TextField(
        blank=True, max_length=1000, help_text="Shown at the top of the section page."
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first in menus.")

    objects = WatchedQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", args=[self.slug])


class Author(models.Model):
    """A public byline. Guest contributors have no user account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
        help_text="The newsroom account behind this byline; empty for guest contributors.",
    )
    name = models.CharField(max_length=120, help_text="As it appears in the byline.")
    slug = models.SlugField(
        max_length=140,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text="The byline's address. Filled from the name when left empty.",
    )
    role = models.CharField(
        max_length=120, blank=True, help_text="E.g. “Staff writer” or “Guest contributor”."
    )
    bio = models.TextField(
        blank=True, max_length=2000, help_text="Two or three sentences, shown in author boxes."
    )
    photo = models.ForeignKey(
        Image, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField(blank=True, help_text="Not shown to readers.")
    website = models.URLField(blank=True)
    x_handle = models.CharField("X / Twitter handle", max_length=15, blank=True)
    mastodon = models.CharField(max_length=120, blank=True, help_text="@name@server")
    bluesky = models.CharField(max_length=120, blank=True, help_text="name.bsky.social")
    is_guest = models.BooleanField(default=False)

    objects = WatchedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                Author, self.name, instance_pk=self.pk, max_length=140, prefix="author"
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:author", args=[self.slug])


RECENT_POOL = 500  # the newest articles that home-page blocks and suggestions draw from


def bylines_prefetch(*, photos=False):
    """The byline of each article in order, authors joined (and their photos, if asked)."""
    related = ["author", "author__photo"] if photos else ["author"]
    return Prefetch(
        "bylines",
        queryset=ArticleAuthor.objects.select_related(*related).order_by("position", "id"),
    )


def prefetch_bylines(articles):
    """One query for the bylines of every article in *articles* (cards from several queries)."""
    articles = [a for a in articles if a is not None]
    if articles:
        prefetch_related_objects(articles, bylines_prefetch())
    return articles


def _can_see_drafts(user):
    """Newsroom staff who may open unpublished work at all (their own, or everyone's)."""
    return bool(
        user and user.is_active and user.is_staff and user.has_perm("articles.view_article")
    )


def _edits_everything(user):
    return user.is_superuser or user.has_perm("articles.edit_any_article")


class ArticleQuerySet(WatchedQuerySet):
    """Who may see which articles, and the reads the pages make. The only home of both."""

    # --- Who sees what ------------------------------------------------------------------

    def published(self, *, now=None):
        """What readers may see: published, and not scheduled for later.

        Every public view, feed, sitemap and tag goes through this method (or
        ``visible_to``, which is this method for anyone outside the newsroom).
        """
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=now or timezone.now())

    def scheduled(self, *, now=None):
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=now or timezone.now())

    def indexable(self):
        """Published and not kept out of search engines: feeds and sitemaps."""
        return self.published().filter(noindex=False)

    def other_versions(self, article):
        """The other language versions of *article*: its original and the original's
        translations (one level: a translation always points at the original)."""
        root = article.translation_of_id or article.pk
        return (
            self.filter(Q(pk=root) | Q(translation_of_id=root))
            .exclude(pk=article.pk)
            .order_by("language", "pk")
        )

    def visible_to(self, user):
        """What *user* may open, on the reader site and in the admin alike.

        Readers (and any account outside the newsroom) see ``published()``. Editors and
        site admins see everything. A journalist sees published work (scheduled included)
        and the articles they write, co-write or created; never a colleague's draft.
        """
        if not _can_see_drafts(user):
            return self.published()
        if _edits_everything(user):
            return self
        mine = ArticleAuthor.objects.filter(author__user=user).values("article_id")
        return self.filter(Q(status=Article.Status.PUBLISHED) | Q(pk__in=mine) | Q(created_by=user))

    # --- Reads ----------------------------------------------------------------------------

    def for_cards(self):
        """With what a card shows (section, lead image); the body, which no card shows and
        which is most of a row's bytes, is left behind."""
        return self.select_related("section", "lead_image").defer("body")

    def with_bylines(self, *, photos=False):
        return self.prefetch_related(bylines_prefetch(photos=photos))

    def for_page(self):
        """What the article page shows but its bylines, in three queries (the page reads the
        bylines together with its related cards': ``bylines_prefetch(photos=True)``).

        ``has_translations`` rides along in the first, so an article without other language
        versions costs no query to find that out (see ``language_versions``).
        """
        return (
            self.select_related("section", "lead_image", "social_image")
            .annotate(
                has_translations=Exists(Article.objects.filter(translation_of=OuterRef("pk")))
            )
            .prefetch_related("tags", "corrections")
        )

    def language_versions(self, article):
        """*article*'s versions in other languages among these rows, as a list; no query
        when a row from ``for_page()`` says it has none."""
        if not (article.translation_of_id or getattr(article, "has_translations", True)):
            return []
        return list(
            self.other_versions(article).only("slug", "title", "language", "translation_of_id")
        )

    def newest_first(self):
        return self.order_by("-published_at", "-id")

    def by_author(self, author):
        return self.filter(bylines__author=author)

    def tagged(self, slug):
        return self.filter(tags__slug=slug)

    def with_tag(self, tag, *, walk=False):
        """Articles tagged *tag*.

        Joined (the default), the database reads every tagged article and sorts them: right
        for a tag on a small share of the archive. With *walk*, each article is tested for
        the tag (``EXISTS``), so PostgreSQL can walk the newest-first index and stop once a
        page is full: at 100,000 posts a page of a tag on 2,900 of them takes 1.3 ms instead
        of 12. Walking a tag on few articles visits most of the archive, so the caller
        chooses (``reader.views.walk_is_shorter``); the rows are the same either way.
        """
        if not walk:
            return self.filter(tags=tag)
        tagged = TaggedItem.objects.filter(
            content_type_id=ContentType.objects.get_for_model(Article).pk,  # cached per process
            object_id=OuterRef("pk"),
            tag_id=tag.pk,
        )
        return self.filter(Exists(tagged))

    def recent(self, n=RECENT_POOL):
        """A subquery of the *n* newest: a bounded pool, whatever the archive's size."""
        return self.newest_first().values("pk")[:n]

    def related_to(self, article, *, limit=4):
        """ "You may also like": hand-picked first, then by shared tags and section.

        Suggestions come from the recent pool only (news readers want what is current, and
        the ranking stays cheap): articles sharing a tag or among the section's 100 newest,
        ordered by the number of shared tags, then newest. Two queries; never *article*.
        """
        picked = list(
            self.filter(
                pk__in=Article.related.through.objects.filter(from_article=article).values(
                    "to_article"
                )
            )
            .exclude(pk=article.pk)
            .order_by("-published_at")[:limit]
        )
        tagged = TaggedItem.objects.filter(
            tag_id__in=[t.pk for t in article.tags.all()],
            content_type__app_label="articles",
            content_type__model="article",
        )
        alike = Q(pk__in=tagged.values("object_id"))
        if article.section_id:
            alike |= Q(pk__in=self.filter(section_id=article.section_id).recent(100))
        alike &= Q(pk__in=self.recent())
        shared = (
            tagged.filter(object_id=OuterRef("pk"))
            .values("object_id")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        )
        similar = (
            self.exclude(pk__in=[article.pk, *[a.pk for a in picked]])
            .filter(alike)
            .annotate(shared=Coalesce(Subquery(shared), 0))
            .order_by("-shared", "-published_at", "-id")
        )
        return (picked + list(similar[:limit]))[:limit]

    def popular_tags(self, limit=20):
        """The tags used most by the recent pool of these articles (one query)."""
        return list(
            Tag.objects.filter(
                taggit_taggeditem_items__object_id__in=self.recent(),
                taggit_taggeditem_items__content_type__app_label="articles",
                taggit_taggeditem_items__content_type__model="article",
            )
            .annotate(n=Count("taggit_taggeditem_items"))
            .order_by("-n", "name")[:limit]
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")

    title = models.CharField(max_length=200, help_text="The headline.")
    slug = models.SlugField(
        max_length=200,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text="The article's address. Filled from the headline; changing it later keeps "
        "the old address working.",
    )
    dek = models.TextField(
        "standfirst",
        max_length=400,
        blank=True,
        help_text="One or two sentences under the headline that say why the story matters.",
    )
    body = models.TextField(blank=True)
    lead_image = models.ForeignKey(
        Image,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_for_articles",
        help_text="Needs alt text and a credit before the article can be published.",
    )
    lead_image_caption = models.CharField(
        max_length=300, blank=True, help_text="Leave empty to use the image's own caption."
    )
    authors = models.ManyToManyField(
        Author, through="ArticleAuthor", related_name="articles", blank=True
    )
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.PROTECT, related_name="articles"
    )
    tags = TaggableManager(
        blank=True,
        help_text="Comma-separated, e.g. “harbour, city council”. Reuse the tags in the list "
        "filter where you can.",
    )
    status = models.CharField(max_length=12, choices=Status, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When readers first see it. A time in the future schedules the article.",
    )
    updated_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set only for a significant update; readers see “Updated …”.",
    )
    is_featured = models.BooleanField(
        "featured", default=False, help_text="Show under “Feature Posts” on the home page."
    )
    feature_order = models.PositiveSmallIntegerField(
        default=0, help_text="Lower comes first among featured stories."
    )
    related = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="+",
        help_text="Hand-picked for “You may also like”, before the automatic suggestions.",
    )
    language = models.CharField(
        max_length=8,
        choices=LANGUAGES,
        default="en",
        help_text="The language of the text: readers' browsers set direction, hyphenation "
        "and voice by it. Proposed from the headline and body; change it if it is wrong.",
    )
    translation_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        help_text="The original article, when this one is its translation. Readers get a "
        "link to each published version, and search engines the alternate address.",
    )
    seo_title = models.CharField(
        "SEO title",
        max_length=70,
        blank=True,
        help_text="For search results; the headline if empty.",
    )
    seo_description = models.CharField(
        "SEO description",
        max_length=160,
        blank=True,
        help_text="For search results; the standfirst if empty.",
    )
    social_image = models.ForeignKey(
        Image,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="social_for_articles",
        help_text="For share cards; the lead image if empty.",
    )
    noindex = models.BooleanField(
        default=False, help_text="Ask search engines not to index this article."
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="created_articles",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "published_at"]),
            # The home page's "Feature Posts": featured, published, already public.
            models.Index(fields=["is_featured", "status", "published_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(updated_at__isnull=True)
                | Q(published_at__isnull=False, updated_at__gte=F("published_at")),
                name="article_updated_after_published",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "review", "published", "unpublished"]),
                name="article_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(translation_of=F("pk")),
                name="article_not_translation_of_itself",
            ),
        ]
        permissions = [
            ("edit_any_article", "Can edit any article, whoever wrote it"),
            ("publish_article", "Can publish, schedule and unpublish articles"),
            ("feature_article", "Can feature articles on the home page"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Derived fields only. Rows that follow from a save (old addresses, tweet snapshots)
        # are written by articles.services.save_article, which every write path calls.
        self.body = clean_html(self.body)
        if not self.slug:
            self.slug = unique_slug(Article, self.title, instance_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", args=[self.slug])

    def clean(self):
        from django.core.exceptions import ValidationError

        original = self.translation_of
        if original is None:
            return
        if self.pk and original.pk == self.pk:
            raise ValidationError({"translation_of": "An article cannot translate itself."})
        if original.translation_of_id:
            raise ValidationError(
                {
                    "translation_of": f"“{original}” is itself a translation; choose the "
                    "original it translates."
                }
            )
        if original.language == self.language:
            raise ValidationError(
                {"translation_of": "The original is in the same language as this article."}
            )
        if self.pk and self.translations.exists():
            raise ValidationError(
                {
                    "translation_of": "Other articles are translations of this one, so it is an "
                    "original: link those to the original instead."
                }
            )

    # The same rule as ArticleQuerySet.published() / scheduled(), for a row already loaded
    # (the "not published" banner, the admin's buttons).

    def is_published(self, *, now=None):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= (now or timezone.now())
        )

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and not self.is_published()
        )

    @property
    def text_direction(self):
        return languages.direction(self.language)

    @property
    def caption(self):
        if self.lead_image_caption:
            return self.lead_image_caption
        return self.lead_image.caption if self.lead_image else ""


class ArticleAuthor(models.Model):
    """An article's byline, in order."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(default=0)

    objects = WatchedQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_author_once"),
        ]

    def __str__(self):
        return f"{self.author} on {self.article}"


class SlugRedirect(models.Model):
    """An article's earlier address, answered with a permanent redirect."""

    old_slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_slugs")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WatchedQuerySet.as_manager()

    def __str__(self):
        return f"{self.old_slug} → {self.article.slug}"


class StatusChange(models.Model):
    """The workflow log: who moved an article from one status to another, when, and why."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="status_changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=12, choices=Article.Status, blank=True)
    to_status = models.CharField(max_length=12, choices=Article.Status)
    note = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.article}: {self.from_status or '—'} → {self.to_status}"


class Correction(models.Model):
    """A dated note appended to an article, shown to readers under the body."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    text = models.TextField(max_length=2000, help_text="What was wrong and what is right now.")
    created_at = models.DateTimeField(default=timezone.now)

    objects = WatchedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Correction to {self.article} on {self.created_at:%Y-%m-%d}"


class Tweet(models.Model):
    """A stored snapshot of a post on X/Twitter, rendered without any third-party script."""

    url = models.URLField(max_length=300, help_text="The post's address on x.com or twitter.com.")
    tweet_id = models.CharField(max_length=32, unique=True, editable=False)
    author_name = models.CharField(max_length=120, blank=True)
    handle = models.CharField(max_length=15, blank=True, help_text="Without the @.")
    text = models.TextField(
        blank=True, max_length=10_000, help_text="Paste the post's text exactly."
    )
    language = models.CharField(max_length=8, blank=True, help_text="E.g. en, he.")
    posted_at = models.DateTimeField(null=True, blank=True)
    media = models.ForeignKey(
        Image, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WatchedQuerySet.as_manager()

    class Meta:
        ordering = ["-posted_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(tweet_id=""), name="tweet_id_required"),
        ]

    def __str__(self):
        return f"@{self.handle}/{self.tweet_id}" if self.handle else self.tweet_id

    @property
    def needs_text(self):
        return not self.text.strip()


class PageQuerySet(WatchedQuerySet):
    def published(self):
        return self.filter(is_published=True)

    def visible_to(self, user):
        """Readers see published pages; newsroom staff also see the others (with a banner)."""
        if user and user.is_active and user.is_staff and user.has_perm("articles.view_page"):
            return self
        return self.published()


class Page(models.Model):
    """A standing page such as About."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    body = models.TextField(blank=True)
    seo_description = models.CharField(
        "SEO description",
        max_length=160,
        blank=True,
        help_text="For search results and share cards; the site's “About Us” blurb if empty.",
    )
    language = models.CharField(max_length=8, choices=LANGUAGES, default="en")
    is_published = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Derived fields only; articles.services.save_page also records its tweets.
        self.body = clean_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        if self.slug == "about":
            return reverse("articles:about")
        return reverse("articles:page", args=[self.slug])

    @property
    def text_direction(self):
        return languages.direction(self.language)


def _profile_address(label, example):
    """A link to one of the newsroom's profiles elsewhere, shown in the footer."""
    return models.URLField(label, blank=True, help_text=f"The full address, e.g. {example}.")


class SiteSettings(models.Model):
    """The one row of site-wide settings, edited by editors and site admins."""

    site_name = models.CharField(max_length=80, default="JTVC")
    tagline = models.CharField(max_length=160, blank=True)
    about_blurb = models.TextField(
        "“About Us” blurb",
        blank=True,
        max_length=2000,
        help_text="A short paragraph shown on the home page.",
    )
    footer_credit = models.CharField(max_length=200, blank=True)
    founding_year = models.PositiveSmallIntegerField(default=2021)
    x_handle = models.CharField("X / Twitter handle", max_length=15, blank=True)
    facebook_url = _profile_address("Facebook page", "https://www.facebook.com/yourpage")
    instagram_url = _profile_address("Instagram profile", "https://www.instagram.com/yourname")
    youtube_url = _profile_address("YouTube channel", "https://www.youtube.com/@yourchannel")
    mastodon_url = _profile_address("Mastodon profile", "https://mastodon.social/@yourname")
    logo = models.ForeignKey(
        Image, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    default_share_image = models.ForeignKey(
        Image, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = WatchedQuerySet.as_manager()

    class Meta:
        verbose_name = "site settings"
        verbose_name_plural = "site settings"
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="site_settings_one_row")]

    def __str__(self):
        return "Site settings"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj


# --- The desk: notification preferences, pictures in bodies, go-live notices -----------------


class NewsroomProfile(models.Model):
    """A newsroom person's own settings: which mails they want, which sections they edit."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="newsroom_profile"
    )
    notify_submitted = models.BooleanField(
        "a story is submitted for review",
        default=True,
        help_text="Editors: a writer hands in a story (for your sections, or any when no "
        "editor has chosen its section).",
    )
    notify_returned = models.BooleanField(
        "my story is returned to me", default=True, help_text="With the editor's note."
    )
    notify_scheduled = models.BooleanField("my story is scheduled", default=True)
    notify_published = models.BooleanField("my story is published", default=True)
    notify_unpublished = models.BooleanField(
        "my story is taken down", default=True, help_text="With the reason given."
    )
    notify_went_live = models.BooleanField(
        "a scheduled story goes live",
        default=True,
        help_text="Editors: a story scheduled in advance is now on the site.",
    )
    sections = models.ManyToManyField(
        Section,
        blank=True,
        related_name="+",
        verbose_name="sections I edit",
        help_text="Editors: submissions in these sections come to you. Leave empty to hear "
        "about sections nobody has chosen.",
    )

    KINDS = (
        "submitted",
        "returned",
        "scheduled",
        "published",
        "unpublished",
        "went_live",
    )

    class Meta:
        verbose_name = "newsroom profile"

    def __str__(self):
        return f"Profile of {self.user}"

    def wants(self, kind):
        return getattr(self, f"notify_{kind}")


class BodyImage(models.Model):
    """A library picture placed inside an article's or a page's body.

    Kept current on every save of the article or page (``articles.pictures``), rebuilt from
    all bodies by ``manage.py rebuild_image_usage``. PROTECT: the database itself refuses to
    delete a picture a body still shows.
    """

    image = models.ForeignKey(Image, on_delete=models.PROTECT, related_name="+")
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="body_images"
    )
    page = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.CASCADE, related_name="body_images"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(article__isnull=False, page__isnull=True)
                | Q(article__isnull=True, page__isnull=False),
                name="body_image_one_owner",
            ),
            models.UniqueConstraint(fields=["image", "article"], name="body_image_once_article"),
            models.UniqueConstraint(fields=["image", "page"], name="body_image_once_page"),
        ]

    def __str__(self):
        return f"{self.image} in {self.article or self.page}"


class GoLiveNotice(models.Model):
    """A scheduled publication whose "now live" mail is owed (sent_at empty) or sent.

    Made when an article is scheduled; the mail goes when the time has come and the article
    is still scheduled for that very time. ``sent_at`` is claimed with one conditional
    UPDATE, so two runs never both send.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    publish_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "publish_at"], name="go_live_once"),
        ]
        indexes = [models.Index(fields=["sent_at", "publish_at"])]

    def __str__(self):
        return f"{self.article} live at {self.publish_at:%Y-%m-%d %H:%M}"


class Autosave(models.Model):
    """Unsaved words from the article form, kept per person until they save or discard them.

    One row per (user, article) — or per user for an article not yet created. It is never
    copied into the article by itself: the writer chooses to restore it, and a save from the
    restored form still passes the edit-conflict check against the version it started from.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="article_autosaves"
    )
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="autosaves"
    )
    base_version = models.PositiveIntegerField(
        default=0, help_text="The article's version the writer had loaded when typing began."
    )
    data = models.JSONField(default=dict, help_text="Field name → typed value.")
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"], name="autosave_once_per_user_article"
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(article__isnull=True),
                name="autosave_once_per_user_new_article",
            ),
        ]

    def __str__(self):
        return f"Autosave by {self.user} of {self.article or 'a new article'}"
