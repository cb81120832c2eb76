"""Who sees what: one rule (ArticleQuerySet.visible_to) on the reader site and in the admin."""

import pytest
from django.test import Client
from django.urls import reverse

from articles import services
from articles.models import Article, Page
from articles.newsroom.preview import make_preview_token
from tests.factories import make_article, make_page, make_user

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def preview_link(client, article):
    """The "View on site" link the admin's change form offers, as that user sees it."""
    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    if page.status_code != 200:
        return None
    return page.context["preview_link"]


@pytest.fixture
def draft():
    writer = make_user(groups=["Journalists"])
    coauthor = make_user(groups=["Journalists"])
    article = make_article(
        title="A draft about the night ferry",
        status=Article.Status.DRAFT,
        authors=[services.author_for_user(writer), services.author_for_user(coauthor)],
        created_by=writer,
    )
    return article, writer, coauthor


def test_a_journalist_gets_404_for_a_colleagues_draft(client, draft):
    article, _, _ = draft
    colleague = logged_in(make_user(groups=["Journalists"]))
    url = article.get_absolute_url()
    assert colleague.get(url).status_code == 404
    assert client.get(url).status_code == 404  # like a visitor
    # Nor can they reach it through the admin's change form and its preview link.
    change = colleague.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert change.status_code == 302 and "admin" in change["Location"]
    assert preview_link(colleague, article) is None


def test_the_co_author_and_the_writer_read_it_with_the_banner(draft):
    article, writer, coauthor = draft
    for user in (writer, coauthor):
        reader = logged_in(user)
        link = preview_link(reader, article)
        assert link == article.get_absolute_url()
        response = reader.get(link)
        assert response.status_code == 200
        html = response.content.decode()
        assert "A draft about the night ferry" in html
        assert "Not published" in html
        assert '<meta name="robots" content="noindex">' in html
        assert "no-cache" in response["Cache-Control"]


def test_editors_see_every_draft_with_the_banner(draft):
    article, _, _ = draft
    editor = logged_in(make_user(groups=["Editors"]))
    response = editor.get(preview_link(editor, article))
    assert response.status_code == 200
    assert "Not published" in response.content.decode()


def test_staff_without_article_rights_see_only_what_readers_see(draft):
    article, _, _ = draft
    staff = logged_in(make_user(is_staff=True))
    assert staff.get(article.get_absolute_url()).status_code == 404


def test_a_signed_share_link_opens_the_draft_for_whoever_holds_it(client, draft):
    article, _, _ = draft
    # The editor's link is the permission: it names one article and expires.
    response = client.get(reverse("articles:preview", args=[make_preview_token(article)]))
    assert response.status_code == 200
    assert "Preview: this article is not published yet." in response.content.decode()


def test_old_addresses_of_a_hidden_article_do_not_redirect_to_it(client, draft):
    article, writer, _ = draft
    article.slug = "night-ferry-renamed"
    old = article.get_absolute_url()
    services.save_article(article)
    renamed_from = reverse("articles:detail", args=["a-draft-about-the-night-ferry"])
    assert old != renamed_from
    assert client.get(renamed_from).status_code == 404
    assert logged_in(writer).get(renamed_from).status_code == 301


def test_unpublished_pages_are_hidden_from_readers_and_shown_to_staff(client):
    page = make_page(title="Ethics policy", slug="ethics", is_published=False)
    url = page.get_absolute_url()
    assert client.get(url).status_code == 404
    assert page.slug not in client.get(reverse("articles:sitemap")).content.decode()
    response = logged_in(make_user(groups=["Editors"])).get(url)
    assert response.status_code == 200
    assert "Not published" in response.content.decode()
    Page.objects.filter(pk=page.pk).update(is_published=True)
    assert Client().get(url).status_code == 200
