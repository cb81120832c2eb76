from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search needs PostgreSQL"
)


def results(client, q, **params):
    response = client.get(reverse("articles:search"), {"q": q, **params})
    assert response.status_code == 200
    return response.content.decode()


def test_search_finds_published_articles_only(client):
    make_article(title="Harbour reopens after storm")
    make_article(title="Harbour draft", status=Article.Status.DRAFT)
    html = results(client, "harbour")
    assert "Harbour reopens after storm" in html
    assert "Harbour draft" not in html


@pytest.mark.parametrize(
    "q",
    [
        "",
        "   ",
        "x" * 5000,
        "x" * 10_000,
        "anything " * 1200,
        "'\"<>&|!():*",
        "\x00abc",
        "%",
        "AND OR NOT",
        "-",
        "--",
        '"unclosed',
        '"anything',
        "or or",
        "-anything",
        "anything <-> story",
        "anything:*",
        "!!!",
        "🗳️🔥",
        "anything 🗳️",
        "\u202eanything",
        "ב",
        "״ירושלים",
    ],
)
def test_odd_queries_get_a_helpful_page(client, q):
    make_article(title="Anything", body="<p>A story about anything.</p>")
    html = results(client, q)
    assert "<h1>Search</h1>" in html
    assert client.get(reverse("articles:search"), {"q": q, "page": 2}).status_code == 404


def test_long_query_is_capped_with_a_note(client):
    html = results(client, "word " * 100)
    assert "first 200 characters" in html


def test_search_result_html_is_escaped(client):
    make_article(title="Escaping <b>bold</b> test", dek="<script>alert(1)</script> dek")
    html = results(client, "escaping")
    assert "<script>alert(1)" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_search_pages_past_the_end_are_404(client):
    make_article(title="Only one")
    response = client.get(reverse("articles:search"), {"q": "only", "page": 5})
    assert response.status_code == 404


@postgres_only
def test_title_ranks_above_body_and_stemming_works(client):
    make_article(title="Budget debate", body="<p>Nothing about elections here.</p>", dek="")
    make_article(title="Elections next spring", body="<p>Dates announced.</p>", dek="")
    html = results(client, "election")
    assert html.index("Elections next spring") < html.index("Budget debate")
    assert "<mark>" in html


@postgres_only
def test_hebrew_words_are_found(client):
    make_article(title="Community news", body="<p>הכנסת אישרה את התקציב</p>")
    html = results(client, "התקציב")
    assert "Community news" in html
    assert "<mark>התקציב</mark>" in html


@postgres_only
def test_search_index_exists():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s", ["article_search_vector_gin"]
        )
        assert "gin" in cursor.fetchone()[0]


def test_hebrew_prefixed_word_finds_the_bare_word_and_the_reverse(client):
    make_article(title="Capital report", body="<p>הכנסת התכנסה בירושלים אתמול</p>")
    make_article(title="Weather report", body="<p>גשם כבד ירד על ירושלים</p>")
    make_article(title="Unrelated report", body="<p>חדשות מתל אביב</p>")
    for query in ("ירושלים", "בירושלים", "לירושלים", "ובירושלים"):
        html = results(client, query)
        assert "Capital report" in html, query
        assert "Weather report" in html, query
        assert "Unrelated report" not in html, query


def test_hebrew_bases_keep_three_letters():
    from articles.reader.search import hebrew_base, without_hebrew_prefixes

    assert hebrew_base("בירושלים") == "ירושלים"
    assert hebrew_base("ובבית") == "בית"  # ו and ב stripped, three letters kept
    assert hebrew_base("בית") == "בית"  # too short to lose a letter
    assert without_hebrew_prefixes("news מהעיר today") == "news עיר today"


@postgres_only
def test_hebrew_exact_word_ranks_above_a_prefixed_one(client):
    make_article(title="בירושלים נפתח גן", dek="", body="<p>x</p>")
    make_article(title="ירושלים חוגגת", dek="", body="<p>x</p>")
    html = results(client, "ירושלים")
    assert html.index("ירושלים חוגגת") < html.index("בירושלים נפתח גן")


@postgres_only
def test_search_reads_the_stored_vector_and_headlines_only_the_shown_page():
    from articles.reader.search import search_articles
    from articles.reader.views import cards

    make_article(title="Referendum called")
    queryset = search_articles(cards(), "referendum")[:10]
    with connection.cursor() as cursor:
        sql, params = queryset.query.sql_with_params()
        cursor.execute("EXPLAIN VERBOSE " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "to_tsvector" not in plan  # nothing recomputed per row
    assert "search_vector" in plan
    # ts_headline appears only above the Sort, i.e. for the rows the LIMIT keeps.
    sort_at = plan.index("Sort")
    assert "ts_headline" in plan[:sort_at]
    assert "ts_headline" not in plan[sort_at:]


@postgres_only
def test_stored_vector_follows_edits(client):
    article = make_article(title="Harbour news")
    assert "Harbour news" in results(client, "harbour")
    article.title = "Lighthouse news"
    article.save()
    assert "Lighthouse news" in results(client, "lighthouse")
    assert "Lighthouse news" not in results(client, "harbour")


@postgres_only
def test_connections_tell_the_planner_that_random_reads_are_cheap():
    # Otherwise a search reads every article instead of the GIN index (see settings).
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"


def harbour_archive():
    """Eight articles that all mention "harbour", newest first; the fourth newest has it in
    its headline too (so it ranks first), the oldest in every field (but is too old)."""
    now = timezone.now()
    titles = ["Tide", "Quay", "Ferry", "Harbour reopens", "Cranes", "Gulls", "Fog", "Harbour"]
    for age, title in enumerate(titles, start=1):
        make_article(
            title=f"{title} story" if title != "Harbour" else "Harbour harbour harbour",
            dek="harbour" if title == "Harbour" else "A short standfirst.",
            body="<p>News from the harbour today.</p>",
            published_at=now - timedelta(hours=age),
        )


def page_titles(html):
    import re

    return re.findall(r'<h2 class="card-title"><a [^>]*>([^<]+)</a>', html)


@pytest.fixture(params=["gin-index", "date-index"])
def candidate_path(request, monkeypatch):
    """Both ways of finding the newest matches (PostgreSQL picks one per query with EXPLAIN:
    the GIN index, or walking the date index when the planner would scan the table)."""
    from articles.reader import search

    monkeypatch.setattr(
        search, "_scans_the_table", lambda sql, params: request.param != "gin-index"
    )
    return request.param


def test_only_the_newest_matches_are_ranked_counted_and_paged(client, settings, candidate_path):
    settings.JTVC_SEARCH_CANDIDATES = 5
    settings.JTVC_PER_PAGE = 2
    harbour_archive()
    pages = [results(client, "harbour", page=n) for n in (1, 2, 3)]
    assert "More than 5 results for “<bdi>harbour</bdi>”" in pages[0]
    assert "The newest 5 are shown, best match first." in pages[0]
    assert "Page 1 of 3" in pages[0]
    shown = [title for html in pages for title in page_titles(html)]
    newest_first = [
        "Tide story",
        "Quay story",
        "Ferry story",
        "Harbour reopens story",
        "Cranes story",
    ]
    if connection.vendor == "postgresql":
        # Best match first among the candidates (the headline), then the newest.
        assert shown == ["Harbour reopens story", "Tide story", "Quay story", "Ferry story"] + [
            "Cranes story"
        ]
    else:
        assert shown == newest_first
    # The older matches are never shown, however well they match.
    response = client.get(reverse("articles:search"), {"q": "harbour", "page": 4})
    assert response.status_code == 404


def test_the_cap_itself_is_counted_plainly(client, settings):
    settings.JTVC_SEARCH_CANDIDATES = 8
    harbour_archive()
    html = results(client, "harbour")
    assert "8 results for “<bdi>harbour</bdi>”" in html
    assert "More than" not in html


def test_more_than_the_cap_is_said_in_hebrew_too(client, settings):
    settings.JTVC_SEARCH_CANDIDATES = 5
    settings.LANGUAGE_CODE = "he"
    harbour_archive()
    html = results(client, "harbour")
    assert "יותר מ־5 תוצאות עבור" in html
    assert "מוצגות 5 התוצאות החדשות ביותר" in html


def test_the_count_reads_at_most_the_cap_plus_one_rows(client, settings, candidate_path):
    settings.JTVC_SEARCH_CANDIDATES = 5
    harbour_archive()
    with CaptureQueriesContext(connection) as queries:
        results(client, "harbour")
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"].upper()]
    assert len(counts) == 1
    count_at = counts[0].upper().index("COUNT(*)")
    assert "LIMIT 6)" in counts[0][count_at:]  # the count's own subquery stops at cap + 1
    assert "LIMIT 5)" in counts[0]  # the candidates: the ranking never sees more


@postgres_only
def test_candidates_are_a_plain_subquery_run_once(candidate_path):
    # A correlated subquery (the vector naming the outer query's table) would run once per
    # article: a SubPlan in the plan.
    from articles.reader.search import search_articles
    from articles.reader.views import cards

    make_article(title="Referendum called")
    queryset = search_articles(cards(), "referendum")[:10]
    with connection.cursor() as cursor:
        sql, params = queryset.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "SubPlan" not in plan
    assert ("SELECT m.pk FROM m ORDER BY" in sql) == (candidate_path == "gin-index")
