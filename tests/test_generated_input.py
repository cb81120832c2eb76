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
numbers = st.one_of(
    st.integers().map(str),
    st.builds(lambda d, n: d * n, st.sampled_from("0192²１٣"), st.integers(1, 6000)),
)
plain_text = st.one_of(
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
# Text around one character chosen from the awkward set, so every value tests something.
awkward_text = st.builds(
    lambda before, char, after: before + char + after,
    plain_text,
    st.sampled_from(AWKWARD),
    plain_text,
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


STRUCTURED = (forms.SlugField, forms.URLField, forms.EmailField)


def _text_fields(form):
    """(free text fields, structured text fields) of *form*, by their posted names."""
    fields = [
        bound
        for bound in form
        if isinstance(bound.field, forms.CharField)
        and not bound.is_hidden
        and not getattr(bound.field, "choices", None)
    ]
    structured = [b.html_name for b in fields if isinstance(b.field, STRUCTURED)]
    return [b.html_name for b in fields if b.html_name not in structured], structured


def _current_form(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    data, free, structured = {}, [], []
    forms_shown = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        _form_values(inline.formset.management_form, data)
        forms_shown += inline.formset.forms
    for form in forms_shown:
        _form_values(form, data)
        more_free, more_structured = _text_fields(form)
        free += more_free
        structured += more_structured
    return data, (free, structured)


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
@given(value=awkward_text, which=st.integers(0, 2**16), structured_too=st.booleans())
def test_generated_text_in_every_admin_field_is_never_a_500(
    form_name, value, which, structured_too
):
    RUNS["examples"] += 1
    client = _admin_client()
    url = change_urls()[form_name]
    data, (free, structured) = _current_form(client, url)
    assert free or structured, form_name
    # Free text (headlines, names, captions, tags…) all get the value, so a save usually goes
    # through and readers' pages are checked with it; sometimes one structured field (slug,
    # address, e-mail, chosen by *which*) gets it too.
    targets = list(free)
    if structured and (structured_too or not free):
        targets.append(structured[which % len(structured)])
    for name in targets:
        data[name] = value
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
    value=st.one_of(awkward_text, numbers).filter(bool),
    page=st.sampled_from(QUERY_PAGES),
    params=st.dictionaries(
        st.sampled_from(["page", "q", "p", "layout", "_popup", "id", "format"]),
        st.one_of(awkward_text, numbers),
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
    import jtvc

    with capsys.disabled():
        print(f"\ncode under test: {jtvc.__file__}")
        print(f"\ngenerated examples run in this process: {RUNS['examples']}")
