"""Degrade, don't fail: a real Redis stopped (or frozen) under the page cache.

Each test starts its own redis-server (tests/redis_server.py) and stops it; the machine's
shared Redis is never touched.
"""

import logging
import time

import pytest
from django.urls import reverse

from articles import services
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def reader_urls(article):
    return [
        reverse("articles:home"),
        article.get_absolute_url(),
        article.section.get_absolute_url(),
        reverse("articles:tag", args=["ferries"]),
        article.bylines.get().author.get_absolute_url(),
        reverse("articles:list"),
        reverse("articles:feed"),
        reverse("articles:sitemap"),
    ]


def test_reader_pages_answer_while_redis_is_down_and_health_says_degraded(
    client, redis_cache, settings, caplog
):
    settings.JTVC_CACHE_RETRY_SECONDS = 300
    article = make_article(title="Ferries run late", section=make_section(), tags=["ferries"])
    urls = reader_urls(article)
    for url in urls:
        assert client.get(url).status_code == 200
    assert client.get(reverse("healthz")).json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
    }

    redis_cache.stop()
    with caplog.at_level(logging.DEBUG):
        for _ in range(3):
            for url in urls:
                response = client.get(url)
                assert response.status_code == 200, url
                if url != reverse("articles:sitemap"):
                    assert "Ferries run late" in response.content.decode(), url
        health = client.get(reverse("healthz"))
    assert health.status_code == 200
    assert health.json() == {"status": "degraded", "database": "ok", "cache": "unreachable"}
    # Twenty-four pages and a health check: one line in the log, not one per request.
    logged = [r for r in caplog.records if r.name.startswith("jtvc")]
    assert len(logged) == 1, [r.getMessage() for r in logged]
    assert "unreachable" in logged[0].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR and r is not logged[0]]


def test_a_change_made_while_redis_was_frozen_is_not_hidden_when_it_comes_back(
    client, redis_cache, settings, django_capture_on_commit_callbacks
):
    settings.JTVC_CACHE_RETRY_SECONDS = 1
    article = make_article(title="Before the outage", section=make_section(), tags=["ferries"])
    url = article.get_absolute_url()
    assert "Before the outage" in client.get(url).content.decode()  # now cached in Redis

    redis_cache.pause()  # connections time out; the cached page is still in there
    try:
        with django_capture_on_commit_callbacks(execute=True):
            article.title = "Written during the outage"
            services.save_article(article)  # the invalidation cannot reach Redis
        assert "Written during the outage" in client.get(url).content.decode()
    finally:
        redis_cache.resume()

    time.sleep(1.2)  # the retry interval
    # Redis answers again and still holds the old page: it must not be served.
    assert "Written during the outage" in client.get(url).content.decode()
    assert "Written during the outage" in client.get(url).content.decode()
    assert client.get(reverse("healthz")).json()["cache"] == "ok"
