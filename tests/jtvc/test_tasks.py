"""Slow work on the task worker: the database backend for real, the worker run in-process."""

from datetime import timedelta
from unittest import mock

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from media_app import renditions
from media_app.models import Image
from media_app.services import import_image
from tests.factories import make_user
from tests.media_app import corpus

pytestmark = pytest.mark.django_db

ADD = reverse("admin:media_app_image_add")
RESULTS = reverse("admin:django_tasks_database_dbtaskresult_changelist")


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


def run_worker():
    """What `manage.py db_worker --batch` does: run every ready task, then stop.

    In-process, inside the test's transaction: the worker's connection housekeeping
    (``close_old_connections``, which closes a connection found inside a transaction) is
    left out, or it would close the test's own connection on PostgreSQL.
    """
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        _run_worker()


def _run_worker():
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def statuses():
    return sorted(DBTaskResult.objects.values_list("status", flat=True))


def rendered(image):
    return Template('{% load media_tags %}{% image img "card" %}').render(Context({"img": image}))


def test_the_upload_answers_before_renditions_and_readers_get_the_original_until_then(client):
    client.force_login(make_user(groups=["Journalists"]))
    response = client.post(
        ADD,
        {
            "files": corpus.upload("boat.jpg", corpus.jpeg(1600, 900)),
            "alt_text": "A boat",
            "licence": "staff",
        },
    )
    assert response.status_code == 302
    image = Image.objects.get()
    assert image.widths == [] and statuses() == ["READY"]
    html = rendered(image)
    assert f'src="{image.original_url}"' in html and "srcset" not in html
    assert image.crop_url("16:9") == image.original_url

    run_worker()

    image.refresh_from_db()
    assert statuses() == ["SUCCESSFUL"]
    assert [e["w"] for e in image.widths] == [320, 640, 960, 1280, 1600]
    html = rendered(image)
    assert "srcset" in html and "w640.webp 640w" in html
    assert image.crop_url("16:9").endswith("crop-16x9-f50x50.jpg")


def test_running_a_rendition_task_twice_changes_nothing(media_store):
    image = import_image(file=corpus.upload("a.jpg", corpus.jpeg()), alt_text="x")
    run_worker()
    image.refresh_from_db()
    made, files = image.renditions, media_store.names()
    from media_app.tasks import make_renditions

    result = make_renditions.enqueue(image.pk)
    run_worker()
    result.refresh()
    assert result.return_value == "up to date"
    image.refresh_from_db()
    assert image.renditions == made and media_store.names() == files


def test_a_task_for_a_deleted_image_has_nothing_to_do():
    image = import_image(file=corpus.upload("a.jpg", corpus.jpeg()), alt_text="x")
    Image.objects.filter(pk=image.pk).delete()
    run_worker()
    assert DBTaskResult.objects.get().return_value == "gone"


def test_failures_are_retried_up_to_the_limit_and_shown_to_site_admins(
    settings, monkeypatch, client, media_store
):
    settings.JTVC_TASK_MAX_ATTEMPTS = 2

    def broken(*args, **kwargs):
        raise OSError("the bucket did not answer")

    monkeypatch.setattr(renditions, "make_crops", broken)
    image = import_image(file=corpus.upload("a.jpg", corpus.jpeg()), alt_text="x")

    run_worker()
    assert statuses() == ["FAILED", "READY"]
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after > timezone.now() + timedelta(seconds=20)  # not at once
    run_worker()
    assert statuses() == ["FAILED", "READY"]  # not due yet

    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()
    assert statuses() == ["FAILED", "FAILED"]  # the limit: nothing more queued
    image.refresh_from_db()
    assert image.widths == [] and media_store.names() == [image.file.name]  # no partial files

    client.force_login(make_user(groups=["Site admins"]))
    page = client.get(RESULTS + "?status__exact=FAILED")
    assert page.status_code == 200
    assert page.context["cl"].result_count == 2
    assert "make_renditions" in page.content.decode()
    detail = client.get(reverse("admin:django_tasks_database_dbtaskresult_change", args=[retry.pk]))
    assert "the bucket did not answer" in detail.content.decode()

    client.force_login(make_user(groups=["Journalists"]))
    assert client.get(RESULTS).status_code == 403


def test_a_new_focal_point_keeps_the_old_crops_until_the_worker_has_made_new_ones(client):
    image = import_image(file=corpus.upload("a.jpg", corpus.jpeg(1600, 900)), alt_text="x")
    run_worker()
    image.refresh_from_db()
    old = image.crop_url("1:1")
    client.force_login(make_user(is_superuser=True))
    response = client.post(
        reverse("admin:media_app_image_change", args=[image.pk]),
        {"focal_x": "0.9", "focal_y": "0.2", "alt_text": "x", "licence": "staff"},
    )
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.crop_url("1:1") == old
    run_worker()
    image.refresh_from_db()
    assert "f90x20" in image.crop_url("1:1")


def test_the_oembed_lookup_runs_on_the_worker_and_retries_when_x_does_not_answer(
    settings, monkeypatch
):
    from articles import oembed
    from articles.models import Tweet
    from articles.tasks import fill_tweet_text

    settings.JTVC_TWEET_OEMBED = True
    settings.JTVC_TASK_MAX_ATTEMPTS = 3
    tweet = Tweet.objects.create(
        tweet_id="1790000000000000555", handle="jtvc_he", url="https://x.com/jtvc_he/status/1"
    )

    def unreachable(url, timeout):
        raise OSError("timed out")

    monkeypatch.setattr(oembed.urllib.request, "urlopen", unreachable)
    monkeypatch.setattr(oembed.fetch_tweet_text, "__kwdefaults__", {"opener": unreachable})
    fill_tweet_text.enqueue(tweet.pk)
    run_worker()
    assert statuses() == ["FAILED", "READY"]
