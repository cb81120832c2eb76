"""Server CPU and queries per reader page, measured in this process: `manage.py profile_pages`.

Each page is requested through Django's own WSGI handler (what gunicorn calls, middleware
and all, without the test client's instrumentation), first ``--warmup`` times, then
``--requests`` times while the process's CPU time (``time.process_time``: this Python
process only, not PostgreSQL's) and wall time are measured. Queries are counted on the last
request with a connection wrapper. Run it with production settings (``DJANGO_DEBUG=0``)
against the benchmark corpus (``manage.py load_bench_corpus``):

    manage.py profile_pages --corpus .bench/corpus-10000-s42.jsonl
    manage.py profile_pages --app-cache              # page-cache hits instead (needs REDIS_URL)
    manage.py profile_pages --only article --profile 25   # cProfile's top 25 for one page
    manage.py profile_pages --after-change   # each page as first drawn after a publication

Without ``--corpus`` the pages are chosen from the data: the median published article, the
most used tag, and the first word of the newest headline. The page cache is off unless
``--app-cache`` (then every measured request is a hit).
"""

import cProfile
import io
import json
import pstats
import statistics
import sys
import time
from contextlib import contextmanager
from urllib.parse import urlsplit

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from taggit.models import Tag

from articles.models import Article
from jtvc import pagecache

PAGES = ("home", "article", "list-page-2", "tag", "search")


def corpus_targets(path):
    try:
        with open(path, encoding="utf-8") as handle:
            targets = json.loads(handle.readline())["targets"]
    except (OSError, ValueError, KeyError) as error:
        raise CommandError(f"Cannot read the corpus's targets from {path}: {error}") from None
    return targets["post_slug"], targets["tag_slug"], targets["search_word"]


def chosen_targets():
    published = Article.objects.published()
    total = published.count()
    if not total:
        raise CommandError("No published articles: load a corpus first (load_bench_corpus).")
    slug = published.newest_first().values_list("slug", flat=True)[total // 2]
    tag = (
        Tag.objects.annotate(n=Count("taggit_taggeditem_items"))
        .order_by("-n", "slug")
        .values_list("slug", flat=True)
        .first()
    )
    title = published.newest_first().values_list("title", flat=True).first()
    word = next((w for w in title.split() if len(w) > 3), title.split()[0])
    return slug, tag or "none", word.strip(".,:;!?\"'").lower()


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@contextmanager
def page_cache(on):
    before = settings.JTVC_PAGE_CACHE
    settings.JTVC_PAGE_CACHE = on
    try:
        yield
    finally:
        settings.JTVC_PAGE_CACHE = before


class Command(BaseCommand):
    help = "Print server CPU ms and queries per request for the five benchmark pages."

    def add_arguments(self, parser):
        parser.add_argument("--corpus", help="take the article, tag and word from this corpus")
        parser.add_argument("--requests", type=int, default=100, help="measured per page")
        parser.add_argument("--warmup", type=int, default=10, help="unmeasured first requests")
        parser.add_argument(
            "--app-cache", action="store_true", help="measure page-cache hits (REDIS_URL)"
        )
        parser.add_argument("--only", choices=PAGES, action="append", help="only these pages")
        parser.add_argument(
            "--profile", type=int, default=0, metavar="N", help="print cProfile's top N"
        )
        parser.add_argument("--host", default="127.0.0.1", help="the Host header sent")
        parser.add_argument(
            "--after-change",
            action="store_true",
            help="before each request, stamp what a publication elsewhere stamps (home, lists):"
            " what a page costs when it is first drawn again after a change",
        )

    def handle(self, *args, **options):
        if settings.DEBUG:
            self.stderr.write("Warning: DJANGO_DEBUG is on; measure with production settings.")
        if options["corpus"]:
            slug, tag, word = corpus_targets(options["corpus"])
        else:
            slug, tag, word = chosen_targets()
        paths = {
            "home": "/",
            "article": f"/blog/{slug}/",
            "list-page-2": "/blog/?page=2",
            "tag": f"/tag/{tag}/",
            "search": f"/search/?q={word}",
        }
        handler = WSGIHandler()
        self.host = options["host"]
        cache_on = options["app_cache"]
        if cache_on and "redis" not in settings.CACHES["default"]["BACKEND"].lower():
            self.stderr.write("Note: the cache is local memory, not Redis (set REDIS_URL).")
        rows = []
        with page_cache(cache_on):
            for name in options["only"] or PAGES:
                rows.append((name, paths[name], *self.measure(handler, paths[name], options)))
        mode = "page-cache hits" if cache_on else "no page cache"
        if options["after_change"]:
            mode += ", each request after a change elsewhere (home, lists stamped)"
        self.stdout.write(
            f"{Article.objects.published().count()} published articles, {connection.vendor}, "
            f"DEBUG={settings.DEBUG}, {mode}, {options['requests']} requests per page "
            f"after {options['warmup']} warm-up"
        )
        self.stdout.write(
            f"{'page':<12} {'cpu_ms/req':>10} {'median_ms':>9} {'wall_ms/req':>11} "
            f"{'queries':>7} {'status':>6} {'bytes':>7}  path"
        )
        for name, path, cpu, median, wall, queries, status, size in rows:
            self.stdout.write(
                f"{name:<12} {cpu:>10.2f} {median:>9.2f} {wall:>11.2f} {queries:>7} "
                f"{status:>6} {size:>7}  {path}"
            )

    def environ(self, path):
        parts = urlsplit(path)
        return {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": parts.path,
            "QUERY_STRING": parts.query,
            "SERVER_NAME": self.host,
            "SERVER_PORT": "80",
            "HTTP_HOST": self.host,
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }

    def request(self, handler, path):
        status = []
        body = b"".join(handler(self.environ(path), lambda s, h, *a: status.append(s)))
        return int(status[0].split()[0]), len(body)

    def measure(self, handler, path, options):
        def change():
            # What publishing, editing or unpublishing another article stamps (outside the
            # time measured): memos that depend on it are stale, cards are not.
            if options["after_change"]:
                pagecache.invalidate_keys({"home", "lists"})

        for _ in range(options["warmup"]):
            change()
            self.request(handler, path)
        counter = QueryCounter()
        change()
        with connection.execute_wrapper(counter):
            status, size = self.request(handler, path)
        per_request, walls = [], []
        for _ in range(options["requests"]):
            change()
            started, wall_started = time.process_time(), time.perf_counter()
            self.request(handler, path)
            per_request.append(time.process_time() - started)
            walls.append(time.perf_counter() - wall_started)
        cpu = sum(per_request) * 1000 / options["requests"]
        wall = sum(walls) * 1000 / options["requests"]
        if options["profile"]:
            profiler = cProfile.Profile(time.process_time)  # CPU, not waiting on the database
            for _ in range(options["requests"]):
                change()
                profiler.enable()
                self.request(handler, path)
                profiler.disable()
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("cumulative").print_stats(options["profile"])
            stats.sort_stats("tottime").print_stats(options["profile"])
            self.stderr.write(f"--- cProfile, {path}, {options['requests']} requests ---")
            self.stderr.write(out.getvalue())
        median = statistics.median(per_request) * 1000
        return cpu, median, wall, counter.count, status, size
