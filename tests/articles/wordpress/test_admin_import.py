"""A site admin imports from the admin: upload the export and a zip of uploads, watch the
progress page, read the report. Runs through Django's tasks API (immediately by default)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.importers.wordpress.models import ImportRun
from articles.models import Article
from media_app.models import Image
from tests.factories import make_user

pytestmark = pytest.mark.django_db

ADD = "admin:wordpress_import_importrun_add"


@pytest.fixture
def import_dir(settings, tmp_path):
    settings.JTVC_IMPORT_DIR = str(tmp_path / "private-imports")
    return tmp_path / "private-imports"


def zip_of(folder):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for path in folder.rglob("*.jpg"):
            z.write(path, "wp-content/uploads/" + str(path.relative_to(folder)))
    return buffer.getvalue()


def test_site_admin_imports_with_uploads_and_reads_the_report(
    client, gazette, uploads, import_dir, django_capture_on_commit_callbacks
):
    client.force_login(make_user(groups=["Site admins"]))
    form = client.get(reverse(ADD))
    assert form.status_code == 200 and "Start the import" in form.content.decode()
    # The admin's own breadcrumb bar (an <ol>; a <div> goes unstyled since Django 5).
    assert '<ol class="breadcrumbs">' in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(ADD),
            {
                "export": SimpleUploadedFile("gazette.xml", gazette.read_bytes(), "text/xml"),
                "uploads": SimpleUploadedFile("uploads.zip", zip_of(uploads), "application/zip"),
            },
        )
    response = client.get(response["Location"])
    assert response.status_code == 200
    page = response.content.decode()
    run = ImportRun.objects.get()
    assert run.status == "done", run.error
    assert "Finished" in page and 'id="import-counts"' in page
    assert "Deleted rumour" in page and "in the trash" in page
    # Named in the words of the form, not by the folder it was unpacked into.
    assert "not-in-the-zip.jpg not found in the uploads archive" in page
    assert str(import_dir) not in page
    assert Article.objects.get(slug="ferry-timetable-rewritten").lead_image.credit == (
        "Owen Marsh/Coast Agency"
    )
    assert Image.objects.count() == 4
    # The uploaded files are gone from the private folder once the run is over.
    assert not [p for p in import_dir.rglob("*") if p.is_file()]


def test_a_broken_export_is_refused_on_the_progress_page(
    client, import_dir, django_capture_on_commit_callbacks
):
    client.force_login(make_user(groups=["Site admins"]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(ADD),
            {"export": SimpleUploadedFile("x.xml", b"<rss><channel><item></channel></rss>")},
        )
    response = client.get(response["Location"])
    page = response.content.decode()
    assert "Refused" in page and "line 1, column" in page
    assert Article.objects.count() == 0


def test_editors_and_journalists_cannot_import(client, gazette, import_dir):
    for group in ("Editors", "Journalists"):
        client.force_login(make_user(groups=[group]))
        assert client.get(reverse(ADD)).status_code == 403
        response = client.post(
            reverse(ADD), {"export": SimpleUploadedFile("g.xml", gazette.read_bytes())}
        )
        assert response.status_code == 403
    assert ImportRun.objects.count() == 0 and Article.objects.count() == 0


def test_progress_page_shows_the_bar_and_refreshes_while_running(client):
    client.force_login(make_user(groups=["Site admins"]))
    run = ImportRun.objects.create(
        export_name="big.xml", status="running", phase="Importing pictures", done=120, total=334
    )
    page = client.get(reverse("admin:wordpress_import_importrun_change", args=[run.pk]))
    html = page.content.decode()
    assert '<progress max="334" value="120">' in html
    assert 'http-equiv="refresh"' in html and "Importing pictures" in html
    run.status = "done"
    run.save()
    html = client.get(reverse("admin:wordpress_import_importrun_change", args=[run.pk])).content
    assert b"http-equiv" not in html
