"""{% image %}, the figure partial and body images: what readers' browsers receive."""

import re

import pytest
from django.core.files import storage as storage_module
from django.db import connection
from django.db.models.fields.files import FieldFile
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from media_app.body import enrich_body_images
from media_app.services import import_image
from tests.factories import make_image
from tests.media_app import corpus

pytestmark = pytest.mark.django_db


def new_image(**metadata):
    metadata.setdefault("credit", "Dana Levi/Reuters")
    return import_image(
        file=corpus.upload("photo.jpg", corpus.jpeg(1600, 900)),
        alt_text="Boats in the harbour",
        **metadata,
    )


def render(template, **context):
    return Template("{% load media_tags %}" + template).render(Context(context))


def attr(html, name):
    found = re.search(rf'\s{name}="([^"]*)"', html)
    return found.group(1) if found else None


class NoStorage:
    def __getattr__(self, name):
        raise AssertionError(f"the template touched storage ({name})")


def test_image_tag_renders_a_responsive_lazy_img(monkeypatch):
    image = new_image()
    image.refresh_from_db()
    monkeypatch.setattr(storage_module, "default_storage", NoStorage())
    monkeypatch.setattr(FieldFile, "url", property(lambda self: NoStorage().url))
    with CaptureQueriesContext(connection) as queries:
        html = render('{% image img "card" %}', img=image)
    assert len(queries) == 0
    assert attr(html, "src").endswith("/w640.webp")
    assert attr(html, "srcset").count("w,") == 4
    assert "/w1600.webp 1600w" in attr(html, "srcset")
    assert attr(html, "sizes") == "(min-width: 72rem) 17rem, (min-width: 48rem) 22rem, 100vw"
    assert (attr(html, "width"), attr(html, "height")) == ("1600", "900")
    assert attr(html, "alt") == "Boats in the harbour"
    assert attr(html, "loading") == "lazy"
    assert attr(html, "decoding") == "async"
    assert attr(html, "fetchpriority") is None


def test_the_lead_image_loads_eagerly_with_high_priority():
    html = render('{% image img "lead" %}', img=new_image())
    assert attr(html, "loading") == "eager"
    assert attr(html, "fetchpriority") == "high"
    assert attr(html, "src").endswith("/w1280.webp")


def test_alt_text_is_escaped_and_missing_images_render_nothing():
    image = new_image()
    image.alt_text = 'A "quoted" <b>alt</b>'
    html = render('{% image img "thumb" %}', img=image)
    assert "&quot;quoted&quot; &lt;b&gt;" in html
    assert render('{% image img "card" %}', img=None) == ""


def test_an_image_without_renditions_falls_back_to_the_original():
    image = make_image(width=64, height=48)
    html = render('{% image img "body" %}', img=image)
    assert attr(html, "src") == image.file.url
    assert attr(html, "srcset") is None
    assert attr(html, "width") == "64"


def test_figure_shows_the_caption_and_a_linked_credit():
    image = new_image(caption="Morning in the port.", credit_url="https://example.org/dana")
    html = render_to_string("media_app/figure.html", {"image": image, "spec": "body"})
    assert "Morning in the port." in html
    assert (
        'Credit: <a href="https://example.org/dana" rel="nofollow noopener"><bdi>Dana Levi/Reuters'
        in (html)
    )
    assert 'srcset="' in html
    override = render_to_string("media_app/figure.html", {"image": image, "caption": "Other"})
    assert "Other" in override and "Morning" not in override


def test_body_images_from_the_library_become_responsive_and_credited(
    django_assert_num_queries,
):
    first = new_image()
    second = import_image(
        file=corpus.upload("b.png", corpus.png(800, 600)),
        alt_text="Second",
        credit="Noa Kedem",
        credit_url="https://example.org/noa",
    )
    html = (
        f'<figure class="image"><img src="{first.original_url}" alt="Typed in the editor">'
        "<figcaption>Fishermen at dawn.</figcaption></figure>"
        f'<p>Inline <img src="{second.widths[0]["url"]}" alt=""> here.</p>'
        f'<img src="{second.original_url}">'
    )
    # The library's images, found by their SHA-256, in one query.
    with django_assert_num_queries(1):
        out = enrich_body_images(html)
    figure = out.split("</figure>")[0]
    assert 'alt="Typed in the editor"' in figure
    assert 'srcset="' in figure and 'width="1600"' in figure and 'loading="lazy"' in figure
    assert '<figcaption>Fishermen at dawn. <span class="credit">Credit: Dana Levi/Reuters' in (
        figure
    )
    inline = out.split("<p>")[1]
    assert 'alt="Second"' in inline  # an empty editor alt gives way to the library's
    assert 'Credit: <a href="https://example.org/noa"' in inline
    assert "<figure" not in inline.split("</p>")[0]
    assert out.endswith("</figcaption></figure>")
    assert out.count("<figure") == 2


def test_foreign_images_are_removed_from_bodies():
    image = new_image()
    html = (
        '<p>Before <img src="https://evil.example/track.gif" alt="x"> after</p>'
        '<p><img src="/media/other/thing.jpg"></p>'
        f'<figure class="image"><img src="{image.original_url}" alt="ok"></figure>'
    )
    out = enrich_body_images(html)
    assert "evil.example" not in out and "/media/other" not in out
    assert "<p>Before  after</p>" in out
    assert out.count("<img") == 1


def test_body_without_images_is_returned_without_a_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert enrich_body_images("<p>Just &amp; text</p>") == "<p>Just &amp; text</p>"
        assert enrich_body_images("") == ""


def test_a_figure_that_already_credits_is_not_credited_twice():
    image = new_image()
    html = (
        f'<figure class="image"><img src="{image.original_url}" alt="a">'
        "<figcaption>Boats. Credit: Dana Levi/Reuters</figcaption></figure>"
    )
    assert enrich_body_images(html).count("Credit:") == 1


def test_body_text_stays_escaped():
    image = new_image()
    html = f'<p>5 &lt; 6 &amp; "q"</p><img src="{image.original_url}" alt="&quot;x&quot;">'
    out = enrich_body_images(html)
    assert '<p>5 &lt; 6 &amp; "q"</p>' in out
    assert 'alt="&quot;x&quot;"' in out
