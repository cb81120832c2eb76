import pytest

from articles.embeds import parse_status_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://x.com/jtvc_news/status/1790000000000000001",
            ("jtvc_news", "1790000000000000001"),
        ),
        ("https://twitter.com/Someone/status/12345?s=20", ("Someone", "12345")),
        ("http://mobile.twitter.com/a_b/statuses/99/photo/1", ("a_b", "99")),
        ("https://www.x.com/x/status/1", ("x", "1")),
    ],
)
def test_status_urls_are_recognised(url, expected):
    assert parse_status_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://x.com/jtvc_news",
        "https://evil.example/x.com/a/status/1",
        "https://x.com.evil.example/a/status/1",
        "javascript:alert(1)//x.com/a/status/1",
        "https://x.com/name_that_is_far_too_long/status/1",
        "",
        None,
    ],
)
def test_other_addresses_are_not(url):
    assert parse_status_url(url) is None
