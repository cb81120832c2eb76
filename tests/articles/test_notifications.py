"""Who is told what, when: the newsroom's mail, through the admin's own buttons."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, GoLiveNotice, NewsroomProfile
from tests.factories import make_article, make_image, make_section, make_user

pytestmark = pytest.mark.django_db
Status = Article.Status


def person(group, name, **fields):
    first, last = name.split()
    return make_user(
        groups=[group],
        first_name=first,
        last_name=last,
        email=f"{first.lower()}@news.example",
        **fields,
    )


def workflow(client, article, action, **data):
    url = reverse("admin:articles_article_workflow", args=[article.pk])
    return client.post(url, {"action": action, **data})


def ready_draft(writer, **fields):
    fields.setdefault("section", make_section(name="Harbour"))
    fields.setdefault("lead_image", make_image())
    fields.setdefault("status", Status.DRAFT)
    return make_article(
        title="Storm over the harbour",
        authors=[services.author_for_user(writer)],
        created_by=writer,
        **fields,
    )


def mails_to(address):
    return [m for m in mail.outbox if address in m.to]


def html_of(message):
    return next(body for body, kind in message.alternatives if kind == "text/html")


@pytest.fixture
def desk(client, django_capture_on_commit_callbacks):
    """A writer, two editors, and a helper that presses a workflow button as someone."""
    writer = person("Journalists", "Noa Writer")
    editor = person("Editors", "Eli Editor")
    other_editor = person("Editors", "Ora Editor")

    def press(user, article, action, **data):
        client.force_login(user)
        if action in {"publish", "unpublish"}:
            data["confirmed"] = "1"  # as sent from the confirmation page
        with django_capture_on_commit_callbacks(execute=True):
            response = workflow(client, article, action, **data)
        assert response.status_code == 302
        article.refresh_from_db()
        return response

    return writer, editor, other_editor, press


def test_submit_mails_the_editors_with_a_link_to_the_article(desk):
    writer, editor, other_editor, press = desk
    article = ready_draft(writer)
    press(writer, article, "submit", note="Ready when you are.")
    assert article.status == Status.IN_REVIEW
    assert {m.to[0] for m in mail.outbox} == {editor.email, other_editor.email}
    message = mails_to(editor.email)[0]
    assert message.subject == "For review: Storm over the harbour"
    link = "http://127.0.0.1:8000" + reverse("admin:articles_article_change", args=[article.pk])
    assert link in message.body
    assert "Noa Writer has handed in “Storm over the harbour” in Harbour" in message.body
    assert "Ready when you are." in message.body
    assert f'href="{link}"' in html_of(message)
    assert not mails_to(writer.email)  # never told about one's own step


def test_submission_goes_to_the_editors_of_the_section_only(desk):
    writer, editor, other_editor, press = desk
    article = ready_draft(writer)
    profile = NewsroomProfile.objects.create(user=other_editor)
    profile.sections.add(article.section)
    press(writer, article, "submit")
    assert [m.to for m in mail.outbox] == [[other_editor.email]]


def test_return_mails_the_writer_with_the_note_and_shows_a_banner(desk, client):
    writer, editor, _, press = desk
    article = ready_draft(writer, status=Status.IN_REVIEW)
    press(editor, article, "return", note="Check the mayor's quote against the recording.")
    assert article.status == Status.DRAFT
    (message,) = mail.outbox
    assert message.to == [writer.email]
    assert message.subject == "Back to you: Storm over the harbour"
    assert "Check the mayor's quote against the recording." in message.body
    assert "Check the mayor&#x27;s quote" in html_of(message)
    # The writer opens the article: the note is at the top, not at the bottom of a log.
    client.force_login(writer)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    banner = page.index("newsroom-return-banner")
    assert "Returned to you by Eli Editor" in page
    assert page.index("Check the mayor&#x27;s quote") > banner
    assert banner < page.index('id="desk-status-title"')
    # The editor who returned it sees no banner.
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "newsroom-return-banner" not in page


def test_publish_and_unpublish_mail_the_writer(desk):
    writer, editor, _, press = desk
    article = ready_draft(writer, status=Status.IN_REVIEW)
    press(editor, article, "publish")
    (published,) = mail.outbox
    assert published.to == [writer.email]
    assert published.subject == "Published: Storm over the harbour"
    assert "http://127.0.0.1:8000" + article.get_absolute_url() in published.body
    mail.outbox.clear()
    press(editor, article, "unpublish", note="Legal asked us to hold it.")
    (down,) = mail.outbox
    assert down.subject == "Taken down: Storm over the harbour"
    assert "Reason:\nLegal asked us to hold it." in down.body


def test_schedule_mails_the_writer_and_going_live_mails_the_editors_once(desk):
    writer, editor, other_editor, press = desk
    article = ready_draft(writer, status=Status.IN_REVIEW)
    when = timezone.localtime(timezone.now() + timedelta(hours=2)).replace(second=0, microsecond=0)
    press(editor, article, "schedule", publish_at=when.strftime("%Y-%m-%dT%H:%M"))
    assert article.is_scheduled
    (scheduled,) = mail.outbox
    assert scheduled.to == [writer.email]
    assert scheduled.subject == "Scheduled: Storm over the harbour"
    assert f"{when:%H:%M}" in scheduled.body
    mail.outbox.clear()

    call_command("notify_went_live", verbosity=0)  # not yet time
    assert mail.outbox == []

    # Time passes: the article's time comes (moved back rather than waiting two hours).
    past = timezone.now() - timedelta(minutes=1)
    Article.objects.filter(pk=article.pk).update(published_at=past)
    GoLiveNotice.objects.filter(article=article).update(publish_at=past)
    call_command("notify_went_live", verbosity=0)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([editor.email, other_editor.email])
    assert mail.outbox[0].subject == "Now live: Storm over the harbour"
    assert "is now on the site" in mail.outbox[0].body
    # Run again (a timer runs it every minute): nobody hears twice.
    call_command("notify_went_live", verbosity=0)
    assert len(mail.outbox) == 2


def test_a_schedule_cancelled_before_its_time_sends_no_live_mail(desk):
    writer, editor, _, press = desk
    article = ready_draft(writer, status=Status.IN_REVIEW)
    when = timezone.localtime(timezone.now() + timedelta(hours=2))
    press(editor, article, "schedule", publish_at=when.strftime("%Y-%m-%dT%H:%M"))
    press(editor, article, "unpublish", note="Holding it for the weekend.")
    GoLiveNotice.objects.update(publish_at=timezone.now() - timedelta(minutes=1))
    mail.outbox.clear()
    call_command("notify_went_live", verbosity=0)
    assert mail.outbox == []
    assert GoLiveNotice.objects.get().sent_at is not None  # closed, not retried forever


def test_switching_a_kind_off_in_ones_own_profile_stops_that_mail(desk, client):
    writer, editor, _, press = desk
    client.force_login(writer)
    url = reverse("admin:desk_preferences")
    page = client.get(url).content.decode().lower()
    assert "my story is returned to me" in page
    assert "a story is submitted for review" not in page  # writers are not sent those
    response = client.post(
        url,
        {
            "notify_scheduled": "on",
            "notify_published": "on",
            "notify_unpublished": "on",
        },  # "returned" left unticked, as the browser sends an unticked box
    )
    assert response.status_code == 302
    profile = NewsroomProfile.objects.get(user=writer)
    assert profile.notify_returned is False and profile.notify_published is True

    article = ready_draft(writer, status=Status.IN_REVIEW)
    press(editor, article, "return", note="Shorter, please.")
    assert mail.outbox == []
    press(writer, article, "submit")
    mail.outbox.clear()
    press(editor, article, "publish")
    assert [m.to for m in mail.outbox] == [[writer.email]]  # the other kinds still come


def test_a_rolled_back_step_tells_nobody(desk):
    writer, *_ = desk
    article = ready_draft(writer)
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        services.submit_for_review(article=article, user=writer)
        raise RuntimeError("the request failed after the step")
    assert mail.outbox == []
