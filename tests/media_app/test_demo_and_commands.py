import io

import pytest
from django.core.management import call_command
from PIL import Image as PILImage

from media_app.demo import demo_picture, import_demo_images
from media_app.models import Image

pytestmark = pytest.mark.django_db


def test_demo_pictures_are_deterministic_jpegs_of_the_asked_size():
    first = demo_picture(seed=3, width=320, height=180)
    assert first == demo_picture(seed=3, width=320, height=180)
    assert first != demo_picture(seed=4, width=320, height=180)
    im = PILImage.open(io.BytesIO(first))
    assert (im.format, im.size) == ("JPEG", (320, 180))


def test_demo_images_come_through_the_policy_with_credits_and_alt_text():
    images = import_demo_images(3, width=480, height=270)
    assert len(images) == 3
    for image in images:
        assert image.alt_text and image.credit and image.caption
        assert image.widths and image.crop_url("16:9").startswith("/media/renditions/")
    assert [i.pk for i in import_demo_images(3, width=480, height=270)] == [i.pk for i in images]
    assert Image.objects.count() == 3


def test_the_upload_benchmark_reports_time_and_memory(tmp_path, media_root):
    path = tmp_path / "bench.jpg"
    PILImage.open(io.BytesIO(demo_picture(seed=1, width=900, height=600))).save(path, "JPEG")
    out = io.StringIO()
    call_command("bench_image_upload", input=str(path), runs=1, stdout=out)
    report = out.getvalue()
    assert "input: 900×600 JPEG" in report
    assert "run 1:" in report and "peak traced allocations" in report and "max RSS" in report
    assert Image.objects.count() == 0


def test_the_library_image_factory_goes_through_the_policy():
    from tests.factories import make_library_image

    image = make_library_image(width=640, height=360, caption="Made for a test")
    assert image.caption == "Made for a test" and image.credit
    assert [e["w"] for e in image.widths] == [320, 640]
    assert image.crop_size("16:9") == (640, 360)
