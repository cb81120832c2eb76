"""A real varnishd (deploy/varnish/default.vcl, xkey) in front of a live server.

What readers get through the shared cache after the newsroom presses the admin's buttons.
Skipped without varnishd and the xkey module, unless REQUIRE_VARNISH=1 (CI sets it).
"""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from tests.factories import make_article, make_image, make_section, make_user

VCL = Path(__file__).resolve().parents[2] / "deploy" / "varnish" / "default.vcl"
Status = Article.Status
pytestmark = pytest.mark.django_db(transaction=True)


def _need_varnish():
    problem = None
    if not shutil.which("varnishd"):
        problem = "varnishd is not installed (apt-get install varnish)"
    elif not glob.glob("/usr/lib/*/varnish/vmods/libvmod_xkey.so") + glob.glob(
        "/usr/lib/varnish/vmods/libvmod_xkey.so"
    ):
        problem = "the xkey vmod is not installed (apt-get install varnish-modules)"
    if problem:
        if os.environ.get("REQUIRE_VARNISH") == "1":
            pytest.fail(f"{problem}, and REQUIRE_VARNISH=1")
        pytest.skip(problem)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def render_vcl(backend_port, path):
    text = VCL.read_text()
    assert '.host = "web";' in text and '.port = "8000";' in text
    text = text.replace('.host = "web";', '.host = "127.0.0.1";')
    text = text.replace('.port = "8000";', f'.port = "{backend_port}";')
    path.write_text(text)
    path.chmod(0o644)
    return path


@pytest.fixture(scope="module")
def varnish(live_server):
    """(base URL, admin function) of a varnishd on a free loopback port, stopped after."""
    _need_varnish()
    # Not under pytest's private temporary folder: run as root, varnishd compiles the VCL
    # as its own unprivileged user, which must be able to read it.
    workdir = Path(tempfile.mkdtemp(prefix="jtvc-varnish-"))
    workdir.chmod(0o755)
    backend_port = int(live_server.url.rsplit(":", 1)[1])
    vcl = render_vcl(backend_port, workdir / "test.vcl")
    port = free_port()
    name = workdir / "instance"
    process = subprocess.Popen(
        [
            "varnishd",
            "-F",
            "-a",
            f"127.0.0.1:{port}",
            "-T",
            f"127.0.0.1:{free_port()}",
            "-f",
            str(vcl),
            "-s",
            "malloc,32m",
            "-n",
            str(name),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                error = process.stderr.read().decode()[-2000:]
                process.stderr.close()
                shutil.rmtree(workdir, ignore_errors=True)
                pytest.fail("varnishd did not start: " + error)
            time.sleep(0.2)

    def admin(*args):
        return subprocess.run(
            ["varnishadm", "-n", str(name), *args], capture_output=True, text=True, check=True
        ).stdout

    yield base, admin
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    process.stderr.close()
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def edge(varnish, settings):
    base, admin = varnish
    admin("ban", "req.url", "~", ".")  # nothing cached by an earlier test
    settings.JTVC_EDGE_PURGE = "varnish"
    settings.JTVC_VARNISH_URLS = [base]
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    return base


class Answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.text = status, headers, body.decode()

    @property
    def cache(self):
        return self.headers.get("X-Cache")


def fetch(base, path, cookie=None):
    request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers, error.read())


def editor():
    client = Client()
    # A superuser: transactional tests empty the tables, the role groups' rows included.
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def change_form(article, **overrides):
    data = {
        "title": article.title,
        "slug": article.slug,
        "dek": article.dek,
        "body": article.body,
        "language": "en",
        "tags": "",
        "feature_order": "0",
        "section": str(article.section_id or ""),
        "lead_image": str(article.lead_image_id or ""),
        "loaded_version": str(article.version),
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
        "_continue": "Save",
    }
    rows = list(article.bylines.all())
    data["bylines-TOTAL_FORMS"] = data["bylines-INITIAL_FORMS"] = str(len(rows))
    for i, row in enumerate(rows):
        data[f"bylines-{i}-id"] = str(row.pk)
        data[f"bylines-{i}-article"] = str(article.pk)
        data[f"bylines-{i}-author"] = str(row.author_id)
        data[f"bylines-{i}-position"] = str(row.position)
    data.update(overrides)
    return data


def test_a_page_is_served_from_varnish_without_its_keys(edge):
    article = make_article(title="Lamps along the harbour")
    first = fetch(edge, article.get_absolute_url())
    second = fetch(edge, article.get_absolute_url())
    assert first.status == second.status == 200
    assert "Lamps along the harbour" in second.text
    assert (first.cache, second.cache) == ("MISS", "HIT")
    assert "Surrogate-Key" not in second.headers and "xkey" not in second.headers
    assert second.headers["Cache-Control"].startswith("public, max-age=0")


def test_publish_edit_and_unpublish_in_the_admin_show_through_varnish_at_once(edge):
    section = make_section()
    unrelated = make_article(title="An unrelated story", section=section)
    story = make_article(
        title="Council votes tonight",
        status=Status.IN_REVIEW,
        section=section,
        lead_image=make_image(),
    )
    newsroom = editor()
    home, blog = reverse("articles:home"), reverse("articles:list")
    for path in (home, blog, unrelated.get_absolute_url()):
        fetch(edge, path)
        assert fetch(edge, path).cache == "HIT", path
    assert "Council votes tonight" not in fetch(edge, home).text

    # Publish (the change form's button posts to the workflow view).
    response = newsroom.post(
        reverse("admin:articles_article_workflow", args=[story.pk]),
        {"action": "publish", "note": "Ready"},
    )
    assert response.status_code == 302
    assert "Council votes tonight" in fetch(edge, home).text
    assert "Council votes tonight" in fetch(edge, blog).text
    assert fetch(edge, story.get_absolute_url()).status == 200
    assert fetch(edge, unrelated.get_absolute_url()).cache == "HIT"

    # Edit: the headline changes on the article and wherever its card is.
    fetch(edge, story.get_absolute_url())
    assert fetch(edge, story.get_absolute_url()).cache == "HIT"
    story.refresh_from_db()
    response = newsroom.post(
        reverse("admin:articles_article_change", args=[story.pk]),
        change_form(story, title="Council vote postponed"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "Council vote postponed" in fetch(edge, story.get_absolute_url()).text
    assert "Council vote postponed" in fetch(edge, home).text
    assert fetch(edge, unrelated.get_absolute_url()).cache == "HIT"

    # Unpublish: gone for readers on the next request.
    response = newsroom.post(
        reverse("admin:articles_article_workflow", args=[story.pk]),
        {"action": "unpublish", "note": "Legal asked"},
    )
    assert response.status_code == 302
    assert fetch(edge, story.get_absolute_url()).status == 404
    assert "Council vote postponed" not in fetch(edge, home).text
    assert fetch(edge, unrelated.get_absolute_url()).cache == "HIT"


def test_staff_never_get_a_cached_page_and_never_poison_one(edge):
    draft = make_article(title="Embargoed draft", status=Status.DRAFT)
    published = make_article(title="Public story")
    newsroom = editor()
    cookie = f"sessionid={newsroom.cookies['sessionid'].value}"

    # A reader's copy is cached; staff still get their own page, every time.
    fetch(edge, published.get_absolute_url())
    for _ in range(2):
        mine = fetch(edge, published.get_absolute_url(), cookie=cookie)
        assert mine.cache == "PASS"
        assert mine.headers["Cache-Control"].startswith("private")
    # Staff see the draft; what they saw is never given to a reader.
    for _ in range(2):
        assert fetch(edge, draft.get_absolute_url(), cookie=cookie).status == 200
    reader = fetch(edge, draft.get_absolute_url())
    assert reader.status == 404
    assert "Embargoed draft" not in reader.text
    assert fetch(edge, published.get_absolute_url()).cache == "HIT"
