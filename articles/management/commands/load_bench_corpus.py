"""Load the shared benchmark corpus (../shared/bench/gen_corpus.py) as published articles.

The WordPress figures in ../shared/bench/README.md were measured on this corpus, so `make
bench` loads the very same posts: slugs, dates, authors, excerpts (as standfirsts), tags,
the first category as the section, and an 800x450 picture on every third post, drawn from
its spec and stored through the image library's one way in (``import_image``, so it has
its renditions and the page its srcset). Posts already loaded (by slug) are skipped, so a
second run only adds what is missing.

Made for 100,000 posts: the file is read line by line and written in batches of
``--batch`` posts (one transaction and three bulk inserts each), so memory stays flat
whatever the corpus size. The search vector is a generated column, filled by the inserts
themselves; at the end ``VACUUM ANALYZE`` gives the planner statistics and the visibility
map (a search right after a bulk load without statistics took 5-9 s). ``--images`` takes a
fraction: the pictures are most of the load time (0.3-1 s each, with their renditions), so
``--images 0.1`` draws a tenth of them, picked by slug (the same posts every run), plus
every picture of the newest ``--recent-images`` posts (the last lines of the file: the
corpus is in date order) and the target post's, so the pages measured (home, list page 2,
the tag, the post and its cards) show the same pictures as with all of them.

The generator spaces posts about three hours apart from January 2021, so beyond about
16,000 posts the newest are dated in the future, and the site would schedule them (at
100,000, 83% of the posts and the target post): then every date is moved back by the same
amount, so the newest post is an hour old and order and spacing stay as in the file. The
timings
(rows per second for the posts, their bylines and tags, the pictures and the statistics)
are printed at the end.
"""

import io
import json
import multiprocessing
import time
import zlib
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem
from tqdm import tqdm

from articles.bulk import READER_TABLES, refresh_statistics
from articles.models import Article, ArticleAuthor, Author, Page, Section, SiteSettings
from articles.richtext import clean_html

BATCH = 1000
# The command in the parent process, inherited by the worker processes (fork): they run its
# load_posts on the batches the parent sends them.
_loader = None


def _start_worker():
    connections.close_all()  # never share the parent's socket
    _speed_up(connection)


def _load_in_worker(posts):
    return _loader.load_posts(posts)


def _speed_up(conn):
    if conn.vendor == "postgresql":
        # A bulk load commits often (every picture); not waiting for each flush to disk
        # makes it several times faster, and a crash loses only the last rows, which a
        # second run adds again.
        with conn.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")


def wants_picture(slug, fraction):
    """Whether a post's picture is drawn when only *fraction* of them are (stable per slug)."""
    if fraction >= 1:
        return True
    return zlib.crc32(slug.encode()) % 10_000 < fraction * 10_000


def fraction(text):
    try:
        value = float(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 1:
        from argparse import ArgumentTypeError

        raise ArgumentTypeError(f"{text!r}: give a fraction from 0 (none) to 1 (every picture)")
    return value


CREDIT = "The Daily Bench (generated)"


def draw_picture(spec):
    """The JPEG bytes of a corpus image spec: a vertical gradient and filled rectangles."""
    from PIL import Image as PILImage
    from PIL import ImageDraw

    width, height = spec["width"], spec["height"]
    picture = PILImage.new("RGB", (width, height))
    draw = ImageDraw.Draw(picture)
    top, bottom = spec["top"], spec["bottom"]
    for y in range(height):
        f = y / max(1, height - 1)
        draw.line(
            [(0, y), (width - 1, y)],
            fill=tuple(round(a + (b - a) * f) for a, b in zip(top, bottom, strict=True)),
        )
    for x, y, w, h, r, g, b in spec["rects"]:
        draw.rectangle([x, y, x + w - 1, y + h - 1], fill=(r, g, b))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85)
    return out.getvalue()


def parse_date(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def newest_date(handle):
    """The last post's date (the corpus is in date order), read from the end of the file."""
    start = handle.tell()
    handle.seek(0, io.SEEK_END)
    end = handle.tell()
    handle.buffer.seek(max(start, end - 200_000))
    tail = handle.buffer.read().decode("utf-8", "replace").strip().splitlines()
    handle.seek(start)
    try:
        return parse_date(json.loads(tail[-1])["date"])
    except (IndexError, KeyError, ValueError):
        return None


class Command(BaseCommand):
    help = "Load a benchmark corpus (JSON Lines from ../shared/bench/gen_corpus.py)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the corpus file (.jsonl)")
        parser.add_argument(
            "--no-images", action="store_true", help="skip the pictures (same as --images 0)"
        )
        parser.add_argument(
            "--images",
            type=fraction,
            default=1.0,
            help="the fraction of the corpus's pictures to draw (0-1; default 1, all of them)",
        )
        parser.add_argument(
            "--recent-images",
            type=int,
            default=1000,
            help="with a fraction under 1, the newest posts that still get every picture",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            help="worker processes writing batches side by side (PostgreSQL; each has its own "
            "connection: computing the search vector is most of an insert's cost)",
        )
        parser.add_argument(
            "--batch", type=int, default=BATCH, help=f"posts per transaction (default {BATCH})"
        )

    def handle(self, *args, **options):
        try:
            handle = open(options["path"], encoding="utf-8")  # noqa: SIM115
        except OSError as error:
            raise CommandError(f"Cannot read the corpus: {error}") from None
        _speed_up(connection)
        with handle:
            first = handle.readline()
            try:
                meta = json.loads(first)
            except json.JSONDecodeError:
                meta = {}
            if meta.get("type") != "meta":
                raise CommandError("Not a benchmark corpus: the first line is not its meta line.")
            with transaction.atomic():
                self.refs = self.load_meta(meta)
            self.images = 0.0 if options["no_images"] else options["images"]
            self.always = {(meta.get("targets") or {}).get("post_slug")}
            # Posts from this line on are the newest ones (the corpus is in date order).
            self.recent_from = (meta.get("posts") or 0) - options["recent_images"]
            self.line = 0
            self.shift = timedelta(0)
            newest = newest_date(handle)
            now = timezone.now().replace(minute=0, second=0, microsecond=0)
            if newest and newest > now - timedelta(hours=1):
                self.shift = newest - (now - timedelta(hours=1))
                self.stdout.write(
                    f"The newest posts are dated up to {newest:%Y-%m-%d}: every date moves "
                    f"back {self.shift.days:,} days so that none is in the future."
                )
            self.timing = {"pictures": 0.0, "rows": 0.0}
            self.counts = {"articles": 0, "bylines": 0, "tags": 0, "pictures": 0}
            size = max(1, options["batch"])
            started = time.monotonic()
            # Only the slugs are held (about 60 bytes each, 6 MB at 100,000), not the rows.
            existing = set(Article.objects.values_list("slug", flat=True).iterator())
            progress = tqdm(
                total=meta.get("posts"), desc="Corpus posts", unit="post", file=self.stderr._out
            )
            self.start_workers(options["jobs"])
            batch = []
            for line in handle:
                post = json.loads(line)
                progress.update(1)
                post["recent"] = self.line >= self.recent_from
                self.line += 1
                if post.get("type") != "post" or post["slug"] in existing:
                    continue
                batch.append(post)
                if len(batch) == size:
                    self.send(batch)
                    batch = []
            if batch:
                self.send(batch)
            self.finish_workers()
            progress.close()
        loaded = time.monotonic()
        refresh_statistics()
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # The visibility map, so the first reads after a load can use index-only scans.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE " + ", ".join(READER_TABLES))
        finished = time.monotonic()
        self.report(started, loaded, finished)

    def start_workers(self, jobs):
        global _loader
        self.pool, self.pending = None, set()
        if jobs <= 1 or connection.vendor != "postgresql":
            return
        _loader = self
        connections.close_all()
        self.pool = ProcessPoolExecutor(
            jobs, mp_context=multiprocessing.get_context("fork"), initializer=_start_worker
        )
        self.jobs = jobs

    def send(self, posts):
        if self.pool is None:
            self.add(self.load_posts(posts))
            return
        # At most two batches waiting per worker: memory stays bounded however long the file.
        while len(self.pending) >= 2 * self.jobs:
            done, self.pending = wait(self.pending, return_when=FIRST_COMPLETED)
            for future in done:
                self.add(future.result())
        self.pending.add(self.pool.submit(_load_in_worker, posts))

    def finish_workers(self):
        if self.pool is None:
            return
        for future in self.pending:
            self.add(future.result())
        self.pool.shutdown()

    def add(self, result):
        counts, timing = result
        for key, value in counts.items():
            self.counts[key] += value
        for key, value in timing.items():
            self.timing[key] += value

    def report(self, started, loaded, finished):
        counts, timing = self.counts, self.timing
        rows = counts["articles"] + counts["bylines"] + counts["tags"]

        def per_second(n, seconds):
            return f"{n / seconds:,.0f}/s" if seconds > 0 else "-"

        self.stdout.write(
            f"rows: {counts['articles']:,} articles, {counts['bylines']:,} bylines, "
            f"{counts['tags']:,} tags in {timing['rows']:.1f} s of writing "
            f"({per_second(counts['articles'], timing['rows'])} articles, "
            f"{per_second(rows, timing['rows'])} rows)"
        )
        self.stdout.write(
            f"pictures: {counts['pictures']:,} in {timing['pictures']:.1f} s "
            f"({per_second(counts['pictures'], timing['pictures'])})"
        )
        self.stdout.write(f"statistics (ANALYZE, VACUUM): {finished - loaded:.1f} s")
        self.stdout.write(
            self.style.SUCCESS(
                f"Corpus loaded: {counts['articles']} new articles, {counts['pictures']} "
                f"pictures in {finished - started:.1f} s "
                f"({per_second(counts['articles'], finished - started)} articles overall)."
            )
        )

    def load_meta(self, meta):
        site = SiteSettings.load()
        site.site_name = meta["site"]["title"][:80]
        site.tagline = meta["site"]["tagline"][:160]
        site.save()
        authors = {}
        for person in meta["authors"]:
            author, _ = Author.objects.get_or_create(
                slug=slugify(person["display_name"]),
                defaults={"name": person["display_name"], "email": person["email"]},
            )
            authors[person["username"]] = author
        sections = {}
        for order, category in enumerate(meta["categories"]):
            section, _ = Section.objects.get_or_create(
                slug=category["slug"], defaults={"name": category["name"], "order": order}
            )
            sections[category["slug"]] = section
        tags = {}
        for tag in meta["tags"]:
            tags[tag["slug"]], _ = Tag.objects.get_or_create(
                slug=tag["slug"], defaults={"name": tag["name"]}
            )
        for page in meta.get("pages", []):
            Page.objects.get_or_create(
                slug=page["slug"], defaults={"title": page["title"], "body": page["content"]}
            )
        return {"authors": authors, "sections": sections, "tags": tags}

    def picture_wanted(self, post):
        if post["recent"] or post["slug"] in self.always:
            return True
        return wants_picture(post["slug"], self.images)

    def load_posts(self, posts):
        """Write one batch; return what was written and the time it took (pictures, rows)."""
        from media_app.services import import_image

        refs = self.refs
        counts = {"articles": 0, "bylines": 0, "tags": 0, "pictures": 0}
        timing = {}
        lead = {}
        clock = time.monotonic()
        # One at a time through the image library, outside the posts' transaction
        # (import_image is atomic on its own and cleans its files on failure).
        for post in posts:
            spec = post.get("image")
            if spec and self.images > 0 and self.picture_wanted(post):
                lead[post["slug"]] = import_image(
                    file=ContentFile(draw_picture(spec), name=spec["file"]),
                    alt_text=spec["alt"],
                    credit=CREDIT,
                )
                counts["pictures"] += 1
        now = time.monotonic()
        timing["pictures"] = now - clock
        clock = now
        kind = ContentType.objects.get_for_model(Article)
        with transaction.atomic():
            made = Article.objects.bulk_create(
                [
                    Article(
                        title=post["title"][:200],
                        slug=post["slug"],
                        dek=post["excerpt"][:400],
                        body=clean_html(post["content"]),  # save() is bypassed
                        section=refs["sections"].get((post["categories"] or [None])[0]),
                        status=Article.Status.PUBLISHED,
                        published_at=parse_date(post["date"]) - self.shift,
                        language="en",
                        lead_image=lead.get(post["slug"]),
                    )
                    for post in posts
                ]
            )
            bylines, tagged = [], []
            for post, article in zip(posts, made, strict=True):
                author = refs["authors"].get(post["author"])
                if author:
                    bylines.append(ArticleAuthor(article=article, author=author, position=0))
                tagged += [
                    TaggedItem(object_id=article.pk, tag=refs["tags"][slug], content_type=kind)
                    for slug in post["tags"]
                    if slug in refs["tags"]
                ]
            ArticleAuthor.objects.bulk_create(bylines)
            TaggedItem.objects.bulk_create(tagged)
        timing["rows"] = time.monotonic() - clock
        counts["articles"] = len(made)
        counts["bylines"] = len(bylines)
        counts["tags"] = len(tagged)
        return counts, timing
