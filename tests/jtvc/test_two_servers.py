"""Several app servers, one truth: two gunicorn servers on one PostgreSQL, Redis and bucket.

Started for real (separate processes, loopback ports), with the production settings a
deployment uses: DEBUG off, PostgreSQL, Redis cache, media in an S3 bucket (moto server),
tasks in the database run by `manage.py db_worker`. What a journalist, an editor and a
reader notice is checked over HTTP with the same client as scripts/compose-smoke.sh.
PostgreSQL only (skipped on SQLite); needs `redis-server` on PATH.
"""

import importlib.util
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import _free_port

ROOT = Path(__file__).resolve().parents[2]
HOST = "news.example.org"

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

spec = importlib.util.spec_from_file_location("smoke_checks", ROOT / "scripts/smoke_checks.py")
smoke = importlib.util.module_from_spec(spec)
spec.loader.exec_module(smoke)


def wait_for(url_base, path="/healthz", timeout=60):
    client = smoke.Client(HOST)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            response, _ = client.get(url_base, path)
            if response.status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url_base} did not answer {path} in {timeout} s")


@pytest.fixture
def redis_url():
    server = shutil.which("redis-server")
    if not server:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = _free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(10)


@pytest.fixture
def fresh_database():
    """An empty database of its own on the test server: the servers migrate it themselves."""
    import psycopg

    db = settings.DATABASES["default"]
    name = f"jtvc_two_servers_{uuid.uuid4().hex[:8]}"
    params = {
        "host": db["HOST"] or None,
        "port": db["PORT"] or None,
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{name}"
    )
    yield url
    with psycopg.connect(**params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def bucket(s3_server):
    import boto3

    name = f"jtvc-two-{uuid.uuid4().hex[:12]}"
    boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ).create_bucket(Bucket=name)
    return s3_server, name


@pytest.fixture
def deployment(fresh_database, redis_url, bucket, tmp_path):
    endpoint, bucket_name = bucket
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "JTVC_"))},
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "DJANGO_BEHIND_PROXY": "1",
        "DJANGO_SERVE_MEDIA": "1",
        "JTVC_PLAIN_STATIC": "1",
        "JTVC_TASKS": "database",
        "DATABASE_URL": fresh_database,
        "REDIS_URL": redis_url,
        "AWS_STORAGE_BUCKET_NAME": bucket_name,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "MEDIA_ROOT": str(tmp_path / "no-local-media"),
        "WEB_CONCURRENCY": "1",
        "JTVC_BIND_HOST": "127.0.0.1",
    }

    def manage(*args, check=True):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=check,
            timeout=300,
        )

    # A deploy: both servers' start scripts run migrate at the same moment.
    migrations = [
        subprocess.Popen(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=600)[0] for p in migrations]
    servers, bases = [], []
    for _ in range(2):
        port = _free_port()
        servers.append(
            subprocess.Popen(
                [
                    str(Path(sys.executable).with_name("gunicorn")),
                    "jtvc.wsgi:application",
                    "--no-control-socket",
                    "--access-logfile",
                    "/dev/null",
                ],
                cwd=ROOT,
                env={**env, "PORT": str(port)},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for base in bases:
            wait_for(base)
        yield {
            "a": bases[0],
            "b": bases[1],
            "manage": manage,
            "migrate": migrations,
            "migrate_output": outputs,
        }
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(20)


def test_two_app_servers_share_one_truth(deployment):
    a, b, manage = deployment["a"], deployment["b"], deployment["manage"]

    # A deploy's migrate runs once: both exit 0, every migration is recorded once.
    assert [p.returncode for p in deployment["migrate"]] == [0, 0], deployment["migrate_output"]
    applied = (
        manage(
            "shell",
            "-c",
            "from django.db import connection; c = connection.cursor(); "
            "c.execute('SELECT count(*), count(DISTINCT (app, name)) FROM django_migrations'); "
            "print(*c.fetchone())",
        )
        .stdout.splitlines()[-1]
        .split()
    )
    assert applied[0] == applied[1] and int(applied[0]) > 20
    # One of them applied everything; the other waited for the lock and found nothing to do.
    applying = sorted(output.count("Applying ") for output in deployment["migrate_output"])
    assert applying == [0, int(applied[0])], deployment["migrate_output"]

    password = secrets.token_urlsafe(16)
    manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; get_user_model().objects"
        f".create_superuser('two-admin', 'two@example.org', {password!r})",
    )
    manage("seed_demo", "--articles", "6")

    # Sessions: logged in on A, recognised on B.
    editor = smoke.Client(HOST)
    _, login_page = editor.get(a, "/admin/login/")
    response, _ = editor.post_form(
        a,
        "/admin/login/?next=/admin/",
        {
            "csrfmiddlewaretoken": smoke.csrf_token(login_page),
            "username": "two-admin",
            "password": password,
            "next": "/admin/",
        },
        "/admin/login/",
    )
    assert response.status == 302
    response, body = editor.get(b, "/admin/")
    assert response.status == 200 and b"Log out" in body

    # An upload on A is served by B, from the bucket; renditions come from the worker.
    add = "/admin/media_app/image/add/"
    _, form = editor.get(a, add)
    response, _ = editor.post_multipart(
        a,
        add,
        {
            "csrfmiddlewaretoken": smoke.csrf_token(form),
            "alt_text": "A gradient",
            "credit": "Test/JTVC",
            "licence": "staff",
        },
        {"files": ("two-servers.png", "image/png", smoke.png(700, 400))},
        add,
    )
    assert response.status == 302
    change = response.getheader("Location")
    _, page = editor.get(b, change)
    original = re.search(rb"/media/images/[0-9a-f]{2}/[0-9a-f]{64}\.png", page).group(0).decode()
    reader = smoke.Client(HOST)
    response, data = reader.get(b, original)
    assert response.status == 200 and data.startswith(b"\x89PNG")
    assert b".webp" not in page  # the upload answered before any rendition was made
    manage("db_worker", "--batch", "--no-startup-delay")
    _, page = editor.get(b, change)
    webp = re.search(rb"/media/renditions/[^\"\s]+?\.webp", page).group(0).decode()
    response, data = reader.get(a, webp)
    assert response.status == 200 and data[8:12] == b"WEBP"

    # A publish on A is on B's home page at once (B's page cache is the shared Redis).
    _, home = reader.get(b, "/")  # B has the home page cached now
    changelist = "/admin/articles/article/"
    _, listing = editor.get(a, changelist + "?status__exact=published")
    pk = re.search(rb'name="_selected_action" value="(\d+)"', listing).group(1).decode()
    title = (
        manage(
            "shell",
            "-c",
            f"from articles.models import Article; print(Article.objects.get(pk={pk}).title)",
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    marker = title.replace("&", "&amp;").replace("'", "&#x27;").encode()
    # Taken down on A with its reason (the workflow asks why, and to confirm)...
    change = f"{changelist}{pk}/change/"
    _, page = editor.get(a, change)
    response, _ = editor.post_form(
        a,
        f"{changelist}{pk}/workflow/",
        {
            "csrfmiddlewaretoken": smoke.csrf_token(page),
            "action": "unpublish",
            "note": "Taken down by the two-server test.",
            "confirmed": "1",
        },
        change,
    )
    assert response.status == 302
    _, home = reader.get(b, "/")
    assert marker not in home, ("unpublish", title)
    # ...and published again from A's list: B's home page shows it at once.
    _, listing = editor.get(a, changelist)
    response, _ = editor.post_form(
        a,
        changelist,
        {
            "csrfmiddlewaretoken": smoke.csrf_token(listing),
            "action": "publish_selected",
            "_selected_action": pk,
            "index": "0",
        },
        changelist,
    )
    assert response.status == 302
    _, home = reader.get(b, "/")
    assert marker in home, ("publish", title)
