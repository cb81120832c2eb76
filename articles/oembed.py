"""Optional: fill a Tweet's text from X's public oEmbed endpoint. Off unless
``JTVC_TWEET_OEMBED=1``.

Only the fixed endpoint is ever contacted, with an address rebuilt from the parsed handle and id,
so nothing a user typed is fetched (no SSRF). Redirects are never followed (a redirect
could point at a private or link-local address), and an answer whose final address is not
the endpoint is refused. Failures are reported, never raised.
"""

import html
import json
import re
import urllib.request
from urllib.parse import urlencode

import nh3
from django.conf import settings

from articles.embeds import canonical_status_url

ENDPOINT = "https://publish.twitter.com/oembed"
TIMEOUT_SECONDS = 3
MAX_BYTES = 64 * 1024
_FIRST_PARAGRAPH = re.compile(r"<p(?P<attrs>[^>]*)>(?P<text>.*?)</p>", re.S | re.I)
_LANG = re.compile(r'lang="(?P<lang>[a-zA-Z-]{2,8})"')


class LookupFailed(Exception):
    pass


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise LookupFailed(
            f"X's endpoint answered with a redirect ({code}) to another address; "
            "redirects are never followed."
        )


def open_without_redirects(url, timeout):
    """``urlopen`` without redirects (and without proxies from the environment)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _RefuseRedirects)
    return opener.open(url, timeout=timeout)


def _answered_from_endpoint(response):
    final = response.geturl() if hasattr(response, "geturl") else None
    return bool(final) and final.split("?", 1)[0] == ENDPOINT


def oembed_url(tweet):
    return (
        ENDPOINT
        + "?"
        + urlencode(
            {
                "url": canonical_status_url(tweet.handle or "i", tweet.tweet_id),
                "omit_script": "1",
                "dnt": "true",
            }
        )
    )


def fetch_tweet_text(tweet, *, opener=None):
    """Fill ``tweet``'s text, language and author name from oEmbed; save; return True.

    ``opener`` is ``open_without_redirects`` or a fake with the same shape (tests have no
    internet); its answer must say (``geturl()``) that it came from the endpoint.
    """
    opener = opener or open_without_redirects
    if not settings.JTVC_TWEET_OEMBED:
        raise LookupFailed("The oEmbed lookup is switched off (JTVC_TWEET_OEMBED).")
    try:
        with opener(oembed_url(tweet), timeout=TIMEOUT_SECONDS) as response:
            if not _answered_from_endpoint(response):
                raise LookupFailed(
                    "The answer did not come from X's oEmbed endpoint, so it was ignored."
                )
            data = json.loads(response.read(MAX_BYTES + 1)[:MAX_BYTES].decode("utf-8"))
    except (OSError, ValueError) as error:
        raise LookupFailed(f"X did not answer usefully: {error}") from error
    match = _FIRST_PARAGRAPH.search(str(data.get("html", "")))
    if not match:
        raise LookupFailed("X's answer held no post text.")
    text = nh3.clean(match["text"].replace("<br>", "\n"), tags=set()).strip()
    if not text:
        raise LookupFailed("X's answer held no post text.")
    tweet.text = html.unescape(text)
    lang = _LANG.search(match["attrs"])
    if lang and not tweet.language:
        tweet.language = lang["lang"][:8]
    if not tweet.author_name and data.get("author_name"):
        tweet.author_name = str(data["author_name"])[:120]
    tweet.save()
    return True
