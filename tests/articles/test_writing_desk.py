"""The writing desk through the admin's own POSTs: save-first buttons, autosave, checklist,
picture chooser endpoints, tags, post cards, slugs and headlines."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles import oembed, services
from articles.models import Article, Autosave, Tweet
from media_app.models import Image
from tests.articles.test_admin import change_url, form_data, login, own_draft
from tests.factories import (
    jpeg_bytes,
    make_article,
    make_image,
    make_section,
    make_tweet,
    make_user,
)

pytestmark = pytest.mark.django_db
Status = Article.Status
ADD_URL = "/admin/articles/article/add/"
POST = "https://x.com/harbour_desk/status/1790000000000000999"


def desk(name, *args):
    return reverse(f"admin:articles_article_{name}", args=args)


# --- Buttons save first -----------------------------------------------------------------


def test_submit_button_saves_the_form_then_submits(client):
    me = login(client, "Journalists")
    article = own_draft(me, title="Old headline")
    data = form_data(article, title="New headline", action="submit")
    del data["_continue"]
    response = client.post(change_url(article), data, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert "Your changes were saved." in messages
    assert any("is now in review" in m for m in messages)
    article.refresh_from_db()
    assert article.title == "New headline" and article.status == Status.IN_REVIEW


def test_submit_with_an_invalid_form_keeps_the_form_and_moves_nothing(client):
    me = login(client, "Journalists")
    article = own_draft(me, title="Old headline")
    data = form_data(article, title="x" * 201, dek="Typed words", action="submit")
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    assert "201 characters long; the limit is 200. Shorten it by 1." in response.content.decode()
    assert response.context["adminform"].form["dek"].value() == "Typed words"
    article.refresh_from_db()
    assert article.status == Status.DRAFT and article.title == "Old headline"


def test_submit_from_the_add_form_creates_and_submits(client):
    me = login(client, "Journalists")
    data = form_data(title="Fresh story", action="submit")
    del data["_continue"]
    client.post(ADD_URL, data)
    article = Article.objects.get(title="Fresh story")
    assert article.status == Status.IN_REVIEW
    assert services.writes(me, article)


def test_save_draft_and_preview_from_the_first_keystroke(client):
    login(client, "Journalists")
    data = form_data(title="Just begun", _preview="1")
    del data["_continue"]
    response = client.post(ADD_URL, data)
    article = Article.objects.get(title="Just begun")
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200  # staff see drafts


def test_a_used_headline_gets_a_free_slug(client):
    make_article(title="Harbour lights", slug="harbour-lights")
    login(client, "Journalists")
    client.post(ADD_URL, form_data(title="Harbour lights", slug="harbour-lights"))
    assert Article.objects.filter(slug="harbour-lights-2", title="Harbour lights").exists()


def test_the_headline_box_does_not_cut_silently(client):
    login(client, "Journalists")
    html = client.get(ADD_URL).content.decode()
    assert 'name="title"' in html and 'maxlength="200"' not in html.split('name="title"')[1][:200]
    response = client.post(ADD_URL, form_data(title="y" * 230))
    assert "230 characters long; the limit is 200. Shorten it by 30." in response.content.decode()
    assert not Article.objects.exists()


# --- Autosave ---------------------------------------------------------------------------


def test_autosave_keeps_a_private_copy_and_never_touches_the_article(client):
    me = login(client, "Journalists")
    article = own_draft(me, title="Saved headline")
    response = client.post(
        desk("autosave"),
        {
            "article": article.pk,
            "title": "Typed headline",
            "body": "<p>typed</p>",
            "loaded_version": article.version,
        },
    )
    assert response.status_code == 200 and "autosaved at" in response.json()["message"]
    article.refresh_from_db()
    assert article.title == "Saved headline"
    saved = Autosave.objects.get(user=me, article=article)
    assert saved.data["title"] == "Typed headline" and saved.base_version == article.version

    page = client.get(change_url(article))
    assert page.context["desk"]["offer"] == saved
    assert "Restore the autosaved text from" in page.content.decode()
    restored = client.get(change_url(article) + "?autosave=restore")
    assert restored.context["adminform"].form["title"].value() == "Typed headline"

    # Saving the article drops the autosave.
    client.post(change_url(article), form_data(article, title="Typed headline"))
    assert not Autosave.objects.filter(user=me).exists()


def test_autosave_keeps_byline_order_corrections_and_post_text_and_restores_them(client):
    """What a journalist would lose besides the words: the byline order, a correction, the
    tags, the section, a post's text. Restoring puts them into the form, not the database.
    (An editor: corrections are theirs to write.)"""
    from articles.models import ArticleAuthor, Correction
    from tests.factories import make_author

    me = login(client, "Editors")
    article = own_draft(me, body=f'<figure class="media"><oembed url="{POST}"></oembed></figure>')
    Tweet.objects.get_or_create(
        tweet_id="1790000000000000999", defaults={"handle": "harbour_desk", "url": POST}
    )
    colleague = make_author(name="Noa Ben")
    ArticleAuthor.objects.create(article=article, author=colleague, position=1)
    section = make_section(name="Harbour")
    typed = form_data(
        article,
        tags="lamps, quay",
        section=str(section.pk),
        **{
            "bylines-0-position": "1",  # Maya now second,
            "bylines-1-id": str(article.bylines.get(author=colleague).pk),
            "bylines-1-article": str(article.pk),
            "bylines-1-author": str(colleague.pk),
            "bylines-1-position": "0",  # Noa first
            "bylines-TOTAL_FORMS": "2",
            "bylines-INITIAL_FORMS": "2",
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-text": "An earlier version named the wrong quay.",
            "corrections-0-created_at_0": "2026-11-30",
            "corrections-0-created_at_1": "10:00:00",
            "corrections-0-article": str(article.pk),
            "tweet_text-1790000000000000999": "The lamps are lit",
        },
    )
    del typed["_continue"]
    assert client.post(desk("autosave"), {"article": article.pk, **typed}).status_code == 200
    saved = Autosave.objects.get(user=me, article=article)
    assert saved.data["corrections-0-text"] == "An earlier version named the wrong quay."
    assert "csrfmiddlewaretoken" not in saved.data and "loaded_version" not in saved.data
    # Nothing reached the article.
    assert not Correction.objects.exists()
    names = [b.author.name for b in article.bylines.order_by("position")]
    assert names[1] == "Noa Ben"

    page = client.get(change_url(article))
    assert page.context["desk"]["offer"] == saved
    restored = client.get(change_url(article) + "?autosave=restore")
    html = restored.content.decode()
    form = restored.context["adminform"].form
    assert form["tags"].value() == "lamps, quay" and str(form["section"].value()) == str(section.pk)
    formsets = {f.formset.prefix: f.formset for f in restored.context["inline_admin_formsets"]}
    rows = sorted((int(f["position"].value()), f["author"].value()) for f in formsets["bylines"])
    assert [str(author) for _, author in rows] == [str(colleague.pk), str(me.author.pk)]
    assert "An earlier version named the wrong quay." in html
    assert ">The lamps are lit</textarea>" in html
    assert not Correction.objects.exists()

    # The journalist saves the restored form: now it is the article, and the autosave goes.
    client.post(change_url(article), {**typed, "_continue": "Save"})
    assert [b.author.name for b in article.bylines.order_by("position")][0] == "Noa Ben"
    assert article.corrections.get().text == "An earlier version named the wrong quay."
    assert not Autosave.objects.exists()


def test_an_autosave_of_only_a_new_byline_order_is_still_offered(client):
    """The offer compared title, dek and body only: a changed byline order was thrown away."""
    from articles.models import ArticleAuthor
    from tests.factories import make_author

    me = login(client, "Journalists")
    article = own_draft(me)
    ArticleAuthor.objects.create(article=article, author=make_author(name="Noa Ben"), position=1)
    data = form_data(article)
    data["bylines-0-position"], data["bylines-1-position"] = "1", "0"
    client.post(desk("autosave"), {"article": article.pk, **data})
    assert client.get(change_url(article)).context["desk"]["offer"] is not None
    # An autosave that holds exactly what is saved is dropped.
    client.post(desk("autosave"), {"article": article.pk, **form_data(article)})
    assert client.get(change_url(article)).context["desk"]["offer"] is None
    assert not Autosave.objects.exists()


def test_keep_the_saved_version_discards_the_autosave(client):
    me = login(client, "Journalists")
    article = own_draft(me)
    Autosave.objects.create(user=me, article=article, data={"title": "Other"})
    response = client.post(
        desk("autosave"), {"article": article.pk, "discard": "1", "next": "form"}
    )
    assert response.status_code == 302 and response["Location"] == change_url(article)
    assert not Autosave.objects.exists()


def test_autosave_refuses_articles_the_user_cannot_edit(client):
    login(client, "Journalists")
    colleague = make_user(groups=["Journalists"])
    theirs = own_draft(colleague)
    assert client.post(desk("autosave"), {"article": theirs.pk, "title": "x"}).status_code == 404
    me = make_user(groups=["Journalists"])
    client.force_login(me)
    in_review = make_article(status=Status.IN_REVIEW, authors=[services.author_for_user(me)])
    assert client.post(desk("autosave"), {"article": in_review.pk, "title": "x"}).status_code == 403
    assert not Autosave.objects.exists()


def test_an_autosave_is_offered_only_to_its_writer(client):
    me = make_user(groups=["Journalists"])
    article = own_draft(me)
    Autosave.objects.create(user=me, article=article, data={"title": "Mine, unsaved"})
    login(client, "Editors")
    response = client.get(change_url(article))
    assert response.context["desk"]["offer"] is None
    assert "Mine, unsaved" not in response.content.decode()


# --- Checklist --------------------------------------------------------------------------


def test_checklist_shows_the_publishing_problems_of_the_unsaved_form(client):
    login(client, "Journalists")
    section = make_section()
    bare = client.post(desk("checklist"), {"dek": "", "body": ""}).json()
    assert "Standfirst: write" in bare["html"] and "Section: choose" in bare["html"]
    image = make_image(credit="")
    data = {
        "section": section.pk,
        "dek": "Why.",
        "lead_image": image.pk,
        "bylines-TOTAL_FORMS": "1",
        "bylines-0-author": "5",
        "body": f"<p>{POST}</p>",
    }
    answer = client.post(desk("checklist"), data).json()
    assert "Section" not in answer["html"] and "Standfirst" not in answer["html"]
    assert "the image needs a credit" in answer["html"]
    assert f"{POST} has no text yet" in answer["html"]
    typed = client.post(desk("checklist"), {**data, "tweet_text-1790000000000000999": "Hi"})
    assert "has no text" not in typed.json()["html"]


def test_a_journalists_new_article_does_not_ask_for_an_author(client):
    """Saving puts the journalist on the byline, so the checklist does not ask for one; an
    editor's new article is bylined by hand, so theirs does."""
    login(client, "Journalists")
    add = reverse("admin:articles_article_add")
    assert "Authors: add" not in client.get(add).content.decode()
    assert "Authors: add" not in client.post(desk("checklist"), {"dek": ""}).json()["html"]
    client.post(add, form_data(section=str(make_section().pk)))
    article = Article.objects.get(title="A new story")
    assert article.bylines.count() == 1
    login(client, "Editors")
    assert "Authors: add" in client.get(add).content.decode()
    assert "Authors: add" in client.post(desk("checklist"), {"dek": ""}).json()["html"]


def test_the_change_form_shows_the_checklist_to_journalists(client):
    me = login(client, "Journalists")
    article = own_draft(me, dek="")
    html = client.get(change_url(article)).content.decode()
    assert "Before this can be published" in html and "Standfirst: write" in html


def test_a_post_without_text_blocks_publishing(client):
    editor = login(client, "Editors")
    article = make_article(
        status=Status.DRAFT,
        section=make_section(),
        lead_image=make_image(),
        body=f"<p>{POST}</p>",
    )
    with pytest.raises(services.WorkflowError) as refused:
        services.publish_article(article=article, editor=editor)
    assert f"Post on X: {POST} has no text yet" in str(refused.value)
    Tweet.objects.filter(tweet_id="1790000000000000999").update(text="Words")
    services.publish_article(article=article, editor=editor)


def test_card_text_is_saved_with_the_article(client):
    login(client, "Editors")
    article = make_article(status=Status.DRAFT, body=f"<p>{POST}</p>")
    client.post(
        change_url(article),
        form_data(article, **{"tweet_text-1790000000000000999": " The quay is full. "}),
    )
    assert Tweet.objects.get(tweet_id="1790000000000000999").text == "The quay is full."


# --- Pictures ---------------------------------------------------------------------------


def test_picture_search_shows_a_grid_with_credit_badges(client):
    login(client, "Journalists")
    make_image(title="Harbour at dawn", credit="")
    make_image(title="Market day", credit="Ron Tal/JTVC")
    html = client.get(desk("images"), {"q": "harbour"}).json()["html"]
    assert "Harbour at dawn" in html and "Needs credit" in html and "Market day" not in html
    by_credit = client.get(desk("images"), {"q": "ron tal"}).json()["html"]
    assert "Market day" in by_credit


def test_upload_in_place_goes_through_the_library_policy(client):
    login(client, "Journalists")
    refused = client.post(
        desk("upload"),
        {"file": SimpleUploadedFile("a.jpg", b"<svg onload=alert(1)>"), "alt_text": "x"},
    )
    assert refused.status_code == 400 and refused.json()["error"]
    no_alt = client.post(
        desk("upload"), {"file": SimpleUploadedFile("a.jpg", jpeg_bytes()), "alt_text": ""}
    )
    assert no_alt.status_code == 400 and "Alt text is required" in no_alt.json()["error"]
    assert not Image.objects.exists()
    good = client.post(
        desk("upload"),
        {
            "file": SimpleUploadedFile("lamps.jpg", jpeg_bytes(width=400, height=300)),
            "alt_text": "Lamps on the quay",
            "credit": "Dana Levi/JTVC",
            "licence": "staff",
        },
    )
    assert good.status_code == 201
    image = Image.objects.get(pk=good.json()["id"])
    assert image.credit == "Dana Levi/JTVC" and "Credit: Dana Levi/JTVC" in good.json()["html"]


def test_the_form_shows_the_chosen_picture_not_an_id(client):
    me = login(client, "Journalists")
    article = own_draft(me, lead_image=make_image(title="Lamps", credit="Dana Levi/JTVC"))
    html = client.get(change_url(article)).content.decode()
    assert "Credit: Dana Levi/JTVC" in html and "Change picture" in html
    assert "vForeignKeyRawIdAdminField" not in html


# --- Tags, list -------------------------------------------------------------------------


def test_tag_suggestions_come_from_tags_in_use(client):
    login(client, "Journalists")
    make_article(tags=["harbour", "harvest", "politics"])
    assert client.get(desk("tags"), {"q": "har"}).json()["tags"] == ["harbour", "harvest"]


def test_article_list_has_thumbnails(client):
    login(client, "Editors")
    make_article(title="With picture", lead_image=make_image())
    html = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert 'class="desk-thumb"' in html


# --- Posts on X -------------------------------------------------------------------------


def test_post_card_endpoint_accepts_only_post_addresses(client, settings):
    settings.JTVC_TWEET_OEMBED = False
    login(client, "Journalists")
    assert client.post(desk("tweet"), {"url": "http://169.254.169.254/"}).status_code == 400
    answer = client.post(desk("tweet"), {"url": POST}).json()
    assert "switched off" in answer["html"] and "Write the post's text" in answer["html"]
    # Nothing is stored for an address until X knows it or the article is saved.
    assert not Tweet.objects.exists()


class Answer(BaseHTTPRequestHandler):
    status, headers, body = 200, {}, b"{}"

    def do_GET(self):  # noqa: N802
        self.send_response(self.status)
        for key, value in self.headers_out.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def x_server(settings):
    """A local server standing in for X; tests set what it answers."""

    class Handler(Answer):
        headers_out = {}

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.JTVC_TWEET_OEMBED = True
    settings.JTVC_TWEET_OEMBED_ENDPOINT = f"http://127.0.0.1:{server.server_port}/oembed"
    yield Handler
    server.shutdown()
    server.server_close()


def test_oembed_refuses_redirects(x_server):
    x_server.status = 302
    x_server.headers_out = {"Location": "http://169.254.169.254/latest/meta-data/"}
    with pytest.raises(oembed.LookupFailed, match="redirect"):
        oembed.fetch_tweet_text(make_tweet(text=""))


def test_oembed_caps_the_answer(x_server):
    x_server.body = json.dumps({"html": "<p>" + "a" * 70_000 + "</p>"}).encode()
    with pytest.raises(oembed.LookupFailed, match="too large"):
        oembed.fetch_tweet_text(make_tweet(text=""))


def test_oembed_fills_text_name_language_and_date(x_server):
    x_server.body = json.dumps(
        {
            "author_name": "Harbour Desk",
            "html": '<blockquote><p lang="he" dir="rtl">הנמל מואר</p>&mdash; Harbour Desk '
            '<a href="https://x.com/">November 30, 2026</a></blockquote>',
        }
    ).encode()
    tweet = make_tweet(text="", language="", author_name="")
    assert oembed.fetch_tweet_text(tweet)
    tweet.refresh_from_db()
    assert tweet.text == "הנמל מואר" and tweet.language == "he"
    assert tweet.author_name == "Harbour Desk" and tweet.posted_at.year == 2026


def test_saving_fills_posts_in_the_background_task(
    client, x_server, django_capture_on_commit_callbacks
):
    x_server.body = json.dumps({"html": "<p>Filled after save</p>"}).encode()
    login(client, "Editors")
    article = make_article(status=Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(change_url(article), form_data(article, body=f"<p>{POST}</p>"))
    assert Tweet.objects.get(tweet_id="1790000000000000999").text == "Filled after save"


def test_readers_never_see_an_empty_post_card(client):
    tweet = make_tweet(text="", handle="harbour_desk")
    article = make_article(
        body=f'<figure class="media"><oembed url="{tweet.url}"></oembed></figure>'
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<figure class="tweet">' not in html
    assert "Post by @harbour_desk on X" in html


def test_change_form_queries_do_not_grow_with_posts_or_pictures(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    me = login(client, "Journalists")

    def queries_for(n):
        body = "".join(
            f'<figure class="media"><oembed url="https://x.com/a/status/{900 + i}"></oembed>'
            "</figure>"
            for i in range(n)
        )
        article = own_draft(me, body=body, lead_image=make_image())
        for i in range(n):
            make_image(title=f"Library picture {i}")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(change_url(article)).status_code == 200
        return len(captured)

    assert queries_for(1) == queries_for(6)


def test_list_thumbnails_cost_no_query_per_row(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, "Editors")
    url = reverse("admin:articles_article_changelist")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len(captured)

    make_article(lead_image=make_image())
    one = queries()
    for _ in range(4):
        make_article(lead_image=make_image())
    assert queries() == one
