"""Two people at once: the row lock makes the second one wait and then see the first's change.

PostgreSQL only: SQLite serialises writers for the whole database, so there is no race to show.
"""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.forms import modelform_factory

from articles import services
from articles.models import Article, StatusChange
from articles.newsroom.forms import ArticleAdminForm
from tests.factories import make_article, make_image, make_section, make_user

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def run_in_threads(*targets):
    errors = []

    def wrap(target):
        def run():
            try:
                target()
            except Exception as error:  # reported by the assertion below
                errors.append(error)
            finally:
                connections.close_all()

        return run

    threads = [threading.Thread(target=wrap(t)) for t in targets]
    for thread in threads:
        thread.start()
        time.sleep(0.05)
    for thread in threads:
        thread.join(timeout=20)
    return errors


def test_two_editors_publishing_at_once_publish_once():
    boss_a, boss_b = make_user(groups=["Editors"]), make_user(groups=["Editors"])
    article = make_article(
        status=Article.Status.IN_REVIEW, section=make_section(), lead_image=make_image()
    )

    def publish(editor):
        return lambda: services.publish_article(
            article=Article.objects.get(pk=article.pk), editor=editor
        )

    errors = run_in_threads(publish(boss_a), publish(boss_b))
    assert len(errors) == 1 and isinstance(errors[0], services.WorkflowError)
    assert StatusChange.objects.filter(article=article).count() == 1


# The admin form, limited to the text fields (the admin drops status and dates the same way).
EditForm = modelform_factory(
    Article, form=ArticleAdminForm, fields=["title", "slug", "dek", "body", "language"]
)


def test_two_saves_of_the_same_version_at_once_refuse_the_second():
    article = make_article(title="Shared", body="<p>Original</p>")
    first_holds_lock = threading.Event()
    results = {}

    def data(body):
        return {
            "title": "Shared",
            "slug": article.slug,
            "dek": article.dek,
            "body": body,
            "language": "en",
            "loaded_version": str(article.version),
        }

    def first():
        with transaction.atomic():
            form = EditForm(data("<p>First</p>"), instance=Article.objects.get(pk=article.pk))
            results["first_valid"] = form.is_valid()
            results["first_errors"] = form.errors.as_text()
            first_holds_lock.set()
            time.sleep(0.5)  # the second save arrives while this one is still open
            saved = form.save(commit=False)
            saved.version = article.version + 1
            saved.save()

    def second():
        first_holds_lock.wait(5)
        with transaction.atomic():
            form = EditForm(data("<p>Second</p>"), instance=Article.objects.get(pk=article.pk))
            results["second_valid"] = form.is_valid()
            results["second_errors"] = form.non_field_errors()

    errors = run_in_threads(first, second)
    assert errors == [], results
    assert results["first_valid"] is True, results["first_errors"]
    assert results["second_valid"] is False
    assert "Someone else saved this article" in str(results["second_errors"])
    assert Article.objects.get(pk=article.pk).body == "<p>First</p>"
