from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_author, make_image, make_page, make_section

pytestmark = pytest.mark.django_db

MEDIA = "{http://search.yahoo.com/mrss/}"
DC = "{http://purl.org/dc/elements/1.1/}"


def hidden_articles():
    return [
        make_article(title="A draft", status=Article.Status.DRAFT, tags=["x"]),
        make_article(title="Scheduled", published_at=timezone.now() + timedelta(days=1)),
        make_article(title="Noindexed", noindex=True),
    ]


def test_site_feed_holds_published_articles_with_all_authors_and_image_credit(client):
    image = make_image(credit="Noa Bar/JTVC")
    article = make_article(
        title="Visible",
        authors=[make_author(name="First Writer"), make_author(name="Second Writer")],
        lead_image=image,
    )
    hidden_articles()
    response = client.get(reverse("articles:feed"))
    assert response.status_code == 200
    channel = ElementTree.fromstring(response.content).find("channel")
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["Visible"]
    item = items[0]
    assert item.findtext("link").endswith(article.get_absolute_url())
    assert [c.text for c in item.findall(f"{DC}creator")] == ["First Writer", "Second Writer"]
    assert item.find("enclosure").get("type") == "image/jpeg"
    assert item.find(f"{MEDIA}content").findtext(f"{MEDIA}credit") == "Noa Bar/JTVC"


def test_section_tag_and_author_feeds(client):
    section = make_section(name="World")
    author = make_author(name="Writer")
    make_article(title="In scope", section=section, authors=[author], tags=["climate"])
    make_article(title="Out of scope")
    for url in (
        reverse("articles:section_feed", args=[section.slug]),
        reverse("articles:tag_feed", args=["climate"]),
        reverse("articles:author_feed", args=[author.slug]),
    ):
        titles = [
            i.findtext("title")
            for i in ElementTree.fromstring(client.get(url).content).iter("item")
        ]
        assert titles == ["In scope"], url
    assert client.get(reverse("articles:tag_feed", args=["nope"])).status_code == 404


def test_sitemap_lists_public_content_only(client):
    section = make_section(name="Culture")
    author = make_author(name="Critic")
    article = make_article(section=section, authors=[author], tags=["film"])
    make_page()
    hidden = hidden_articles()
    xml = client.get(reverse("articles:sitemap")).content.decode()
    assert article.get_absolute_url() in xml
    assert section.get_absolute_url() in xml
    assert author.get_absolute_url() in xml
    assert "/tag/film/" in xml and "/about/" in xml
    for a in hidden:
        assert a.get_absolute_url() not in xml
    assert "/tag/x/" not in xml


def test_news_sitemap_holds_the_last_two_days(client):
    fresh = make_article(title="Fresh & new")
    old = make_article(published_at=timezone.now() - timedelta(days=3))
    hidden = hidden_articles()
    response = client.get(reverse("articles:news_sitemap"))
    root = ElementTree.fromstring(response.content)
    assert "sitemap-news" in response.content.decode()
    xml = response.content.decode()
    assert fresh.get_absolute_url() in xml and old.get_absolute_url() not in xml
    assert "Fresh &amp; new" in xml
    for a in hidden:
        assert a.get_absolute_url() not in xml
    assert len(root) == 1
