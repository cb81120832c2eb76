"""Recognising posts on X/Twitter by their address. Nothing here fetches anything."""

import re

# https://x.com/<handle>/status/<id>, also twitter.com, www. and mobile., with an optional
# trailing path or query (?s=20, /photo/1). Handles are 1-15 word characters; ids are digits.
STATUS_URL_RE = re.compile(
    r"^https?://(?:www\.|mobile\.)?(?:x|twitter)\.com/"
    r"(?P<handle>[A-Za-z0-9_]{1,15})/status(?:es)?/(?P<tweet_id>[0-9]{1,25})(?:[/?#]\S*)?$",
    # Host names are case-insensitive: TWITTER.com is twitter.com.
    re.IGNORECASE,
)


def parse_status_url(url):
    """(handle, tweet_id) for a post's address, or None for anything else."""
    match = STATUS_URL_RE.match((url or "").strip())
    if not match:
        return None
    return match["handle"], match["tweet_id"]


def duplicate_post_message(tweet):
    return (
        f"This post is already in the library as {tweet.url} (the same post, whether its "
        "address says x.com or twitter.com). Open that one to edit its text."
    )


def canonical_status_url(handle, tweet_id):
    return f"https://x.com/{handle}/status/{tweet_id}"
