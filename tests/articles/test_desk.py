"""The desk: the admin's front page for newsroom roles."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article
from tests.factories import make_article, make_image, make_section, make_user

pytestmark = pytest.mark.django_db
Status = Article.Status


def section_titles(html, key):
    """The article and picture titles listed in one desk section."""
    match = re.search(rf'<section class="module dash-list dash-{key}".*?</section>', html, re.S)
    assert match, f"no {key} list"
    return re.findall(r'<li><a href="[^"]+" dir="auto">([^<]+)</a>', match.group(0))


def newsroom_day():
    """A writer and an editor, with one article in every state the desk lists."""
    writer = make_user(groups=["Journalists"], first_name="Noa")
    editor = make_user(groups=["Editors"], first_name="Eli")
    byline = [services.author_for_user(writer)]
    section = make_section(name="City")
    now = timezone.now()
    make_article(title="My draft", status=Status.DRAFT, authors=byline, section=section)
    returned = make_article(
        title="Sent back", status=Status.IN_REVIEW, authors=byline, lead_image=make_image()
    )
    services.return_to_writer(article=returned, editor=editor, note="Needs a second source.")
    make_article(title="Colleague's draft", status=Status.DRAFT)
    make_article(title="Awaiting an editor", status=Status.IN_REVIEW, section=section)
    make_article(title="Out tomorrow", published_at=now + timedelta(days=1))
    # Earlier today, even when the test runs in the first minutes after midnight.
    midnight = timezone.make_aware(datetime.combine(timezone.localdate(now), time.min))
    make_article(title="Out this morning", published_at=max(now - timedelta(minutes=5), midnight))
    make_article(title="Out last week", published_at=now - timedelta(days=7))
    today = timezone.localdate()
    make_image(title="Agency photo ending soon", rights_expire_at=today + timedelta(days=10))
    make_image(title="Rights far away", rights_expire_at=today + timedelta(days=90))
    expired_in_use = make_image(title="Expired but on a story", rights_expire_at=today)
    make_article(title="Old story", lead_image=expired_in_use, published_at=now - timedelta(days=9))
    from media_app.models import Image

    Image.objects.filter(pk=expired_in_use.pk).update(rights_expire_at=today - timedelta(days=2))
    make_image(title="Expired, unused", rights_expire_at=today - timedelta(days=2))
    return writer, editor


def test_a_journalist_lands_on_their_desk(client):
    writer, _ = newsroom_day()
    client.force_login(writer)
    html = client.get(reverse("admin:index")).content.decode()
    assert "Newsroom: your desk" in html
    assert section_titles(html, "returned") == ["Sent back"]
    assert "Needs a second source." in html
    assert section_titles(html, "drafts") == ["My draft"]
    assert 'dash-review"' not in html  # editors only
    assert section_titles(html, "scheduled") == ["Out tomorrow"]
    assert section_titles(html, "today") == ["Out this morning"]
    assert section_titles(html, "pictures") == [
        "Expired but on a story",
        "Agency photo ending soon",
    ]
    assert "Colleague&#x27;s draft" not in html


def test_an_editor_sees_what_waits_for_review(client):
    _, editor = newsroom_day()
    client.force_login(editor)
    html = client.get(reverse("admin:index")).content.decode()
    assert section_titles(html, "review") == ["Awaiting an editor"]
    assert section_titles(html, "returned") == []
    assert "Nothing has been sent back to you." in html
    assert section_titles(html, "scheduled") == ["Out tomorrow"]


def test_the_desk_costs_the_same_whatever_the_archive(client, django_assert_num_queries):
    _, editor = newsroom_day()
    client.force_login(editor)
    client.get(reverse("admin:index"))  # content types and permissions warm
    # session; user; newsroom role?; own and group permissions (2); returned to me; my drafts;
    # waiting for review; scheduled next; published today; pictures
    with django_assert_num_queries(11):
        client.get(reverse("admin:index"))
    for n in range(12):
        make_article(title=f"More {n}", status=Status.IN_REVIEW)
        make_article(title=f"Later {n}", published_at=timezone.now() + timedelta(hours=n + 1))
    with django_assert_num_queries(11):
        html = client.get(reverse("admin:index")).content.decode()
    assert len(section_titles(html, "review")) == 8  # short lists, with a link to the rest


def test_staff_without_a_newsroom_role_get_the_stock_index(client):
    client.force_login(make_user(is_staff=True))
    html = client.get(reverse("admin:index")).content.decode()
    assert "Newsroom: your desk" not in html
