"""Small exports written inline, one case each."""

import pytest

from articles.importers.wordpress.models import LegacyRedirect
from articles.models import Article, Author
from tests.factories import make_article

pytestmark = pytest.mark.django_db

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/{v}/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/{v}/">
<channel><title>Small</title><link>https://small.example</link><language>he-IL</language>
<wp:wxr_version>{v}</wp:wxr_version><wp:base_site_url>https://small.example</wp:base_site_url>
<wp:base_blog_url>https://small.example</wp:base_blog_url>
"""


def export(tmp_path, items, *, version="1.0"):
    path = tmp_path / "small.xml"
    path.write_text(HEAD.format(v=version) + items + "</channel></rss>", encoding="utf-8")
    return path


def test_hebrew_slug_plain_permalinks_and_no_author_records(tmp_path, run_import, client):
    path = export(
        tmp_path,
        """<item><title>הנמל נפתח מחדש</title><link>https://small.example/?p=7</link>
<dc:creator>dana</dc:creator><content:encoded><![CDATA[שורה אחת.]]></content:encoded>
<wp:post_id>7</wp:post_id><wp:post_date>2023-06-01 10:00:00</wp:post_date>
<wp:post_date_gmt>2023-06-01 07:00:00</wp:post_date_gmt>
<wp:post_name>%d7%94%d7%a0%d7%9e%d7%9c</wp:post_name><wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type></item>""",
    )
    report = run_import(path)
    article = Article.objects.get()
    assert article.slug == "הנמל"
    assert article.language == "he"
    assert article.published_at.hour == 7  # the GMT date wins
    assert [a.name for a in article.authors.all()] == ["dana"]
    assert report["counts"]["people"]["created"] == 1
    assert report["permalink_structure"] == "/?p=%post_id%"
    response = client.get("/?p=7")
    assert response.status_code == 301 and response["Location"] == article.get_absolute_url()
    response = client.get("/%D7%94%D7%A0%D7%9E%D7%9C/")
    assert response.status_code == 301 and response["Location"] == article.get_absolute_url()
    assert client.get(article.get_absolute_url()).status_code == 200


def test_a_slug_already_used_here_gets_a_new_one_and_the_old_address_still_leads_there(
    tmp_path, run_import, client
):
    ours = make_article(slug="harbour-news", status="published")
    path = export(
        tmp_path,
        """<item><title>Harbour news</title><link>https://small.example/harbour-news/</link>
<dc:creator>dana</dc:creator><content:encoded>Words.</content:encoded><wp:post_id>8</wp:post_id>
<wp:post_date_gmt>2023-06-01 07:00:00</wp:post_date_gmt><wp:post_name>harbour-news</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>""",
        version="1.2",
    )
    report = run_import(path)
    imported = Article.objects.exclude(pk=ours.pk).get()
    assert imported.slug == "harbour-news-2"
    assert any("was taken here" in w for i in report["items"] for w in i["why"])
    assert client.get("/harbour-news/")["Location"] == imported.get_absolute_url()
    # Our own article keeps its address.
    assert client.get(ours.get_absolute_url()).status_code == 200
    assert LegacyRedirect.objects.filter(old_path="/harbour-news/").count() == 1
    assert Author.objects.count() == 2  # the factory's and dana
