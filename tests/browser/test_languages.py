"""Hebrew and English in a real Chromium, from a 320 px phone to a 1920 px desktop.

One page load per page and width, one browser page reused throughout. Screenshots of every
page at every width are written to the test's output folder (pytest-playwright's
``--output``, test-results/ by default) in both directions.
"""

import os
import re
import subprocess
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from articles.models import Article
from tests.factories import (
    make_article,
    make_author,
    make_image,
    make_section,
    make_site_settings,
    make_tweet,
    make_user,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (320, 390, 768, 1366, 1920)
AXE_WIDTHS = (390, 1366)
VNU_JAR = Path(__file__).resolve().parents[2] / "node_modules/vnu-jar/build/dist/vnu.jar"
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def bilingual():
    make_site_settings(
        site_name="JTVC",
        about_blurb="An independent magazine about communities, here and in Israel.",
        footer_credit="Independent journalism since 2021.",
        founding_year=2021,
        x_handle="jtvc_news",
    )
    news = make_section(name="News")
    hebrew_section = make_section(name="בעברית", slug="hebrew")
    dana = make_author(name="Dana Levi", role="Staff writer", bio="Covers the harbour.")
    rotem = make_author(name="רותם בן־דוד", role="כתבת עירונית", bio="מסקרת את העירייה.")
    tweet = make_tweet(
        handle="jtvc_he",
        author_name="JTVC בעברית",
        text="הפנסים בנמל דולקים שוב הערב, לראשונה מזה 10 שנים. @jtvc_news https://x.com/jtvc_news",
        language="he",
    )
    image = make_image(width=640, height=360, credit="Demo Desk/JTVC", caption="The promenade")
    english = make_article(
        title="Harbour lamps shine again after ten dark years",
        dek="Residents gathered on the pier to see the lights come back on.",
        section=news,
        authors=[dana],
        tags=["harbour"],
        lead_image=image,
        is_featured=True,
        body="<p>The lamps came back on at dusk.</p>" * 6,
    )
    hebrew = make_article(
        title="פנסי הנמל חזרו לדלוק אחרי עשר שנות חושך",
        dek="תושבי השכונה שליד המזח התאספו בערב כדי לראות את האורות נדלקים.",
        language="he",
        section=hebrew_section,
        authors=[rotem, dana],
        tags=["שכונות"],
        lead_image=image,
        lead_image_caption="הטיילת בשעת ערב, כשהפנסים דולקים שוב.",
        translation_of=english,
        body=(
            "<p>קצת אחרי השקיעה הודלקו בבת אחת שלושים ושניים פנסים לאורך הטיילת הישנה.</p>"
            '<blockquote><p>"חיכינו לזה הרבה זמן", אמרה רותי אברהם.</p></blockquote>'
            f'<figure class="media"><oembed url="{tweet.url}"></oembed></figure>'
            '<p>לדברי מהנדס העיר, העבודה עלתה כ־1.2 מיליון ש"ח.</p>'
            "<table><tr><td>שנה</td><td>2016</td><td>2026</td>"
            "<td>הערות ארוכות מאוד</td></tr></table>"
        ),
    )
    mixed = make_article(
        title="On HaGefen Street, the new signs speak two languages",
        dek="Residents of רחוב הגפן have opinions about the spelling.",
        section=news,
        authors=[dana, rotem],
        body=(
            "<p>The new sign read רחוב הגפן on top and “HaGefen St.” underneath.</p>"
            "<blockquote><p>״השלט צריך לעזור לאנשים למצוא את הדרך, לא לבלבל אותם.״</p></blockquote>"
            "<p>Yossi Mizrahi (יוסי מזרחי) has lived at number 14 for 31 years.</p>"
        ),
    )
    return {"english": english, "hebrew": hebrew, "mixed": mixed}


def pages(content):
    return {
        "home": ("/", None),
        "list": ("/blog/", None),
        "english": (content["english"].get_absolute_url(), "ltr"),
        "hebrew": (content["hebrew"].get_absolute_url(), "rtl"),
        "mixed": (content["mixed"].get_absolute_url(), "ltr"),
    }


def direction(page, selector):
    return page.locator(selector).first.evaluate("el => getComputedStyle(el).direction")


def check_every_width(page, live_server, urls, output, *, chrome_dir, edition):
    """Load each page at each width: no sideways scrolling, directions right, axe clean."""
    axe = Axe()
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name, (url, body_dir) in urls.items():
            page.goto(live_server.url + url)
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                problems.append(f"{name} at {width}px is {scroll}px wide")
            for part in (".site-header", ".site-nav", ".site-footer"):
                if direction(page, part) != chrome_dir:
                    problems.append(f"{name} at {width}px: {part} is not {chrome_dir}")
            if body_dir and direction(page, ".article-body") != body_dir:
                problems.append(f"{name} at {width}px: the body is not {body_dir}")
            page.screenshot(path=str(output / f"{edition}-{name}-{width}.png"), full_page=True)
            if width in AXE_WIDTHS:
                results = axe.run(page, options=AXE_OPTIONS)
                if results.violations_count:
                    problems.append(f"{name} at {width}px: {results.generate_report()}")
    return problems


def test_english_site_fits_every_width_with_each_article_in_its_direction(
    page, live_server, bilingual, console_errors, output_path
):
    output = Path(output_path)
    output.mkdir(parents=True, exist_ok=True)
    urls = pages(bilingual)
    problems = check_every_width(page, live_server, urls, output, chrome_dir="ltr", edition="en")
    assert problems == []
    assert console_errors == []
    assert len(list(output.glob("*.png"))) == len(urls) * len(WIDTHS)

    # What a reader of the Hebrew story sees, in the last (widest) load's terms.
    page.goto(live_server.url + bilingual["hebrew"].get_absolute_url())
    assert page.evaluate("document.documentElement.lang") == "en"
    expect(page.locator("article.article")).to_have_attribute("lang", "he")
    assert direction(page, "article.article h1") == "rtl"
    assert direction(page, "article.article .meta") == "ltr"  # "By …": the site's words
    assert direction(page, "blockquote.tweet-text") == "rtl"
    # The handle keeps its @ in front: it is an isolated left-to-right run.
    handle = page.locator("blockquote.tweet-text bdi", has_text="@jtvc_news")
    assert handle.evaluate("el => getComputedStyle(el).unicodeBidi") == "isolate"
    expect(page.get_by_role("link", name=bilingual["english"].title)).to_be_visible()
    # In the mixed story the Hebrew quotation runs right to left inside an English body.
    page.goto(live_server.url + bilingual["mixed"].get_absolute_url())
    quote = page.locator(".article-body blockquote p")
    assert quote.evaluate("el => getComputedStyle(el).unicodeBidi") == "plaintext"
    left = quote.evaluate("el => el.getBoundingClientRect().right")
    text_right = quote.evaluate(
        "el => { const r = document.createRange(); r.selectNodeContents(el);"
        " return r.getBoundingClientRect().right; }"
    )
    assert abs(left - text_right) < 2, "the Hebrew quotation is aligned to the right"


def test_hebrew_edition_is_right_to_left_and_translated(
    page, live_server, bilingual, console_errors, output_path, settings
):
    settings.LANGUAGE_CODE = "he"  # read per request by the live server
    output = Path(output_path)
    output.mkdir(parents=True, exist_ok=True)
    urls = pages(bilingual)
    problems = check_every_width(page, live_server, urls, output, chrome_dir="rtl", edition="he")
    assert problems == []
    assert console_errors == []
    page.goto(live_server.url + "/")
    assert page.evaluate("[document.documentElement.lang, document.dir]") == ["he", "rtl"]
    nav = page.get_by_role("navigation", name="ראשי")
    expect(nav.get_by_role("link", name="דף הבית")).to_be_visible()
    expect(page.get_by_role("button", name="חיפוש")).to_be_visible()
    expect(page.locator(".copyright")).to_contain_text("© 2021–")
    # The English story keeps its direction inside the Hebrew page.
    page.goto(live_server.url + bilingual["english"].get_absolute_url())
    assert direction(page, ".article-body") == "ltr"
    expect(page.locator(".meta").first).to_contain_text("מאת")


def test_newsroom_proposes_hebrew_and_writes_right_to_left(page, live_server, console_errors):
    import importlib

    from django.apps import apps

    importlib.import_module("articles.migrations.0002_newsroom_roles").create_roles(apps, None)
    writer = make_user(groups=["Journalists"], first_name="Maya", last_name="Golan")
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill(writer.username)
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + "/admin/articles/article/add/")
    language = page.locator("#id_language")
    editable = page.locator(".ck-editor__editable")
    expect(editable).to_be_visible()
    expect(language).to_have_value("en")
    page.locator("#id_title").fill("פנסי הנמל חזרו לדלוק")
    expect(language).to_have_value("he")
    expect(page.locator(".language-note")).to_contain_text("Hebrew")
    expect(editable).to_have_attribute("dir", "rtl")
    editable.click()
    page.keyboard.type("קצת אחרי השקיעה הודלקו הפנסים.")
    # The writer overrides: English stays, whatever is typed next.
    language.select_option("en")
    expect(editable).to_have_attribute("dir", "ltr")
    page.locator("#id_dek").fill("עוד טקסט בעברית")
    expect(language).to_have_value("en")
    language.select_option("he")
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    article = Article.objects.get()
    assert article.language == "he" and "קצת אחרי השקיעה" in article.body
    # Opened again, the editor writes right to left from the start.
    expect(page.locator(".ck-editor__editable")).to_have_attribute("dir", "rtl")
    assert re.search(r"/change/$", page.url)
    assert console_errors == []


def test_bilingual_pages_are_valid_html_in_both_editions(
    page, live_server, bilingual, tmp_path, settings
):
    if not VNU_JAR.exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{VNU_JAR} is missing: run `npm install vnu-jar`")
        pytest.skip(f"{VNU_JAR} is missing (npm install vnu-jar)")
    files = []
    for edition in ("en", "he"):
        settings.LANGUAGE_CODE = edition
        for name, (url, _) in pages(bilingual).items():
            path = tmp_path / f"{edition}-{name}.html"
            path.write_text(page.request.get(live_server.url + url).text())
            files.append(str(path))
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", *files],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
