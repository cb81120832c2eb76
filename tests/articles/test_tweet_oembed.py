import http.server
import io
import json
import threading
import urllib.error
from contextlib import contextmanager
from unittest import mock

import pytest
from django.urls import reverse

from articles.models import Tweet
from articles.oembed import ENDPOINT, LookupFailed, fetch_tweet_text
from tests.factories import make_user

pytestmark = pytest.mark.django_db

ANSWER = {
    "author_name": "JTVC בעברית",
    "html": '<blockquote class="twitter-tweet"><p lang="he" dir="rtl">הפנסים דולקים שוב '
    '&amp; הנמל מואר<br>הערב</p>&mdash; JTVC (@jtvc_he) <a href="https://x.com/x">date</a>'
    "</blockquote>",
}


class Answer(io.BytesIO):
    def __init__(self, data, url):
        super().__init__(data)
        self.url = url

    def geturl(self):
        return self.url


class FakeTransport:
    """Stands in for urlopen: records the address asked for, answers from memory
    (from *answered_from*, by default the address asked for)."""

    def __init__(self, answer=None, error=None, answered_from=None):
        self.answer, self.error, self.calls = answer, error, []
        self.answered_from = answered_from

    @contextmanager
    def __call__(self, url, timeout):  # the shape of oembed._open
        self.calls.append((url, timeout))
        if self.error:
            raise self.error
        yield Answer(json.dumps(self.answer).encode(), self.answered_from or url)


def needs_text():
    return Tweet.objects.create(
        tweet_id="1790000000000000555", handle="jtvc_he", url="https://x.com/jtvc_he/status/1"
    )


def test_lookup_can_be_switched_off(settings):
    settings.JTVC_TWEET_OEMBED = False
    transport = FakeTransport(ANSWER)
    with pytest.raises(LookupFailed, match="switched off"):
        fetch_tweet_text(needs_text(), opener=transport)
    assert transport.calls == []


def test_lookup_asks_only_the_fixed_endpoint_and_fills_the_text(settings):
    settings.JTVC_TWEET_OEMBED = True
    transport = FakeTransport(ANSWER)
    tweet = needs_text()
    assert fetch_tweet_text(tweet, opener=transport)
    ((url, timeout),) = transport.calls
    assert url.startswith(ENDPOINT + "?") and timeout <= 5
    assert "x.com%2Fjtvc_he%2Fstatus%2F1790000000000000555" in url
    tweet.refresh_from_db()
    assert tweet.text == "הפנסים דולקים שוב & הנמל מואר\nהערב"
    assert tweet.language == "he" and tweet.author_name == "JTVC בעברית"


def test_lookup_failure_is_reported_not_raised_in_the_admin(settings, client):
    settings.JTVC_TWEET_OEMBED = True
    tweet = needs_text()
    with pytest.raises(LookupFailed):
        fetch_tweet_text(tweet, opener=FakeTransport(error=OSError("timed out")))
    client.force_login(make_user(groups=["Editors"]))
    response = client.get(reverse("admin:articles_tweet_changelist"))
    choices = [v for v, _ in response.context["action_form"].fields["action"].choices]
    assert "fetch_text" in choices
    settings.JTVC_TWEET_OEMBED = False
    response = client.get(reverse("admin:articles_tweet_changelist"))
    assert response.context["action_form"] is None or "fetch_text" not in [
        v for v, _ in response.context["action_form"].fields["action"].choices
    ]


def test_an_answer_from_anywhere_but_the_endpoint_is_refused(settings):
    settings.JTVC_TWEET_OEMBED = True
    tweet = needs_text()
    transport = FakeTransport(ANSWER, answered_from="http://169.254.169.254/latest/meta-data")
    with pytest.raises(LookupFailed, match="did not come from"):
        fetch_tweet_text(tweet, opener=transport)
    tweet.refresh_from_db()
    assert tweet.text == ""


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits = []
    location = ""

    def do_GET(self):
        type(self).hits.append(self.path)
        if self.path.startswith("/oembed"):
            self.send_response(302)
            self.send_header("Location", type(self).location)
        else:
            self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_a_redirect_from_the_endpoint_is_not_followed(settings, monkeypatch):
    """A real HTTP exchange on loopback: the 'endpoint' redirects, nothing follows it."""
    settings.JTVC_TWEET_OEMBED = True
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    port = server.server_address[1]
    _Recorder.hits, _Recorder.location = [], f"http://127.0.0.1:{port}/private-metadata"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        settings.JTVC_TWEET_OEMBED_ENDPOINT = f"http://127.0.0.1:{port}/oembed"
        with pytest.raises(LookupFailed, match="redirect"):
            fetch_tweet_text(needs_text())
    finally:
        server.shutdown()
        server.server_close()
    assert len(_Recorder.hits) == 1 and _Recorder.hits[0].startswith("/oembed")


@pytest.mark.parametrize(
    ("error", "passing"),
    [
        (OSError("timed out"), True),
        (urllib.error.HTTPError(ENDPOINT, 503, "busy", {}, None), True),
        (urllib.error.HTTPError(ENDPOINT, 429, "slow down", {}, None), True),
        (urllib.error.HTTPError(ENDPOINT, 404, "gone", {}, None), False),
        (urllib.error.HTTPError(ENDPOINT, 403, "private", {}, None), False),
    ],
)
def test_only_failures_that_may_pass_are_retried(settings, error, passing):
    """HTTPError is an OSError: a deleted post (404) must not be asked about five times."""
    from articles.tasks import XDidNotAnswer, fill_tweet_text

    settings.JTVC_TWEET_OEMBED = True
    settings.JTVC_TASK_MAX_ATTEMPTS = 1
    with pytest.raises(LookupFailed) as raised:
        fetch_tweet_text(needs_text(), opener=FakeTransport(error=error))
    assert raised.value.passing is passing
    tweet = Tweet.objects.get()
    expected = XDidNotAnswer if passing else LookupFailed
    with (
        pytest.raises(expected),
        mock.patch.object(
            fetch_tweet_text, "__kwdefaults__", {"opener": FakeTransport(error=error)}
        ),
    ):
        fill_tweet_text.call(tweet.pk)
