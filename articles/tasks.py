"""The newsroom's background work: filling a post's text from X's oEmbed endpoint."""

from articles.models import Tweet
from articles.oembed import LookupFailed, fetch_tweet_text
from jtvc.tasks import retrying_task


@retrying_task()
def fill_tweet_text(tweet_pk):
    """Idempotent: a post that has its text already (or is gone) is left alone.

    X not answering is retried (``OSError``); an answer without text is a visible failure.
    """
    tweet = Tweet.objects.filter(pk=tweet_pk).first()
    if tweet is None or tweet.text:
        return "nothing to do"
    try:
        fetch_tweet_text(tweet)
    except LookupFailed as error:
        if isinstance(error.__cause__, OSError):
            raise OSError(str(error)) from error
        raise
    return "filled"
