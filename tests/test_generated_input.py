"""Property-based tests (Hypothesis): generated text in every text field of every newsroom
admin form, and in every public URL parameter. Whatever comes in, no answer is a 500, and
every feed and sitemap still parses.

Example counts are bounded (``max_examples``) so the suite stays quick; ``deadline`` is off
because a shared CI machine has no steady timing. Each admin form gets its own test, so a
failure names the form, and Hypothesis prints the smallest input that broke it.
"""

from urllib.parse import quote
from xml.etree import ElementTree

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Article, SiteSettings
from tests.factories import make_article, make_image, make_page, make_tweet

pytestmark = [
    pytest.mark.django_db,
    # Long generated values make long reprs; Hypothesis warns, and warnings are errors here.
    pytest.mark.filterwarnings("ignore:Generating overly large repr"),
]

SETTINGS = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,  # no example database on disk: every run is fresh
)

# Characters people paste by accident and characters attackers choose: controls, zero-width,
# bidi overrides, emoji (and their joiners), Hebrew, markup and template syntax, URL syntax.
AWKWARD = (
    "\x00\x01\x07\x08\x0b\x0c\x1b\x1f\x7f\x85\x9f\t\n\r"
    "\u200b\u200c\u200d\u2060\ufeff\u202a\u202e\u2066\u2069\u200f"
    "🔥👨‍👩‍👧🇮🇱️\u2028\u2029\ufffd\uffff"
    "שלוםעולם"
    "<>&\"'`{}%#?/\\;:=.,-_ "
    "abcXYZ019"
)
awkward_text = st.one_of(
    st.text(alphabet=AWKWARD, max_size=40),
    st.text(
        alphabet=st.characters(exclude_categories=["Cs"]),  # surrogates cannot be sent
        max_size=40,
    ),
    # Long values, cheaply: a short piece repeated past every limit.
    st.builds(
        lambda s, n: s * n, st.text(alphabet=AWKWARD, min_size=1, max_size=8), st.integers(20, 1500)
    ),
)

RUNS = {"examples": 0}


def _admin_client():
    from django.contrib.auth import get_user_model

    # No password: hashing one per example would cost more than the example itself.
    user, _ = get_user_model().objects.get_or_create(
        username="fuzz-admin", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(user)
    return client


def _form_values(form, data):
    """What the form shows, as the browser would post it back."""
    for bound in form:
        value = bound.value()
        widget = bound.field.widget
        if value is None:
            continue
        if isinstance(widget, forms.MultiWidget):
            for i, part in enumerate(widget.decompress(value)):
                data[f"{bound.html_name}_{i}"] = "" if part is None else str(part)
        elif isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        else:
            data[bound.html_name] = str(value)


def _text_fields(form):
    return [
        bound.html_name
        for bound in form
        if isinstance(bound.field, forms.CharField)
        and not bound.is_hidden
        and not getattr(bound.field, "choices", None)
    ]


def _current_form(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    data, fuzzable = {}, []
    admin_form = response.context["adminform"].form
    _form_values(admin_form, data)
    fuzzable += _text_fields(admin_form)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        _form_values(formset.management_form, data)
        for form in formset.forms:
            _form_values(form, data)
            fuzzable += _text_fields(form)
    return data, fuzzable


def assert_feeds_parse(client):
    for url in [
        reverse("articles:feed"),
        reverse("articles:sitemap"),
        reverse("articles:news_sitemap"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        ElementTree.fromstring(response.content)


def _objects():
    """One row of each kind to edit, made on the first example (examples share the test's
    database transaction)."""
    from articles.models import Page

    if not Page.objects.filter(slug="fuzzed-page").exists():
        make_article(title="Fuzzed story", tags=["fuzz"], lead_image=make_image())
        make_tweet()
        make_page(slug="fuzzed-page")
        SiteSettings.load()
    return Article.objects.order_by("pk").first()


def change_urls():
    article = _objects()

    from articles.models import Author, Page, Tweet
    from media_app.models import Image

    return {
        "article": reverse("admin:articles_article_change", args=[article.pk]),
        "article_add": reverse("admin:articles_article_add"),
        "author": reverse("admin:articles_author_change", args=[Author.objects.first().pk]),
        "section_add": reverse("admin:articles_section_add"),
        "tweet": reverse("admin:articles_tweet_change", args=[Tweet.objects.first().pk]),
        "tweet_add": reverse("admin:articles_tweet_add"),
        "page": reverse("admin:articles_page_change", args=[Page.objects.first().pk]),
        "site_settings": reverse("admin:articles_sitesettings_change", args=[1]),
        "image": reverse("admin:media_app_image_change", args=[Image.objects.first().pk]),
        "tag_add": reverse("admin:taggit_tag_add"),
    }


ADMIN_FORMS = [
    "article",
    "article_add",
    "author",
    "section_add",
    "tweet",
    "tweet_add",
    "page",
    "site_settings",
    "image",
    "tag_add",
]


@pytest.mark.parametrize("form_name", ADMIN_FORMS)
@SETTINGS
@given(values=st.lists(awkward_text, min_size=30, max_size=30), which=st.integers(0, 2**16))
def test_generated_text_in_every_admin_field_is_never_a_500(form_name, values, which):
    RUNS["examples"] += 1
    client = _admin_client()
    url = change_urls()[form_name]
    data, fuzzable = _current_form(client, url)
    assert fuzzable, form_name
    # Every text field gets a value; one of them (chosen by *which*) gets the oddest.
    for i, name in enumerate(fuzzable):
        data[name] = values[(i + which) % len(values)]
    data["_continue"] = "Save"
    response = client.post(url, data)
    assert response.status_code in (200, 302), (form_name, response.status_code)
    if response.status_code == 200:
        # Refused: the form says why, next to the field.
        assert (
            response.context["adminform"].form.errors
            or any(
                f.errors
                for inline in response.context["inline_admin_formsets"]
                for f in inline.formset
            )
            or response.context["adminform"].form.non_field_errors()
        )
    else:
        # Saved: what readers get still answers, and still parses.
        anonymous = Client()
        assert_feeds_parse(anonymous)
        assert anonymous.get("/").status_code == 200


# --- public URL parameters ----------------------------------------------------------------

PATH_PATTERNS = [
    "/blog/{}/",
    "/section/{}/",
    "/tag/{}/",
    "/author/{}/",
    "/page/{}/",
    "/preview/{}/",
    "/section/{}/feed/",
    "/tag/{}/feed/",
    "/author/{}/feed/",
]
QUERY_PAGES = ["/", "/blog/", "/search/", "/tag/fuzz/", "/sitemap.xml", "/feed/", "/about/"]


@settings(SETTINGS, max_examples=40)
@given(
    pattern=st.sampled_from(PATH_PATTERNS),
    value=awkward_text.filter(bool),
    page=st.sampled_from(QUERY_PAGES),
    params=st.dictionaries(
        st.sampled_from(["page", "q", "p", "layout", "_popup", "id", "format"]),
        awkward_text,
        max_size=3,
    ),
)
def test_generated_url_parameters_are_never_a_500(pattern, value, page, params):
    RUNS["examples"] += 1
    _objects()
    client = Client()
    response = client.get(pattern.format(quote(value, safe="")))
    assert response.status_code < 500, (pattern, value)
    response = client.get(page, params)
    assert response.status_code < 500, (page, params)
    if response.status_code == 200 and "xml" in response["Content-Type"]:
        ElementTree.fromstring(response.content)
    # The same parameters on a null-byte path too: "%00" must never reach the database.
    assert client.get(page + "?page=%00&q=%00").status_code < 500


def test_report_how_many_examples_ran(capsys):
    """Not a check: prints the count for the report when run after the others (-s)."""
    with capsys.disabled():
        print(f"\ngenerated examples run in this process: {RUNS['examples']}")
