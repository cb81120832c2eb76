import pytest

from articles import services
from articles.models import Article, Tweet
from articles.richtext import MAX_HTML_CHARS, MAX_NESTING, RichTextError, clean_html
from tests.factories import make_article, make_page

HOSTILE = [
    "<script>alert(1)</script><p>kept</p>",
    '<p onclick="alert(1)">kept</p>',
    '<p><a href="javascript:alert(1)">kept</a></p>',
    '<p><a href="JaVaScRiPt:alert(1)">kept</a></p>',
    "<svg><script>alert(1)</script></svg><p>kept</p>",
    '<p style="background:url(javascript:alert(1))">kept</p>',
    '<img src="x" onerror="alert(1)"><p>kept</p>',
    '<iframe src="https://evil.example"></iframe><p>kept</p>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph>"
    "</table></mtext></math><p>kept</p>",
    '<p><a href="data:text/html,<script>alert(1)</script>">kept</a></p>',
]


@pytest.mark.parametrize("html", HOSTILE)
def test_hostile_html_is_gone_and_the_text_stays(html):
    cleaned = clean_html(html)
    lowered = cleaned.lower()
    for bad in (
        "<script",
        "onerror",
        "onclick",
        "javascript:",
        "<svg",
        "style=",
        "<iframe",
        "data:",
    ):
        assert bad not in lowered
    assert "kept" in cleaned


def test_allowed_structure_survives():
    html = (
        "<h2>Head</h2><h3>Sub</h3><h4>Minor</h4><p><strong>b</strong> <em>i</em></p>"
        "<ul><li>one</li></ul><ol><li>two</li></ol><blockquote><p>quote</p></blockquote>"
        '<figure class="table"><table><tbody><tr><td colspan="2">cell</td></tr></tbody></table>'
        "</figure>"
    )
    assert clean_html(html) == html


def test_links_keep_safe_schemes_and_get_rel():
    cleaned = clean_html(
        '<p><a href="https://example.org/a">web</a> <a href="mailto:desk@example.org">mail</a>'
        ' <a href="/relative">rel</a></p>'
    )
    assert 'href="https://example.org/a"' in cleaned
    assert 'href="mailto:desk@example.org"' in cleaned
    assert 'href="/relative"' not in cleaned
    assert cleaned.count('rel="noopener noreferrer nofollow"') == 3


def test_images_only_from_our_own_media(settings):
    settings.MEDIA_URL = "/media/"
    cleaned = clean_html(
        '<img src="/media/images/ab/ab.jpg" alt="ours"><img src="https://evil.example/x.jpg">'
        '<img src="//evil.example/x.jpg"><img src="/media/../secret">'
    )
    assert cleaned == '<img src="/media/images/ab/ab.jpg" alt="ours">'


def test_h1_and_unknown_tags_are_unwrapped():
    assert clean_html("<h1>Big</h1><div><span>text</span></div>") == "Bigtext"


def test_media_embed_is_kept_and_bare_tweet_url_becomes_embed():
    embed = (
        '<figure class="media"><oembed url="https://www.youtube.com/watch?v=abc"></oembed></figure>'
    )
    assert clean_html(embed) == embed
    cleaned = clean_html("<p>https://twitter.com/jtvc_news/status/123?s=20</p>")
    assert cleaned == (
        '<figure class="media"><oembed url="https://x.com/jtvc_news/status/123"></oembed></figure>'
    )
    linked = '<p><a href="https://x.com/a/status/9">https://x.com/a/status/9</a></p>'
    assert 'oembed url="https://x.com/a/status/9"' in clean_html(linked)


def test_embed_with_a_script_address_is_dropped():
    assert (
        clean_html('<figure class="media"><oembed url="javascript:alert(1)"></oembed></figure>')
        == ""
    )


def test_size_is_capped_before_cleaning():
    with pytest.raises(RichTextError) as error:
        clean_html("<p>" + "a" * MAX_HTML_CHARS + "</p>")
    assert "too long" in str(error.value)


def test_nesting_is_capped_before_cleaning():
    with pytest.raises(RichTextError) as error:
        clean_html("<blockquote>" * (MAX_NESTING + 1) + "x")
    assert "nested too deeply" in str(error.value)


@pytest.mark.django_db
def test_saving_an_article_cleans_the_body():
    article = make_article(body='<p onclick="x()">Hello<script>bad()</script></p>')
    article.refresh_from_db()
    assert article.body == "<p>Hello</p>"


@pytest.mark.django_db
def test_saving_a_page_cleans_the_body():
    page = make_page(body='<p><a href="javascript:x()">About</a></p>')
    page.refresh_from_db()
    assert "javascript" not in page.body


@pytest.mark.django_db
def test_saving_creates_missing_tweet_rows_once():
    body = (
        "<p>https://x.com/jtvc_news/status/1111</p>"
        '<figure class="media"><oembed url="https://twitter.com/other/status/2222"></oembed></figure>'
    )
    article = make_article(body=body)
    assert set(Tweet.objects.values_list("tweet_id", "handle")) == {
        ("1111", "jtvc_news"),
        ("2222", "other"),
    }
    services.save_article(article)
    assert Tweet.objects.count() == 2
    assert all(t.needs_text for t in Tweet.objects.all())
    assert Article.objects.get(pk=article.pk).body.count("<oembed") == 2
