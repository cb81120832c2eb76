"""Browser tests: Playwright driving the system's Chromium against pytest-django's live_server.

Chromium is found through CHROMIUM_PATH (default /usr/bin/chromium). When it is missing the
tests are skipped, unless REQUIRE_BROWSER=1, when they fail.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path():
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium"


def pytest_collection_modifyitems(config, items):
    path = chromium_path()
    if Path(path).exists():
        return
    message = f"Chromium not found at {path} (set CHROMIUM_PATH, or apt-get install chromium)"
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(message + " and REQUIRE_BROWSER=1")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=message))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path(),
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture
def console_errors(page):
    """Collect console errors (CSP violations show up here too)."""
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # Name the resource that failed: the console message alone does not.
    page.on(
        "response",
        lambda r: errors.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None,
    )
    return errors


@pytest.fixture(autouse=True)
def fresh_content_types():
    """Transactional tests flush the database and content types come back with new ids;
    drop the ids cached in memory by an earlier test (taggit's inserts use them)."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


@pytest.fixture
def roles():
    """Transactional tests flush the tables the roles migration filled: make them again."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("articles.migrations.0002_newsroom_roles")
    migration.create_roles(apps, None)
