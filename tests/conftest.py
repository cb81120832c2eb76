import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every test writes uploads and renditions into its own throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def pytest_report_header(config):
    from django.conf import settings

    db = settings.DATABASES["default"]
    return f"database: {db['ENGINE'].rsplit('.', 1)[-1]} {db.get('HOST') or ''} {db['NAME']}"


def pytest_collection_modifyitems(items):
    """Transactional tests (live server, row locks) empty every table when they end. With
    serialized rollback the rows the migrations made (roles, permissions, content types) come
    back before the next one, with their ids, so none depends on running first."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is not None and marker.kwargs.get("transaction"):
            kwargs = {**marker.kwargs, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)


@pytest.fixture
def redis_server(tmp_path):
    from tests.redis_server import RedisServer

    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def redis_cache(redis_server):
    """The page cache on a private, real Redis (see tests/redis_server.py); the cache
    settings are put back before the server stops."""
    from django.test import override_settings

    from jtvc import pagecache

    with override_settings(CACHES=redis_server.cache_settings()):
        pagecache.reset_health()
        yield redis_server
    pagecache.reset_health()
