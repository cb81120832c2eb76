from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jtvc import pagecache
from tests.factories import make_article, make_site_settings, make_user

pytestmark = pytest.mark.django_db


def test_second_anonymous_visit_is_served_from_cache_without_queries(
    client, django_assert_num_queries
):
    article = make_article(title="Cached story")
    first = client.get(article.get_absolute_url())
    with django_assert_num_queries(0):
        second = client.get(article.get_absolute_url())
    assert second.content.decode().count("Cached story") >= 1
    assert first["ETag"] == second["ETag"]
    assert "Last-Modified" in second


def test_shared_pages_carry_one_policy_without_a_nonce(client):
    make_article()
    policies = set()
    for _ in range(2):
        response = client.get(reverse("articles:home"))
        policies.add(response["Content-Security-Policy"])
        assert "nonce" not in response["Content-Security-Policy"]
        assert "nonce=" not in response.content.decode()
        assert pagecache.NONCE_PLACEHOLDER not in response.content.decode()
    assert len(policies) == 1
    assert "script-src 'self'" in policies.pop()


def test_any_content_change_invalidates_cached_pages(client, django_capture_on_commit_callbacks):
    article = make_article(title="Before the edit")
    assert "Before the edit" in client.get(reverse("articles:home")).content.decode()
    # Invalidation waits for the commit; the test's own transaction never commits, so each
    # write is followed by what a commit runs.
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "After the edit"
        article.save()
    assert "After the edit" in client.get(reverse("articles:home")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        make_site_settings(about_blurb="A brand new blurb")
    assert "A brand new blurb" in client.get(reverse("articles:home")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        article.tags.add("fresh-tag")
    assert "fresh-tag" in client.get(reverse("articles:home")).content.decode()


def test_nothing_is_invalidated_before_the_commit(client, django_capture_on_commit_callbacks):
    article = make_article(title="Committed headline")
    client.get(reverse("articles:home"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        type(article).objects.filter(pk=article.pk).update(title="Not yet committed")
    # A reader arriving before the commit may cache the old page...
    assert "Committed headline" in client.get(reverse("articles:home")).content.decode()
    for callback in callbacks:
        callback()
    # ...and the commit invalidates it.
    assert "Not yet committed" in client.get(reverse("articles:home")).content.decode()


def test_conditional_requests_answer_304(client):
    make_article()
    url = reverse("articles:list")
    first = client.get(url)
    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert "Content-Security-Policy" not in again
    since = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
    assert since.status_code == 304
    feed = client.get(reverse("articles:feed"))
    assert (
        client.get(reverse("articles:feed"), headers={"if-none-match": feed["ETag"]}).status_code
        == 304
    )


def test_a_scheduled_article_bounds_the_cache_lifetime(
    settings, django_capture_on_commit_callbacks
):
    settings.JTVC_PAGE_CACHE_TIMEOUT = 300
    assert pagecache.page_timeout() == 300
    with django_capture_on_commit_callbacks(execute=True):
        make_article(published_at=timezone.now() + timedelta(seconds=40))
    assert 1 <= pagecache.page_timeout() <= 40


def test_staff_always_get_a_fresh_page(client):
    article = make_article(title="Old headline")
    client.get(reverse("articles:home"))
    staff = Client()
    staff.force_login(make_user(is_staff=True))
    staff.get(reverse("articles:home"))
    # Its invalidation waits for a commit this test never makes: only a fresh render shows it.
    type(article).objects.filter(pk=article.pk).update(title="Quietly changed")
    assert "Quietly changed" in staff.get(reverse("articles:home")).content.decode()
    assert "Old headline" in client.get(reverse("articles:home")).content.decode()


def test_cache_can_be_switched_off(client, settings, django_assert_num_queries):
    settings.JTVC_PAGE_CACHE = False
    make_article()
    client.get(reverse("articles:list"))
    # Rendered again: the page's articles and their bylines (the list's count is a memo
    # that the page cache setting does not turn off)
    with django_assert_num_queries(2):
        client.get(reverse("articles:list"))


def test_page_cache_works_on_real_redis(
    client, redis_cache, django_assert_num_queries, django_capture_on_commit_callbacks
):
    article = make_article(title="Stored in Redis")
    client.get(article.get_absolute_url())
    with django_assert_num_queries(0):
        assert "Stored in Redis" in client.get(article.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Changed in Redis"
        article.save()
    assert "Changed in Redis" in client.get(article.get_absolute_url()).content.decode()


class RedisMonitor:
    """The commands clients send to a Redis server (MONITOR), not counting a script's own."""

    def __init__(self, server):
        import redis

        self.client = redis.Redis(port=server.port)
        self.sender = redis.Redis(port=server.port)
        self.sender.ping()  # its connection is made before watching starts
        self.commands = []

    def __enter__(self):
        import threading

        self.monitor = self.client.monitor().__enter__()  # MONITOR is on when this returns
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()
        return self

    def _read(self):
        while True:
            command = self.monitor.next_command()
            if "monitor-done" in command["command"]:
                return
            if command["client_type"] != "lua":
                self.commands.append(command["command"].split()[0].upper())

    def __exit__(self, *exc):
        self.sender.echo("monitor-done")
        self.thread.join(timeout=10)
        self.monitor.__exit__(*exc)


def test_a_hit_on_redis_is_one_round_trip(client, redis_cache):
    article = make_article(title="One trip")
    client.get(article.get_absolute_url())
    with RedisMonitor(redis_cache) as seen:
        response = client.get(article.get_absolute_url())
    assert "One trip" in response.content.decode()
    assert response["Cache-Control"].startswith("public")
    # The generation, the page, its keys' stamps and the scheduled-change memo: one script.
    assert seen.commands == ["EVALSHA"], seen.commands


def test_on_redis_a_hit_still_sees_invalidations_and_new_generations(
    client, redis_cache, django_capture_on_commit_callbacks
):
    article = make_article(title="First words")
    other = make_article(title="Unrelated story")
    client.get(article.get_absolute_url())
    client.get(other.get_absolute_url())
    # A change behind the cache's back (no invalidation) does not show on a cached page ...
    type(other).objects.filter(pk=other.pk).update(title="Changed quietly")
    assert "Unrelated story" in client.get(other.get_absolute_url()).content.decode()
    # ... an invalidated key does ...
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Second words"
        article.save()
    assert "Second words" in client.get(article.get_absolute_url()).content.decode()
    # ... until a new generation (site settings, ALL) empties everything.
    with django_capture_on_commit_callbacks(execute=True):
        make_site_settings(tagline="A new tagline")
    assert "Changed quietly" in client.get(other.get_absolute_url()).content.decode()


def test_on_redis_a_scheduled_article_bounds_a_hits_shared_lifetime(
    client, redis_cache, settings, django_capture_on_commit_callbacks
):
    article = make_article(title="Cached")
    client.get(article.get_absolute_url())
    assert "s-maxage=3600" in client.get(article.get_absolute_url())["Cache-Control"]
    with django_capture_on_commit_callbacks(execute=True):
        make_article(published_at=timezone.now() + timedelta(seconds=40))
    client.get(article.get_absolute_url())  # the memo of the next change is renewed
    hit = client.get(article.get_absolute_url())
    max_age = int(hit["Cache-Control"].split("s-maxage=")[1].split(",")[0])
    assert 1 <= max_age <= 40
