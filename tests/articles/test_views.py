from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, SlugRedirect
from articles.newsroom.preview import make_preview_token
from tests.factories import (
    make_article,
    make_author,
    make_correction,
    make_image,
    make_page,
    make_section,
    make_site_settings,
    make_tweet,
    make_user,
)

pytestmark = pytest.mark.django_db


def html_of(response):
    return response.content.decode()


def text_of(response):
    """What a reader reads: the page without its markup (isolating <bdi> wrappers and all)."""
    from django.utils.html import strip_tags

    return " ".join(strip_tags(response.content.decode()).split())


def test_home_shows_lead_featured_latest_sections_and_about_blurb(client):
    make_site_settings(about_blurb="We report on communities near and far.")
    news = make_section(name="News")
    lead = make_article(title="The lead story", is_featured=True, feature_order=0)
    second = make_article(title="A featured second", is_featured=True, feature_order=1)
    latest = make_article(title="Fresh off the desk")
    in_section = make_article(
        title="Section only story", section=news, published_at=timezone.now() - timedelta(days=3)
    )
    make_article(title="Secret draft", status=Article.Status.DRAFT)
    html = html_of(client.get(reverse("articles:home")))
    assert "Feature Posts" in html and "About Us" in html
    assert "We report on communities near and far." in html
    for article in (lead, second, latest, in_section):
        assert html.count(f'href="{article.get_absolute_url()}" dir="auto"') == 1, article
    assert "Secret draft" not in html
    assert '"@type":"NewsMediaOrganization"' in html


def test_article_page_has_breadcrumbs_byline_credit_tags_and_structured_data(client):
    one, two = make_author(name="Dana Levi"), make_author(name="Ari Cohen")
    image = make_image(credit="Dana Levi/JTVC", caption="Crowds at the square")
    article = make_article(
        title="Council votes",
        authors=[one, two],
        lead_image=image,
        tags=["politics"],
        section=make_section(name="News"),
    )
    make_correction(article=article, text="An earlier version gave the wrong date.")
    html = html_of(client.get(article.get_absolute_url()))
    assert ">Home</a>" in html and ">Blog</a>" in html
    assert f'href="{one.get_absolute_url()}" rel="author"' in html
    assert f'href="{two.get_absolute_url()}" rel="author"' in html
    assert "Credit: Dana Levi/JTVC" in text_of(client.get(article.get_absolute_url()))
    assert "Crowds at the square" in html
    assert "An earlier version gave the wrong date." in html
    assert 'href="/tag/politics/"' in html
    assert '"@type":"NewsArticle"' in html and '"@type":"BreadcrumbList"' in html
    assert html.count('"@type":"Person"') == 2
    assert '<link rel="canonical" href="http://testserver/blog/council-votes/">' in html
    assert 'property="og:image"' in html


def test_user_text_cannot_break_out_of_json_ld(client):
    article = make_article(title="</script><script>alert(1)</script> & more")
    html = html_of(client.get(article.get_absolute_url()))
    assert "</script><script>alert(1)" not in html
    assert "\\u003C/script\\u003E" in html


def test_drafts_and_scheduled_are_hidden_from_visitors_and_shown_to_staff(client):
    draft = make_article(status=Article.Status.DRAFT)
    scheduled = make_article(published_at=timezone.now() + timedelta(days=1))
    for article in (draft, scheduled):
        assert client.get(article.get_absolute_url()).status_code == 404
    staff = Client()
    staff.force_login(make_user(is_staff=True, groups=["Editors"]))
    response = staff.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Not published" in html_of(response)
    assert '<meta name="robots" content="noindex">' in html_of(response)
    assert "no-cache" in response["Cache-Control"]


def test_old_slug_redirects_permanently(client):
    article = make_article(title="New name")
    SlugRedirect.objects.create(old_slug="old-name", article=article)
    response = client.get(reverse("articles:detail", args=["old-name"]))
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()
    assert client.get(reverse("articles:detail", args=["never-was"])).status_code == 404


def test_preview_link_shows_a_draft_and_a_forged_one_does_not(client):
    draft = make_article(title="Embargoed story", status=Article.Status.DRAFT)
    response = client.get(reverse("articles:preview", args=[make_preview_token(draft)]))
    assert response.status_code == 200
    assert "Embargoed story" in html_of(response)
    assert '<meta name="robots" content="noindex">' in html_of(response)
    assert "no-cache" in response["Cache-Control"]
    forged = client.get(reverse("articles:preview", args=["not-a-token"]))
    assert forged.status_code == 404
    assert "does not work" in html_of(forged)


def test_tweets_render_as_snapshots_with_a_plain_link_fallback(client):
    tweet = make_tweet(handle="newsdesk", text="שלום and hello", language="he")
    body = (
        f'<figure class="media"><oembed url="{tweet.url}"></oembed></figure>'
        "<p>https://x.com/someone/status/42</p>"
        '<figure class="media"><oembed url="https://www.youtube.com/watch?v=abc"></oembed></figure>'
    )
    html = html_of(client.get(make_article(body=body).get_absolute_url()))
    assert '<blockquote class="tweet-text"' in html and 'lang="he"' in html
    assert "שלום and hello" in html and '(<bdi dir="ltr">@newsdesk</bdi>)' in html
    assert "Load original post" in html
    assert 'href="https://x.com/someone/status/42"' in html
    assert "Watch the video on YouTube" in html
    assert "<oembed" not in html and "<iframe" not in html


def test_article_view_alone_allows_the_x_widget_in_its_policy(client):
    article = make_article()
    policy = client.get(article.get_absolute_url())["Content-Security-Policy"]
    assert "https://platform.twitter.com" in policy
    home_policy = client.get(reverse("articles:home"))["Content-Security-Policy"]
    assert "twitter" not in home_policy


def test_related_articles_hand_picked_first_then_shared_tags(client):
    article = make_article(title="Main", tags=["water"])
    picked = make_article(title="Picked by hand", published_at=timezone.now() - timedelta(days=9))
    similar = make_article(title="Same tag", tags=["water"])
    make_article(title="Unrelated")
    hidden = make_article(title="Draft relative", tags=["water"], status=Article.Status.DRAFT)
    article.related.add(picked, hidden)
    html = html_of(client.get(article.get_absolute_url()))
    related = html.split("You may also like", 1)[1]
    assert related.index("Picked by hand") < related.index("Same tag")
    assert "Unrelated" not in related and "Draft relative" not in related
    assert f'href="{article.get_absolute_url()}" dir="auto"' not in related
    assert f'href="{similar.get_absolute_url()}"' in related


@pytest.mark.parametrize("page", ["0", "-1", "abc", "3", "1.5"])
def test_bad_or_past_the_end_page_numbers_answer_404(client, page):
    make_article()
    assert client.get(reverse("articles:list"), {"page": page}).status_code == 404


def test_list_pages_paginate_and_filter(client):
    section = make_section(name="Opinion")
    author = make_author(name="Noa Bar")
    for _ in range(13):
        make_article(section=section, authors=[author], tags=["economy"])
    make_article(title="Elsewhere")
    for url in (
        reverse("articles:list"),
        section.get_absolute_url(),
        reverse("articles:tag", args=["economy"]),
        author.get_absolute_url(),
    ):
        first = client.get(url)
        assert first.status_code == 200, url
        assert "Page 1 of 2" in html_of(first)
        assert client.get(url, {"page": 2}).status_code == 200
    assert "Elsewhere" not in html_of(client.get(section.get_absolute_url()))
    assert client.get(reverse("articles:tag", args=["nope"])).status_code == 404


def test_about_and_other_pages(client):
    make_page(body="<p>Who we are, in our words.</p>")
    make_page(title="Ethics", slug="ethics", body="<p>Our rules.</p>")
    make_page(title="Hidden", slug="hidden", is_published=False)
    assert "Who we are, in our words." in html_of(client.get(reverse("articles:about")))
    assert "Our rules." in html_of(client.get(reverse("articles:page", args=["ethics"])))
    assert client.get(reverse("articles:page", args=["hidden"])).status_code == 404


def test_footer_shows_years_and_social_links(client):
    make_site_settings(founding_year=2021, x_handle="jtvc", site_name="JTVC")
    response = client.get(reverse("articles:home"))
    html = html_of(response)
    assert f"© 2021–{timezone.now().year} JTVC" in text_of(response)
    # One left-to-right run, so a right-to-left edition cannot show "2026–2021".
    assert f'<bdi dir="ltr">2021–{timezone.now().year}</bdi>' in html
    assert 'href="https://x.com/jtvc"' in html


def test_hebrew_article_gets_lang_and_dir(client):
    article = make_article(title="חדשות היום", language="he")
    response = client.get(article.get_absolute_url())
    html = html_of(response)
    # The page's chrome stays in the site's language; the article carries its own.
    assert '<html lang="en" dir="ltr">' in html
    assert '<article class="article" lang="he" dir="rtl">' in html


def test_404_page_is_in_the_site_design(client):
    response = client.get("/no/such/place/")
    assert response.status_code == 404
    assert "We could not find that page" in html_of(response)


def test_500_page_renders_without_a_request_context(client, settings):
    from django.urls import path

    def broken(request):
        raise RuntimeError("boom")

    settings.ROOT_URLCONF = type(
        "urls", (), {"urlpatterns": [path("boom/", broken)], "handler500": None}
    )
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Something went wrong" in html_of(response)


def test_robots_txt_points_to_both_sitemaps(client):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Sitemap: http://testserver/news-sitemap.xml" in text


def test_head_requests_are_answered(client):
    article = make_article()
    for url in (reverse("articles:home"), article.get_absolute_url(), reverse("articles:feed")):
        assert client.head(url).status_code == 200
    assert client.post(reverse("articles:home")).status_code == 405


def test_canonical_url_drops_stray_query_strings_but_keeps_the_page(client):
    for _ in range(13):
        make_article()
    html = html_of(client.get(reverse("articles:list"), {"utm_source": "x", "page": 2}))
    assert '<link rel="canonical" href="http://testserver/blog/?page=2">' in html
    home = html_of(client.get(reverse("articles:home"), {"utm_source": "x"}))
    assert '<link rel="canonical" href="http://testserver/">' in home


def test_noindex_and_updated_articles(client):
    article = make_article(
        title="Revised story", noindex=True, updated_at=timezone.now() - timedelta(minutes=5)
    )
    html = html_of(client.get(article.get_absolute_url()))
    assert '<meta name="robots" content="noindex">' in html
    assert "Updated <time" in html
    assert '"dateModified"' in html


@pytest.mark.parametrize(
    ("last_shown", "matching", "total", "walks"),
    [
        (10, 2900, 100_000, True),  # a big tag's first page: about 345 articles looked at
        (150, 2900, 100_000, True),  # its 15th: 5,170 looked at, under twice the 2,900
        (200, 2900, 100_000, False),  # its 20th: 6,900 looked at, over twice
        (10, 50, 100_000, False),  # a small tag: the walk would cover most of the archive
        (10, 0, 100_000, False),
    ],
)
def test_a_tag_page_walks_the_newest_only_while_that_is_shorter(last_shown, matching, total, walks):
    from articles.reader.views import walk_is_shorter

    assert walk_is_shorter(last_shown, matching, total) is walks


def test_a_tag_page_is_the_same_however_it_is_read(client, settings):
    """Its first pages test each newest article for the tag; later pages join and sort. A
    reader sees the tagged stories, newest first, on every page, and nothing untagged."""
    settings.JTVC_PER_PAGE = 2
    now = timezone.now()
    tagged = []
    for n in range(9):
        tags = ["harbour"] if n % 3 else ["harbour", "ferries"]
        article = make_article(
            title=f"Harbour story {n}", tags=tags, published_at=now - timedelta(hours=n + 1)
        )
        tagged.append(article)
    make_article(title="Untagged story", published_at=now - timedelta(minutes=30))
    for n in range(10):  # 20 published in all
        make_article(title=f"Older untagged {n}", published_at=now - timedelta(days=2, hours=n))
    make_article(
        title="Scheduled harbour story", tags=["harbour"], published_at=now + timedelta(days=1)
    )
    shown = []
    for number in range(1, 6):
        html = client.get(reverse("articles:tag", args=["harbour"]), {"page": number}).content
        shown += [a.title for a in tagged if a.title in html.decode()]
    # Pages 1-4 walk (page × 2 shown × 20 published < 2 × 9 tagged²); page 5 joins and sorts.
    assert shown == [a.title for a in tagged]
    page = client.get(reverse("articles:tag", args=["harbour"])).content.decode()
    assert "Untagged story" not in page and "Scheduled harbour story" not in page
    ferries = client.get(reverse("articles:tag", args=["ferries"])).content.decode()
    assert "Harbour story 0" in ferries and "Harbour story 1" not in ferries
    assert client.get(reverse("articles:tag", args=["harbour"]), {"page": 6}).status_code == 404
