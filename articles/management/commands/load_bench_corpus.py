"""Load the shared benchmark corpus (../shared/bench/gen_corpus.py) as published articles.

The WordPress figures in ../shared/bench/README.md were measured on this corpus, so `make
bench` loads the very same posts: slugs, dates, authors, excerpts (as standfirsts), tags,
the first category as the section, and an 800x450 picture on every third post, drawn from
its spec and stored through the image library's one way in (``import_image``, so it has
its renditions and the page its srcset). Posts already loaded (by slug) are skipped, so a
second run only adds what is missing. Statistics are refreshed at the end.
"""

import io
import json
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem
from tqdm import tqdm

from articles.bulk import refresh_statistics
from articles.models import Article, ArticleAuthor, Author, Page, Section, SiteSettings
from articles.richtext import clean_html

BATCH = 1000
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


class Command(BaseCommand):
    help = "Load a benchmark corpus (JSON Lines from ../shared/bench/gen_corpus.py)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the corpus file (.jsonl)")
        parser.add_argument(
            "--no-images", action="store_true", help="skip the pictures (faster, lighter pages)"
        )

    def handle(self, *args, **options):
        try:
            handle = open(options["path"], encoding="utf-8")  # noqa: SIM115
        except OSError as error:
            raise CommandError(f"Cannot read the corpus: {error}") from None
        from django.db import connection

        if connection.vendor == "postgresql":
            # A bulk load commits often (every picture); not waiting for each flush to disk
            # makes it several times faster, and a crash loses only the last rows, which a
            # second run adds again.
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit TO off")
        with handle:
            first = handle.readline()
            try:
                meta = json.loads(first)
            except json.JSONDecodeError:
                meta = {}
            if meta.get("type") != "meta":
                raise CommandError("Not a benchmark corpus: the first line is not its meta line.")
            with transaction.atomic():
                refs = self.load_meta(meta)
            existing = set(Article.objects.values_list("slug", flat=True))
            progress = tqdm(
                total=meta.get("posts"), desc="Corpus posts", unit="post", file=self.stderr._out
            )
            batch, added, pictures = [], 0, 0
            for line in handle:
                post = json.loads(line)
                progress.update(1)
                if post.get("type") != "post" or post["slug"] in existing:
                    continue
                batch.append(post)
                if len(batch) == BATCH:
                    a, p = self.load_posts(batch, refs, images=not options["no_images"])
                    added, pictures, batch = added + a, pictures + p, []
            if batch:
                a, p = self.load_posts(batch, refs, images=not options["no_images"])
                added, pictures = added + a, pictures + p
            progress.close()
        refresh_statistics()
        self.stdout.write(
            self.style.SUCCESS(f"Corpus loaded: {added} new articles, {pictures} pictures.")
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

    def load_posts(self, posts, refs, *, images):
        from media_app.services import import_image

        pictures = 0
        lead = {}
        if images:
            # One at a time through the image library, outside the posts' transaction
            # (import_image is atomic on its own and cleans its files on failure).
            for post in posts:
                spec = post.get("image")
                if spec:
                    lead[post["slug"]] = import_image(
                        file=ContentFile(draw_picture(spec), name=spec["file"]),
                        alt_text=spec["alt"],
                        credit=CREDIT,
                    )
                    pictures += 1
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
                        published_at=parse_date(post["date"]),
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
        return len(made), pictures
