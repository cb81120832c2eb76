"""What readers see after an import: the stories at their new addresses, the old ones
redirecting, with pictures, credits, captions, authors, co-authors, tags and tweets."""

import pytest
from django.urls import reverse

from articles.models import Article, Author, Page, Section
from media_app.models import Image

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(gazette, uploads, run_import):
    return run_import(gazette, "--media-dir", str(uploads))


def redirects_to(client, old, new):
    response = client.get(old)
    assert response.status_code == 301, (old, response.status_code)
    assert response["Location"] == new, old
    return response


def test_every_old_address_answers_301_to_the_new_page(client, imported):
    ferry = Article.objects.get(slug="ferry-timetable-rewritten").get_absolute_url()
    wall = Article.objects.get(slug="sea-wall-money").get_absolute_url()
    # The permalink as exported, the structure with an old slug, /%postname%/, ?p=
    redirects_to(client, "/2024/03/05/ferry-timetable-rewritten/", ferry)
    redirects_to(client, "/2024/03/05/ferry-timetable-rewritten", ferry)
    redirects_to(client, "/2024/03/05/new-ferry-times/", ferry)
    redirects_to(client, "/new-ferry-times/", ferry)
    redirects_to(client, "/ferry-timetable-rewritten/", ferry)
    redirects_to(client, "/?p=101", ferry)
    redirects_to(client, "/2024/03/07/sea-wall-money/", wall)
    # Attachment pages lead to their post; picture files to the imported picture,
    # whatever WordPress size was asked for.
    redirects_to(client, "/2024/03/05/ferry-timetable-rewritten/pier-at-dawn/", ferry)
    redirects_to(client, "/?attachment_id=203", wall)
    pier = Image.objects.get(alt_text="The north pier at low water")
    redirects_to(client, "/wp-content/uploads/2024/03/pier-at-dawn-640x480.jpg", pier.original_url)
    redirects_to(client, "/wp-content/uploads/2024/03/pier-at-dawn.jpg", pier.original_url)
    # Sections, categories kept as tags, tags, authors, pages.
    council = Section.objects.get(slug="council").get_absolute_url()
    redirects_to(client, "/category/news/council/", council)
    redirects_to(client, "/category/council/", council)
    redirects_to(client, "/?cat=6", council)
    redirects_to(client, "/category/news/", reverse("articles:tag", args=["news"]))
    redirects_to(client, "/?tag=ferries", reverse("articles:tag", args=["ferries"]))
    mira = Author.objects.get(name="Mira Saltonstall").get_absolute_url()
    redirects_to(client, "/author/mira-salt/", mira)
    redirects_to(client, "/?author=2", mira)
    about = Page.objects.get(slug="about-the-gazette").get_absolute_url()
    redirects_to(client, "/about-the-gazette/", about)
    redirects_to(client, "/?page_id=110", about)
    # Something that never existed is still a 404, and the home page is still the home page.
    assert client.get("/2024/03/05/no-such-story/").status_code == 404
    assert client.get("/").status_code == 200
    assert client.get("/?p=999999").status_code == 200


def test_imported_article_page_shows_picture_credit_caption_authors_tags_and_tweets(
    client, imported
):
    ferry = Article.objects.get(slug="ferry-timetable-rewritten")
    response = client.get(redirects_to(client, "/?p=101", ferry.get_absolute_url())["Location"])
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ferry timetable rewritten after the spring tides" in page
    assert "Earlier sailings from April, and a later last boat." in page
    # Lead picture with its alt text and its credit; the body picture with caption and credit.
    assert 'alt="A white ferry pulling away from the quay"' in page
    assert "Owen Marsh/Coast Agency" in page
    assert 'alt="The north pier at low water"' in page
    assert "Boats wait for the tide at the north pier." in page
    assert "Lena Pike/Harbour Photo Co" in page
    # Authors and the guest co-author.
    assert "Mira Saltonstall" in page and "Ines Quay" in page
    # Tags.
    assert "Ferries" in page
    # Tweets rendered from their stored text, with no script from X.
    assert "From April the first boat leaves at six. Set your alarms!" in page
    assert "Six o&#x27;clock sailings are good news for the fish market." in page
    assert "Councillor Abel Wren" in page
    assert "platform.twitter.com/widgets.js" not in page
    # The body's missing picture is simply absent, never a broken image.
    assert "lost-photo" not in page and "wp-content" not in page


def test_guest_co_author_has_an_author_page_listing_the_story(client, imported):
    ines = Author.objects.get(name="Ines Quay")
    page = client.get(ines.get_absolute_url()).content.decode()
    assert "Ferry timetable rewritten after the spring tides" in page
