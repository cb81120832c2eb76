"""Shared-cache headers, precise invalidation of the page cache, and the purge backends."""

import http.server
import threading

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from jtvc import edge
from tests.factories import make_article, make_image, make_section, make_tweet, make_user

pytestmark = pytest.mark.django_db
Status = Article.Status


def editor_client():
    client = Client()
    # A superuser: transactional tests empty the tables, the role groups' rows included.
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def workflow(client, article, action, **fields):
    return client.post(
        reverse("admin:articles_article_workflow", args=[article.pk]),
        {"action": action, **fields},
    )


def test_anonymous_pages_are_shareable_and_name_what_they_show(client):
    section = make_section(name="Harbour")
    article = make_article(title="Lamps again", section=section, tags=["lamps"])
    other = make_article(title="Another story")
    pages = {
        "home": reverse("articles:home"),
        "article": article.get_absolute_url(),
        "list": reverse("articles:list"),
        "section": section.get_absolute_url(),
        "tag": reverse("articles:tag", args=["lamps"]),
        "feed": reverse("articles:feed"),
        "sitemap": reverse("articles:sitemap"),
        "search": reverse("articles:search") + "?q=lamps",
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        control = response["Cache-Control"]
        assert control.startswith("public, max-age=0, s-maxage="), name
        assert "stale-while-revalidate=" in control and "stale-if-error=" in control, name
        keys = response[edge.SURROGATE_HEADER].split()
        assert "site" in keys, name
    article_keys = client.get(pages["article"])[edge.SURROGATE_HEADER].split()
    assert f"article:{article.pk}" in article_keys
    assert f"article:{other.pk}" not in article_keys
    assert f"section:{section.pk}" not in article_keys  # publishing in the section: no purge
    home_keys = client.get(pages["home"])[edge.SURROGATE_HEADER].split()
    assert {"home", "lists", f"article:{article.pk}", f"article:{other.pk}"} <= set(home_keys)
    section_keys = client.get(pages["section"])[edge.SURROGATE_HEADER].split()
    assert f"section:{section.pk}" in section_keys
    # The second answer comes from the page cache, with the same keys.
    again = client.get(pages["article"])
    assert again[edge.SURROGATE_HEADER].split() == article_keys


def test_shared_policy_is_strict_and_the_same_for_every_reader(client):
    article = make_article()
    policies = {client.get(article.get_absolute_url())["Content-Security-Policy"] for _ in "ab"}
    assert len(policies) == 1
    policy = policies.pop()
    assert "nonce" not in policy and "unsafe-inline" not in policy
    assert "script-src 'self' https://platform.twitter.com" in policy


def test_signed_in_staff_get_private_pages_without_keys():
    article = make_article()
    staff = Client()
    staff.force_login(make_user(is_staff=True))
    for url in (reverse("articles:home"), article.get_absolute_url()):
        response = staff.get(url)
        assert response["Cache-Control"].startswith("private"), url
        assert edge.SURROGATE_HEADER not in response


def test_a_draft_shown_to_staff_is_never_shareable():
    draft = make_article(status=Status.DRAFT)
    staff = Client()
    staff.force_login(make_user(is_staff=True, is_superuser=True))
    response = staff.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "public" not in response["Cache-Control"]
    assert edge.SURROGATE_HEADER not in response


@pytest.mark.django_db(transaction=True)
def test_publishing_keeps_unrelated_article_pages_in_the_page_cache(
    client, django_assert_num_queries
):
    # Everything is in place before readers come (a new section changes every page's menu).
    section = make_section()
    unrelated = make_article(title="Unrelated story", section=section)
    ready = make_article(
        title="Fresh from the newsroom",
        status=Status.IN_REVIEW,
        section=section,
        lead_image=make_image(),
    )
    editor = editor_client()
    listed = reverse("articles:list")
    client.get(unrelated.get_absolute_url())
    client.get(listed)
    response = workflow(editor, ready, "publish", note="Go", confirmed="1")
    assert response.status_code == 302
    ready.refresh_from_db()
    assert ready.is_published()
    # The list shows the new story at once...
    assert "Fresh from the newsroom" in client.get(listed).content.decode()
    # ...while the unrelated article is still served from the cache, without a query.
    with django_assert_num_queries(0):
        assert "Unrelated story" in client.get(unrelated.get_absolute_url()).content.decode()


@pytest.mark.django_db(transaction=True)
def test_an_edit_refreshes_the_article_and_the_pages_with_its_card(client):
    article = make_article(title="First headline")
    neighbour = make_article(title="Neighbour")
    for url in (article.get_absolute_url(), reverse("articles:home")):
        client.get(url)
    client.get(neighbour.get_absolute_url())
    article.title = "Second headline"
    article.save()
    assert "Second headline" in client.get(article.get_absolute_url()).content.decode()
    assert "Second headline" in client.get(reverse("articles:home")).content.decode()


def test_keys_of_a_change_reach_the_page_cache_and_all_reaches_everything(
    client, django_assert_num_queries
):
    from jtvc import invalidation

    article = make_article(title="Keyed")
    url = article.get_absolute_url()
    client.get(url)
    invalidation.deliver(frozenset({"article:999999", "tag:999999"}))
    with django_assert_num_queries(0):
        client.get(url)
    invalidation.deliver(frozenset({f"article:{article.pk}"}))
    assert client.get(url).status_code == 200
    with django_assert_num_queries(0):
        client.get(url)
    invalidation.deliver(frozenset({invalidation.ALL}))
    client.get(url)
    with django_assert_num_queries(0):
        client.get(url)


def test_a_stale_page_is_rendered_again(client, django_assert_max_num_queries):
    from jtvc import invalidation

    article = make_article(title="Keyed")
    url = article.get_absolute_url()
    client.get(url)
    invalidation.deliver(frozenset({f"article:{article.pk}"}))
    with django_assert_max_num_queries(20) as captured:
        client.get(url)
    assert len(captured) > 0


class Recorder(http.server.BaseHTTPRequestHandler):
    seen = []

    def _record(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {name.lower(): value for name, value in self.headers.items()}
        Recorder.seen.append((self.command, self.path, headers, body))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    do_POST = do_PURGE = _record

    def log_message(self, *args):
        pass


@pytest.fixture
def recorder():
    Recorder.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_fastly_purge_sends_the_surrogate_keys_with_the_token(settings, recorder):
    settings.JTVC_EDGE_PURGE = "fastly"
    settings.JTVC_FASTLY_API_URL = recorder
    settings.JTVC_FASTLY_SERVICE_ID = "SVC123"
    settings.JTVC_FASTLY_API_TOKEN = "token-abc"
    assert edge.purge(frozenset({"article:7", "lists", "*"})) == 1
    method, path, headers, _ = Recorder.seen[-1]
    assert (method, path) == ("POST", "/service/SVC123/purge")
    assert headers["fastly-key"] == "token-abc"
    assert headers["surrogate-key"].split() == ["article:7", "lists", "site"]


def test_varnish_purge_goes_to_every_cache(settings, recorder):
    settings.JTVC_EDGE_PURGE = "varnish"
    settings.JTVC_VARNISH_URLS = [recorder, recorder + "/"]
    assert edge.purge(frozenset({"tag:3"})) == 2
    assert [(m, h["xkey-purge"]) for m, _, h, _ in Recorder.seen] == [("PURGE", "tag:3")] * 2


def test_a_purge_that_fails_is_logged_and_the_write_goes_through(settings, caplog):
    settings.JTVC_EDGE_PURGE = "varnish"
    settings.JTVC_VARNISH_URLS = ["http://127.0.0.1:9"]  # nothing listens on discard
    settings.JTVC_EDGE_PURGE_TIMEOUT = 1
    assert edge.purge(frozenset({"article:1"})) == 0
    assert "Edge purge PURGE http://127.0.0.1:9/ failed" in caplog.text


def test_no_purge_backend_sends_nothing(settings, recorder):
    settings.JTVC_EDGE_PURGE = "none"
    assert edge.purge(frozenset({"article:1"})) == 0
    assert Recorder.seen == []


def test_tag_page_carries_its_tag_key(client):
    from taggit.models import Tag

    make_article(tags=["harbour"])
    tag = Tag.objects.get(name="harbour")
    keys = client.get(reverse("articles:tag", args=["harbour"]))[edge.SURROGATE_HEADER].split()
    assert f"tag:{tag.pk}" in keys


def test_shared_pages_are_compressed_and_pages_with_secrets_are_not(client):
    article = make_article(title="Squeezed")
    for url in (reverse("articles:home"), article.get_absolute_url(), reverse("articles:feed")):
        response = client.get(url, headers={"accept-encoding": "gzip"})
        assert response["Content-Encoding"] == "gzip", url
        assert "Accept-Encoding" in response["Vary"], url
    plain = client.get(article.get_absolute_url())
    assert not plain.has_header("Content-Encoding")
    # The login form carries a CSRF token: never compressed (BREACH).
    login = client.get(reverse("admin:login"), headers={"accept-encoding": "gzip"})
    assert "csrfmiddlewaretoken" in login.content.decode()
    assert not login.has_header("Content-Encoding")


def test_a_page_cache_hit_is_not_compressed_again(client, monkeypatch):
    """The page cache keeps the gzip bytes beside the page: a hit only sends them."""
    import gzip

    from django.middleware import gzip as gzip_middleware

    from jtvc import pagecache

    article = make_article(title="Squeezed once")
    url = article.get_absolute_url()
    plain = client.get(url).content  # stored, with its gzip bytes
    calls = []
    for module in (gzip_middleware, pagecache):
        real = getattr(module, "compress_string", gzip_middleware.compress_string)
        monkeypatch.setattr(
            module,
            "compress_string",
            lambda *a, real=real, **k: calls.append(1) or real(*a, **k),
            raising=False,
        )

    hit = client.get(url, headers={"accept-encoding": "gzip, br"})

    assert hit["Content-Encoding"] == "gzip"
    assert gzip.decompress(hit.content) == plain
    assert "Accept-Encoding" in hit["Vary"]
    assert hit["ETag"].startswith('W/"')
    assert hit["Cache-Control"].startswith("public")
    assert calls == []
    # A client that takes no gzip still gets the plain page from the same entry.
    again = client.get(url)
    assert again.content == plain
    assert not again.has_header("Content-Encoding")
    # Revalidation with the compressed answer's ETag is a 304.
    assert client.get(url, headers={"if-none-match": hit["ETag"]}).status_code == 304


@pytest.mark.django_db(transaction=True)
def test_correcting_an_embedded_posts_text_refreshes_the_article_page(client):
    tweet = make_tweet(tweet_id="1790000000000000077", text="The first words of the post.")
    article = make_article(body=f'<p>Before.</p><oembed url="{tweet.url}"></oembed><p>After.</p>')
    first = client.get(article.get_absolute_url())
    assert "The first words of the post." in first.content.decode()
    # Shared caches are told which post the page shows, by X's id.
    assert "post:1790000000000000077" in first["Surrogate-Key"].split()
    tweet.text = "The corrected words of the post."
    tweet.save()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "The corrected words of the post." in page
    assert "The first words of the post." not in page
