"""Background work: Django's tasks API, stored in the database by django-tasks-db.

The web process only *enqueues* (a row in the same transaction as the change that asked for
it); ``manage.py db_worker`` runs the tasks (the Compose ``worker`` service). Every task here
is idempotent, so running one twice, or after a crash halfway, does no harm.

``retrying_task`` adds a bounded retry for failures that may pass (the object store or a
remote service not answering: ``OSError``): the failed attempt is recorded as failed (its
traceback is in the admin's task list, "Django Tasks DB › Task results"), and a new attempt
is enqueued with an exponential delay, up to ``JTVC_TASK_MAX_ATTEMPTS``. Other exceptions are
bugs or refusals: they fail at once, visibly, with no retry.
"""

import functools
import logging
from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone

logger = logging.getLogger(__name__)

FIRST_DELAY_SECONDS = 30
LONGEST_DELAY_SECONDS = 600


def retry_delay(attempt):
    """Seconds to wait before attempt ``attempt + 1``: 30 s, 60 s, 120 s … at most 10 min."""
    return min(FIRST_DELAY_SECONDS * 2 ** (attempt - 1), LONGEST_DELAY_SECONDS)


def retrying_task(*, retry_on=(OSError,), **task_options):
    """``@task`` with a bounded retry on ``retry_on`` exceptions (see the module's notes)."""

    def decorate(func):
        holder = {}

        @functools.wraps(func)
        def run(*args, attempt=1, **kwargs):
            try:
                return func(*args, **kwargs)
            except retry_on as error:
                limit = settings.JTVC_TASK_MAX_ATTEMPTS
                if attempt >= limit:
                    logger.error("%s gave up after %d attempts: %s", func.__name__, attempt, error)
                    raise
                this = holder["task"]
                if this.get_backend().supports_defer:
                    run_after = timezone.now() + timedelta(seconds=retry_delay(attempt))
                    this = this.using(run_after=run_after)
                logger.warning(
                    "%s failed (attempt %d of %d), retrying: %s",
                    func.__name__,
                    attempt,
                    limit,
                    error,
                )
                this.enqueue(*args, attempt=attempt + 1, **kwargs)
                raise

        holder["task"] = task(**task_options)(run)
        return holder["task"]

    return decorate
