"""Post HTML → article HTML, without the database: the resolver is a plain function."""

from types import SimpleNamespace

import pytest

from articles.importers.wordpress.bodies import BodyConverter, split_credit, upload_path, wpautop

PICTURES = {"7": "/media/images/aa/" + "a" * 64 + ".jpg"}


def resolve(*, wp_id=None, path=None):
    if wp_id == "7" or path == "2022/05/gulls.jpg":
        return SimpleNamespace(url=PICTURES["7"], alt="Gulls on a roof", key="7", absolute_url="")
    return None


def convert(html, **kwargs):
    return BodyConverter(resolve).convert(html, **kwargs)


@pytest.mark.parametrize(
    "url",
    [
        "https://old.example/wp-content/uploads/2022/05/gulls.jpg",
        "https://old.example/wp-content/uploads/2022/05/gulls-300x200.jpg",
        "https://old.example/wp-content/uploads/2022/05/gulls-1024x683.jpg?resize=1",
        "https://old.example/wp-content/uploads/2022/05/gulls-scaled.jpg",
        "https://old.example/wp-content/uploads/sites/3/2022/05/Gulls-150x150.jpg",
    ],
)
def test_every_size_variant_maps_to_the_original(url):
    assert upload_path(url) == "2022/05/gulls.jpg"
    result = convert(f'<p>Look: <img src="{url}" alt=""></p>')
    assert f'<img src="{PICTURES["7"]}" alt="Gulls on a roof">' in result.html


def test_wpautop_makes_paragraphs_and_line_breaks_but_leaves_blocks():
    assert wpautop("One\ntwo\n\nThree") == "<p>One<br>\ntwo</p>\n<p>Three</p>"
    assert wpautop("<h2>Title</h2>\n\nText") == "<h2>Title</h2>\n<p>Text</p>"


def test_caption_credit_is_split_from_the_caption():
    assert split_credit("Gulls at noon. Photo: Ann Lee/Sea Desk") == (
        "Gulls at noon.",
        "Ann Lee/Sea Desk",
    )
    assert split_credit("Gulls (Credit: Ann Lee)") == ("Gulls", "Ann Lee")
    assert split_credit("No credit here") == ("No credit here", "")


def test_caption_shortcode_with_attribute_caption_and_unknown_picture():
    result = convert(
        '[caption id="attachment_7" caption="Gulls at noon"]<img class="wp-image-7" '
        'src="https://old.example/wp-content/uploads/2022/05/gulls.jpg">[/caption]'
        '<img src="https://old.example/wp-content/uploads/2020/01/gone.jpg">'
    )
    assert result.html.startswith('<figure class="image"><img src="/media/images/aa/')
    assert "<figcaption>Gulls at noon</figcaption>" in result.html
    assert "gone.jpg" not in result.html
    assert result.missing_images == ["https://old.example/wp-content/uploads/2020/01/gone.jpg"]


def test_shortcodes_are_removed_but_bracketed_words_stay():
    result = convert("He said [sic] it was fine. [pullquote]Keep this[/pullquote] [poll id=3]")
    assert "[sic]" in result.html
    assert "Keep this" in result.html and "[pullquote]" not in result.html
    assert "[poll" not in result.html
    assert result.removed_shortcodes == ["pullquote", "poll"]


def test_gallery_without_ids_shows_the_posts_pictures():
    result = convert("[gallery columns=3]", attached=["7"])
    assert result.html.count('<figure class="image">') == 1


def test_embeds_become_tweets_or_links_and_scripts_go():
    result = convert(
        "[embed]https://twitter.com/gullwatch/status/42[/embed]\n\n"
        "https://vimeo.com/12345\n\n"
        '<script>alert("x")</script><iframe src="https://evil.example/"></iframe>'
    )
    assert '<oembed url="https://x.com/gullwatch/status/42">' in result.html
    assert '<a href="https://vimeo.com/12345"' in result.html
    assert "script" not in result.html and "iframe" not in result.html
    assert [(t.handle, t.tweet_id) for t in result.tweets] == [("gullwatch", "42")]


def test_classic_blocks_stand_alone_and_headings_fit_our_levels():
    result = convert("<strong>Lead</strong>\n<h1>Big</h1>\nText\nmore\n<h6>Small</h6>")
    assert result.html == (
        "<p><strong>Lead</strong></p>\n<h2>Big</h2>\n<p>Text<br>\nmore</p>\n<h4>Small</h4>"
    )
