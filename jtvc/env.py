"""Small readers for configuration taken from the environment.

Kept apart from settings.py so they can be tested on their own.
"""

import os
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}

# An empty value means "the default" everywhere: `.env.example` lists every variable, and
# Compose's env_file passes the empty ones through as empty strings.


def env_str(name, *, default):
    raw = os.environ.get(name)
    return default if raw is None or not raw.strip() else raw.strip()


def env_bool(name, *, default=False):
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use 1/0, true/false, yes/no.")


def env_list(name, *, default=()):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name, *, default):
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def database_from_url(url, *, default):
    """Turn a DATABASE_URL into a DATABASES entry.

    Understands sqlite:///relative/or//absolute/path and postgres://user:pass@host:port/name
    (also postgresql://); query parameters become connection OPTIONS, e.g. ?sslmode=require.
    """
    url = (url or "").strip() or default
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        # sqlite:///db.sqlite3 is relative; sqlite:////abs/path is absolute.
        path = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path or ":memory:",
            # Several writers at once (runserver's threads: a journalist's autosave racing
            # the save, a management command): WAL lets readers go on while one writes;
            # IMMEDIATE takes the write lock at BEGIN, so a transaction never has to
            # upgrade a read lock (which fails at once, whatever the timeout); and a writer
            # that finds the lock taken waits up to ``timeout`` seconds instead of raising
            # "database is locked". synchronous=NORMAL is safe with WAL (a power cut can
            # lose the last commits, never corrupt the file) and spares an fsync per commit.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    if scheme in {"postgres", "postgresql", "pgsql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured("DATABASE_URL names no database: add /<name> at the end.")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            # An empty host means the local socket, as libpq does.
            "HOST": unquote(parts.hostname or ""),
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": dict(parse_qsl(parts.query)),
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL scheme {scheme!r} is not supported; use sqlite:/// or postgres://."
    )


def bucket_options_from_env(environ):
    """STORAGES["default"] for media in an S3-compatible bucket, or None.

    A bucket is used when AWS_STORAGE_BUCKET_NAME is set (media_app.storage.BucketStorage);
    the other AWS_* variables are optional (.env.example lists them).
    """
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not bucket:
        return None
    options = {"bucket_name": bucket}
    for option, variable in (
        ("endpoint_url", "AWS_S3_ENDPOINT_URL"),
        ("region_name", "AWS_S3_REGION_NAME"),
        ("access_key", "AWS_ACCESS_KEY_ID"),
        ("secret_key", "AWS_SECRET_ACCESS_KEY"),
        ("custom_domain", "AWS_S3_CUSTOM_DOMAIN"),
        ("location", "AWS_LOCATION"),
        ("addressing_style", "AWS_S3_ADDRESSING_STYLE"),
    ):
        value = environ.get(variable, "").strip()
        if value:
            options[option] = value
    return {"BACKEND": "media_app.storage.BucketStorage", "OPTIONS": options}
