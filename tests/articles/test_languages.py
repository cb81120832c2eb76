"""Hebrew and English: language detection in the newsroom, translations, and what readers,
feeds, sitemaps and search engines are told about each article's language."""

import json
import re

import pytest
from django.urls import reverse

from articles.models import Article
from tests.articles.test_admin import form_data, login
from tests.factories import make_article, make_author, make_page, make_section, make_tweet

pytestmark = pytest.mark.django_db


def html_of(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def jsonld(html, kind):
    for block in re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html):
        data = json.loads(block)
        if data.get("@type") == kind:
            return data
    raise AssertionError(f"no {kind}")


# --- The newsroom: the language proposes itself ------------------------------------------


def test_hebrew_headline_saved_with_the_menu_untouched_becomes_hebrew(client):
    login(client, "Journalists")
    response = client.post(
        reverse("admin:articles_article_add"),
        form_data(title="פנסי הנמל דולקים שוב", dek="תושבים חגגו ליד המים.", language="en"),
    )
    assert response.status_code == 302, response.content
    article = Article.objects.get()
    assert article.language == "he"
    assert article.slug == "פנסי-הנמל-דולקים-שוב"


def test_a_writer_who_chose_english_keeps_english(client):
    login(client, "Journalists")
    data = form_data(title="פנסי הנמל דולקים שוב", language="en", language_chosen="True")
    assert client.post(reverse("admin:articles_article_add"), data).status_code == 302
    assert Article.objects.get().language == "en"


def test_english_text_stays_english_and_existing_articles_keep_their_language(client):
    login(client, "Editors")
    client.post(reverse("admin:articles_article_add"), form_data(title="Harbour lamps"))
    article = Article.objects.get()
    assert article.language == "en"
    # Later edits never re-guess: the stored language is the writer's decision.
    client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        form_data(article, title="כותרת בעברית"),
    )
    article.refresh_from_db()
    assert article.title == "כותרת בעברית" and article.language == "en"


def test_change_form_writes_hebrew_right_to_left(client):
    login(client, "Editors")
    article = make_article(title="כותרת", language="he", status=Article.Status.DRAFT)
    html = html_of(client.get(reverse("admin:articles_article_change", args=[article.pk])))
    assert re.search(r'<input[^>]*name="title"[^>]*dir="auto"', html)
    assert re.search(r'<textarea[^>]*name="dek"[^>]*dir="auto"', html)
    assert re.search(r'<textarea[^>]*name="body"[^>]*dir="rtl"', html)
    # CKEditor 5's content language: the editing area runs right to left.
    config = re.search(r'<script id="id_body_script" type="application/json">(.*?)</script>', html)
    assert json.loads(config.group(1))["language"] == {"ui": "en", "content": "he"}
    assert "articles/language-detect.js" in html
    # An English article's editor is left to right.
    other = make_article(title="Words", status=Article.Status.DRAFT)
    html = html_of(client.get(reverse("admin:articles_article_change", args=[other.pk])))
    assert re.search(r'<textarea[^>]*name="body"[^>]*dir="ltr"', html)


def test_translation_is_linked_in_the_admin_and_chained_translations_are_refused(client):
    login(client, "Editors")
    original = make_article(title="Harbour lamps shine again")
    client.post(
        reverse("admin:articles_article_add"),
        form_data(title="פנסי הנמל דולקים שוב", translation_of=str(original.pk)),
    )
    translation = Article.objects.get(translation_of=original)
    assert translation.language == "he"
    # A translation of the translation: refused with a message, nothing saved.
    count = Article.objects.count()
    response = client.post(
        reverse("admin:articles_article_add"),
        form_data(title="Les lampes du port", language="fr", translation_of=str(translation.pk)),
    )
    assert response.status_code == 200
    assert "is itself a translation; choose the original" in response.content.decode()
    assert Article.objects.count() == count
    # Same language as the original: refused too.
    response = client.post(
        reverse("admin:articles_article_add"),
        form_data(title="Harbour lamps again", translation_of=str(original.pk)),
    )
    assert "same language" in response.content.decode()


# --- Readers: each piece carries its language ---------------------------------------------


def test_article_pages_link_their_translations_both_ways(client):
    original = make_article(title="Harbour lamps shine again")
    translation = make_article(title="פנסי הנמל דולקים שוב", language="he", translation_of=original)
    make_article(title="טיוטה", language="he", translation_of=original, status="draft")

    html = html_of(client.get(original.get_absolute_url()))
    host = "http://testserver"
    assert (
        f'<link rel="alternate" hreflang="en" href="{host}{original.get_absolute_url()}">' in html
    )
    assert (
        f'<link rel="alternate" hreflang="he" href="{host}{translation.get_absolute_url()}">'
        in html
    )
    assert html.count('hreflang="he"') == 2  # the <link> and the visible link; not the draft
    assert "Also in Hebrew:" in html
    article = jsonld(html, "NewsArticle")
    assert article["inLanguage"] == "en"
    assert article["workTranslation"][0]["inLanguage"] == "he"

    html = html_of(client.get(translation.get_absolute_url()))
    assert '<article class="article" lang="he" dir="rtl">' in html
    assert "Also in English:" in html
    article = jsonld(html, "NewsArticle")
    assert article["inLanguage"] == "he"
    assert article["translationOfWork"]["url"].endswith(original.get_absolute_url())


def test_article_without_translations_has_no_hreflang(client):
    html = html_of(client.get(make_article().get_absolute_url()))
    assert "hreflang" not in html


def test_english_site_keeps_its_chrome_left_to_right_around_a_hebrew_article(client):
    author = make_author(name="רותם בן־דוד", bio="מסקרת את העירייה.", x_handle="rotem")
    tweet = make_tweet(handle="jtvc_he", text="הפנסים דולקים @jtvc_news", language="he")
    article = make_article(
        title="פנסי הנמל",
        language="he",
        authors=[author],
        section=make_section(name="News"),
        body=f'<p>שלום</p><figure class="media"><oembed url="{tweet.url}"></oembed></figure>',
    )
    html = html_of(client.get(article.get_absolute_url()))
    assert '<html lang="en" dir="ltr">' in html
    assert '<p class="meta" lang="en" dir="ltr">' in html  # "By …, date": the site's words
    assert f'rel="author" lang="he" dir="rtl">{author.name}</a>' in html
    assert '<p lang="he" dir="rtl">מסקרת את העירייה.</p>' in html
    assert '<figure class="tweet" lang="he" dir="rtl">' in html
    assert "<bdi>@jtvc_news</bdi>" in html  # a handle inside Hebrew text keeps its @ in front
    assert '<bdi dir="ltr">@rotem</bdi>' in html


def test_cards_search_results_and_pages_carry_their_language(client):
    make_article(title="פנסי הנמל", dek="תושבים חגגו.", language="he")
    make_page(title="אודות", body="<p>מי אנחנו.</p>", language="he")
    home = html_of(client.get("/"))
    assert '<article class="card card-lead" lang="he" dir="rtl">' in home
    results = html_of(client.get(reverse("articles:search"), {"q": "פנסי"}))
    assert '<li lang="he" dir="rtl">' in results
    about = html_of(client.get(reverse("articles:about")))
    assert '<article class="article" lang="he" dir="rtl">' in about


def test_feed_items_and_sitemaps_name_their_language(client):
    original = make_article(title="Harbour lamps")
    translation = make_article(title="פנסי הנמל", language="he", translation_of=original)
    make_article(title="Alone")
    feed = client.get(reverse("articles:feed")).content.decode()
    assert "<language>en</language>" in feed
    assert "<dc:language>he</dc:language>" in feed and "<dc:language>en</dc:language>" in feed

    sitemap = client.get("/sitemap.xml").content.decode()
    links = re.findall(r'<xhtml:link rel="alternate" hreflang="(\w+)" href="([^"]+)"/>', sitemap)
    # Each of the two versions lists both (itself included); the lone article none.
    assert sorted(links) == sorted(
        [
            ("en", f"http://testserver{original.get_absolute_url()}"),
            ("he", f"http://testserver{translation.get_absolute_url()}"),
        ]
        * 2
    )
    news = client.get(reverse("articles:news_sitemap")).content.decode()
    assert "<news:language>he</news:language>" in news


# --- A Hebrew edition is a setting --------------------------------------------------------


def test_hebrew_edition_translates_the_chrome_and_turns_it_right_to_left(client, settings):
    make_article(title="Harbour lamps", section=make_section(name="News"))
    english = html_of(client.get("/"))
    assert '<html lang="en" dir="ltr">' in english and "Skip to content" in english

    settings.LANGUAGE_CODE = "he"
    html = html_of(client.get("/"))  # not the English page from the page cache
    assert '<html lang="he" dir="rtl">' in html
    for hebrew in ("דילוג לתוכן", "דף הבית", "בלוג", "אודות", "חיפוש", "עקבו אחרינו"):
        assert hebrew in html, hebrew
    for english_word in ("Skip to content", ">Home<", ">Blog<", ">About<", "RSS feed"):
        assert english_word not in html, english_word
    # The English article keeps its own language and direction inside the Hebrew page.
    assert '<article class="card card-lead" lang="en" dir="ltr">' in html
    # Dates in the page's language: "30 בנובמבר 2026".
    assert re.search(
        r"\d{1,2} ב(ינואר|פברואר|מרץ|אפריל|מאי|יוני|יולי|אוגוסט|ספטמבר|אוקטובר|נובמבר|דצמבר) \d{4}",
        html,
    )
    # The footer's years stay one left-to-right run.
    assert re.search(r'© <bdi dir="ltr">\d{4}</bdi>', html) or '<bdi dir="ltr">2021–' in html
