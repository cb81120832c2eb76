"""Cards are rendered once and kept by what they show (articles/reader/cards.py).

The whole-page cache is off here, so every request renders its page; what is counted is how
often the card template itself is rendered. A change made through the admin's own change
form must show on the next request, and so must a picture whose rights ran out overnight
(no row changes then).
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.test.signals import template_rendered
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Article
from articles.reader import cards
from tests.articles.test_renames_reach_readers import admin_client, rename
from tests.factories import make_article, make_author, make_image, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.JTVC_PAGE_CACHE = False
    settings.JTVC_CARD_CACHE = 100
    cards.clear()
    yield
    cards.clear()


@pytest.fixture
def card_renders():
    """The articles whose card template was rendered, in order."""
    seen = []

    def listen(sender, template, context, **kwargs):
        if template.name == cards.TEMPLATE:
            seen.append(context["article"].pk)

    template_rendered.connect(listen)
    yield seen
    template_rendered.disconnect(listen)


def home(client):
    response = client.get(reverse("articles:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_home_renders_each_card_once_while_nothing_changes(card_renders):
    stories = [make_article(title=f"Harbour story {n}") for n in range(5)]
    reader = Client()

    first = home(reader)
    assert sorted(set(card_renders)) == sorted(a.pk for a in stories)
    card_renders.clear()

    assert home(reader) == first
    assert card_renders == []


def test_an_author_renamed_in_the_admin_shows_on_the_cards_at_once(card_renders):
    author = make_author(name="Dana Levi")
    mine = make_article(title="Ferries return", authors=[author])
    other = make_article(title="Budget passes")
    reader = Client()
    assert "Dana Levi" in home(reader)
    card_renders.clear()

    rename(
        admin_client(), reverse("admin:articles_author_change", args=[author.pk]), name="Dana Cohen"
    )

    page = home(reader)
    assert "Dana Cohen" in page
    assert "Dana Levi" not in page
    # Only the renamed author's card was drawn again.
    assert mine.pk in card_renders
    assert other.pk not in card_renders


def test_a_headline_edited_in_the_admin_shows_on_list_cards(card_renders):
    story = make_article(title="Old headline about the port", section=make_section(name="Port"))
    reader = Client()
    assert "Old headline about the port" in reader.get(reverse("articles:list")).content.decode()

    rename(
        admin_client(),
        reverse("admin:articles_article_change", args=[story.pk]),
        title="New headline about the port",
    )

    assert Article.objects.get(pk=story.pk).title == "New headline about the port"
    page = reader.get(reverse("articles:list")).content.decode()
    assert "New headline about the port" in page
    assert "Old headline about the port" not in page


def test_a_picture_leaves_the_cards_the_day_its_rights_end(monkeypatch):
    today = timezone.localdate()
    picture = make_image(alt_text="Boats in the harbour", rights_expire_at=today)
    make_article(title="Boats", lead_image=picture)
    reader = Client()
    assert 'alt="Boats in the harbour"' in home(reader)

    # The next day: nothing was written, yet the card must drop the picture.
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today + timedelta(days=1))

    page = home(reader)
    assert "Boats" in page
    assert 'alt="Boats in the harbour"' not in page


def test_a_card_is_kept_per_language():
    story = make_article(title="Ferries return", authors=[make_author(name="Dana Levi")])
    story = cards_of([story])[0]
    english = cards.render_card(story)
    with translation.override("he"):
        hebrew = cards.render_card(story)
    assert 'lang="en"' in english
    assert 'lang="he"' in hebrew
    assert english != hebrew


def test_the_table_keeps_at_most_its_size(settings):
    settings.JTVC_CARD_CACHE = 2
    stories = cards_of([make_article() for _ in range(5)])
    for story in stories:
        cards.render_card(story)
    assert len(cards._table.rows) == 2


def test_nothing_is_kept_in_debug(settings, card_renders):
    settings.DEBUG = True
    story = cards_of([make_article()])[0]
    cards.render_card(story)
    cards.render_card(story)
    assert card_renders == [story.pk, story.pk]


def cards_of(articles):
    from articles.models import prefetch_bylines

    rows = Article.objects.for_cards().filter(pk__in=[a.pk for a in articles]).order_by("pk")
    return prefetch_bylines(list(rows))


def test_reading_a_picture_file_does_not_change_the_cards_key():
    story = cards_of([make_article(lead_image=make_image())])[0]
    before = cards.fingerprint(story, ("", 3, False, True))
    assert story.lead_image.file.url  # what a share card reads first on some pages
    assert cards.fingerprint(story, ("", 3, False, True)) == before
