"""Count the queries each reader page runs, and time them, on whatever database is loaded.

`make bench` prints this beside its wrk figures, so "queries per page stay constant" is
measured on the benchmark's own data (10,000 or 100,000 posts), not only pinned in tests on
a handful of rows. Each address is requested once to warm what is kept between requests
(site settings, the sections menu), then ``--runs`` times more with the page cache off; the
line gives the last run's query count, the time the database took for them (as Django
measured it, round trips included) and the whole request's time, in process.

``--explain`` adds each query of the page with its ``EXPLAIN (ANALYZE, BUFFERS)`` plan,
slowest first: where to look when a page's cost grows with the corpus.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext


class Command(BaseCommand):
    help = "Queries, database time and request time per reader page (page cache off)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="addresses such as / or /blog/?page=2")
        parser.add_argument("--runs", type=int, default=3, help="measured requests per page")
        parser.add_argument(
            "--explain",
            type=int,
            default=0,
            metavar="N",
            help="print the N slowest queries of each page with EXPLAIN ANALYZE",
        )
        parser.add_argument("--host", default="127.0.0.1", help="the Host header to send")

    def handle(self, *args, **options):
        client = Client(HTTP_HOST=options["host"])
        runs = max(1, options["runs"])
        self.stdout.write(f"{'path':<50} {'status':>6} {'queries':>7} {'sql_ms':>8} {'req_ms':>8}")
        with override_settings(JTVC_PAGE_CACHE=False):
            for path in options["paths"]:
                if not path.startswith("/"):
                    raise CommandError(f"{path!r}: give an address on this site, such as /blog/")
                client.get(path)
                best = None
                for _ in range(runs):
                    with CaptureQueriesContext(connection) as captured:
                        started = time.perf_counter()
                        response = client.get(path)
                        elapsed = (time.perf_counter() - started) * 1000
                    sql_ms = sum(float(q["time"]) for q in captured.captured_queries) * 1000
                    if best is None or elapsed < best[0]:
                        best = (elapsed, sql_ms, list(captured.captured_queries))
                elapsed, sql_ms, queries = best
                self.stdout.write(
                    f"{path:<50} {response.status_code:>6} {len(queries):>7} "
                    f"{sql_ms:>8.2f} {elapsed:>8.2f}"
                )
                if options["explain"]:
                    self.explain(queries, options["explain"])

    def explain(self, queries, limit):
        slowest = sorted(queries, key=lambda q: float(q["time"]), reverse=True)[:limit]
        for query in slowest:
            self.stdout.write(f"\n-- {float(query['time']) * 1000:.2f} ms: {query['sql']}")
            if connection.vendor != "postgresql":
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                for (line,) in cursor.fetchall():
                    self.stdout.write(f"   {line}")
        self.stdout.write("")
