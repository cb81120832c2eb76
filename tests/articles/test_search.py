import pytest
from django.db import connection
from django.urls import reverse

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
    "q", ["", "   ", "x" * 5000, "'\"<>&|!():*", "\x00abc", "%", "AND OR NOT", "-"]
)
def test_odd_queries_get_a_helpful_page(client, q):
    make_article(title="Anything")
    html = results(client, q)
    assert "<h1>Search</h1>" in html


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
