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
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'article_search_gin'")
        assert "gin" in cursor.fetchone()[0]
