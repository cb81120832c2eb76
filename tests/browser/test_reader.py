"""A reader in a real Chromium: navigation, the tweet button, the keyboard menu, axe, vnu."""

import os
import re
import subprocess
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import expect

from tests.factories import (
    make_article,
    make_author,
    make_image,
    make_page,
    make_section,
    make_site_settings,
    make_tweet,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VNU_JAR = Path(__file__).resolve().parents[2] / "node_modules/vnu-jar/build/dist/vnu.jar"
X_HOSTS = re.compile(r"^https?://([a-z0-9-]+\.)*(twitter|x|twimg)\.com/")


@pytest.fixture
def site():
    make_site_settings(
        site_name="JTVC",
        about_blurb="An independent magazine about communities, here and in Israel.",
        x_handle="jtvc",
    )
    news = make_section(name="News")
    author = make_author(name="Dana Levi", role="Staff writer", bio="Covers local politics.")
    tweet = make_tweet(handle="newsdesk", text="הודעה חשובה — an important note", language="he")
    article = make_article(
        title="Council approves the new library",
        section=news,
        authors=[author, make_author(name="Ari Cohen")],
        tags=["libraries"],
        lead_image=make_image(width=320, height=180, credit="Dana Levi/JTVC", caption="The site"),
        is_featured=True,
        body=(
            "<p>The vote was close.</p><blockquote><p>“A good day for readers,” said one.</p>"
            f'</blockquote><figure class="media"><oembed url="{tweet.url}"></oembed></figure>'
        ),
    )
    make_article(title="Another story about libraries", tags=["libraries"], section=news)
    make_page(body="<p>We are a small newsroom.</p>")
    return {"article": article, "author": author}


@pytest.fixture
def reader(page, live_server):
    """The page, with our media files served and every request recorded."""
    requests = []
    page.on("request", lambda r: requests.append(r.url))

    def serve_media(route):
        path = route.request.url.split("/media/", 1)[1]
        file = Path(settings.MEDIA_ROOT) / path
        if file.exists():
            route.fulfill(body=file.read_bytes(), content_type="image/jpeg")
        else:
            route.fulfill(status=404)

    page.route(f"{live_server.url}/media/**", serve_media)
    page.requests = requests
    return page


def test_reader_journey_home_article_tag_author_search_about(
    reader, live_server, site, console_errors
):
    page = reader
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="Feature Posts")).to_be_hidden()  # lead only
    page.get_by_role("link", name="Council approves the new library").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Council approves the new library")
    expect(page.locator(".breadcrumbs")).to_contain_text("Home")
    expect(page.locator("figcaption").first).to_contain_text("Credit: Dana Levi/JTVC")
    expect(page.locator("blockquote.tweet-text")).to_contain_text("an important note")
    expect(page.get_by_role("heading", name="You may also like")).to_be_visible()
    page.get_by_role("link", name="libraries", exact=True).click()
    expect(page).to_have_url(re.compile(r"/tag/libraries/$"))
    page.get_by_role("link", name="Dana Levi").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dana Levi")
    page.get_by_label("Search articles").fill("library")
    page.get_by_label("Search articles").press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=library"))
    expect(page.locator(".results")).to_contain_text("Council approves the new library")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="About").click()
    expect(page.locator("main")).to_contain_text("We are a small newsroom.")
    assert not [u for u in page.requests if X_HOSTS.match(u)]
    assert console_errors == []


def test_tweet_widget_loads_only_after_the_click(reader, live_server, site, console_errors):
    page = reader
    page.route(
        "https://platform.twitter.com/**",
        lambda route: route.fulfill(body="", content_type="text/javascript"),
    )
    page.goto(live_server.url + site["article"].get_absolute_url())
    button = page.get_by_role("button", name="Load original post")
    expect(button).to_be_visible()
    page.wait_for_timeout(300)
    assert not [u for u in page.requests if X_HOSTS.match(u)]
    button.click()
    page.wait_for_timeout(500)
    assert any(u.startswith("https://platform.twitter.com/") for u in page.requests)
    assert console_errors == []


def test_menu_works_by_keyboard(reader, live_server, site, console_errors):
    page = reader
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Blog":
            break
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/blog/$"))
    assert console_errors == []


def page_urls(site):
    return {
        "home": "/",
        "article": site["article"].get_absolute_url(),
        "list": "/blog/",
        "search": "/search/?q=library",
        "about": "/about/",
    }


def test_pages_have_no_axe_violations(reader, live_server, site, console_errors):
    axe = Axe()
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    for name, url in page_urls(site).items():
        reader.goto(live_server.url + url)
        results = axe.run(reader, options=options)
        assert results.violations_count == 0, f"{name}: {results.generate_report()}"
    assert console_errors == []


def test_pages_are_valid_html(reader, live_server, site, tmp_path):
    if not VNU_JAR.exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{VNU_JAR} is missing: run `npm install vnu-jar`")
        pytest.skip(f"{VNU_JAR} is missing (npm install vnu-jar); REQUIRE_BROWSER=1 fails instead")
    files = []
    for name, url in page_urls(site).items():
        html = reader.request.get(live_server.url + url).text()
        path = tmp_path / f"{name}.html"
        path.write_text(html)
        files.append(str(path))
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", *files],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
