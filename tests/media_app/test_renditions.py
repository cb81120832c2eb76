"""Renditions: the width ladder, focal-point crops, fallbacks, and files leaving with the row."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image as PILImage

from media_app import renditions
from media_app.services import import_image, refresh_crops, set_focal_point
from tests.factories import make_image
from tests.media_app import corpus

pytestmark = pytest.mark.django_db


def files_in(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def new_image(width=1600, height=900, **metadata):
    return import_image(
        file=corpus.upload("photo.jpg", corpus.jpeg(width, height)), alt_text="A photo", **metadata
    )


def opened(url):
    name = url.removeprefix("/media/")
    with default_storage.open(name, "rb") as fh:
        im = PILImage.open(io.BytesIO(fh.read()))
        im.load()
    return im


def test_webp_widths_follow_the_ladder_and_are_real_webp_files(media_store):
    image = new_image()
    assert [(e["w"], e["h"]) for e in image.widths] == [
        (320, 180),
        (640, 360),
        (960, 540),
        (1280, 720),
        (1600, 900),
    ]
    for entry in image.widths:
        im = opened(entry["url"])
        assert im.format == "WEBP"
        assert im.size == (entry["w"], entry["h"])


def test_the_ladder_is_a_setting_and_never_upscales(settings):
    settings.JTVC_IMAGE_WIDTHS = (100, 500, 5000)
    image = new_image(width=800, height=600)
    assert [e["w"] for e in image.widths] == [100, 500, 800]


def test_crops_have_the_promised_ratios_and_urls():
    image = new_image()
    assert image.crop_size("16:9") == (1200, 675)
    assert image.crop_size("4:3") == (1200, 900)
    assert image.crop_size("1:1") == (900, 900)
    for ratio in ("16:9", "4:3", "1:1"):
        url = image.crop_url(ratio)
        assert url.startswith("/media/renditions/")
        assert opened(url).size == image.crop_size(ratio)
    with pytest.raises(ValueError):
        image.crop_url("3:2")


def test_the_square_crop_keeps_the_focal_point_in_view():
    # Left half red, right half blue: a focal point far right gives a blue square.
    image = new_image(focal_x=0.95, focal_y=0.5)
    square = opened(image.crop_url("1:1"))
    assert square.getpixel((square.width // 2, square.height // 2))[2] > 150
    image = new_image(width=1601, focal_x=0.05, focal_y=0.5)
    square = opened(image.crop_url("1:1"))
    assert square.getpixel((square.width // 2, square.height // 2))[0] > 150


def test_crop_box_stays_inside_the_picture():
    assert renditions.crop_box(1600, 900, "1:1", 1.0, 1.0) == (700, 0, 1600, 900)
    assert renditions.crop_box(1600, 900, "1:1", 0.0, 0.0) == (0, 0, 900, 900)
    assert renditions.crop_box(900, 1600, "16:9", 0.5, 0.0) == (0, 0, 900, 506)


def test_a_new_focal_point_remakes_the_crops_and_removes_the_old_ones(
    media_store, django_capture_on_commit_callbacks
):
    image = new_image()
    old = image.crop_url("1:1")
    with django_capture_on_commit_callbacks(execute=True):
        set_focal_point(image=image, x=0.9, y=0.1)
    image.refresh_from_db()
    assert image.crop_url("1:1") != old
    assert "f90x10" in image.crop_url("1:1")
    assert old.removeprefix("/media/") not in media_store.names()
    assert image.crop_url("1:1").removeprefix("/media/") in media_store.names()


def test_missing_renditions_fall_back_to_the_original():
    image = make_image(width=64, height=48)  # stored directly: no renditions recorded
    assert image.renditions == {}
    assert image.crop_url("16:9") == image.file.url
    assert image.crop_size("16:9") == (64, 48)
    assert image.width_url(640) == image.file.url


def test_deleting_an_image_removes_all_its_files_after_the_commit(
    media_store, django_capture_on_commit_callbacks
):
    keep = new_image(width=700, height=500)
    kept_files = media_store.names()
    image = new_image()
    assert len(media_store.names()) > len(kept_files)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        image.delete()
    assert len(media_store.names()) > len(kept_files)  # not before the commit
    for callback in callbacks:
        callback()
    assert media_store.names() == kept_files
    assert keep.pk


def test_rebuild_renditions_command_remakes_files_after_a_ladder_change(
    settings, media_store, django_capture_on_commit_callbacks
):
    image = new_image()
    make_image()  # an image without renditions gets them too
    settings.JTVC_IMAGE_WIDTHS = (500, 1000)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rebuild_renditions", stdout=out, stderr=io.StringIO())
    assert "Rebuilt renditions of 2 image(s)" in out.getvalue()
    image.refresh_from_db()
    assert [e["w"] for e in image.widths] == [500, 1000]
    names = media_store.names()
    assert not any(name.endswith("/w320.webp") for name in names)
    assert any(name.endswith("/w1000.webp") for name in names)


def test_rebuild_reports_an_image_whose_original_is_missing(media_root):
    image = new_image()
    default_storage.delete(image.file.name)
    err = io.StringIO()
    call_command("rebuild_renditions", stdout=io.StringIO(), stderr=err)
    assert f"could not rebuild image {image.pk}" in err.getvalue()


def test_refresh_crops_keeps_the_width_files():
    image = new_image()
    widths = image.widths
    refresh_crops(image=image)
    assert image.widths == widths
