"""The image library under odd input (issue 9): limits named, database failures explained,
metadata not mistaken for markup, and who may change a colleague's picture."""

import io
import struct
import zlib

import pytest
from django.db import connection
from django.urls import reverse
from PIL import Image as PILImage

from media_app.models import Image
from media_app.services import import_image
from tests.factories import make_user
from tests.media_app import corpus

pytestmark = pytest.mark.django_db

ADD = reverse("admin:media_app_image_add")
EDITOR_UPLOAD = reverse("media_app:editor_upload")


def change_url(image):
    return reverse("admin:media_app_image_change", args=[image.pk])


def files_in(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_only(width, height):
    """A PNG that *claims* width × height (a tiny compressed stream follows): the policy
    must refuse it from the header, before anything is decoded."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
    )


@pytest.fixture
def journalist_client(client):
    client.force_login(make_user(groups=["Journalists"]))
    return client


# --- limits -------------------------------------------------------------------------------


def test_a_caption_of_ten_thousand_characters_is_refused_with_the_limit(admin_client, media_root):
    response = admin_client.post(
        ADD,
        {
            "files": corpus.upload("boat.jpg", corpus.jpeg()),
            "alt_text": "A boat",
            "caption": "c" * 10_000,
            "licence": "staff",
        },
    )
    assert response.status_code == 200
    (error,) = response.context["form"].errors["caption"]
    assert "1000" in error.replace(",", "") and "10000" in error.replace(",", "")
    assert not Image.objects.exists() and files_in(media_root) == []
    assert "At most 1,000 characters." in response.content.decode()


@pytest.mark.parametrize(
    ("width", "height", "expected"),
    [
        (12_000, 9_000, "12,000 × 9,000 pixels = 108 megapixels; the limit is 50 megapixels"),
        (20_000, 12_000, "20,000 × 12,000 pixels = 240 megapixels; the limit is 50 megapixels"),
    ],
)
def test_an_oversized_picture_is_refused_naming_its_size_and_the_limit(
    admin_client, width, height, expected
):
    response = admin_client.post(
        ADD,
        {
            "files": corpus.upload("huge.png", png_header_only(width, height)),
            "alt_text": "Huge",
            "licence": "staff",
        },
    )
    assert response.status_code == 200
    assert expected in response.content.decode()


# --- metadata is not markup ---------------------------------------------------------------


def test_markup_like_text_in_exif_and_xmp_is_accepted_and_stripped(admin_client):
    exif = PILImage.Exif()
    exif[0x010E] = "<script>alert(1)</script> <html> sunset"  # ImageDescription
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><svg onload="x"/><body>caption</body></x:xmpmeta>'
    out = io.BytesIO()
    corpus.two_tone().save(out, "JPEG", exif=exif, xmp=xmp)
    png = io.BytesIO()
    info = __import__("PIL.PngImagePlugin", fromlist=["PngInfo"]).PngInfo()
    info.add_itxt("XML:com.adobe.xmp", "<html><script>x</script></html>")
    info.add_text("Comment", "<?php echo 1; ?>")
    corpus.two_tone().save(png, "PNG", pnginfo=info)
    response = admin_client.post(
        ADD,
        {
            "files": [
                corpus.upload("with-exif.jpg", out.getvalue()),
                corpus.upload("with-xmp.png", png.getvalue()),
            ],
            "licence": "staff",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Image.objects.count() == 2
    for image in Image.objects.all():
        with image.file.open("rb") as kept:
            data = kept.read().lower()
        assert b"<script" not in data and b"<html" not in data


def test_markup_in_the_image_data_itself_is_still_refused(admin_client):
    polyglot = corpus.jpeg() + b"<script>alert(document.cookie)</script>"
    response = admin_client.post(
        ADD,
        {"files": corpus.upload("poly.jpg", polyglot), "alt_text": "x", "licence": "staff"},
    )
    assert response.status_code == 200
    assert "web-page code" in response.content.decode()
    assert not Image.objects.exists()


# --- several files ------------------------------------------------------------------------


def test_one_empty_file_among_several_is_named_and_the_others_kept(admin_client):
    response = admin_client.post(
        ADD,
        {
            "files": [
                corpus.upload("harbour.jpg", corpus.jpeg(500, 400)),
                corpus.upload("empty.jpg", b""),
                corpus.upload("logo.png", corpus.png(300, 300)),
            ],
            "licence": "staff",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "empty.jpg" in page and "empty" in page
    assert sorted(i.alt_text for i in Image.objects.all()) == ["Harbour", "Logo"]


# --- the database fails after the file was written ----------------------------------------


@pytest.fixture
def failing_insert():
    """A real database error on every new Image row, raised by the database itself."""
    table = Image._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION jtvc_refuse() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'disk quota exceeded'; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER jtvc_refuse BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION jtvc_refuse()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER jtvc_refuse BEFORE INSERT ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'disk quota exceeded'); END"
            )
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER jtvc_refuse ON {table}")
            cursor.execute("DROP FUNCTION jtvc_refuse()")
        else:
            cursor.execute("DROP TRIGGER jtvc_refuse")


def test_a_database_error_in_the_admin_upload_is_a_message(
    admin_client, failing_insert, media_root
):
    response = admin_client.post(
        ADD,
        {
            "files": corpus.upload("boat.jpg", corpus.jpeg()),
            "alt_text": "A boat",
            "licence": "staff",
        },
    )
    assert response.status_code == 200
    assert "could not be saved" in response.content.decode()
    assert not Image.objects.exists()
    assert files_in(media_root) == []


def test_a_database_error_in_the_editor_upload_is_a_message(
    journalist_client, failing_insert, media_root
):
    response = journalist_client.post(
        EDITOR_UPLOAD, {"upload": corpus.upload("boat.jpg", corpus.jpeg())}
    )
    assert response.status_code == 503
    assert "could not be saved" in response.json()["error"]["message"]
    assert not Image.objects.exists()
    assert files_in(media_root) == []


# --- who may change a picture -------------------------------------------------------------


def colleagues_picture():
    colleague = make_user(groups=["Journalists"])
    return import_image(
        file=corpus.upload("theirs.jpg", corpus.jpeg()),
        alt_text="Their picture",
        credit="Their credit",
        uploaded_by=colleague,
    )


def test_a_journalist_may_use_but_not_change_a_colleagues_picture(journalist_client):
    image = colleagues_picture()
    # Used: listed, and offered in the chooser (the raw-id lookup popup).
    listing = journalist_client.get(reverse("admin:media_app_image_changelist"))
    assert image in listing.context["cl"].result_list
    popup = journalist_client.get(
        reverse("admin:media_app_image_changelist"), {"_to_field": "id", "_popup": "1"}
    )
    assert popup.status_code == 200 and image in popup.context["cl"].result_list
    # Seen read-only, and a POST changes nothing.
    page = journalist_client.get(change_url(image))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    response = journalist_client.post(
        change_url(image),
        {
            "alt_text": "Mine now",
            "caption": "",
            "credit": "Me",
            "licence": "staff",
            "focal_x": "0.5",
            "focal_y": "0.5",
        },
    )
    assert response.status_code == 403
    image.refresh_from_db()
    assert (image.alt_text, image.credit) == ("Their picture", "Their credit")


def test_the_uploader_and_editors_may_change_a_picture(client):
    image = colleagues_picture()
    for user in [image.uploaded_by, make_user(groups=["Editors"])]:
        client.force_login(user)
        response = client.post(
            change_url(image),
            {
                "alt_text": f"Changed by {user}",
                "credit": "Desk",
                "licence": "staff",
                "focal_x": "0.5",
                "focal_y": "0.5",
            },
        )
        assert response.status_code == 302, user
        image.refresh_from_db()
        assert image.alt_text == f"Changed by {user}"


def test_the_editor_upload_of_a_colleagues_picture_changes_nothing_of_it(journalist_client):
    image = colleagues_picture()
    with image.file.open("rb"):
        pass
    response = journalist_client.post(
        EDITOR_UPLOAD,
        {"upload": corpus.upload("theirs.jpg", corpus.jpeg()), "alt": "A new description"},
    )
    assert response.status_code == 201
    assert response.json()["image_id"] == image.pk
    image.refresh_from_db()
    assert image.alt_text == "Their picture"
