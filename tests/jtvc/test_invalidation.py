"""The after-commit invalidation path (jtvc.invalidation), seen by a recording backend."""

import logging

import pytest
from django.db import transaction
from taggit.models import Tag

from articles.models import Article, ArticleAuthor, Section
from jtvc import invalidation
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def delivered():
    batches = []

    def record(keys):
        batches.append(set(keys))

    invalidation.register_backend(record)
    yield batches
    invalidation.unregister_backend(record)


def test_keys_are_delivered_once_per_transaction_after_the_commit(delivered):
    section = make_section()
    delivered.clear()
    with transaction.atomic():
        article = make_article(section=section, tags=["tides"])
        assert delivered == []  # nothing before the commit
    assert len(delivered) == 1
    keys = delivered[0]
    tag = Tag.objects.get(name="tides")
    assert {f"article:{article.pk}", f"section:{section.pk}", f"tag:{tag.pk}", "home"} <= keys


def test_a_rolled_back_write_delivers_nothing(delivered):
    article = make_article()
    delivered.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(title="Never happened")
        raise RuntimeError
    assert delivered == []


def test_querysets_that_send_no_signal_invalidate_too(delivered):
    article = make_article()
    author = make_author()
    delivered.clear()
    Article.objects.filter(pk=article.pk).update(is_featured=True)
    assert f"article:{article.pk}" in delivered[-1]
    ArticleAuthor.objects.bulk_create([ArticleAuthor(article=article, author=author, position=5)])
    assert f"author:{author.pk}" in delivered[-1]
    Article.objects.bulk_update([article], ["title"])
    assert f"article:{article.pk}" in delivered[-1]


def test_what_every_page_shows_invalidates_everything(delivered):
    section = make_section()
    delivered.clear()
    Section.objects.filter(pk=section.pk).update(name="Renamed")
    assert invalidation.ALL in delivered[-1]


def test_a_failing_backend_is_logged_and_never_fails_the_write(delivered, caplog):
    def broken(keys):
        raise ConnectionError("purge endpoint down")

    invalidation.register_backend(broken)
    try:
        with caplog.at_level(logging.ERROR):
            article = make_article(title="Saved anyway")
    finally:
        invalidation.unregister_backend(broken)
    assert Article.objects.filter(pk=article.pk, title="Saved anyway").exists()
    assert delivered  # the other backends still heard of it
    assert any("backend" in r.getMessage() for r in caplog.records)


def test_jtvc_names_no_model_of_the_apps():
    from pathlib import Path

    import jtvc

    for path in Path(jtvc.__file__).parent.glob("*.py"):
        if path.name == "settings.py" or path.name == "urls.py":
            continue  # they name apps as strings (INSTALLED_APPS, include())
        text = path.read_text()
        assert "from articles" not in text and "import articles" not in text, path.name
        assert "from media_app" not in text, path.name
