"""The image library in a real browser: upload in the admin, set the focal point by clicking."""

import mimetypes

import pytest
from playwright.sync_api import expect

from media_app.models import Image
from tests.factories import make_user
from tests.media_app import corpus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def serve_media(page, media_root):
    """Answer /media/ from the test's MEDIA_ROOT (the live server serves no media files)."""

    def handle(route):
        name = route.request.url.split("/media/", 1)[1].split("?", 1)[0]
        path = media_root / name
        if not path.resolve().is_relative_to(media_root.resolve()) or not path.is_file():
            route.fulfill(status=404, body="missing")
            return
        route.fulfill(
            status=200,
            body=path.read_bytes(),
            content_type=mimetypes.guess_type(path.name)[0] or "application/octet-stream",
        )

    page.route("**/media/**", handle)


def log_in(page, live_server):
    user = make_user(username="picture-desk", is_superuser=True)
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(live_server.url + "/admin/")


def test_upload_then_set_the_focal_point_by_clicking(
    page, live_server, console_errors, serve_media, tmp_path
):
    log_in(page, live_server)
    picture = tmp_path / "harbour_at_dawn.jpg"
    picture.write_bytes(corpus.rotated_jpeg_with_gps())
    page.goto(live_server.url + "/admin/media_app/image/add/")
    page.set_input_files("input[type=file]", str(picture))
    page.locator("#id_alt_text").fill("Red above blue, the picture turned upright")
    page.locator("#id_credit").fill("Dana Levi/Reuters")
    page.get_by_role("button", name="Upload").click()

    expect(page.locator(".messagelist")).to_contain_text("Added to the library")
    image = Image.objects.get()
    assert (image.width, image.height) == (300, 400)

    picker = page.locator("[data-focal-picker] img")
    expect(picker).to_be_visible()
    page.wait_for_function("document.querySelector('[data-focal-picker] img').naturalWidth > 0")
    box = picker.bounding_box()
    picker.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    x = float(page.locator("#id_focal_x").input_value())
    y = float(page.locator("#id_focal_y").input_value())
    assert abs(x - 0.25) < 0.02 and abs(y - 0.75) < 0.02
    marker = page.locator(".focal-marker").bounding_box()
    assert abs(marker["x"] + marker["width"] / 2 - (box["x"] + box["width"] * 0.25)) < 3

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    image.refresh_from_db()
    assert abs(image.focal_x - 0.25) < 0.02 and abs(image.focal_y - 0.75) < 0.02
    assert f"f{round(image.focal_x * 100)}x{round(image.focal_y * 100)}" in image.crop_url("1:1")
    assert console_errors == []


def test_a_hostile_upload_is_refused_on_the_page(page, live_server, console_errors, tmp_path):
    log_in(page, live_server)
    svg = tmp_path / "drawing.svg"
    svg.write_bytes(corpus.SVG)
    page.goto(live_server.url + "/admin/media_app/image/add/")
    page.set_input_files("input[type=file]", str(svg))
    page.locator("#id_alt_text").fill("A drawing")
    page.get_by_role("button", name="Upload").click()
    expect(page.locator(".errorlist")).to_contain_text("SVG")
    assert Image.objects.count() == 0
    assert console_errors == []


def test_the_editor_endpoint_answers_a_browser_upload_like_ckeditors_adapter(
    page, live_server, console_errors
):
    """The request CKEditor 5's simple upload adapter makes: FormData "upload" + X-CSRFToken."""
    log_in(page, live_server)
    upload = """async ([name, bytes]) => {
        const token = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
        const form = new FormData();
        form.append("upload", new Blob([new Uint8Array(bytes)]), name);
        const response = await fetch("/media-library/editor-upload/", {
            method: "POST", body: form, headers: {"X-CSRFToken": token.split("=")[1]},
        });
        return {status: response.status, body: await response.json()};
    }"""
    good = page.evaluate(upload, ["harbour_at_dawn.jpg", list(corpus.jpeg())])
    assert good["status"] == 201
    assert good["body"]["url"].startswith("/media/images/")
    bad = page.evaluate(upload, ["evil.svg", list(corpus.SVG)])
    assert bad["status"] == 400
    assert "SVG" in bad["body"]["error"]["message"]
    assert Image.objects.count() == 1
    # The refused upload's 400 is expected; nothing else went wrong on the page.
    assert [e for e in console_errors if "editor-upload" not in e and "400" not in e] == []


def test_before_its_renditions_exist_a_reader_sees_the_original_picture(
    page, live_server, console_errors, settings
):
    """Until the worker has made the WebP widths, the page names the kept original, and the
    picture shows (not an empty box); once they exist, the page offers them."""
    from media_app.tasks import make_renditions
    from tests.factories import make_article, make_image

    settings.SERVE_MEDIA = True  # read per request: /media/ answered as in production
    picture = make_image(width=800, height=450, alt_text="הטיילת בערב")
    article = make_article(title="פנסי הנמל חזרו לדלוק", language="he", lead_image=picture)
    assert picture.widths == []  # as after an upload, before the task has run

    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(live_server.url + article.get_absolute_url())
    lead = page.locator(".article .figure img")
    page.wait_for_function(
        "document.querySelector('.article .figure img').complete"
        " && document.querySelector('.article .figure img').naturalWidth > 0"
    )
    assert lead.evaluate("img => img.currentSrc").endswith(picture.file.name)
    assert lead.bounding_box()["height"] > 100

    make_renditions.enqueue(picture.pk)  # the worker (immediate in tests)
    page.goto(live_server.url + article.get_absolute_url())
    page.wait_for_function("document.querySelector('.article .figure img').naturalWidth > 0")
    assert lead.evaluate("img => img.currentSrc").endswith(".webp")
    assert console_errors == []
