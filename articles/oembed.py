"""Fill a Tweet's snapshot (text, name, language, date) from X's public oEmbed endpoint.

On by default (``JTVC_TWEET_OEMBED``; a newsroom without outside network turns it off and
types the text into the card instead). Safe by construction:

- only the configured endpoint is contacted (``JTVC_TWEET_OEMBED_ENDPOINT``, X's fixed
  address by default; tests point it at a local fake server), with a post address rebuilt
  from the parsed handle and id, so nothing a user typed is ever fetched (no SSRF);
- redirects are refused, the answer is capped at 64 KB and the wait at
  ``JTVC_TWEET_OEMBED_TIMEOUT`` seconds;
- the text is cleaned to plain text. Failures raise ``LookupFailed`` with a sentence for the
  journalist; callers report them and never fail a save because of X.

Two callers, one lookup: the post card of the writing desk asks while the journalist waits
(one try, the timeout above), and everything else goes through the one background task,
``articles.tasks.fill_tweet_text``, which retries with back-off when the failure may pass
(``LookupFailed.passing``: X unreachable, slow, overloaded or rate-limiting) and never for a
refusal (an unknown post, a redirect, an oversized or foreign answer).
"""

import html
import json
import re
import urllib.error
import urllib.request
from datetime import datetime
from urllib.parse import urlencode

import nh3
from django.conf import settings
from django.utils import timezone

from articles.embeds import canonical_status_url

ENDPOINT = "https://publish.twitter.com/oembed"
MAX_BYTES = 64 * 1024
_FIRST_PARAGRAPH = re.compile(r"<p(?P<attrs>[^>]*)>(?P<text>.*?)</p>", re.S | re.I)
_LANG = re.compile(r'lang="(?P<lang>[a-zA-Z-]{2,8})"')
# The date is the text of the last link in X's blockquote: "November 30, 2026".
_DATE = re.compile(r">(?P<date>[A-Z][a-z]+ \d{1,2}, \d{4})</a>\s*</blockquote>")


class LookupFailed(Exception):
    """A lookup that gave no text; ``passing`` when asking again later may work."""

    def __init__(self, message, *, passing=False):
        super().__init__(message)
        self.passing = passing


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise urllib.error.HTTPError(req.full_url, code, "redirects are not followed", headers, fp)


def _open(url, timeout):
    # No proxy from the environment either: the request goes to the endpoint and nowhere else.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects)
    return opener.open(url, timeout=timeout)


def endpoint():
    return settings.JTVC_TWEET_OEMBED_ENDPOINT or ENDPOINT


def timeout():
    return float(settings.JTVC_TWEET_OEMBED_TIMEOUT)


def enabled():
    return bool(settings.JTVC_TWEET_OEMBED)


def oembed_url(tweet):
    query = urlencode(
        {
            "url": canonical_status_url(tweet.handle or "i", tweet.tweet_id),
            "omit_script": "1",
            "dnt": "true",
        }
    )
    return f"{endpoint()}?{query}"


def fetch_tweet_text(tweet, *, opener=_open):
    """Fill ``tweet``'s text, language, author name and date from oEmbed; save; return True.

    ``opener(url, timeout)`` returns a response to read; tests may pass a fake.
    """
    if not enabled():
        raise LookupFailed("The lookup at X is switched off here (JTVC_TWEET_OEMBED).")
    try:
        with opener(oembed_url(tweet), timeout()) as response:
            answered_from = response.geturl() if hasattr(response, "geturl") else endpoint()
            if not str(answered_from).startswith(endpoint()):
                raise LookupFailed("The answer did not come from X's endpoint; it was refused.")
            raw = response.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            raise LookupFailed("X's answer was too large.")
        data = json.loads(raw.decode("utf-8"))
    except urllib.error.HTTPError as error:
        if error.code == 404:
            raise LookupFailed("X does not know this post (deleted, or private).") from error
        if 300 <= error.code < 400:
            raise LookupFailed(
                f"X's endpoint answered with a redirect ({error.code}); it is not followed."
            ) from error
        # Overloaded or rate-limiting: worth another try later; anything else is a refusal.
        busy = error.code == 429 or error.code >= 500
        raise LookupFailed(f"X answered {error.code}.", passing=busy) from error
    except OSError as error:  # refused, unreachable, timed out
        raise LookupFailed("X could not be reached.", passing=True) from error
    except ValueError as error:
        raise LookupFailed("X's answer was not readable.") from error
    if not isinstance(data, dict):
        raise LookupFailed("X's answer held no post text.")
    markup = str(data.get("html", ""))
    match = _FIRST_PARAGRAPH.search(markup)
    if not match:
        raise LookupFailed("X's answer held no post text.")
    text = nh3.clean(re.sub(r"<br\s*/?>", "\n", match["text"]), tags=set()).strip()
    if not text:
        raise LookupFailed("X's answer held no post text.")
    tweet.text = html.unescape(text)
    lang = _LANG.search(match["attrs"])
    if lang and not tweet.language:
        tweet.language = lang["lang"][:8]
    if not tweet.author_name and data.get("author_name"):
        tweet.author_name = str(data["author_name"])[:120]
    date = _DATE.search(markup)
    if date and not tweet.posted_at:
        try:
            parsed = datetime.strptime(date["date"], "%B %d, %Y")
        except ValueError:
            parsed = None
        if parsed:
            tweet.posted_at = timezone.make_aware(parsed.replace(hour=12))
    tweet.save()
    return True
