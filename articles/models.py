import hashlib

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

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
RTL_LANGUAGES = {"he", "ar", "fa", "ur", "yi"}


def unique_slug(model, text, *, instance_pk=None, max_length=200, field="slug"):
    """A unicode slug for *text* that no other row of *model* has.

    Hebrew, Arabic and other scripts are kept (``allow_unicode``); text that yields nothing
    (emoji only, punctuation only) falls back to a short hash, so every title gets a URL.
    """
    base = slugify(text, allow_unicode=True)[: max_length - 10].strip("-")
    if not base:
        base = "item-" + hashlib.sha1(text.encode()).hexdigest()[:8]
    candidate, n = base, 2
    others = model._default_manager.exclude(pk=instance_pk)
    while others.filter(**{field: candidate}).exists():
        candidate, n = f"{base}-{n}", n + 1
    return candidate


class Section(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True, allow_unicode=True)
    description = models.TextField(blank=True, help_text="Shown at the top of the section page.")
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first in menus.")

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
    slug = models.SlugField(max_length=140, unique=True, allow_unicode=True)
    role = models.CharField(
        max_length=120, blank=True, help_text="E.g. “Staff writer” or “Guest contributor”."
    )
    bio = models.TextField(blank=True, help_text="Two or three sentences, shown in author boxes.")
    photo = models.ForeignKey(
        Image, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField(blank=True, help_text="Not shown to readers.")
    website = models.URLField(blank=True)
    x_handle = models.CharField("X / Twitter handle", max_length=15, blank=True)
    mastodon = models.CharField(max_length=120, blank=True, help_text="@name@server")
    bluesky = models.CharField(max_length=120, blank=True, help_text="name.bsky.social")
    is_guest = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Author, self.name, instance_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:author", args=[self.slug])


class ArticleQuerySet(models.QuerySet):
    def published(self, *, now=None):
        """What readers may see: published, and not scheduled for later.

        Every public view, feed, sitemap and tag goes through this one method.
        """
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=now or timezone.now())

    def scheduled(self, *, now=None):
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=now or timezone.now())

    def indexable(self):
        return self.published().filter(noindex=False)

    def by_author(self, author):
        return self.filter(authors=author)

    def visible_to(self, user):
        """What a newsroom user may open in the admin.

        Editors and site admins see everything; a journalist sees published work and
        articles they write or co-write, never a colleague's unpublished draft.
        """
        if user.is_superuser or user.has_perm("articles.edit_any_article"):
            return self
        return self.filter(
            Q(status=Article.Status.PUBLISHED) | Q(authors__user=user) | Q(created_by=user)
        ).distinct()


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
    language = models.CharField(max_length=8, choices=LANGUAGES, default="en")
    seo_title = models.CharField(
        max_length=70, blank=True, help_text="For search results; the headline if empty."
    )
    seo_description = models.CharField(
        max_length=160, blank=True, help_text="For search results; the standfirst if empty."
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
        ]
        permissions = [
            ("edit_any_article", "Can edit any article, whoever wrote it"),
            ("publish_article", "Can publish, schedule and unpublish articles"),
            ("feature_article", "Can feature articles on the home page"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Derived fields only; the workflow lives in articles/services.py.
        from articles import services
        from articles.richtext import clean_html

        self.body = clean_html(self.body)
        if not self.slug:
            self.slug = unique_slug(Article, self.title, instance_pk=self.pk)
        old_slug = None
        if self.pk:
            old_slug = Article.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
        with transaction.atomic():
            super().save(*args, **kwargs)
            services.record_slug_change(article=self, old_slug=old_slug)
            services.create_missing_tweets(html=self.body)

    def get_absolute_url(self):
        return reverse("articles:detail", args=[self.slug])

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
            and self.published_at > timezone.now()
        )

    @property
    def text_direction(self):
        return "rtl" if self.language in RTL_LANGUAGES else "ltr"

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
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.article}: {self.from_status or '—'} → {self.to_status}"


class Correction(models.Model):
    """A dated note appended to an article, shown to readers under the body."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    text = models.TextField(help_text="What was wrong and what is right now.")
    created_at = models.DateTimeField(default=timezone.now)

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
    text = models.TextField(blank=True, help_text="Paste the post's text exactly.")
    language = models.CharField(max_length=8, blank=True, help_text="E.g. en, he.")
    posted_at = models.DateTimeField(null=True, blank=True)
    media = models.ForeignKey(
        Image, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

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


class Page(models.Model):
    """A standing page such as About."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    body = models.TextField(blank=True)
    seo_description = models.CharField(max_length=160, blank=True)
    language = models.CharField(max_length=8, choices=LANGUAGES, default="en")
    is_published = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        from articles import services
        from articles.richtext import clean_html

        self.body = clean_html(self.body)
        with transaction.atomic():
            super().save(*args, **kwargs)
            services.create_missing_tweets(html=self.body)

    def get_absolute_url(self):
        if self.slug == "about":
            return reverse("articles:about")
        return reverse("articles:page", args=[self.slug])


class SiteSettings(models.Model):
    """The one row of site-wide settings, edited by editors and site admins."""

    site_name = models.CharField(max_length=80, default="JTVC")
    tagline = models.CharField(max_length=160, blank=True)
    about_blurb = models.TextField(
        "“About Us” blurb", blank=True, help_text="A short paragraph shown on the home page."
    )
    footer_credit = models.CharField(max_length=200, blank=True)
    founding_year = models.PositiveSmallIntegerField(default=2021)
    x_handle = models.CharField("X / Twitter handle", max_length=15, blank=True)
    facebook_url = models.URLField(blank=True)
    instagram_url = models.URLField(blank=True)
    youtube_url = models.URLField(blank=True)
    mastodon_url = models.URLField(blank=True)
    logo = models.ForeignKey(
        Image, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    default_share_image = models.ForeignKey(
        Image, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

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
