"""The real exports in ../shared/wxr/ (written by others): each imports, and the report
accounts for every item in the file."""

import gzip
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from articles.models import Article, Author, Page
from tests.articles.wordpress.conftest import SHARED_WXR

pytestmark = pytest.mark.django_db

EXPORTS = [
    "themeunittestdata.wordpress.xml",
    "small-export.xml",
    "valid-wxr-1.0.xml",
    "valid-wxr-1.1.xml",
    "wxr-comprehensive.xml",
    "wxr-utf-8-challenges.xml",
    "authors-multiline.xml",
    "has-yoast-meta.xml",
]


def shared(name):
    path = SHARED_WXR / name
    if not path.exists():
        pytest.skip(f"{path} is not here (CI clones shared/ beside the project)")
    return path


def items_in(text):
    return {
        kind: len(
            re.findall(rf"<wp:post_type>(?:<!\[CDATA\[)?{kind}(?:\]\]>)?</wp:post_type>", text)
        )
        for kind in ("post", "page", "attachment")
    }


def accounted(counts):
    for kind, c in counts.items():
        outcomes = c["created"] + c["updated"] + c["unchanged"] + c["skipped"] + c["failed"]
        assert c["in"] == outcomes, (kind, c)


@pytest.mark.parametrize("name", EXPORTS)
def test_shared_export_imports_and_accounts_for_every_item(name, run_import):
    path = shared(name)
    report = run_import(path)
    counts = report["counts"]
    accounted(counts)
    expected = items_in(path.read_text(encoding="utf-8"))
    item_count = len(re.findall(r"<item>", path.read_text(encoding="utf-8")))
    assert counts.get("posts", {}).get("in", 0) == expected["post"]
    assert counts.get("pages", {}).get("in", 0) == expected["page"]
    assert counts.get("pictures", {}).get("in", 0) == expected["attachment"]
    listed_items = sum(
        counts[k]["in"] for k in ("posts", "pages", "pictures", "other items") if k in counts
    )
    assert report["items_in_file"] == item_count
    # Guest-author profiles are counted with the people, everything else above.
    assert listed_items <= item_count
    assert Article.objects.count() + Page.objects.count() == (
        counts.get("posts", {}).get("created", 0) + counts.get("pages", {}).get("created", 0)
    )
    # Every item not converted, or only partly, is listed with its id and a reason.
    for entry in report["items"]:
        assert entry["wp_id"] and entry["why"], entry
    again = run_import(path)
    assert again["changed"] is False, [
        (k, c) for k, c in again["counts"].items() if c["created"] or c["updated"]
    ]


def test_theme_unit_test_data_keeps_its_difficult_cases(run_import):
    report = run_import(shared("themeunittestdata.wordpress.xml"))
    assert report["counts"]["other items"]["skipped"] == 70  # menu entries
    draft = Article.objects.filter(status="draft")
    assert draft.exists()
    assert Article.objects.scheduled().exists()
    assert Article.objects.filter(is_featured=True).exists()
    # dc:creator values with stray characters are one person, not three.
    assert Author.objects.filter(name__icontains="themereviewteam").count() <= 1
    # No shortcode survives as literal text.
    for body in Article.objects.values_list("body", flat=True):
        assert "[caption" not in body and "[gallery" not in body and "[/embed]" not in body


def test_shared_malformed_export_is_refused_with_line_and_column():
    with pytest.raises(CommandError, match=r"line 90, column 2"):
        call_command("import_wordpress", str(shared("malformed.xml")), "--no-progress")
    assert Article.objects.count() == 0


def test_the_1000_post_export_imports_once(run_import, tmp_path):
    """WordPress's own exporter, 1,000 posts (without its pictures: make bench-import times
    the whole thing). SQLite only, to keep the suite short."""
    if connection.vendor != "sqlite":
        pytest.skip("run once, on SQLite")
    report = run_import(shared("bench-1000.xml.gz"))
    counts = report["counts"]
    accounted(counts)
    assert counts["posts"]["created"] == 1000
    assert counts["pages"]["created"] == 2
    assert counts["pictures"] == {
        "in": 334,
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
        "failed": 334,
    }
    assert Article.objects.published().count() == 1000
    assert report["permalink_structure"] == "/%postname%/"
    with gzip.open(shared("bench-1000.xml.gz"), "rt") as export:
        assert report["items_in_file"] == export.read().count("<item>")
