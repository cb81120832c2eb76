"""Optional: fill a Tweet's text from X's public oEmbed endpoint. Off unless
``JTVC_TWEET_OEMBED=1``.

Only the fixed endpoint is ever contacted, with an address rebuilt from the parsed handle and id,
so nothing a user typed is fetched (no SSRF). Failures are reported, never raised.
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


def fetch_tweet_text(tweet, *, opener=urllib.request.urlopen):
    """Fill ``tweet``'s text, language and author name from oEmbed; save; return True.

    ``opener`` is urllib's ``urlopen`` or a fake with the same shape (tests have no internet).
    """
    if not settings.JTVC_TWEET_OEMBED:
        raise LookupFailed("The oEmbed lookup is switched off (JTVC_TWEET_OEMBED).")
    try:
        with opener(oembed_url(tweet), timeout=TIMEOUT_SECONDS) as response:
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
