import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from jtvc.env import database_from_url, env_bool

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "news.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://news.example.org",
    "EMAIL_HOST": "smtp.example.org",
    "REDIS_URL": "redis://127.0.0.1:6379/3",
}


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "JTVC_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_stops_with_one_line_not_a_traceback():
    env = {**PRODUCTION_ENV}
    del env["DJANGO_SECRET_KEY"]
    result = manage("check", env=env)
    assert result.returncode == 78  # EX_CONFIG: a configuration error
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "DJANGO_SECRET_KEY" in lines[0]


def test_debug_runs_without_a_secret_key():
    result = manage("check", env={"DJANGO_DEBUG": "1"})
    assert result.returncode == 0, result.stderr


def test_sqlite_is_the_default_database():
    entry = database_from_url(None, default="sqlite:////srv/jtvc/db.sqlite3")
    assert entry["ENGINE"] == "django.db.backends.sqlite3"
    assert entry["NAME"] == "/srv/jtvc/db.sqlite3"


def test_postgres_url_is_parsed_with_options():
    entry = database_from_url(
        "postgres://news:p%40ss@db.internal:5433/jtvc?sslmode=require", default=""
    )
    assert entry["ENGINE"] == "django.db.backends.postgresql"
    assert (entry["NAME"], entry["USER"], entry["PASSWORD"]) == ("jtvc", "news", "p@ss")
    assert (entry["HOST"], entry["PORT"]) == ("db.internal", "5433")
    assert entry["OPTIONS"] == {"sslmode": "require"}


@pytest.mark.parametrize("url", ["mysql://x@y/z", "postgres://x@y/"])
def test_unsupported_or_incomplete_database_urls_are_refused(url):
    with pytest.raises(ImproperlyConfigured):
        database_from_url(url, default="")


def test_a_boolean_that_is_not_one_is_refused(monkeypatch):
    monkeypatch.setenv("JTVC_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="JTVC_FLAG"):
        env_bool("JTVC_FLAG")


def test_redis_url_selects_the_redis_cache():
    script = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = manage("shell", "-c", script, env=PRODUCTION_ENV)
    assert result.stdout.strip().splitlines()[-1] == "jtvc.redis_cache.RedisCache"


def test_static_files_collect_with_hashed_compressed_storage(tmp_path):
    env = {**PRODUCTION_ENV, "STATIC_ROOT": str(tmp_path)}
    result = manage("collectstatic", "--noinput", "-v0", env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("css/site.*.css.gz")), "hashed, compressed stylesheet missing"


def test_hebrew_edition_is_a_setting_and_an_unknown_language_is_refused():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={**PRODUCTION_ENV, "DJANGO_LANGUAGE_CODE": "he"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    result = manage("check", env={**PRODUCTION_ENV, "DJANGO_LANGUAGE_CODE": "xx"})
    assert result.returncode == 78
    assert "Traceback" not in result.stderr
    assert "DJANGO_LANGUAGE_CODE='xx'" in result.stderr
