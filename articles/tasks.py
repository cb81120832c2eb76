"""The newsroom's background work: filling a post's text from X's oEmbed endpoint."""

from articles.models import Tweet
from articles.oembed import LookupFailed, fetch_tweet_text
from jtvc.tasks import retrying_task


class XDidNotAnswer(OSError):
    """A lookup failure that may pass (``retrying_task`` retries ``OSError`` with back-off)."""


@retrying_task()
def fill_tweet_text(tweet_pk):
    """Fill one post's snapshot from X: the only background path that does (the Tweet
    admin's action and the article form after a save both enqueue this).

    Idempotent: a post that has its text already (or is gone) is left alone. X not
    answering, slow or overloaded is retried with back-off; a refusal (unknown post,
    redirect, oversized answer) fails at once, visibly in the task list.
    """
    tweet = Tweet.objects.filter(pk=tweet_pk).first()
    if tweet is None or tweet.text:
        return "nothing to do"
    try:
        fetch_tweet_text(tweet)
    except LookupFailed as error:
        if error.passing:
            raise XDidNotAnswer(str(error)) from error
        raise
    return "filled"
