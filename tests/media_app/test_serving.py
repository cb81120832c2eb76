"""/media/: library files served from the disk or the bucket, cached for a year."""

import pytest

from media_app.services import import_image
from tests.media_app import corpus

pytestmark = pytest.mark.django_db


@pytest.fixture
def serving(settings):
    settings.SERVE_MEDIA = True


def test_originals_and_renditions_are_served_with_a_long_cache_life(client, media_store, serving):
    data = corpus.jpeg(900, 600)
    image = import_image(file=corpus.upload("a.jpg", data), alt_text="A harbour")
    original = client.get(image.original_url)
    assert original.status_code == 200
    assert original["Content-Type"] == "image/jpeg"
    assert original["Cache-Control"] == "public, max-age=31536000, immutable"
    body = b"".join(original.streaming_content)
    assert body[:3] == b"\xff\xd8\xff" and len(body) == image.byte_size

    webp = client.get(image.width_url(640))
    assert webp.status_code == 200 and webp["Content-Type"] == "image/webp"
    assert b"".join(webp.streaming_content)[8:12] == b"WEBP"

    again = client.get(image.width_url(640), headers={"If-None-Match": webp["ETag"]})
    assert again.status_code == 304
    assert again["Cache-Control"] == "public, max-age=31536000, immutable"


def test_anything_but_a_library_file_is_not_found(client, media_store, serving):
    image = import_image(file=corpus.upload("a.jpg", corpus.jpeg()), alt_text="x")
    missing = image.file.name.replace(image.sha256, "0" * 64)
    for path in (missing, "images/../../etc/passwd", "secrets.txt", "images/ab/%2e%2e/x.jpg"):
        assert client.get(f"/media/{path}").status_code == 404, path


def test_media_are_not_served_when_switched_off(client, settings):
    settings.SERVE_MEDIA = False
    image = import_image(file=corpus.upload("a.jpg", corpus.jpeg()), alt_text="x")
    assert client.get(image.original_url).status_code == 404
