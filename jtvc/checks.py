"""Deployment checks that say how to fix what they find, in JTVC's own variables."""

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
