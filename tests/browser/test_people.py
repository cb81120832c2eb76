"""A site admin invites a journalist; the journalist sets a password and lands on the desk."""

import importlib
import re

import pytest
from django.apps import apps
from django.core import mail
from playwright.sync_api import expect

from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password"


@pytest.fixture
def roles():
    # Transactional tests flush the tables the roles migration filled: make them again.
    migration = importlib.import_module("articles.migrations.0002_newsroom_roles")
    migration.create_roles(apps, None)


def log_in(page, live_server, username, password):
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_invitation_end_to_end(page, live_server, console_errors, roles, mailoutbox, settings):
    settings.JTVC_SITE_URL = live_server.url
    make_user(groups=["Site admins"], username="sam", first_name="Sam", last_name="Admin")

    # The site admin adds a journalist: name, email, role. Nothing else.
    log_in(page, live_server, "sam", PASSWORD)
    expect(page.get_by_role("heading", name="Newsroom: your desk")).to_be_visible()
    page.goto(live_server.url + "/admin/auth/user/add/")
    page.get_by_label("Name").fill("Dana Levi")
    page.get_by_label("Email").fill("dana@news.example")
    page.get_by_label("Role").select_option(label="Journalist")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text(
        "An invitation to choose a password was sent to dana@news.example"
    )

    # The list shows her role; she has not logged in yet.
    page.goto(live_server.url + "/admin/auth/user/")
    row = page.locator("#result_list tr", has_text="Dana Levi")
    expect(row.locator(".field-role")).to_have_text("Journalist")
    expect(row.locator(".field-last_login")).to_have_text("-")

    # Her mail holds the link; she opens it in her own browser (no session).
    (message,) = mail.outbox
    link = re.search(r"(http://\S+/admin/welcome/\S+/)", message.body).group(1)
    page.context.clear_cookies()
    page.goto(link)
    expect(page.get_by_role("heading", name="Choose your password")).to_be_visible()
    page.locator("#id_new_password1").fill("lamps-over-the-harbour")
    page.locator("#id_new_password2").fill("lamps-over-the-harbour")
    page.get_by_role("button", name="Set my password").click()
    expect(page.locator(".messagelist")).to_contain_text("Your password is set")

    # She logs in with her address and lands on her desk.
    log_in(page, live_server, "dana@news.example", "lamps-over-the-harbour")
    expect(page.get_by_role("heading", name="Newsroom: your desk")).to_be_visible()
    expect(page.get_by_role("heading", name="Returned to me")).to_be_visible()
    expect(page.get_by_role("heading", name="My drafts")).to_be_visible()
    expect(page.get_by_role("heading", name="Waiting for review")).to_have_count(0)

    # The link was for one use only.
    page.context.clear_cookies()
    page.goto(link)
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()
    assert [e for e in console_errors if "410" not in e] == []


def test_the_account_search_box_on_an_author_is_named(page, live_server, console_errors, roles):
    """The author form's account box (select2) is read out by its label, like the desk's."""
    from tests.factories import make_author

    make_user(groups=["Site admins"], username="sam", is_superuser=True)
    author = make_author(name="Guest Writer")
    log_in(page, live_server, "sam", PASSWORD)
    page.goto(f"{live_server.url}/admin/articles/author/{author.pk}/change/")
    expect(page.get_by_role("combobox", name="User")).to_have_count(1)
    page.get_by_role("combobox", name="User").click()
    expect(page.get_by_role("searchbox", name="Search: User")).to_have_count(1)
    assert console_errors == []
