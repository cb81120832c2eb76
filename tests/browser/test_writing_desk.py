"""The writing desk in Chromium: nothing typed is lost, posts on X render, pictures are chosen
from a grid or uploaded in place, and the journalist sees the checklist before submitting."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect
from reversion.models import Version

from articles.models import Article, Autosave, Tweet
from tests.browser.test_newsroom import log_in
from tests.factories import jpeg_bytes, make_article, make_image, make_section, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POST_URL = "https://x.com/harbour_desk/status/1790000000000000777"


def writer_and_draft(**fields):
    from articles import services

    fields.setdefault("body", "<p>The lamps came back on at dusk.</p>")
    writer = make_user(groups=["Journalists"], first_name="Maya", last_name="Golan")
    article = make_article(
        title="Harbour lights return",
        status=Article.Status.DRAFT,
        authors=[services.author_for_user(writer)],
        **fields,
    )
    return writer, article


def change_url(live_server, article):
    return f"{live_server.url}/admin/articles/article/{article.pk}/change/"


def open_form(page, url):
    page.goto(url)
    # desk.js marks the form once CKEditor has loaded the body.
    expect(page.locator("#article_form[data-desk-ready='1']")).to_have_count(1)


def wait_for_autosave(user, article, text):
    """Poll until the autosave holds *text* (the desk saves after a pause in typing)."""
    import time

    for _ in range(100):
        saved = Autosave.objects.filter(user=user, article=article).first()
        if saved and text in saved.data.get("body", ""):
            return saved
        time.sleep(0.1)
    raise AssertionError(f"no autosave with {text!r}")


def type_in_body(page, text):
    page.locator(".ck-editor__editable").click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type(text)


def test_submit_for_review_saves_the_typed_changes_first(page, live_server, console_errors, roles):
    writer, article = writer_and_draft()
    log_in(page, live_server, writer)
    open_form(page, change_url(live_server, article))
    page.locator("#id_title").fill("Harbour lights are back")
    type_in_body(page, "The harbour master wept.")
    page.get_by_role("button", name="Submit for review").click()

    expect(page.locator(".messagelist")).to_contain_text("Your changes were saved")
    expect(page.locator(".messagelist")).to_contain_text("is now in review")
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    assert article.title == "Harbour lights are back"
    assert "The harbour master wept." in article.body
    # The revision the editors review ("Submitted") holds the edits.
    submitted = Version.objects.get_for_object(article).first()
    assert "Submitted" in submitted.revision.comment
    assert submitted.field_dict["title"] == "Harbour lights are back"
    assert "The harbour master wept." in submitted.field_dict["body"]
    assert console_errors == []


def test_an_invalid_form_is_kept_and_nothing_moves(page, live_server, roles):
    writer, article = writer_and_draft()
    log_in(page, live_server, writer)
    open_form(page, change_url(live_server, article))
    page.locator("#id_title").fill("A" * 230)
    expect(page.locator("#desk-headline-count")).to_contain_text("30 over the limit")
    type_in_body(page, "A sentence worth keeping.")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".errorlist")).to_contain_text("230 characters long; the limit is 200")
    expect(page.locator(".ck-editor__editable")).to_contain_text("A sentence worth keeping.")
    assert page.locator("#id_title").input_value() == "A" * 230
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT and article.title == "Harbour lights return"


def test_autosave_then_reopen_offers_and_restores_the_text(
    page, live_server, console_errors, roles, settings
):
    settings.JTVC_AUTOSAVE_SECONDS = 1
    writer, article = writer_and_draft()
    log_in(page, live_server, writer)
    open_form(page, change_url(live_server, article))
    page.locator("#id_dek").fill("Ten dark years end tonight.")
    type_in_body(page, "Children ran along the quay.")
    expect(page.locator("[data-desk-autosave-status]")).to_contain_text(
        "Draft autosaved", timeout=10_000
    )
    wait_for_autosave(writer, article, "Children ran along the quay.")
    # The browser dies; nothing was saved to the article itself.
    page.close()
    article.refresh_from_db()
    assert "Children ran" not in article.body
    saved = Autosave.objects.get(user=writer, article=article)
    assert saved.base_version == article.version

    page = page.context.new_page()
    open_form(page, change_url(live_server, article))
    offer = page.locator(".desk-offer")
    expect(offer).to_contain_text("autosaved at")
    page.get_by_role("link", name="Restore the autosaved text from").click()
    expect(page.locator("#id_dek")).to_have_value("Ten dark years end tonight.")
    expect(page.locator(".ck-editor__editable")).to_contain_text("Children ran along the quay.")
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    article.refresh_from_db()
    assert "Children ran along the quay." in article.body
    assert not Autosave.objects.filter(user=writer).exists()
    assert console_errors == []


def test_an_autosave_never_touches_a_colleagues_text(page, live_server, roles, settings):
    settings.JTVC_AUTOSAVE_SECONDS = 1
    writer, article = writer_and_draft()
    editor = make_user(groups=["Editors"])
    log_in(page, live_server, writer)
    open_form(page, change_url(live_server, article))
    type_in_body(page, "My unsaved paragraph.")
    wait_for_autosave(writer, article, "My unsaved paragraph.")
    page.close()
    # An editor saves meanwhile; then the writer restores and saves.
    page = page.context.new_page()
    log_in(page, live_server, editor)
    open_form(page, change_url(live_server, article))
    expect(page.locator(".desk-offer")).to_have_count(0)  # the writer's autosave is theirs
    page.locator("#id_title").fill("Editor's headline")
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    log_in(page, live_server, writer)
    open_form(page, change_url(live_server, article))
    expect(page.locator(".desk-offer")).to_contain_text("saved by someone since")
    page.get_by_role("link", name="Restore the autosaved text from").click()
    page.get_by_role("button", name="Save and continue editing").first.click()
    # The edit-conflict check speaks; nothing of either is lost.
    expect(page.locator(".errornote, .errorlist").first).to_be_visible()
    expect(page.get_by_text("Someone else saved this article")).to_be_visible()
    article.refresh_from_db()
    assert article.title == "Editor's headline" and "My unsaved" not in article.body
    expect(page.locator(".ck-editor__editable")).to_contain_text("My unsaved paragraph.")


class FakeOEmbed:
    """A local stand-in for X's oEmbed endpoint: answers a post, or an error."""

    def __init__(self):
        self.mode = "ok"
        self.calls = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                fake.calls.append(self.path)
                if fake.mode != "ok":
                    self.send_response(503)
                    self.end_headers()
                    return
                body = json.dumps(
                    {
                        "author_name": "Harbour Desk",
                        "html": '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">'
                        "The lamps are lit &amp; the quay is full</p>&mdash; Harbour Desk "
                        '(@harbour_desk) <a href="https://x.com/">November 30, 2026</a>'
                        "</blockquote>",
                    }
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/oembed"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_x(settings):
    fake = FakeOEmbed()
    settings.JTVC_TWEET_OEMBED = True
    settings.JTVC_TWEET_OEMBED_ENDPOINT = fake.url
    yield fake
    fake.close()


def publishable_draft():
    """A draft an editor could publish at once, but for what the test adds."""
    editor = make_user(groups=["Editors"])
    article = make_article(
        title="Harbour lights return",
        status=Article.Status.DRAFT,
        section=make_section(name="News"),
        lead_image=make_image(alt_text="Lamps on the quay", credit="Dana Levi/JTVC"),
    )
    return editor, article


def test_pasted_post_fills_its_card_from_oembed(page, live_server, console_errors, roles, fake_x):
    editor, article = publishable_draft()
    log_in(page, live_server, editor)
    open_form(page, change_url(live_server, article))
    type_in_body(page, POST_URL)
    page.keyboard.press("Enter")
    card = page.locator("[data-desk-tweet='1790000000000000777']")
    expect(card.locator("textarea")).to_have_value("The lamps are lit & the quay is full")
    expect(card).to_contain_text("Harbour Desk")
    # Only the finished address was looked up, never a half-typed one.
    assert len(fake_x.calls) == 1
    assert "harbour_desk%2Fstatus%2F1790000000000000777" in fake_x.calls[0]
    page.get_by_role("button", name="Publish now").click()
    page.get_by_role("button", name="Yes, publish now").click()  # the confirmation page
    expect(page.locator(".messagelist")).to_contain_text("is now published")
    # The reader sees the post's words, not an empty box.
    page.context.clear_cookies()
    article.refresh_from_db()
    page.goto(live_server.url + article.get_absolute_url())
    expect(page.locator("blockquote.tweet-text")).to_contain_text("The lamps are lit")
    assert console_errors == []


def test_unreachable_x_asks_for_the_text_and_blocks_publishing(
    page, live_server, console_errors, roles, fake_x
):
    fake_x.mode = "down"
    editor, article = publishable_draft()
    log_in(page, live_server, editor)
    open_form(page, change_url(live_server, article))
    type_in_body(page, POST_URL)
    page.keyboard.press("Enter")
    card = page.locator("[data-desk-tweet='1790000000000000777']")
    expect(card).to_contain_text("Write the post's text below")
    checklist = page.locator("[data-desk-checklist]")
    expect(checklist).to_contain_text(f"{POST_URL} has no text yet")

    page.get_by_role("button", name="Publish now").click()
    page.get_by_role("button", name="Yes, publish now").click()  # the confirmation page
    expect(page.locator(".messagelist")).to_contain_text(f"Post on X: {POST_URL} has no text")
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert "1790000000000000777" in article.body  # the paste itself was saved

    card = page.locator("[data-desk-tweet='1790000000000000777']")
    card.locator("textarea").fill("Lamps lit, quay full.")
    expect(checklist).not_to_contain_text("has no text", timeout=10_000)
    page.get_by_role("button", name="Publish now").click()
    page.get_by_role("button", name="Yes, publish now").click()
    expect(page.locator(".messagelist")).to_contain_text("is now published")
    assert Tweet.objects.get(tweet_id="1790000000000000777").text == "Lamps lit, quay full."
    assert console_errors == [] or all("503" in e for e in console_errors)


def test_lead_picture_by_searching_and_by_uploading_in_place(
    page, live_server, console_errors, roles, tmp_path
):
    writer, article = writer_and_draft()
    make_image(title="Fishing boats", alt_text="Boats", credit="Ron Tal/JTVC")
    wanted = make_image(title="Harbour at dawn", alt_text="The harbour at dawn", credit="")
    log_in(page, live_server, writer)
    open_form(page, change_url(live_server, article))

    chooser = page.locator(".field-lead_image")
    chooser.get_by_role("button", name="Choose picture").click()
    chooser.get_by_label("Search the picture library").fill("harbour")
    pick = chooser.get_by_role("button", name="Harbour at dawn")
    expect(pick).to_contain_text("Needs credit")
    expect(chooser.get_by_role("button", name="Fishing boats")).to_have_count(0)
    pick.click()
    expect(chooser.locator(".desk-image-chosen")).to_contain_text("Harbour at dawn")
    expect(chooser.locator(".desk-image-chosen")).to_contain_text("Needs credit")
    expect(page.locator("[data-desk-checklist]")).to_contain_text("the image needs a credit")
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    article.refresh_from_db()
    assert article.lead_image == wanted

    # A new picture, uploaded right here with its alt text and credit.
    picture = tmp_path / "lamps.jpg"
    picture.write_bytes(jpeg_bytes(width=800, height=500))
    chooser = page.locator(".field-lead_image")
    chooser.get_by_role("button", name="Change picture").click()
    chooser.get_by_text("Upload a new picture").click()
    chooser.get_by_label("Picture file").set_input_files(str(picture))
    chooser.get_by_role("button", name="Upload and use").click()
    expect(chooser.locator("[data-desk-image-error]")).to_contain_text("Alt text is required")
    chooser.get_by_label("Alt text").fill("Lamps glowing on the quay")
    chooser.get_by_label("Credit").fill("Dana Levi/JTVC")
    chooser.get_by_role("button", name="Upload and use").click()
    expect(chooser.locator(".desk-image-chosen")).to_contain_text("Credit: Dana Levi/JTVC")
    expect(page.locator("[data-desk-checklist]")).not_to_contain_text("Lead image")
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    article.refresh_from_db()
    assert article.lead_image.alt_text == "Lamps glowing on the quay"
    assert article.lead_image.credit == "Dana Levi/JTVC"
    # Only the refused upload (400, alt text missing) may be in the console.
    assert [e for e in console_errors if "400" not in e] == []


def test_journalist_sees_the_checklist_live_before_submitting(
    page, live_server, console_errors, roles
):
    writer = make_user(groups=["Journalists"])
    make_section(name="News")
    log_in(page, live_server, writer)
    open_form(page, live_server.url + "/admin/articles/article/add/")
    checklist = page.locator("[data-desk-checklist]")
    expect(checklist).to_contain_text("Before this can be published")
    expect(checklist).to_contain_text("Standfirst: write")
    expect(checklist).to_contain_text("Lead image: choose a lead image")
    page.locator("#id_title").fill("Harbour lights return")
    page.locator("#id_dek").fill("The old lamps are back.")
    expect(checklist).not_to_contain_text("Standfirst", timeout=10_000)
    expect(checklist).to_contain_text("Lead image: choose a lead image")
    assert console_errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_writing_screen_fits_a_phone_and_works_by_keyboard(page, live_server, roles, scheme):
    writer, article = writer_and_draft()
    make_image(title="Harbour at dawn", alt_text="The harbour at dawn", credit="Dana Levi/JTVC")
    log_in(page, live_server, writer)
    page.set_viewport_size({"width": 390, "height": 844})
    page.emulate_media(color_scheme=scheme)
    open_form(page, change_url(live_server, article))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    headline = page.locator("#id_title").bounding_box()
    assert headline["width"] > 300  # full width, not the admin's 270 px box

    # The picture chooser by keyboard alone: open, search, pick, and focus comes back.
    page.locator("#id_lead_image_open").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Search the picture library").first).to_be_focused()
    page.keyboard.type("dawn")
    pick = page.get_by_role("button", name="Harbour at dawn")
    expect(pick).to_be_visible()
    pick.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".field-lead_image .desk-image-chosen")).to_contain_text(
        "Credit: Dana Levi/JTVC"
    )
    expect(page.locator("#id_lead_image_open")).to_be_focused()


def test_bylines_reorder_with_the_arrow_buttons(page, live_server, roles):
    from articles.models import ArticleAuthor
    from tests.factories import make_author

    writer, article = writer_and_draft()
    ArticleAuthor.objects.create(article=article, author=make_author(name="Noa Ben"), position=1)
    log_in(page, live_server, writer)
    open_form(page, change_url(live_server, article))
    page.locator("#bylines-group").get_by_role("button", name="Move up").last.click()
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    names = [b.author.name for b in article.bylines.order_by("position")]
    assert names == ["Noa Ben", "Maya Golan"]


def test_dragging_a_byline_row_sets_the_order_readers_see(page, live_server, roles):
    """Drag (not the arrows) a co-author above the first author; save; a reader's page
    names them in the new order."""
    from articles.models import ArticleAuthor
    from tests.factories import make_author

    writer, article = writer_and_draft()
    ArticleAuthor.objects.create(article=article, author=make_author(name="Noa Ben"), position=1)
    log_in(page, live_server, writer)
    open_form(page, change_url(live_server, article))
    rows = page.locator("#bylines-group tr.form-row:not(.empty-form)")
    expect(rows).to_have_count(2)
    rows.nth(1).drag_to(rows.nth(0))
    expect(rows.nth(0)).to_contain_text("Noa Ben")
    # Saved from the keyboard: after Playwright's synthetic drag, Chromium takes the next
    # mouse press as the end of the drag, so a click would not reach the button.
    page.get_by_role("button", name="Save and continue editing").first.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    # Once it is published, a reader sees the new order.
    from datetime import timedelta

    from django.utils import timezone

    article.refresh_from_db()
    article.status = Article.Status.PUBLISHED
    article.published_at = timezone.now() - timedelta(minutes=5)
    article.save()
    reader = page.context.browser.new_context()
    reader_page = reader.new_page()
    reader_page.goto(live_server.url + article.get_absolute_url())
    expect(reader_page.locator(".byline").first).to_have_text("By Noa Ben and Maya Golan")
    reader.close()


def test_autosave_keeps_byline_order_and_a_correction_and_restores_them(
    page, live_server, console_errors, roles, settings
):
    """Reorder the byline and add a correction (an editor's), wait for the autosave, lose
    the page, reopen, restore: the form has them back; saving makes them the article's."""
    from articles.models import ArticleAuthor
    from tests.factories import make_author

    settings.JTVC_AUTOSAVE_SECONDS = 1
    editor = make_user(groups=["Editors"], first_name="Eli", last_name="Katz")
    article = make_article(
        title="Harbour lights return",
        status=Article.Status.DRAFT,
        authors=[make_author(name="Maya Golan")],
    )
    ArticleAuthor.objects.create(article=article, author=make_author(name="Noa Ben"), position=1)
    log_in(page, live_server, editor)
    open_form(page, change_url(live_server, article))
    page.locator("#bylines-group").get_by_role("button", name="Move up").last.click()
    page.get_by_role("button", name="Add another Correction").click()
    page.locator("#id_corrections-0-text").fill("An earlier version named the wrong quay.")
    page.locator("#id_corrections-0-text").blur()

    import time

    for _ in range(150):
        saved = Autosave.objects.filter(user=editor, article=article).first()
        if saved and saved.data.get("corrections-0-text", "").startswith("An earlier"):
            break
        time.sleep(0.1)
    else:
        raise AssertionError("no autosave with the correction")
    page.close()
    assert not article.corrections.exists()
    assert [b.author.name for b in article.bylines.order_by("position")][0] == "Maya Golan"

    page = page.context.new_page()
    open_form(page, change_url(live_server, article))
    page.get_by_role("link", name="Restore the autosaved text from").click()
    expect(page.locator("#id_corrections-0-text")).to_have_value(
        "An earlier version named the wrong quay."
    )
    rows = page.locator("#bylines-group tr.form-row:not(.empty-form)")
    expect(rows.nth(0)).to_contain_text("Noa Ben")
    expect(rows.nth(1)).to_contain_text("Maya Golan")
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert [b.author.name for b in article.bylines.order_by("position")] == [
        "Noa Ben",
        "Maya Golan",
    ]
    assert article.corrections.get().text == "An earlier version named the wrong quay."
    assert not Autosave.objects.filter(user=editor).exists()
    assert console_errors == []


def test_tag_suggestions_appear_while_typing(page, live_server, roles):
    writer, article = writer_and_draft()
    make_article(tags=["harbour", "harvest", "politics"])
    log_in(page, live_server, writer)
    open_form(page, change_url(live_server, article))
    page.locator("#id_tags").fill("lamps, har")
    options = page.locator("#id_tags-suggestions option")
    expect(options).to_have_count(2)
    assert options.first.get_attribute("value") == "lamps, harbour"


def test_empty_form_to_submitted_story_in_one_page(
    page, live_server, console_errors, roles, fake_x
):
    """The journey the issue measured (about 21 actions, two page loads and a pop-up before).

    Each ``act()`` is one thing the journalist does: a click, a choice, or typing into one
    field. The count is printed for the report.
    """
    from articles import services
    from tests.factories import make_author

    writer = make_user(groups=["Journalists"], first_name="Maya", last_name="Golan")
    make_section(name="News")
    make_section(name="Opinion")
    make_author(name="Noa Ben")
    make_article(tags=["harbour", "politics"])
    make_image(title="Harbour at dawn", alt_text="The harbour at dawn", credit="Dana Levi/JTVC")
    log_in(page, live_server, writer)
    open_form(page, live_server.url + "/admin/articles/article/add/")
    loads = []
    page.on("load", lambda p: loads.append(p.url))
    actions = []

    def act(label):
        actions.append(label)

    page.locator("#id_title").fill("Harbour lights return")
    act("type the headline")
    page.locator("#id_dek").fill("The old lamps are back after ten dark years.")
    act("type the standfirst")
    page.locator(".ck-editor__editable").click()
    page.keyboard.type("The lamps came back on at dusk.")
    act("type the body")
    page.keyboard.press("Enter")
    page.keyboard.insert_text(POST_URL)
    page.keyboard.press("Enter")
    act("paste the post's address")
    expect(page.locator("[data-desk-tweet] textarea")).to_have_value(
        "The lamps are lit & the quay is full"
    )
    page.locator("#id_section").select_option(label="News")
    act("choose the section")
    page.locator("#id_tags").fill("harbour, lamps")
    act("type the tags")
    chooser = page.locator(".field-lead_image")
    chooser.get_by_role("button", name="Choose picture").click()
    act("open the picture chooser")
    chooser.get_by_label("Search the picture library").fill("harbour")
    act("search")
    chooser.get_by_role("button", name="Harbour at dawn").click()
    act("pick the picture")
    page.get_by_role("button", name="Add another Byline author").click()
    act("add a co-author row")
    page.locator("#bylines-group .select2-selection").last.click()
    act("open the author search")
    page.locator(".select2-container--open .select2-search__field").fill("Noa")
    act("type the co-author's name")
    page.locator(".select2-results__option", has_text="Noa Ben").click()
    act("choose the co-author")
    expect(page.locator("[data-desk-checklist]")).to_contain_text("Ready to publish")
    page.get_by_role("button", name="Submit for review").click()
    act("submit for review")
    expect(page.locator(".messagelist")).to_contain_text("is now in review")
    page.wait_for_load_state("load")

    article = Article.objects.get(title="Harbour lights return")
    assert article.status == Article.Status.IN_REVIEW
    assert sorted(b.author.name for b in article.bylines.all()) == ["Maya Golan", "Noa Ben"]
    assert article.lead_image.credit == "Dana Levi/JTVC"
    assert sorted(t.name for t in article.tags.all()) == ["harbour", "lamps"]
    assert Tweet.objects.get(tweet_id="1790000000000000777").text.startswith("The lamps are lit")
    assert services.publishing_problems(article) == []
    assert len(page.context.pages) == 1  # no pop-up window
    assert len(loads) == 1  # the one page load is the submit's answer
    print(f"\nActions from empty form to submitted story: {len(actions)}: {', '.join(actions)}")
    assert len(actions) <= 15
    assert console_errors == []


@pytest.mark.parametrize(
    ("width", "scheme"), [(390, "light"), (390, "dark"), (1366, "light"), (1366, "dark")]
)
def test_writing_screen_has_no_axe_violations_of_its_own(page, live_server, roles, width, scheme):
    """axe (WCAG 2.1 AA) on the desk's parts: side panel, chooser with its grid open, cards,
    byline rows, and the search boxes (select2) closed and open."""
    from axe_playwright_python.sync_playwright import Axe

    from articles.models import ArticleAuthor
    from tests.factories import make_author

    writer, article = writer_and_draft(
        body=f'<figure class="media"><oembed url="{POST_URL}"></oembed></figure>',
        lead_image=make_image(title="Lamps", credit=""),
    )
    ArticleAuthor.objects.create(article=article, author=make_author(name="Noa Ben"), position=1)
    make_image(title="Harbour at dawn", credit="Dana Levi/JTVC")
    log_in(page, live_server, writer)
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=scheme)
    open_form(page, change_url(live_server, article))
    # Every search box is named by its visible label (the column heading for a byline row).
    expect(page.get_by_role("combobox", name="Translation of")).to_have_count(1)
    expect(page.get_by_role("textbox", name="Translation of")).to_have_count(1)
    expect(page.get_by_role("combobox", name="Author Noa Ben")).to_have_count(1)
    page.locator("#id_lead_image_open").click()
    expect(page.locator(".field-lead_image .desk-image-item").first).to_be_visible()
    page.locator(".field-lead_image .desk-image-upload summary").click()
    options = {
        "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    }

    def check(*selectors):
        for selector in selectors:
            if not page.locator(selector).count():
                continue
            results = Axe().run(page, context=selector, options=options)
            assert results.violations_count == 0, f"{selector}: {results.generate_report()}"

    check(".desk-side", ".desk-tweets", ".field-title", ".desk-offer", "#bylines-group")
    # Open, the drop-down's search field is named after the box it searches for.
    page.get_by_role("combobox", name="Translation of").click()
    search = page.locator(".select2-container--open .select2-search__field")
    expect(search).to_be_focused()
    expect(page.get_by_role("searchbox", name="Search: Translation of")).to_have_count(1)
    check(".select2-container--open", ".desk-side")
