"""The newsroom in a real browser: write in CKEditor 5, submit, publish, read the history."""

import re

import pytest
from playwright.sync_api import expect

from articles import services
from articles.models import Article, Tweet
from media_app.models import Image
from tests.factories import jpeg_bytes, make_article, make_image, make_section, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password"


def log_in(page, live_server, user):
    page.context.clear_cookies()
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Newsroom")).to_be_visible()


def test_journalist_writes_and_submits_editor_publishes(
    page, live_server, console_errors, roles, tmp_path
):
    writer = make_user(groups=["Journalists"], first_name="Maya", last_name="Golan")
    colleague = make_user(groups=["Journalists"])
    secret = make_article(
        title="Colleague's secret draft",
        status=Article.Status.DRAFT,
        authors=[services.author_for_user(colleague)],
    )
    boss = make_user(groups=["Editors"], first_name="Eli", last_name="Bar")
    make_section(name="News", slug="news")
    image = make_image(alt_text="Boats in the harbour at dawn", credit="Dana Levi/JTVC")

    # The journalist writes in CKEditor 5: a paragraph, a quotation and a post's address.
    log_in(page, live_server, writer)
    page.goto(live_server.url + "/admin/articles/article/add/")
    page.locator("#id_title").fill("Harbour lights return")
    page.locator("#id_dek").fill("The old lamps are back after ten dark years.")
    editor = page.locator(".ck-editor__editable")
    editor.click()
    page.keyboard.type("The lamps came back on at dusk.")
    page.keyboard.press("Enter")
    page.keyboard.type("> We waited a decade for this, said the harbour master.")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # leave the quotation
    page.keyboard.type("https://x.com/jtvc_news/status/1790000000000000001")
    page.keyboard.press("Enter")
    page.keyboard.type("More later.")
    # A picture from the journalist's camera, through the editor's upload button.
    picture = tmp_path / "harbour-lamps.jpg"
    picture.write_bytes(jpeg_bytes(width=1600, height=1000))
    page.locator(".ck-file-dialog-button input[type=file]").set_input_files(str(picture))
    expect(editor.locator("img")).to_have_attribute("src", re.compile(r"^/media/"))
    expect(editor.locator("blockquote")).to_contain_text("We waited a decade")
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    article = Article.objects.get(title="Harbour lights return")
    assert "<blockquote><p>We waited a decade" in article.body
    assert '<oembed url="https://x.com/jtvc_news/status/1790000000000000001">' in article.body
    assert Tweet.objects.filter(tweet_id="1790000000000000001", handle="jtvc_news").exists()
    assert [b.author.name for b in article.bylines.all()] == ["Maya Golan"]

    # Submit; there is no way to publish.
    expect(page.get_by_role("button", name="Publish now")).to_have_count(0)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".messagelist")).to_contain_text("is now in review")
    expect(page.get_by_role("button", name="Publish now")).to_have_count(0)

    # A colleague's draft cannot be opened by typing its address.
    page.goto(f"{live_server.url}/admin/articles/article/{secret.pk}/change/")
    expect(page.get_by_text("Colleague's secret draft")).to_have_count(0)
    page.goto(f"{live_server.url}/admin/articles/article/")
    expect(page.get_by_text("Harbour lights return")).to_be_visible()
    expect(page.get_by_text("Colleague's secret draft")).to_have_count(0)

    # The editor credits the picture the journalist uploaded (the checklist asks for it),
    # adds the section and the lead image, then publishes.
    log_in(page, live_server, boss)
    uploaded = Image.objects.exclude(pk=image.pk).get()
    page.goto(f"{live_server.url}/admin/media_app/image/{uploaded.pk}/change/")
    page.locator("#id_credit").fill("Maya Golan/JTVC")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    expect(page.locator(".ck-editor__editable blockquote")).to_be_visible()
    page.locator("#id_section").select_option(label="News")
    chooser = page.locator(".field-lead_image")
    chooser.get_by_role("button", name="Choose picture").click()
    chooser.get_by_label("Search the picture library").fill("boats")
    chooser.get_by_role("button", name=re.compile("Boats in the harbour")).click()
    expect(chooser).to_contain_text("Credit: Dana Levi/JTVC")
    page.locator("#id_title").fill("Harbour lights are back")
    # The post's card asks for its text (no lookup at X in tests); the editor types it.
    card = page.locator("[data-desk-tweet='1790000000000000001']")
    expect(card).to_contain_text("Write the post's text below")
    card.locator("textarea").fill("The lamps are lit tonight.")
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.get_by_role("button", name="Publish now").click()
    page.get_by_role("button", name="Yes, publish now").click()  # the confirmation page
    expect(page.locator(".messagelist")).to_contain_text("is now published")
    article.refresh_from_db()
    assert article.is_published()

    # The history shows both steps, and a diff of the headline.
    page.get_by_role("link", name="History").click()
    expect(page.locator(".newsroom-history").first).to_contain_text("Submitted")
    expect(page.locator(".newsroom-history").first).to_contain_text("Published")
    expect(page.locator(".newsroom-history").last).to_contain_text("Maya Golan")
    expect(page.locator(".newsroom-history").last).to_contain_text("Eli Bar")
    rows = page.locator(".newsroom-history").first.locator("tbody tr")
    # Compare the journalist's first save with the latest revision.
    rows.last.locator("input[name=a]").check()
    rows.first.locator("input[name=b]").check()
    page.get_by_role("button", name="Compare selected revisions").click()
    expect(page.locator("del", has_text="return")).to_be_visible()
    expect(page.locator("ins", has_text=re.compile("are back"))).to_be_visible()
    assert console_errors == []

    # A reader, not logged in, finds it on the home page, in search and in the feed.
    page.context.clear_cookies()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Harbour lights are back").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbour lights are back")
    expect(page.get_by_text("Credit: Dana Levi/JTVC")).to_be_visible()
    body_picture = page.locator(".article-body img").first
    expect(body_picture).to_have_attribute("srcset", re.compile(r"w640\.webp"))
    expect(page.locator("blockquote", has_text="We waited a decade")).to_be_visible()
    page.goto(live_server.url + "/search/?q=lights")
    expect(page.get_by_role("link", name="Harbour lights are back")).to_be_visible()
    feed = page.request.get(live_server.url + "/feed/")
    assert feed.ok and "<title>Harbour lights are back</title>" in feed.text()
    assert console_errors == []


def test_hostile_html_is_gone_and_the_editor_still_opens(page, live_server, console_errors, roles):
    boss = make_user(groups=["Editors"])
    article = make_article(
        title="Hostile",
        body='<p onclick="alert(1)">Safe words</p><script>alert(2)</script>'
        '<img src="https://evil.example/x.png" onerror="alert(3)">',
    )
    log_in(page, live_server, boss)
    page.on("dialog", lambda d: console_errors.append(f"dialog: {d.message}"))
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    expect(page.locator(".ck-editor__editable")).to_contain_text("Safe words")
    page.locator(".ck-editor__editable").click()
    page.keyboard.press("End")
    page.keyboard.type(" More.")
    expect(page.locator(".ck-editor__editable")).to_contain_text("Safe words More.")
    assert console_errors == []


def test_journalist_uploads_a_picture_through_the_editor(
    page, live_server, console_errors, roles, tmp_path
):
    from media_app.models import Image
    from tests.factories import jpeg_bytes

    writer = make_user(groups=["Journalists"], first_name="Noa", last_name="Peretz")
    picture = tmp_path / "harbour-at-dawn.jpg"
    picture.write_bytes(jpeg_bytes(width=1200, height=800))
    log_in(page, live_server, writer)
    page.goto(live_server.url + "/admin/articles/article/add/")
    page.locator("#id_title").fill("Pictures from the harbour")
    page.locator(".ck-editor__editable").click()
    page.keyboard.type("Dawn over the water.")
    # CKEditor's "Upload image" button wraps a file input; the adapter posts to our endpoint.
    page.locator(".ck-file-dialog-button input[type=file]").set_input_files(str(picture))
    uploaded = page.locator(".ck-editor__editable img")
    expect(uploaded).to_have_attribute("src", re.compile(r"^/media/"))
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    image = Image.objects.get()
    assert image.uploaded_by == writer
    assert image.alt_text_needs_review  # the adapter sends no alt text; the admin asks for it
    article = Article.objects.get(title="Pictures from the harbour")
    assert "<img" in article.body and image.sha256 in article.body
    assert console_errors == []


def test_the_editor_refuses_a_disguised_file_with_a_message(
    page, live_server, console_errors, roles, tmp_path
):
    from media_app.models import Image

    writer = make_user(groups=["Journalists"])
    fake = tmp_path / "photo.jpg"
    fake.write_text("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>")
    log_in(page, live_server, writer)
    page.goto(live_server.url + "/admin/articles/article/add/")
    page.locator(".ck-editor__editable").click()
    messages = []
    page.on("dialog", lambda d: (messages.append(d.message), d.dismiss()))
    page.locator(".ck-file-dialog-button input[type=file]").set_input_files(str(fake))
    page.wait_for_timeout(1500)
    assert len(messages) == 1
    assert "SVG" in messages[0] and "Allowed: AVIF, GIF, JPEG, PNG, WebP" in messages[0]
    assert not Image.objects.exists()
    # The refused upload answers 400: the only console noise allowed is that response.
    assert all("editor-upload" in e or "400" in e for e in console_errors)
