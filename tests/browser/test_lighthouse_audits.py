"""The audits Lighthouse 12 flagged on reader pages, checked one by one in Chromium.

target-size (footer links), lcp-lazy-loaded (the list's first picture), text compression
of the HTML, share-card tags (twitter:image:alt, og:locale) - on home, article, list and a
Hebrew article, at phone and desktop widths.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.test_reader import reader, site  # noqa: F401 - fixtures
from tests.factories import make_article, make_image

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pages(site):  # noqa: F811
    hebrew = make_article(
        title="המועצה אישרה את הספרייה החדשה",
        language="he",
        lead_image=make_image(width=320, height=180, alt_text="בניין הספרייה"),
        body="<p>ההצבעה הייתה צמודה.</p>",
    )
    return {
        "home": "/",
        "article": site["article"].get_absolute_url(),
        "list": "/blog/",
        "hebrew article": hebrew.get_absolute_url(),
    }


@pytest.mark.parametrize("width", [390, 1280])
def test_footer_links_are_big_enough_to_tap(reader, live_server, pages, width):  # noqa: F811
    reader.set_viewport_size({"width": width, "height": 900})
    axe = Axe()
    for name, url in pages.items():
        reader.goto(live_server.url + url)
        links = reader.locator(".site-footer a")
        assert links.count() >= 2, name
        for i in range(links.count()):
            box = links.nth(i).bounding_box()
            assert box["height"] >= 24 and box["width"] >= 24, (name, links.nth(i).inner_text())
        results = axe.run(reader, options={"runOnly": {"type": "rule", "values": ["target-size"]}})
        assert results.violations_count == 0, f"{name}: {results.generate_report()}"


def test_the_first_picture_of_a_list_is_not_lazy(reader, live_server, pages):  # noqa: F811
    reader.goto(live_server.url + pages["list"])
    first = reader.locator("main img").first
    assert first.get_attribute("loading") != "lazy"
    assert reader.locator("main img").nth(1).get_attribute("loading") == "lazy"


def test_html_comes_compressed_and_share_cards_are_complete(
    reader,  # noqa: F811
    live_server,
    pages,
):
    for name, url in pages.items():
        response = reader.goto(live_server.url + url)
        assert response.headers.get("content-encoding") == "gzip", name
        head = reader.locator("head")
        assert head.locator('meta[property="og:locale"]').count() == 1, name
        if name != "list":
            alt = head.locator('meta[name="twitter:image:alt"]')
            assert alt.count() == 1 and alt.get_attribute("content"), name
    locale = reader.locator('meta[property="og:locale"]').get_attribute("content")
    assert locale == "he_IL"  # the last page visited is the Hebrew article


@pytest.mark.parametrize("width", [390, 1350])
def test_styles_arrive_with_the_page_and_the_policy_allows_them(
    reader,  # noqa: F811
    live_server,
    pages,
    console_errors,
    width,
):
    """render-blocking-resources: no stylesheet request before the first paint; the inlined
    styles are allowed by their hash (a CSP refusal would show as a console error)."""
    reader.set_viewport_size({"width": width, "height": 900})
    for name, url in pages.items():
        reader.requests.clear()
        reader.goto(live_server.url + url)
        assert reader.locator("link[rel=stylesheet]").count() == 0, name
        assert not [r for r in reader.requests if r.endswith(".css")], name
        # The stylesheet applied: the skip link is moved out of sight.
        skip = reader.locator(".skip-link").bounding_box()
        assert skip["y"] + skip["height"] <= 0, name
    assert console_errors == []


@pytest.mark.parametrize("width", [390, 1350])
def test_the_first_story_of_a_list_is_its_largest_picture(reader, live_server, pages, width):  # noqa: F811
    """lcp-lazy-loaded: equal pictures made the largest-paint element a lazy one by a pixel's
    rounding; the first story is drawn larger, so it is the page's largest picture."""
    for n in range(5):
        make_article(title=f"Another story {n}", lead_image=make_image(width=320, height=180))
    reader.set_viewport_size({"width": width, "height": 900})
    reader.goto(live_server.url + pages["list"])
    pictures = reader.locator("main .grid img")
    areas = []
    for i in range(pictures.count()):
        box = pictures.nth(i).bounding_box()
        areas.append(box["width"] * box["height"])
    first = pictures.first
    assert first.get_attribute("loading") == "eager"
    assert first.get_attribute("fetchpriority") == "high"
    if width > 800:
        assert areas[0] > 1.5 * max(areas[1:])
    else:
        assert areas[0] >= max(areas[1:])
