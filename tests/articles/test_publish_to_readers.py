"""The newsroom's buttons reach readers on their very next request.

Every workflow step is taken with the admin's own form: the change page is loaded, its
workflow form read (CSRF token, note, time, the button's name and value) and posted as a
browser would, CSRF checks on. Straight after, two anonymous readers ask for the home page,
the article, its section, tag and author pages, the feed and the sitemap: one through the
test client, one over HTTP from the live server (another thread with its own cache
connection), both sharing a real Redis, with the page cache on and every page already cached
before the step.
"""

import re
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article
from tests.factories import make_article, make_image, make_section, make_user

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Harbour lights go dark for the night"
WORKFLOW_FORM = re.compile(
    r'<form [^>]*id="article_form"[^>]*>(?P<form>.*?)</form>',
    re.DOTALL,
)


class Newsroom:
    """A journalist and an editor using the admin's own forms."""

    def __init__(self, article):
        self.article = article
        self.writer = Client(enforce_csrf_checks=True)
        self.writer.force_login(article.created_by)
        self.editor = Client(enforce_csrf_checks=True)
        self.editor.force_login(make_user(groups=["Editors"]))

    def press(self, who, action, *, note="", publish_at=""):
        change_url = reverse("admin:articles_article_change", args=[self.article.pk])
        page = who.get(change_url).content.decode()
        # The buttons live in the writing desk's side panel, inside the article form; they
        # post the action to the workflow view (after saving the form, when editable).
        found = WORKFLOW_FORM.search(page)
        assert found, "the change form has no workflow buttons"
        form = found["form"]
        target = reverse("admin:articles_article_workflow", args=[self.article.pk])
        assert f'name="action" value="{action}"' in form, f"no {action!r} button"
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
        data = {"csrfmiddlewaretoken": token, "action": action}
        if 'name="note"' in form:
            data["note"] = note
        if 'name="publish_at"' in form:
            data["publish_at"] = publish_at
        response = who.post(target, data)
        if response.status_code == 200 and 'name="confirmed"' in response.content.decode():
            # Publish now and Unpublish ask first, on a page of their own: confirm there.
            page = response.content.decode()
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
            data = {"csrfmiddlewaretoken": token, "action": action, "confirmed": "1"}
            if 'name="note"' in page:
                data["note"] = note
            response = who.post(target, data)
        assert response.status_code == 302, response.content[:500]
        shown = [str(m) for m in who.get(change_url).context["messages"]]
        assert any("is now" in m for m in shown), shown

    def list_action(self, action):
        changelist = reverse("admin:articles_article_changelist")
        page = self.editor.get(changelist).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        response = self.editor.post(
            changelist,
            {
                "csrfmiddlewaretoken": token,
                "action": action,
                "_selected_action": [self.article.pk],
                "index": 0,
            },
        )
        assert response.status_code == 302


class Reader:
    """Anonymous readers: the test client, and plain HTTP to the live server."""

    def __init__(self, live_server, article):
        self.base = live_server.url
        self.client = Client()
        self.article = article
        self.pages = {
            "home": reverse("articles:home"),
            "article": article.get_absolute_url(),
            "section": article.section.get_absolute_url(),
            "tag": reverse("articles:tag", args=["night-shift"]),
            "author": article.bylines.get().author.get_absolute_url(),
            "feed": reverse("articles:feed"),
            "sitemap": reverse("articles:sitemap"),
        }

    def over_http(self, path):
        try:
            with urllib.request.urlopen(self.base + path, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, ""

    def in_process(self, path):
        response = self.client.get(path)
        return response.status_code, response.content.decode()

    def sees(self, expected):
        """Assert both readers see the article exactly where *expected* says."""
        marker = {"sitemap": self.article.get_absolute_url()}
        for fetch in (self.over_http, self.in_process):
            for name, path in self.pages.items():
                status, body = fetch(path)
                if name == "article":
                    assert status == (200 if expected else 404), (fetch.__name__, name, status)
                    continue
                assert status == 200, (fetch.__name__, name, status)
                found = marker.get(name, TITLE) in body
                assert found is expected, (fetch.__name__, name, "wanted" if expected else "gone")

    def lead_story(self):
        status, body = self.over_http(self.pages["home"])
        assert status == 200
        return body.split('class="home-lead"', 1)[1].split("</section>", 1)[0]


@pytest.fixture
def story():
    journalist = make_user(groups=["Journalists"])
    return make_article(
        title=TITLE,
        status=Article.Status.DRAFT,
        section=make_section(name="Night desk"),
        authors=[services.author_for_user(journalist)],
        tags=["night-shift"],
        lead_image=make_image(),
        created_by=journalist,
    )


def test_every_workflow_step_reaches_readers_on_the_next_request(redis_cache, live_server, story):
    make_article(title="An older story", published_at=timezone.now() - timedelta(days=2))
    desk, readers = Newsroom(story), Reader(live_server, story)
    readers.sees(False)

    desk.press(desk.writer, "submit")
    readers.sees(False)
    desk.press(desk.writer, "withdraw")
    readers.sees(False)
    desk.press(desk.writer, "submit")
    desk.press(desk.editor, "return", note="Name the harbour master, please.")
    readers.sees(False)
    desk.press(desk.writer, "submit")

    desk.press(desk.editor, "publish")
    readers.sees(True)

    rival = make_article(title="A newer story", published_at=timezone.now())
    assert "A newer story" in readers.lead_story()
    desk.list_action("feature")
    assert TITLE in readers.lead_story()
    desk.list_action("unfeature")
    assert rival.title in readers.lead_story()

    desk.press(desk.editor, "unpublish", note="A name must come out before it runs again.")
    readers.sees(False)

    later = timezone.localtime(timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    desk.press(desk.editor, "schedule", publish_at=later)
    readers.sees(False)
    desk.press(desk.editor, "publish")
    readers.sees(True)

    desk.press(desk.editor, "unpublish", note="Running it on Sunday instead.")
    desk.press(desk.editor, "schedule", publish_at=later)
    desk.press(desk.editor, "return", note="Hold it: the lights are back on.")
    readers.sees(False)


def test_list_actions_reach_readers_too(redis_cache, live_server, story):
    services.submit_for_review(article=story, user=story.created_by)
    desk, readers = Newsroom(story), Reader(live_server, story)
    readers.sees(False)
    desk.list_action("publish_selected")
    readers.sees(True)
    # Unpublishing is not a list action (a takedown says why): the button, with its reason.
    desk.press(desk.editor, "unpublish", note="Pulled while we check a figure.")
    readers.sees(False)


def test_readers_keep_the_old_page_until_the_commit_then_see_the_new_one(
    redis_cache, live_server, story
):
    """Invalidation follows the commit: a reader who arrives while the transaction is still
    open re-caches the old page, and the commit empties the cache again."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("on SQLite the live server shares the test's connection (and transaction)")
    services.submit_for_review(article=story, user=story.created_by)
    readers = Reader(live_server, story)
    readers.sees(False)
    editor = make_user(groups=["Editors"])
    with transaction.atomic():
        services.publish_article(article=story, editor=editor)
        assert readers.over_http(readers.pages["article"])[0] == 404  # not committed yet
        assert TITLE not in readers.over_http(readers.pages["home"])[1]
    readers.sees(True)


def test_a_list_loses_its_last_page_when_a_story_is_unpublished(
    redis_cache, live_server, story, settings
):
    """Lists remember how many stories they hold; publishing and unpublishing through the
    buttons must still add and remove the page those stories need."""
    settings.JTVC_PER_PAGE = 2
    for n in range(2):
        make_article(title=f"Older night story {n}", tags=["night-shift"])
    desk, readers = Newsroom(story), Reader(live_server, story)
    tag_page_2 = readers.pages["tag"] + "?page=2"
    for fetch in (readers.over_http, readers.in_process):
        assert fetch(tag_page_2)[0] == 404

    desk.press(desk.editor, "publish")
    for fetch in (readers.over_http, readers.in_process):
        status, body = fetch(tag_page_2)
        assert status == 200
        assert "Page 2 of 2" in body

    desk.press(desk.editor, "unpublish", note="Pulled while we check a figure.")
    for fetch in (readers.over_http, readers.in_process):
        assert fetch(tag_page_2)[0] == 404
        assert "Page 1 of 2" not in fetch(readers.pages["tag"])[1]
