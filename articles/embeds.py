"""Recognising posts on X/Twitter by their address. Nothing here fetches anything."""

import re

# https://x.com/<handle>/status/<id>, also twitter.com, www. and mobile., with an optional
# trailing path or query (?s=20, /photo/1). Handles are 1-15 word characters; ids are digits.
STATUS_URL_RE = re.compile(
    r"^https?://(?:www\.|mobile\.)?(?:x|twitter)\.com/"
    r"(?P<handle>[A-Za-z0-9_]{1,15})/status(?:es)?/(?P<tweet_id>\d{1,25})(?:[/?#]\S*)?$"
)


def parse_status_url(url):
    """(handle, tweet_id) for a post's address, or None for anything else."""
    match = STATUS_URL_RE.match((url or "").strip())
    if not match:
        return None
    return match["handle"], match["tweet_id"]


def canonical_status_url(handle, tweet_id):
    return f"https://x.com/{handle}/status/{tweet_id}"
