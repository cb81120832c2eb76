"""CKEditor 5's image upload, answered by the image library under the same policy."""

import pytest
from django.test import Client
from django.urls import reverse

from media_app.models import Image
from tests.factories import make_user
from tests.media_app import corpus

pytestmark = pytest.mark.django_db

URL = "/media-library/editor-upload/"


def files_in(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture
def staff_client(client):
    client.force_login(make_user(groups=["Journalists"]))
    return client


def test_the_url_name_is_the_one_ckeditor_posts_to(settings):
    assert reverse("media_app:editor_upload") == URL
    assert settings.CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME == "media_app:editor_upload"
    from django_ckeditor_5.widgets import CKEditor5Widget

    html = CKEditor5Widget().render("body", "", attrs={"id": "id_body"})
    assert f'data-upload-url="{URL}"' in html


def test_staff_upload_creates_an_image_and_answers_the_adapter(staff_client):
    response = staff_client.post(
        URL, {"upload": corpus.upload("harbour_at-dawn.jpg", corpus.rotated_jpeg_with_gps())}
    )
    assert response.status_code == 201
    body = response.json()
    image = Image.objects.get()
    assert body["url"] == image.original_url
    assert body["image_id"] == image.pk
    assert image.alt_text == "Harbour at dawn"
    assert image.alt_text_needs_review is True
    assert (image.width, image.height) == (300, 400)  # turned upright
    assert image.uploaded_by.is_staff


def test_alt_text_sent_with_the_upload_is_used_as_is(staff_client):
    staff_client.post(URL, {"upload": corpus.upload("IMG_0001.jpg", corpus.jpeg()), "alt": "A"})
    image = Image.objects.get()
    assert (image.alt_text, image.alt_text_needs_review) == ("A", False)


def test_a_camera_file_name_gives_a_placeholder_flagged_for_review(staff_client):
    staff_client.post(URL, {"upload": corpus.upload("IMG_0001.jpg", corpus.jpeg())})
    image = Image.objects.get()
    assert "alt text to be written" in image.alt_text
    assert image.alt_text_needs_review


@pytest.mark.parametrize(
    ("name", "data", "status", "expected"),
    [
        ("evil.svg", corpus.SVG, 400, "SVG"),
        ("cut.jpg", corpus.truncated_jpeg(), 400, "damaged"),
        ("photo.png", corpus.jpeg(), 400, "really a JPEG"),
        ("bomb.png", corpus.bomb_png(), 400, "decompression bomb"),
        ("both.jpg", corpus.polyglot_jpeg(), 400, "web-page code"),
        ("empty.jpg", b"", 400, "empty"),
    ],
)
def test_refused_uploads_get_the_adapters_error_shape_and_leave_nothing(
    staff_client, media_root, name, data, status, expected
):
    response = staff_client.post(URL, {"upload": corpus.upload(name, data)})
    assert response.status_code == status
    assert expected in response.json()["error"]["message"]
    assert Image.objects.count() == 0
    assert files_in(media_root) == []


def test_an_oversized_upload_is_413(staff_client, settings, media_root):
    settings.JTVC_IMAGE_MAX_BYTES = 2_000
    response = staff_client.post(URL, {"upload": corpus.upload("big.jpg", corpus.jpeg())})
    assert response.status_code == 413
    assert "limit" in response.json()["error"]["message"]
    assert files_in(media_root) == []


def test_a_post_without_a_file_is_400(staff_client):
    response = staff_client.post(URL, {})
    assert response.status_code == 400
    assert "No file" in response.json()["error"]["message"]


def test_visitors_and_non_staff_users_are_refused(client, media_root):
    response = client.post(URL, {"upload": corpus.upload("a.jpg", corpus.jpeg())})
    assert response.status_code == 403
    client.force_login(make_user())  # not staff
    response = client.post(URL, {"upload": corpus.upload("a.jpg", corpus.jpeg())})
    assert response.status_code == 403
    assert "error" in response.json()
    assert Image.objects.count() == 0
    assert files_in(media_root) == []


def test_the_endpoint_is_csrf_protected():
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(groups=["Editors"]))
    response = client.post(URL, {"upload": corpus.upload("a.jpg", corpus.jpeg())})
    assert response.status_code == 403
    assert Image.objects.count() == 0


def test_get_is_not_allowed(staff_client):
    assert staff_client.get(URL).status_code == 405


def test_a_storage_failure_is_a_clear_503_and_leaves_nothing(
    staff_client, monkeypatch, media_store, settings
):
    if media_store.kind == "bucket":
        # The object store stops answering: a closed port, one try.
        from botocore.config import Config

        from tests.conftest import _free_port, bucket_storage

        settings.STORAGES = {
            **settings.STORAGES,
            "default": bucket_storage(
                media_store.options,
                endpoint_url=f"http://127.0.0.1:{_free_port()}",
                client_config=Config(retries={"max_attempts": 1}, connect_timeout=1),
            ),
        }
    else:
        from django.core.files.storage import FileSystemStorage

        def broken(*args, **kwargs):
            raise OSError("disk full")

        monkeypatch.setattr(FileSystemStorage, "_save", broken)
    response = staff_client.post(URL, {"upload": corpus.upload("a.jpg", corpus.jpeg())})
    assert response.status_code == 503
    assert "could not be stored" in response.json()["error"]["message"]
    assert Image.objects.count() == 0
    assert media_store.names() == []
