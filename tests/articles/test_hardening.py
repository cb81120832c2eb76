"""Odd and hostile newsroom input, through the admin's own forms and the public URLs.

Each test is one case from issue 9: it failed on the main branch before the fix.
"""

import json
import re
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article, Section, Tweet
from tests.articles.test_admin import change_url, form_data
from tests.factories import make_article, make_image, make_section, make_tweet

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
LD_JSON = re.compile(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', re.S)


def public_urls(article):
    urls = [
        "/",
        reverse("articles:list"),
        article.get_absolute_url(),
        reverse("articles:feed"),
        reverse("articles:sitemap"),
        reverse("articles:news_sitemap"),
    ]
    for tag in article.tags.all():
        urls += [
            reverse("articles:tag", args=[tag.slug]),
            reverse("articles:tag_feed", args=[tag.slug]),
        ]
    for author in article.authors.all():
        urls += [author.get_absolute_url(), reverse("articles:author_feed", args=[author.slug])]
    if article.section:
        urls += [
            article.section.get_absolute_url(),
            reverse("articles:section_feed", args=[article.section.slug]),
        ]
    return urls


def assert_site_answers(client, article):
    """Every public page showing *article* answers 200, and every XML answer parses."""
    for url in public_urls(article):
        response = client.get(url)
        assert response.status_code == 200, url
        if "xml" in response["Content-Type"]:
            ElementTree.fromstring(response.content)
        for block in LD_JSON.findall(response.content.decode()):
            json.loads(block)


@pytest.mark.parametrize("name", ["🔥🔥🔥", "{{", "/", "..", "#?%"])
def test_a_tag_of_emoji_or_symbols_gets_a_working_address(admin_client, client, name):
    article = make_article(title="Fire season")
    response = admin_client.post(change_url(article), form_data(article, tags=f'"{name}", harbour'))
    assert response.status_code == 302, response.context["adminform"].form.errors
    tag = Tag.objects.get(name=name)
    assert tag.slug.startswith("tag-")
    assert_site_answers(client, article)
    # Stable: the same name always gives the same slug.
    tag.delete()
    article.tags.add(name)
    assert Tag.objects.get(name=name).slug == tag.slug


@pytest.mark.parametrize("name", ["🔥" * 200, "x" * 10_000])
def test_a_tag_too_long_is_refused_with_the_limit(admin_client, name):
    article = make_article(title="Long tags")
    response = admin_client.post(change_url(article), form_data(article, tags=name))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["tags"]
    assert "100 characters" in errors[0] and f"{len(name):,}" in errors[0]
    assert not Tag.objects.exists()


def test_section_named_only_with_emoji_gets_a_slug(admin_client, client):
    response = admin_client.post(
        reverse("admin:articles_section_add"), {"name": "🗳️", "slug": "", "order": "0"}
    )
    assert response.status_code == 302
    section = Section.objects.get(name="🗳️")
    assert section.slug.startswith("section-")
    article = make_article(section=section)
    assert_site_answers(client, article)


def test_author_named_only_with_symbols_gets_a_slug(admin_client, client):
    response = admin_client.post(reverse("admin:articles_author_add"), {"name": "★★", "slug": ""})
    assert response.status_code == 302
    author = Article.authors.rel.model.objects.get(name="★★")
    assert author.slug.startswith("author-")
    assert_site_answers(client, make_article(authors=[author]))


AWKWARD = "Bell\x07 nul\x00 esc\x1b del\x7f c1\x85 zero\u200bwidth rlo\u202eevil bom\ufeff"


def test_control_characters_in_headline_caption_and_credit_are_removed_on_save(admin_client):
    article = make_article(lead_image=make_image())
    response = admin_client.post(
        change_url(article),
        form_data(
            article,
            title="Harbour\x0b re\u200bopens\x1f",
            dek="Line one\x0c\nline two",
            lead_image=str(article.lead_image_id),
            lead_image_caption="Caption\x01 here",
        ),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Harbour reopens"
    assert article.dek == "Line one\nline two"
    assert article.lead_image_caption == "Caption here"


def test_feeds_sitemaps_and_pages_survive_awkward_stored_text(client):
    """Rows written before the cleaning step (or by a bulk update) still render and parse."""
    image = make_image()
    section = make_section(name="Awkward")
    article = make_article(title="Awkward", section=section, lead_image=image, tags=["awkward"])
    # PostgreSQL cannot store NUL at all, so the stored text carries every other oddity.
    awkward = AWKWARD.replace("\x00", "")
    Article.objects.filter(pk=article.pk).update(
        title=awkward, dek=awkward, lead_image_caption=awkward, seo_description=awkward[:150]
    )
    type(image).objects.filter(pk=image.pk).update(caption=awkward, credit=awkward[:200])
    Section.objects.filter(pk=section.pk).update(name=awkward[:80])
    article.authors.update(name=awkward[:120])
    assert_site_answers(client, article)
    assert "\x07" not in client.get(reverse("articles:feed")).content.decode()


@pytest.mark.parametrize(
    "page", ["9" * 5000, "-1", "0", "1.5", "１", "²", "", "9" * 30, "1e3", "\x00", "%00"]
)
def test_odd_page_numbers_are_404_not_500(client, page):
    make_article(tags=["x"])
    for url in [reverse("articles:list"), reverse("articles:tag", args=["x"])]:
        response = client.get(url, {"page": page})
        assert response.status_code in (200, 404), (url, page)
        assert response.status_code == 404 or page == ""


def test_search_isolates_a_right_to_left_override(client):
    make_article(title="evil story")
    response = client.get(reverse("articles:search"), {"q": "\u202eevil\u202c"})
    assert response.status_code == 200
    assert "\u202e" not in response.content.decode()
    assert 'value="evil"' in response.content.decode()


# --- Posts on X -------------------------------------------------------------------------


def test_same_post_pasted_as_twitter_and_x_in_a_body(admin_client, client):
    article = make_article()
    body = (
        "<p>https://twitter.com/jtvc_news/status/1790000000000000001</p>"
        "<p>https://x.com/jtvc_news/status/1790000000000000001</p>"
        "<p>https://TWITTER.com/Jtvc_News/status/1790000000000000001?s=20</p>"
    )
    response = admin_client.post(change_url(article), form_data(article, body=body))
    assert response.status_code == 302
    assert Tweet.objects.filter(tweet_id="1790000000000000001").count() == 1
    assert client.get(article.get_absolute_url()).status_code == 200


def test_same_post_added_twice_in_the_tweet_admin_is_a_clear_message(admin_client):
    make_tweet(tweet_id="1790000000000000002", handle="jtvc_news")
    response = admin_client.post(
        reverse("admin:articles_tweet_add"),
        {"url": "https://twitter.com/jtvc_news/status/1790000000000000002", "text": "Again"},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["url"]
    assert "already" in errors[0]
    assert Tweet.objects.count() == 1


@pytest.mark.parametrize(
    "url",
    [
        "http://twitter.com/jtvc_news/status/1790000000000000003",
        "HTTPS://TWITTER.COM/jtvc_news/status/1790000000000000003",
        "https://Mobile.X.com/jtvc_news/status/1790000000000000003/photo/1",
    ],
)
def test_tweet_admin_accepts_any_case_and_stores_https_x_com(admin_client, url):
    response = admin_client.post(reverse("admin:articles_tweet_add"), {"url": url, "text": "Hi"})
    assert response.status_code == 302
    tweet = Tweet.objects.get()
    assert tweet.url == "https://x.com/jtvc_news/status/1790000000000000003"
    assert tweet.tweet_id == "1790000000000000003"


def test_http_post_address_in_a_body_is_stored_as_https():
    article = make_article(body="<p>http://TWITTER.com/someone/status/42</p>")
    assert 'url="https://x.com/someone/status/42"' in Article.objects.get(pk=article.pk).body


@pytest.mark.parametrize(
    "path",
    ["/tag/%00/", "/blog/%00/", "/section/%00/feed/", "/author/a%00b/", "/page/%00/"],
)
def test_a_nul_in_an_address_is_404_on_every_database(client, path):
    # PostgreSQL refuses NUL in a query (DataError); found by running on PostgreSQL.
    assert client.get(path).status_code == 404
