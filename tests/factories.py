"""Plain factory functions: keyword defaults, and a test states only what it depends on."""

import hashlib
import io
import itertools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image as PILImage

from articles import services
from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    Correction,
    Page,
    Section,
    SiteSettings,
    Tweet,
)
from media_app.models import Image

_seq = itertools.count(1)


def next_n():
    return next(_seq)


def make_user(*, username=None, password="a-long-test-password", groups=(), **fields):
    """A newsroom user; ``groups`` names roles, e.g. ``groups=["Journalists"]``."""
    username = username or f"user{next_n()}"
    fields.setdefault("is_staff", bool(groups) or fields.get("is_superuser", False))
    user = get_user_model().objects.create_user(username=username, password=password, **fields)
    for name in groups:
        group, _ = Group.objects.get_or_create(name=name)
        user.groups.add(group)
    return user


def jpeg_bytes(*, width=64, height=48, color=(200, 60, 40), comment=b""):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), color).save(buffer, "JPEG", quality=85, comment=comment)
    return buffer.getvalue()


def make_image(*, width=64, height=48, alt_text="A red rectangle", credit="Test Desk/JTVC", **f):
    """An Image row with a real JPEG behind it (stored directly, not through the upload policy)."""
    # The comment makes every factory image's bytes (and so its SHA-256) unique; similar
    # solid colours can compress to identical JPEGs.
    data = jpeg_bytes(
        width=width,
        height=height,
        color=f.pop("color", (200, 60, 40)),
        comment=f"factory image {next_n()}".encode(),
    )
    image = Image(
        alt_text=alt_text,
        credit=credit,
        width=width,
        height=height,
        format="JPEG",
        byte_size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        **f,
    )
    image.file.save("test.jpg", ContentFile(data), save=False)
    image.save()
    return image


def make_section(*, name=None, **fields):
    name = name or f"Section {next_n()}"
    fields.setdefault("slug", name.lower().replace(" ", "-"))
    return Section.objects.create(name=name, **fields)


def make_author(*, name=None, **fields):
    return Author.objects.create(name=name or f"Author {next_n()}", **fields)


def make_article(
    *,
    title=None,
    status=Article.Status.PUBLISHED,
    published_at=None,
    authors=None,
    tags=(),
    section=None,
    dek="Why this story matters, in one sentence.",
    body="<p>The body of the story.</p>",
    **fields,
):
    """A published article by one new author, unless told otherwise.

    ``published_at`` defaults to an hour ago for published articles, and stays empty for
    drafts; pass a future time to schedule.
    """
    if published_at is None and status == Article.Status.PUBLISHED:
        published_at = timezone.now() - timedelta(hours=1)
    article = services.save_article(
        Article(
            title=title or f"Story number {next_n()}",
            status=status,
            published_at=published_at,
            section=section,
            dek=dek,
            body=body,
            **fields,
        )
    )
    for position, author in enumerate(authors if authors is not None else [make_author()]):
        ArticleAuthor.objects.create(article=article, author=author, position=position)
    if tags:
        article.tags.add(*tags)
    return article


def make_tweet(*, tweet_id=None, handle="jtvc_news", text="A post about the news.", **fields):
    tweet_id = tweet_id or str(1_700_000_000_000_000_000 + next_n())
    fields.setdefault("url", f"https://x.com/{handle}/status/{tweet_id}")
    fields.setdefault("author_name", "JTVC News")
    fields.setdefault("language", "en")
    return Tweet.objects.create(tweet_id=tweet_id, handle=handle, text=text, **fields)


def make_page(*, title="About us", slug="about", body="<p>Who we are.</p>", **fields):
    return services.save_page(Page(title=title, slug=slug, body=body, **fields))


def make_correction(*, article, text="An earlier version misspelt a name.", **fields):
    return Correction.objects.create(article=article, text=text, **fields)


def make_site_settings(**fields):
    settings = SiteSettings.load()
    for name, value in fields.items():
        setattr(settings, name, value)
    settings.save()
    return settings


def make_library_image(
    *, seed=None, width=800, height=450, alt_text="Shapes on a gradient", **meta
):
    """An Image that went through the upload policy, with its WebP widths and crops."""
    from media_app.demo import demo_picture
    from media_app.services import import_image

    seed = next_n() if seed is None else seed
    meta.setdefault("credit", "Test Desk/JTVC")
    return import_image(
        file=ContentFile(demo_picture(seed=seed, width=width, height=height), name="demo.jpg"),
        alt_text=alt_text,
        **meta,
    )
