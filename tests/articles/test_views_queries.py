"""Each page runs a fixed number of queries, whatever the amount of content.

The page cache is off here (it would answer with no query at all), and the site settings
and sections menu are warmed first: they come from the cache on every ordinary request.
"""

import pytest
from django.db import connection
from django.urls import reverse

from articles import services
from articles.models import Article
from tests.factories import (
    make_article,
    make_author,
    make_image,
    make_library_image,
    make_page,
    make_section,
    make_tweet,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.JTVC_PAGE_CACHE = False


_colors = iter(range(1, 10**6))


def image():
    c = next(_colors)
    # Distinct sizes: JPEG quantisation makes near colours identical files.
    return make_image(width=16 + c % 200, height=12 + c // 200)


def fill(n):
    """n articles over two sections, with two authors, images and tags each."""
    sections = [make_section(), make_section()]
    authors = [make_author(photo=image()) for _ in range(2)]
    articles = []
    for i in range(n):
        articles.append(
            make_article(
                section=sections[i % 2],
                authors=authors,
                tags=["alpha", "beta", f"t{i}"],
                lead_image=image(),
                is_featured=i < 3,
                feature_order=i,
            )
        )
    articles[0].related.add(*articles[1:3])
    return sections, authors, articles


def count(client, url, django_assert_num_queries, expected):
    client.get(url)  # warm the site settings / menu cache
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200


def remembered_until_a_publication(
    client, url, warm, *, first, then, after, title, queries, on_commit
):
    """*url* costs *first* queries, then *then* while what it remembers holds, and *after*
    straight after a publication elsewhere (made through the save path, invalidating after
    commit), which it then shows."""
    client.get(warm)  # warm the site settings / menu cache
    with queries(first):
        client.get(url)
    count(client, url, queries, then)
    with on_commit(execute=True):  # the invalidation, after commit
        make_article(title=title)
    with queries(after):
        assert title in client.get(url).content.decode()
    count(client, url, queries, then)


@pytest.mark.parametrize("n", [3, 15])
def test_home_page_queries(
    client, django_assert_num_queries, django_capture_on_commit_callbacks, n
):
    with django_capture_on_commit_callbacks(execute=True):  # deliver what fill() changed
        fill(n)
    # Choosing the stories: featured; latest; section blocks (window function); popular
    # tags; then bylines+authors of every card. The choice is remembered: the cards by id;
    # their bylines+authors. A publication anywhere means a new choice, which includes it
    # (+1: when the next scheduled story is due, also remembered until an article changes)
    remembered_until_a_publication(
        client, reverse("articles:home"), reverse("articles:list"),
        first=5, then=2, after=6, title="Just in from the harbour",
        queries=django_assert_num_queries, on_commit=django_capture_on_commit_callbacks,
    )  # fmt: skip


@pytest.mark.parametrize("n", [3, 15])
def test_home_page_without_featured_stories_queries(client, django_assert_num_queries, n):
    fill(n)
    Article.objects.update(is_featured=False)
    # As above: the lead (then the newest story) has its byline in the same query as the
    # other cards' (it cost two more queries, its bylines and their authors)
    client.get(reverse("articles:list"))  # warm the site settings / menu cache
    with django_assert_num_queries(5):
        client.get(reverse("articles:home"))
    count(client, reverse("articles:home"), django_assert_num_queries, 2)


@pytest.mark.parametrize("n", [3, 15])
def test_blog_list_queries(
    client, django_assert_num_queries, django_capture_on_commit_callbacks, n
):
    with django_capture_on_commit_callbacks(execute=True):  # deliver what fill() changed
        fill(n)
    # count; the page's articles with section and image; bylines+authors. The count is
    # remembered until an article changes: every page of the list shares it (+1 after a
    # publication: when the next scheduled story is due)
    remembered_until_a_publication(
        client, reverse("articles:list"), reverse("articles:home"),
        first=3, then=2, after=4, title="One more for the list",
        queries=django_assert_num_queries, on_commit=django_capture_on_commit_callbacks,
    )  # fmt: skip


@pytest.mark.parametrize("n", [3, 15])
def test_section_tag_author_queries(client, django_assert_num_queries, n):
    sections, authors, _ = fill(n)
    # the section / tag / author; page of articles; bylines+authors (the count of the list
    # is remembered, as for the blog list)
    count(client, sections[0].get_absolute_url(), django_assert_num_queries, 3)
    count(client, reverse("articles:tag", args=["alpha"]), django_assert_num_queries, 3)
    count(client, authors[0].get_absolute_url(), django_assert_num_queries, 3)


@pytest.mark.parametrize("n", [3, 15])
def test_article_page_queries(client, django_assert_num_queries, n):
    _, _, articles = fill(n)
    tweets = [make_tweet() for _ in range(n)]
    pictures = [make_library_image(width=320 + i, height=180) for i in range(min(n, 4))]
    article = articles[0]
    article.body = "".join(
        f'<figure class="media"><oembed url="{t.url}"></oembed></figure><p>Paragraph {i}.</p>'
        for i, t in enumerate(tweets)
    ) + "".join(
        f'<figure class="image"><img src="{p.file.url}" alt="Picture {i}"></figure>'
        for i, p in enumerate(pictures)
    )
    services.save_article(article)
    # First visit: article+section+images; tags; corrections; hand-picked related;
    # suggested related; bylines+authors(+photos) of the article and the related cards at
    # once; the body's library images; its tweets
    client.get(reverse("articles:list"))  # warm the site settings / menu cache
    with django_assert_num_queries(8):
        client.get(article.get_absolute_url())
    # Then the related articles' ids are remembered (until an article changes): the two
    # queries that chose them become one that reads those cards by id
    with django_assert_num_queries(7):
        response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert html.count('<figure class="tweet"') == n
    assert html.count("srcset=") >= len(pictures)
    assert "Paragraph 0." in html


@pytest.mark.parametrize("n", [3, 15])
def test_search_page_queries(client, django_assert_num_queries, n):
    fill(n)
    # PostgreSQL: the planner's view of the matches (EXPLAIN, to choose how the newest are
    # found); the ranked page of candidates with their count (which stops at the cap + 1);
    # bylines+authors. SQLite needs no EXPLAIN.
    expected = 3 if connection.vendor == "postgresql" else 2
    count(client, reverse("articles:search") + "?q=story", django_assert_num_queries, expected)


def test_about_page_queries(client, django_assert_num_queries):
    make_page()
    # the page
    count(client, reverse("articles:about"), django_assert_num_queries, 1)


@pytest.mark.parametrize("n", [3, 15])
def test_feed_queries(client, django_assert_num_queries, n):
    fill(n)
    # articles with images and section; bylines+authors
    count(client, reverse("articles:feed"), django_assert_num_queries, 2)


@pytest.mark.parametrize("n", [2, 6])
def test_article_with_translations_costs_one_query_more(client, django_assert_num_queries, n):
    _, _, articles = fill(3)
    original = articles[0]
    for i in range(n):
        make_article(
            title=f"פנסי הנמל {i}",
            language="he",
            translation_of=original,
            section=original.section,
            tags=["alpha"],
        )
    # article (+ whether it has translations, in the same query) … bylines, as above (5
    # with the related ids remembered, no posts on X); +1: its other language versions, all
    # of them at once
    count(client, original.get_absolute_url(), django_assert_num_queries, 6)
    translation = original.translations.first()
    count(client, translation.get_absolute_url(), django_assert_num_queries, 6)
