"""The workflow panel: one primary action, confirmations, a reason for every takedown."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, StatusChange
from tests.factories import make_article, make_image, make_section, make_user

pytestmark = pytest.mark.django_db
Status = Article.Status


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def workflow_url(article):
    return reverse("admin:articles_article_workflow", args=[article.pk])


def ready(**fields):
    fields.setdefault("section", make_section())
    fields.setdefault("lead_image", make_image())
    return make_article(title="Harbour reopens", **fields)


def panel_html(client, article):
    html = client.get(change_url(article)).content.decode()
    match = re.search(r'<div class="newsroom-panel".*?</div>', html, re.S)
    assert match, "no workflow panel"
    return match.group(0), html


def buttons(panel):
    return re.findall(r'<button type="submit" name="action" value="(\w+)" class="([^"]+)"', panel)


def test_an_editor_sees_one_primary_action_and_the_note_only_to_return(client):
    client.force_login(make_user(groups=["Editors"]))
    article = ready(status=Status.IN_REVIEW)
    panel, _ = panel_html(client, article)
    primaries = [action for action, css in buttons(panel) if "default" in css]
    assert primaries == ["publish"]
    assert "Publish now…" in panel
    assert 'name="note"' in panel and "Return to writer" in panel
    assert {a for a, _ in buttons(panel)} == {"publish", "schedule", "return", "withdraw"}


def test_a_journalist_gets_submit_and_no_note_box(client):
    writer = make_user(groups=["Journalists"])
    client.force_login(writer)
    article = ready(status=Status.DRAFT, authors=[services.author_for_user(writer)])
    panel, _ = panel_html(client, article)
    assert [a for a, css in buttons(panel) if "default" in css] == ["submit"]
    assert 'name="note"' not in panel
    assert "publish_at" not in panel


def test_a_scheduled_article_offers_cancel_schedule_with_the_time_zone(client, settings):
    settings.TIME_ZONE = "Asia/Jerusalem"
    client.force_login(make_user(groups=["Editors"]))
    article = ready(published_at=timezone.now() + timedelta(days=1))
    panel, html = panel_html(client, article)
    assert "Cancel schedule…" in panel
    assert ">Unpublish" not in panel
    local = timezone.localtime(article.published_at, timezone.get_current_timezone())
    assert f"scheduled for {local:%-d %b %Y %H:%M} (Asia/Jerusalem)" in html
    # Moving it: the field holds the current time in the newsroom's zone, and says so.
    assert "Change the time" in panel
    assert f'value="{local:%Y-%m-%dT%H:%M}"' in panel
    assert "(Asia/Jerusalem time)" in panel
    draft, _ = panel_html(client, ready(status=Status.IN_REVIEW))
    assert 'Publish at <span class="newsroom-tz">(Asia/Jerusalem time)</span>' in draft


def test_schedule_times_are_read_in_the_newsrooms_time_zone(client, settings):
    settings.TIME_ZONE = "Asia/Jerusalem"  # UTC+2 in December
    client.force_login(make_user(groups=["Editors"]))
    article = ready(status=Status.IN_REVIEW)
    year = timezone.now().year + 1
    client.post(workflow_url(article), {"action": "schedule", "publish_at": f"{year}-12-24T09:00"})
    article.refresh_from_db()
    assert article.published_at == datetime(year, 12, 24, 7, 0, tzinfo=UTC)


def test_publish_now_asks_first(client):
    client.force_login(make_user(groups=["Editors"]))
    article = ready(status=Status.IN_REVIEW)
    response = client.post(workflow_url(article), {"action": "publish"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Publish “Harbour reopens” now?" in page
    assert 'name="confirmed" value="1"' in page
    # The newsroom's own header and the editor's links, not Django's default header.
    assert "JTVC newsroom" in page and "Django administration" not in page
    assert "Log out" in page or "LOG OUT" in page.upper()
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
    response = client.post(workflow_url(article), {"action": "publish", "confirmed": "1"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_published()


def test_unpublish_asks_to_confirm_and_why_and_logs_the_reason(client):
    client.force_login(make_user(groups=["Editors"]))
    article = ready()
    client.get(article.get_absolute_url())  # a reader has it
    # The button: a confirmation page with a reason box, nothing taken down yet.
    response = client.post(workflow_url(article), {"action": "unpublish"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Take “Harbour reopens” off the site?" in page
    assert 'name="note"' in page and "Why is it coming down?" in page
    article.refresh_from_db()
    assert article.is_published()
    # Confirmed without a reason: asked again.
    response = client.post(workflow_url(article), {"action": "unpublish", "confirmed": "1"})
    assert "Say why the article is coming down" in response.content.decode()
    article.refresh_from_db()
    assert article.is_published()
    # With the reason: down, and the reason is in the status log.
    response = client.post(
        workflow_url(article),
        {"action": "unpublish", "confirmed": "1", "note": "A court order names a witness."},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.UNPUBLISHED
    entry = StatusChange.objects.filter(article=article).first()
    assert entry.note == "A court order names a witness."
    assert "A court order names a witness." in client.get(change_url(article)).content.decode()
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_cancelling_a_schedule_confirms_but_needs_no_reason(client):
    client.force_login(make_user(groups=["Editors"]))
    article = ready(published_at=timezone.now() + timedelta(days=1))
    page = client.post(workflow_url(article), {"action": "unpublish"}).content.decode()
    assert "Cancel the schedule of “Harbour reopens”?" in page
    response = client.post(workflow_url(article), {"action": "unpublish", "confirmed": "1"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.UNPUBLISHED and article.published_at is None


def test_the_service_refuses_a_takedown_without_a_reason():
    article = ready()
    with pytest.raises(services.WorkflowError, match="Say why"):
        services.unpublish_article(article=article, editor=make_user(groups=["Editors"]))
