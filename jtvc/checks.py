"""Deployment checks that say how to fix what they find, in JTVC's own variables."""

import redis
from django.conf import settings
from django.core import checks

CONSOLE = "django.core.mail.backends.console.EmailBackend"


@checks.register(checks.Tags.mail, deploy=True)
def mail_server_named(app_configs=None, **kwargs):
    # Replaces Django's mail.E001 (silenced in settings), whose hint names no variable.
    if settings.MAILERS.get("default", {}).get("BACKEND") != CONSOLE:
        return []
    return [
        checks.Error(
            "No mail server is configured: mail (password resets, error reports) would only "
            "be printed to the log.",
            hint="Set EMAIL_HOST to your SMTP server in .env (or the environment), with "
            "EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD and EMAIL_USE_TLS as your "
            "provider says; DJANGO_DEFAULT_FROM_EMAIL is the sender.",
            id="jtvc.E001",
        )
    ]


@checks.register(checks.Tags.caches, deploy=True)
def redis_keeps_page_cache_stamps(app_configs=None, **kwargs):
    """An ``allkeys-*`` eviction policy may drop the page cache's stamps, which have no
    lifetime; a page whose stamps are gone looks fresh until its own lifetime ends. Asked of
    the server itself; one that cannot be reached or refuses CONFIG (many managed services
    do) is left alone."""
    if not settings.REDIS_URL:
        return []
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5
        )
        policy = client.config_get("maxmemory-policy").get("maxmemory-policy", "")
    except (redis.RedisError, OSError):
        return []
    if not str(policy).startswith("allkeys"):
        return []
    return [
        checks.Warning(
            f"Redis evicts any key when memory is full (maxmemory-policy {policy}): it may drop "
            "the page cache's invalidation stamps, and readers could be served a changed page "
            "as it was until the page expires.",
            hint="Run Redis with maxmemory-policy volatile-lru (as docker-compose.yml does) "
            "or noeviction.",
            id="jtvc.W001",
        )
    ]
