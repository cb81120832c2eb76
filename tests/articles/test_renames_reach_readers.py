"""A renamed tag, section or author shows on every page that names it, at the next request.

The rename is made with the admin's own change form (loaded, its fields read back, the name
changed, posted with CSRF checks on). An anonymous reader has every page in the page cache
(a real Redis) beforehand; straight after, the article page, a card of the article and the
tag's own list all show the new name. The shared cache is checked by its keys: what the
rename purges must reach the article page's ``Surrogate-Key``.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Author, Section
from jtvc import invalidation
from tests.factories import make_article, make_author, make_image, make_section, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def purged():
    """Every set of keys the invalidation path delivers (what a purge would get)."""
    seen = []

    def backend(keys):
        seen.append(set(keys))

    invalidation.register_backend(backend)
    yield seen
    invalidation.unregister_backend(backend)


@pytest.fixture
def story():
    return make_article(
        title="Ferry timetable changes for the winter",
        section=make_section(name="Harbour"),
        authors=[make_author(name="Dana Levi")],
        tags=["ferries"],
        lead_image=make_image(),
    )


def admin_client():
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(is_superuser=True))
    return client


def rename(client, change_url, **changes):
    """Post the admin's change form back with *changes*, as a browser would."""
    page = client.get(change_url)
    assert page.status_code == 200
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None or value is False or value == "" or field.disabled:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value
    data.update(changes)
    data["csrfmiddlewaretoken"] = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()
    )[1]
    data["_save"] = "Save"
    response = client.post(change_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def pages(story):
    return {
        "article": story.get_absolute_url(),
        "home": reverse("articles:home"),
        "list": reverse("articles:list"),
        "tag": reverse("articles:tag", args=[story.tags.get().slug]),
    }


def warm(reader, story):
    for path in pages(story).values():
        assert reader.get(path).status_code == 200
        # The second answer comes from the page cache.
        assert reader.get(path).status_code == 200


def test_a_renamed_tag_shows_on_the_article_page(redis_cache, live_server, story, purged):
    reader = Client()
    warm(reader, story)
    tag = story.tags.get()
    keys_before = set(reader.get(story.get_absolute_url())["Surrogate-Key"].split())

    rename(admin_client(), reverse("admin:taggit_tag_change", args=[tag.pk]), name="Ferry lines")

    article = reader.get(story.get_absolute_url()).content.decode()
    assert ">Ferry lines</a>" in article
    assert ">ferries</a>" not in article
    assert '"keywords":["Ferry lines"]' in article
    assert "Ferry lines" in reader.get(reverse("articles:tag", args=[tag.slug])).content.decode()
    # The shared cache: what the rename purged names the article page.
    assert purged and keys_before & set().union(*purged)


def test_a_renamed_section_shows_on_article_pages_and_cards(
    redis_cache, live_server, story, purged
):
    reader = Client()
    warm(reader, story)
    section = story.section
    keys_before = set(reader.get(story.get_absolute_url())["Surrogate-Key"].split())

    rename(
        admin_client(),
        reverse("admin:articles_section_change", args=[section.pk]),
        name="Port and ferries",
    )

    assert Section.objects.get(pk=section.pk).name == "Port and ferries"
    for name, path in pages(story).items():
        body = reader.get(path).content.decode()
        assert "Port and ferries" in body, name
        assert ">Harbour</a>" not in body, name
    assert purged and keys_before & {k.replace("*", "site") for k in set().union(*purged)}


def test_a_renamed_author_shows_on_article_pages_and_cards(redis_cache, live_server, story, purged):
    reader = Client()
    warm(reader, story)
    author = story.bylines.get().author
    keys_before = set(reader.get(story.get_absolute_url())["Surrogate-Key"].split())

    rename(
        admin_client(),
        reverse("admin:articles_author_change", args=[author.pk]),
        name="Dana Levi-Cohen",
    )

    assert Author.objects.get(pk=author.pk).name == "Dana Levi-Cohen"
    for name, path in pages(story).items():
        assert "Dana Levi-Cohen" in reader.get(path).content.decode(), name
    assert purged and keys_before & set().union(*purged)
