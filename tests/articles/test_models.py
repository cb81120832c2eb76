from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, SiteSettings
from tests.factories import make_article, make_author, make_image, make_user

pytestmark = pytest.mark.django_db


def test_published_excludes_drafts_and_scheduled_articles():
    live = make_article()
    make_article(status=Article.Status.DRAFT)
    make_article(status=Article.Status.IN_REVIEW)
    make_article(published_at=timezone.now() + timedelta(minutes=1))
    assert list(Article.objects.published()) == [live]


def test_scheduled_article_becomes_visible_on_time_with_nothing_running():
    at = timezone.now() + timedelta(minutes=1)
    article = make_article(published_at=at)
    assert not Article.objects.published(now=at - timedelta(seconds=1)).filter(pk=article.pk)
    assert Article.objects.published(now=at).filter(pk=article.pk).exists()


def test_hebrew_and_emoji_titles_get_working_unique_slugs():
    hebrew = make_article(title="שלום עולם")
    again = make_article(title="שלום עולם")
    emoji = make_article(title="🎉🎉")
    assert hebrew.slug == "שלום-עולם"
    assert again.slug == "שלום-עולם-2"
    assert emoji.slug.startswith("item-")


def test_published_article_must_have_a_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(title="No date", status=Article.Status.PUBLISHED)


def test_lead_image_cannot_be_deleted_while_used():
    from django.db.models import ProtectedError

    image = make_image()
    make_article(lead_image=image)
    with pytest.raises(ProtectedError):
        image.delete()


def test_journalist_sees_own_and_published_work_but_not_a_colleagues_draft():
    writer = make_user(groups=["Journalists"])
    colleague = make_author()
    mine = make_article(status=Article.Status.DRAFT, authors=[make_author(user=writer)])
    theirs = make_article(status=Article.Status.DRAFT, authors=[colleague])
    live = make_article(authors=[colleague])
    visible = set(Article.objects.visible_to(writer))
    assert mine in visible and live in visible
    assert theirs not in visible


def test_site_settings_is_one_row():
    SiteSettings(site_name="First").save()
    SiteSettings(site_name="Second").save()
    assert SiteSettings.objects.count() == 1
    assert SiteSettings.load().site_name == "Second"
