import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_opens_in_chromium(page, live_server, console_errors):
    response = page.goto(live_server.url + "/")
    assert response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("main")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    # The stylesheet loaded (the skip link is moved above the page by it, not to one side,
    # which would widen a right-to-left page).
    box = page.locator(".skip-link").bounding_box()
    assert box["y"] + box["height"] <= 0 and box["x"] >= 0
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    assert console_errors == []


def test_admin_login_page_opens_in_chromium(page, live_server, console_errors):
    response = page.goto(live_server.url + "/admin/login/")
    assert response.status == 200
    expect(page.get_by_label("Username")).to_be_visible()
    expect(page.get_by_label("Password")).to_be_visible()
    assert console_errors == []
