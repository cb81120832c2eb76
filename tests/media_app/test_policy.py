"""The upload policy, through the one entry point every path uses: import_image."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from PIL import Image as PILImage

from media_app import renditions
from media_app.models import Image
from media_app.services import import_image
from tests.factories import make_user
from tests.media_app import corpus

pytestmark = pytest.mark.django_db


def files_in(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def refused(name, data, **kwargs):
    with pytest.raises(ValidationError) as caught:
        import_image(file=corpus.upload(name, data), alt_text="Something", **kwargs)
    return " ".join(caught.value.messages)


def kept(image):
    with default_storage.open(image.file.name, "rb") as fh:
        im = PILImage.open(io.BytesIO(fh.read()))
        im.load()
    return im


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("empty.jpg", b"", "empty"),
        ("cut-off.jpg", corpus.truncated_jpeg(), "damaged or incomplete"),
        ("drawing.svg", corpus.SVG, "SVG drawing"),
        ("sneaky.jpg", corpus.SVG, "SVG drawing"),
        ("page.png", corpus.HTML, "HTML"),
        ("notes.jpg", corpus.TEXT, "not a picture we can read"),
        ("both.jpg", corpus.polyglot_jpeg(), "web-page code"),
        ("photo.png", corpus.jpeg(), "really a JPEG picture"),
        ("photo", corpus.jpeg(), "Rename it to end in “.jpg”"),
        ("graphic.jpg", corpus.png(), "really a PNG picture"),
        ("bomb.png", corpus.bomb_png(), "decompression bomb"),
        ("scan.tiff", corpus.encode(corpus.two_tone(), "TIFF"), "Allowed: AVIF, GIF, JPEG"),
        ("old.bmp", corpus.encode(corpus.two_tone(), "BMP"), "not a picture we can read"),
    ],
)
def test_hostile_and_broken_files_are_refused_with_a_clear_message_and_leave_nothing(
    name, data, expected, media_root
):
    message = refused(name, data)
    assert expected in message
    assert Image.objects.count() == 0
    assert files_in(media_root) == []


def test_a_file_over_the_size_limit_is_refused_before_decoding(settings, media_root):
    settings.JTVC_IMAGE_MAX_BYTES = 5_000
    message = refused("big.jpg", corpus.jpeg(width=800, height=600))
    assert "the limit is 0.0 MB" in message or "limit is" in message
    assert files_in(media_root) == []


def test_the_pixel_cap_counts_every_frame_of_an_animation(settings, media_root):
    settings.JTVC_IMAGE_MAX_PIXELS = 80 * 60 * 4  # four frames' worth
    message = refused("loop.gif", corpus.animated_gif(frames=5))
    assert "× 5 frames" in message
    assert "all frames counted" in message
    assert files_in(media_root) == []


def test_a_picture_over_the_pixel_cap_is_refused(settings):
    settings.JTVC_IMAGE_MAX_PIXELS = 100_000
    assert "400 × 300 pixels = 0.1 megapixels; the limit is 0.1 megapixels" in refused(
        "photo.jpg", corpus.jpeg()
    )


def test_alt_text_is_required():
    with pytest.raises(ValidationError, match="Alt text is required"):
        import_image(file=corpus.upload("photo.jpg", corpus.jpeg()), alt_text="  ")


def test_invalid_metadata_is_refused_before_anything_is_stored(media_root):
    message = refused("photo.jpg", corpus.jpeg(), credit_url="not a url", licence="stolen")
    assert "Credit url" in message
    assert "Licence" in message
    assert files_in(media_root) == []


def test_a_good_jpeg_is_stored_with_its_facts_and_renditions(media_store):
    user = make_user()
    image = import_image(
        file=corpus.upload("harbour.JPG", corpus.jpeg(width=1000, height=750)),
        alt_text="Boats in the harbour",
        uploaded_by=user,
        credit="Dana Levi/Reuters",
        licence="agency",
    )
    image.refresh_from_db()
    assert (image.width, image.height, image.format) == (1000, 750, "JPEG")
    assert image.uploaded_by == user
    assert image.byte_size == default_storage.size(image.file.name)
    assert image.file.name == f"images/{image.sha256[:2]}/{image.sha256}.jpg"
    assert [e["w"] for e in image.widths] == [320, 640, 960, 1000]  # never upscaled
    stored = set(media_store.names())
    assert set(renditions.names_of(image.renditions)) | {image.file.name} == stored


def test_exif_orientation_is_applied_and_all_metadata_is_stripped():
    image = import_image(
        file=corpus.upload("phone.jpg", corpus.rotated_jpeg_with_gps()), alt_text="Two colours"
    )
    im = kept(image)
    # Stored 400×300 with "rotate 90° clockwise": we keep it upright, 300×400.
    assert (image.width, image.height) == (300, 400) == im.size
    assert im.getpixel((150, 20))[0] > 150  # red (the old left half) is now on top
    assert im.getpixel((150, 380))[2] > 150
    assert not im.getexif()
    assert "exif" not in im.info and "comment" not in im.info
    with default_storage.open(image.file.name, "rb") as fh:
        raw = fh.read()
    assert b"Example Camera" not in raw and b"shot at home" not in raw


def test_png_text_and_xmp_metadata_are_stripped():
    image = import_image(file=corpus.upload("a.png", corpus.png_with_text_metadata()), alt_text="x")
    with default_storage.open(image.file.name, "rb") as fh:
        raw = fh.read()
    assert b"Someone Private" not in raw and b"xmpmeta" not in raw


@pytest.mark.parametrize(
    ("name", "data", "mode"),
    [
        ("print.jpg", corpus.cmyk_jpeg(), "RGB"),
        ("scan.png", corpus.sixteen_bit_png(), "RGB"),
        ("palette.png", corpus.palette_png(), "RGB"),
        ("alpha.png", corpus.png(mode="RGBA"), "RGB"),  # an alpha with nothing see-through
        ("web.webp", corpus.webp(), "RGB"),
    ],
)
def test_colour_modes_are_converted_to_8_bit_rgb(name, data, mode):
    image = import_image(file=corpus.upload(name, data), alt_text="A picture")
    assert kept(image).mode == mode


def test_sixteen_bit_greys_keep_their_tones():
    image = import_image(file=corpus.upload("scan.png", corpus.sixteen_bit_png()), alt_text="x")
    im = kept(image)
    assert im.getpixel((10, 10))[0] > 200  # 60000 of 65535: light, not clipped to white or black
    assert im.getpixel((150, 10))[0] < 10


def test_transparency_is_kept_as_rgba():
    im = PILImage.new("RGBA", (100, 100), (0, 0, 0, 0))
    im.paste((255, 0, 0, 255), (0, 0, 50, 50))
    image = import_image(file=corpus.upload("logo.png", corpus.encode(im, "PNG")), alt_text="x")
    assert kept(image).mode == "RGBA"


def test_an_animation_within_the_frame_cap_stays_animated():
    image = import_image(file=corpus.upload("loop.gif", corpus.animated_gif()), alt_text="Loop")
    assert image.format == "GIF"
    assert kept(image).n_frames == 5


def test_an_animation_over_the_frame_cap_is_kept_as_its_first_frame(settings):
    settings.JTVC_IMAGE_MAX_FRAMES = 3
    image = import_image(file=corpus.upload("loop.gif", corpus.animated_gif()), alt_text="Loop")
    assert image.format == "PNG"
    assert getattr(kept(image), "n_frames", 1) == 1


def test_a_still_gif_is_kept_as_png():
    image = import_image(file=corpus.upload("still.gif", corpus.still_gif()), alt_text="Still")
    assert image.format == "PNG"
    assert image.file.name.endswith(".png")


def test_a_tiny_picture_is_accepted_and_never_upscaled():
    image = import_image(file=corpus.upload("dot.png", corpus.tiny_png()), alt_text="A dot")
    assert [e["w"] for e in image.widths] == [1]
    assert image.crop_size("16:9") == (1, 1)


def test_a_panorama_gets_crops_of_the_right_shape():
    image = import_image(file=corpus.upload("wide.jpg", corpus.panorama_jpeg()), alt_text="Wide")
    assert (image.width, image.height) == (2560, 320)  # the long side is capped
    assert image.crop_size("16:9") == (569, 320)
    assert image.crop_size("1:1") == (320, 320)


def test_a_big_jpeg_is_scaled_to_the_kept_size(settings):
    settings.JTVC_IMAGE_MAX_SIDE = 1000
    image = import_image(file=corpus.upload("big.jpg", corpus.jpeg(3000, 2000)), alt_text="x")
    assert (image.width, image.height) == (1000, 667)


def test_the_same_file_twice_is_found_not_stored_twice(media_store):
    data = corpus.jpeg()
    first = import_image(file=corpus.upload("a.jpg", data), alt_text="First")
    before = media_store.names()
    second = import_image(file=corpus.upload("copy.jpg", data), alt_text="Second")
    assert second.pk == first.pk
    assert second.alt_text == "First"
    assert Image.objects.count() == 1
    assert media_store.names() == before


def test_a_failure_while_making_renditions_keeps_the_original_and_no_partial_file(
    monkeypatch, media_store
):
    """Renditions are the worker's: the upload stands on its stored original, and a failed
    attempt leaves none of the widths it had already written."""

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(renditions, "make_crops", broken)
    image = import_image(file=corpus.upload("a.jpg", corpus.jpeg()), alt_text="x")
    image.refresh_from_db()
    assert image.widths == [] and image.crop_url("16:9") == image.original_url
    assert media_store.names() == [image.file.name]


@pytest.mark.skipif(
    "AVIF" not in __import__("media_app.policy").policy.EXTENSIONS, reason="no AVIF"
)
def test_avif_is_accepted_when_pillow_reads_it():
    data = corpus.encode(corpus.two_tone(), "AVIF")
    image = import_image(file=corpus.upload("new.avif", data), alt_text="x")
    assert image.format == "AVIF"


def test_two_identical_uploads_at_once_end_with_one_row_and_one_set_of_files(
    monkeypatch, media_store
):
    """The other upload commits between our duplicate check and our insert."""
    from media_app import policy

    data = corpus.jpeg()
    original = policy.check_and_normalise
    theirs = {}

    def meanwhile(blob, filename):
        kept = original(blob, filename)
        monkeypatch.setattr(policy, "check_and_normalise", original)
        theirs["image"] = import_image(file=corpus.upload("same.jpg", data), alt_text="Theirs")
        return kept

    monkeypatch.setattr(policy, "check_and_normalise", meanwhile)
    ours = import_image(file=corpus.upload("same.jpg", data), alt_text="Ours")
    assert ours.pk == theirs["image"].pk
    assert Image.objects.get().alt_text == "Theirs"
    expected = {ours.file.name, *renditions.names_of(ours.renditions)}
    assert set(media_store.names()) == expected


def test_a_phone_jpeg_with_extra_pictures_inside_is_a_plain_jpeg():
    first = PILImage.new("RGB", (300, 200), (200, 0, 0))
    depth_map = PILImage.new("RGB", (300, 200), (0, 0, 200))
    data = corpus.encode(first, "MPO", save_all=True, append_images=[depth_map])
    image = import_image(file=corpus.upload("IMG_2041.jpg", data), alt_text="Red")
    assert (image.format, image.width, image.height) == ("JPEG", 300, 200)
    im = kept(image)
    assert im.format == "JPEG" and getattr(im, "n_frames", 1) == 1
    assert im.getpixel((10, 10))[0] > 150


def test_an_animated_png_is_kept_as_an_animated_webp():
    frames = [PILImage.new("RGB", (60, 40), (i * 60, 0, 0)) for i in range(3)]
    data = corpus.encode(frames[0], "PNG", save_all=True, append_images=frames[1:], duration=100)
    image = import_image(file=corpus.upload("loop.png", data), alt_text="Loop")
    assert image.format == "WEBP"
    assert kept(image).n_frames == 3
