"""Signed, expiring preview links for readers outside the newsroom."""

from datetime import timedelta

from django.core import signing

SALT = "articles.preview"
DEFAULT_MAX_AGE = timedelta(days=7)


def make_preview_token(article):
    # Only the id is signed: the link survives edits, and cannot be pointed at another article.
    return signing.dumps({"a": article.pk}, salt=SALT, compress=True)


def article_id_from_token(token, *, max_age=DEFAULT_MAX_AGE):
    """The article id a token was made for, or None when forged, mangled or expired."""
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    article_id = data.get("a") if isinstance(data, dict) else None
    return article_id if isinstance(article_id, int) else None
