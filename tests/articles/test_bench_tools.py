"""The benchmark's own tools: the corpus loader and the per-page query counter.

They print figures rather than assert speed; these tests check that they load what they
say and count what a page runs.
"""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test.utils import CaptureQueriesContext

from articles.management.commands.load_bench_corpus import wants_picture
from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db

# The shared folder sits beside the checkout (../shared), as for `make bench`.
SHARED = Path(os.environ.get("JTVC_SHARED") or Path(__file__).resolve().parents[3] / "shared")
GEN = SHARED / "bench" / "gen_corpus.py"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    if not GEN.exists():
        pytest.skip(f"no {GEN} (the shared benchmark folder)")
    path = tmp_path_factory.mktemp("corpus") / "corpus-30.jsonl"
    subprocess.run(
        [sys.executable, str(GEN), "--posts", "30", "--seed", "7", "--out", str(path)],
        check=True,
        capture_output=True,
    )
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return path, lines[0], lines[1:]


def test_a_fraction_of_the_pictures_keeps_the_newest_posts_and_the_target(corpus):
    path, meta, posts = corpus
    out = io.StringIO()
    call_command("load_bench_corpus", str(path), images=0.2, recent_images=6, stdout=out)

    pictured = set(Article.objects.filter(lead_image__isnull=False).values_list("slug", flat=True))
    newest = {p["slug"] for p in posts[-6:] if p["image"]}
    sampled = {p["slug"] for p in posts[:-6] if p["image"] and wants_picture(p["slug"], 0.2)}
    target = meta["targets"]["post_slug"]
    assert newest and newest <= pictured
    assert pictured == newest | sampled | {target}
    assert Article.objects.published().count() == 30
    report = out.getvalue()
    assert "rows: 30 articles, 30 bylines" in report
    assert f"Corpus loaded: 30 new articles, {len(pictured)} pictures" in report

    # A second run adds nothing: the posts are found by slug.
    again = io.StringIO()
    call_command("load_bench_corpus", str(path), no_images=True, stdout=again)
    assert "Corpus loaded: 0 new articles, 0 pictures" in again.getvalue()


def test_the_picture_sample_is_stable_and_about_the_fraction_asked():
    slugs = [f"post-{i}" for i in range(4000)]
    chosen = [s for s in slugs if wants_picture(s, 0.1)]
    assert chosen == [s for s in slugs if wants_picture(s, 0.1)]
    assert 300 < len(chosen) < 500
    assert all(wants_picture(s, 1) for s in slugs[:10])
    assert not any(wants_picture(s, 0) for s in slugs)


def test_a_fraction_outside_zero_to_one_is_refused_with_a_message(corpus):
    path, _, _ = corpus
    with pytest.raises(CommandError, match="give a fraction from 0"):
        call_command("load_bench_corpus", str(path), "--images", "2")
    assert not Article.objects.exists()


def test_the_query_counter_reports_what_the_page_runs(client, settings):
    from django.db import connection

    settings.JTVC_PAGE_CACHE = False  # the counter turns the page cache off itself
    for n in range(3):
        make_article(title=f"Story {n}")
    client.get("/blog/")  # warm what is kept between requests (site settings, menu)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/blog/").status_code == 200
    expected = len(captured.captured_queries)
    settings.JTVC_PAGE_CACHE = True
    out = io.StringIO()
    call_command("bench_queries", "/blog/", "/no-such-page/", runs=1, host="testserver", stdout=out)
    lines = out.getvalue().splitlines()
    blog = lines[1].split()
    missing = lines[2].split()
    assert blog[:3] == ["/blog/", "200", str(expected)]
    assert missing[:2] == ["/no-such-page/", "404"]


def test_the_query_counter_wants_addresses_on_the_site():
    with pytest.raises(CommandError, match="give an address on this site"):
        call_command("bench_queries", "http://example.com/", stdout=io.StringIO())


def test_a_corpus_running_into_the_future_is_moved_back_so_every_post_is_published(
    corpus, tmp_path
):
    path, meta, posts = corpus
    future = tmp_path / "future.jsonl"
    lines = [json.dumps(meta)]
    for post in posts:
        year = int(post["date"][:4]) + 40
        lines.append(json.dumps({**post, "date": f"{year}{post['date'][4:]}"}))
    future.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = io.StringIO()
    call_command("load_bench_corpus", str(future), no_images=True, stdout=out)

    assert "every date moves back" in out.getvalue()
    assert Article.objects.published().count() == 30
    dates = list(Article.objects.order_by("pk").values_list("published_at", flat=True))
    assert dates == sorted(dates)
    assert Article.objects.get(slug=meta["targets"]["post_slug"]).is_published()


def test_profile_pages_counts_what_a_page_costs_after_a_change(settings):
    """``--after-change`` draws each page as it is first drawn after a publication: the home
    page chooses its stories again."""
    settings.JTVC_PAGE_CACHE = False
    for n in range(3):
        make_article(title=f"Story number {n} about harbours", tags=["harbours"])

    def home_queries(*flags):
        from django.core.signals import request_finished, request_started
        from django.db import close_old_connections

        out = io.StringIO()
        # As Django's test client does: a request's start and end must not close the test's
        # connection (and its transaction).
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            call_command(
                "profile_pages", "--only", "home", "--requests", "2", "--warmup", "1",
                "--host", "testserver", *flags, stdout=out,
            )  # fmt: skip
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        row = next(line for line in out.getvalue().splitlines() if line.startswith("home "))
        return int(row.split()[4]), out.getvalue()

    reused, _ = home_queries()
    fresh, text = home_queries("--after-change")
    assert "after a change elsewhere" in text
    # The choice's four queries and when the next scheduled story is due, instead of reading
    # the chosen cards by id
    assert fresh == reused - 1 + 4 + 1
