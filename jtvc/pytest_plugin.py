"""Loaded by pytest (``-p jtvc.pytest_plugin`` in pyproject.toml) before Django's settings.

pytest-django reads the settings while conftest files are still being collected, so the
environment a test run needs has to be set from a plugin that is imported earlier.
"""

import os

# Tests never need a real secret, and must not depend on the developer's shell.
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-a-secret-" + "x" * 32)
# Plain static storage: tests must not depend on a prior collectstatic.
os.environ.setdefault("JTVC_PLAIN_STATIC", "1")
# pytest-django's live_server runs beside Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# The test client and the live server speak plain HTTP; production redirects to HTTPS.
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
# No test talks to X: tests that need oEmbed point the endpoint at a local fake server.
os.environ.setdefault("JTVC_TWEET_OEMBED", "0")
# Tasks run inside the request that enqueues them, unless a test switches to the database
# backend and runs the worker itself (tests/jtvc/test_tasks.py).
os.environ.setdefault("JTVC_TASKS", "immediate")


def pytest_collection_finish(session):
    """Browser tests on SQLite get a test database in a file, not in memory.

    Django's in-memory test database is one connection that the live server's threads share,
    and SQLite refuses a statement on a table another statement of that connection is
    writing with SQLITE_LOCKED ("database table is locked"), which no busy timeout covers:
    an autosave racing a save failed at random. With a file each thread opens its own
    connection and the database's settings (WAL, IMMEDIATE, timeout) apply as on a server.
    Runs without browser tests keep the faster in-memory database.
    """
    if not any(item.get_closest_marker("browser") for item in session.items):
        return
    import shutil
    import tempfile
    from pathlib import Path

    from django.conf import settings

    database = settings.DATABASES["default"]
    if not database["ENGINE"].endswith("sqlite3"):
        return
    test = database.setdefault("TEST", {})
    if test.get("NAME"):
        return
    folder = tempfile.mkdtemp(prefix="jtvc-browser-db-")
    session.config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
    test["NAME"] = str(Path(folder) / "test.sqlite3")
