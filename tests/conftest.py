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


def _transactional(item):
    marker = item.get_closest_marker("django_db")
    return marker is not None and marker.kwargs.get("transaction")


def pytest_collection_modifyitems(items):
    """Transactional tests (live server, row locks) empty every table when they end.

    Serialized rollback makes pytest-django keep a copy of what the migrations wrote (roles,
    permissions, content types); ``pytest_runtest_teardown`` below puts it back as soon as
    such a test ends, with the same ids, so the tests after it (whatever their order: fixture
    reordering puts browser tests anywhere) find the database as migrated.
    """
    for item in items:
        if _transactional(item):
            marker = item.get_closest_marker("django_db")
            kwargs = {**marker.kwargs, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    # After the run's last test the teardown above has already destroyed the test database
    # (session fixtures end with it): nothing to put back, and no table to put it in.
    if _transactional(item) and nextitem is not None:
        from django.contrib.contenttypes.models import ContentType
        from django.db import connections
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            for connection in connections.all(initialized_only=True):
                contents = getattr(connection, "_test_serialized_contents", None)
                if contents:
                    connection.creation.deserialize_db_from_string(contents)
        ContentType.objects.clear_cache()
    return result


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


def _free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server():
    """A real S3-speaking server (moto in server mode) on a free loopback port."""
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


class MediaStore:
    """The storage a test's media went to, seen from outside the app."""

    def __init__(self, kind, names, options=None):
        self.kind = kind
        self._names = names
        self.options = options

    def names(self):
        return sorted(self._names())


def bucket_storage(options, **extra):
    return {"BACKEND": "media_app.storage.BucketStorage", "OPTIONS": {**options, **extra}}


@pytest.fixture(params=["filesystem", "bucket"])
def media_store(request, settings, media_root):
    """Run the test with media on the local disk, then in an S3 bucket (moto server)."""
    if request.param == "filesystem":
        yield MediaStore(
            "filesystem",
            lambda: [str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file()],
        )
        return
    import uuid

    import boto3

    endpoint = request.getfixturevalue("s3_server")
    options = {
        "bucket_name": f"jtvc-test-{uuid.uuid4().hex[:16]}",
        "endpoint_url": endpoint,
        "region_name": "us-east-1",
        "access_key": "testing",
        "secret_key": "testing",
    }
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=options["bucket_name"])
    settings.STORAGES = {**settings.STORAGES, "default": bucket_storage(options)}

    def names():
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=options["bucket_name"])
        return [item["Key"] for page in pages for item in page.get("Contents", [])]

    yield MediaStore("bucket", names, options)
    for name in names():
        client.delete_object(Bucket=options["bucket_name"], Key=name)
    client.delete_bucket(Bucket=options["bucket_name"])
