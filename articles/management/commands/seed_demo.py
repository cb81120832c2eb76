"""Demo content for a fresh site: sections, authors, tags, articles in every state, tweets,
the About page, site settings, corrections and one account per newsroom role.

Idempotent: every row has a natural key (slug, username, tweet id); a second run creates only
what is missing and says when nothing was.
"""

import os
import random
import secrets
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem
from tqdm import tqdm

from articles import demo_words as words
from articles import services
from articles.bulk import refresh_statistics
from articles.embeds import canonical_status_url
from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    Correction,
    Page,
    Section,
    SiteSettings,
    Tweet,
)
from articles.richtext import clean_html
from articles.services import ROLE_EDITORS, ROLE_JOURNALISTS, ROLE_SITE_ADMINS
from media_app.demo import import_demo_images

Status = Article.Status
BATCH = 1000
DEMO_ACCOUNTS = [
    ("demo-journalist", ROLE_JOURNALISTS, "Dana", "Levi"),
    ("demo-editor", ROLE_EDITORS, "Eitan", "Golan"),
    ("demo-admin", ROLE_SITE_ADMINS, "Site", "Admin"),
]
CREDENTIALS_FILE = Path(settings.BASE_DIR) / ".demo-credentials"


DEMO_PICTURE_COUNT = 8
DEMO_PICTURE_SIZE = (1600, 900)


def demo_images():
    """The library's demo pictures (made once; the same seeds give the same rows again).

    Called outside seed_demo's transaction: the upload path removes its files itself on
    failure, which it cannot do for a caller's transaction that rolls back later.
    """
    width, height = DEMO_PICTURE_SIZE
    return import_demo_images(DEMO_PICTURE_COUNT, width=width, height=height)


def assign_lead_images(articles, images):
    """Give published demo articles without a lead image one of *images*, round-robin."""
    if not images:
        return 0
    todo = [a for a in articles if a.lead_image_id is None and a.status == Status.PUBLISHED]
    for n, article in enumerate(todo):
        article.lead_image = images[n % len(images)]
    Article.objects.bulk_update(todo, ["lead_image"], batch_size=BATCH)
    return len(todo)


class Command(BaseCommand):
    help = "Load demo content: sections, authors, articles and site settings. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=60, help="How many articles.")
        parser.add_argument("--seed", type=int, default=2021, help="Random seed.")

    def handle(self, *args, **options):
        self.seed = options["seed"]
        self.created = {}
        images = demo_images()
        with transaction.atomic():
            accounts = self.accounts()
            sections = self.sections()
            authors = self.authors(accounts)
            tags = self.tags()
            self.tweets()
            self.about_and_settings()
            articles = self.articles(options["articles"], sections, authors, tags)
            articles += self.bilingual(sections, authors)
            self.corrections(articles)
            images_assigned = assign_lead_images(articles, images)
            if images_assigned:
                self.created["lead images"] = images_assigned
        made = {name: n for name, n in self.created.items() if n}
        if made.get("articles"):
            refresh_statistics()
        if not made:
            self.stdout.write("Demo content is already loaded; nothing changed.")
            return
        summary = ", ".join(f"{n} {name}" for name, n in made.items())
        self.stdout.write(self.style.SUCCESS(f"Demo content loaded: {summary}."))

    def count(self, name, n=1):
        self.created[name] = self.created.get(name, 0) + n

    # --- People -------------------------------------------------------------------------

    def accounts(self):
        User = get_user_model()
        accounts, new_lines = {}, []
        for username, role, first, last in DEMO_ACCOUNTS:
            user = User.objects.filter(username=username).first()
            if user is None:
                password = secrets.token_urlsafe(12)
                user = User.objects.create_user(
                    username=username,
                    password=password,
                    first_name=first,
                    last_name=last,
                    email=f"{username}@example.org",
                    is_staff=True,
                )
                group, _ = Group.objects.get_or_create(name=role)
                user.groups.add(group)
                new_lines.append(f"{role}: {username} / {password}")
                self.count("accounts")
            accounts[role] = user
        if new_lines:
            self.stdout.write("Demo accounts (passwords shown once; kept in .demo-credentials):")
            for line in new_lines:
                self.stdout.write(f"  {line}")
            with open(CREDENTIALS_FILE, "a", encoding="utf-8") as handle:
                handle.write("\n".join(new_lines) + "\n")
            os.chmod(CREDENTIALS_FILE, 0o600)
        return accounts

    def sections(self):
        sections = []
        for order, (name, slug, description) in enumerate(words.SECTIONS):
            section, made = Section.objects.get_or_create(
                slug=slug, defaults={"name": name, "description": description, "order": order}
            )
            self.count("sections", made)
            sections.append(section)
        return sections

    def authors(self, accounts):
        linked = {
            "Dana Levi": accounts[ROLE_JOURNALISTS],
            "Eitan Golan": accounts[ROLE_EDITORS],
        }
        authors = []
        for name, role, bio in words.STAFF:
            user = linked.get(name)
            found = Author.objects.filter(slug=slugify(name)).first()
            if found is None and user is not None:
                found = Author.objects.filter(user=user).first()
            if found is None:
                found = Author.objects.create(
                    name=name, slug=slugify(name), role=role, bio=bio, user=user
                )
                self.count("authors")
            authors.append(found)
        name, role, bio = words.GUEST
        guest, made = Author.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "role": role, "bio": bio, "is_guest": True}
        )
        self.count("authors", made)
        return authors + [guest]

    def tags(self):
        existing = {
            t.slug: t for t in Tag.objects.filter(slug__in=[slugify(n) for n in words.TAGS])
        }
        new = [Tag(name=n, slug=slugify(n)) for n in words.TAGS if slugify(n) not in existing]
        Tag.objects.bulk_create(new)
        self.count("tags", len(new))
        return list(Tag.objects.filter(slug__in=[slugify(n) for n in words.TAGS]).order_by("pk"))

    def tweets(self):
        now = timezone.now()
        for snapshot in (words.TWEET_EN, words.TWEET_HE):
            url = canonical_status_url(snapshot["handle"], snapshot["tweet_id"])
            tweet, made = Tweet.objects.get_or_create(
                tweet_id=snapshot["tweet_id"],
                defaults={**snapshot, "url": url, "posted_at": now - timedelta(days=2)},
            )
            if not made and tweet.needs_text:  # a row created from a body, text still missing
                for field, value in snapshot.items():
                    setattr(tweet, field, value)
                tweet.save()
            self.count("tweets", made)

    def about_and_settings(self):
        _, made = Page.objects.get_or_create(
            slug="about",
            defaults={
                "title": "About JTVC",
                "body": words.ABOUT_BODY,
                "seo_description": "Who we are, what we cover and how we work.",
            },
        )
        self.count("pages", made)
        site, made = SiteSettings.objects.get_or_create(
            pk=1,
            defaults={
                "site_name": "JTVC",
                "tagline": "News from the coast, in two languages",
                "about_blurb": words.ABOUT_BLURB,
                "footer_credit": "Independent journalism since 2021.",
                "founding_year": 2021,
                "x_handle": "jtvc_news",
                "facebook_url": "https://www.facebook.com/jtvc.example",
                "instagram_url": "https://www.instagram.com/jtvc.example",
                "youtube_url": "https://www.youtube.com/@jtvc.example",
                "mastodon_url": "https://mastodon.social/@jtvc",
            },
        )
        if not made and not site.about_blurb:
            site.about_blurb = words.ABOUT_BLURB
            site.save()
            made = True
        self.count("site settings", made)

    # --- Articles -----------------------------------------------------------------------

    def articles(self, how_many, sections, authors, tags):
        """Bulk-create the missing demo articles, their bylines and their tags."""
        plans = [self.plan(n, how_many, sections, authors, tags) for n in range(how_many)]
        existing = set(
            Article.objects.filter(slug__in=[p["article"].slug for p in plans]).values_list(
                "slug", flat=True
            )
        )
        todo = [p for p in plans if p["article"].slug not in existing]
        content_type = ContentType.objects.get_for_model(Article)
        progress = tqdm(
            total=len(todo),
            desc="Demo articles",
            unit="article",
            disable=not todo or how_many < 200,
            file=self.stderr._out,
        )
        for start in range(0, len(todo), BATCH):
            chunk = todo[start : start + BATCH]
            made = Article.objects.bulk_create([p["article"] for p in chunk])
            bylines, tagged = [], []
            for plan, article in zip(chunk, made, strict=True):
                bylines += [
                    ArticleAuthor(article=article, author=a, position=i)
                    for i, a in enumerate(plan["authors"])
                ]
                tagged += [
                    TaggedItem(object_id=article.pk, tag=t, content_type=content_type)
                    for t in plan["tags"]
                ]
            ArticleAuthor.objects.bulk_create(bylines)
            TaggedItem.objects.bulk_create(tagged)
            progress.update(len(chunk))
        progress.close()
        self.count("articles", len(todo))
        return list(Article.objects.filter(slug__in=[p["article"].slug for p in plans]))

    def plan(self, n, how_many, sections, authors, tags):
        """Article number *n*: the same for a given seed, whatever the total."""
        rng = random.Random(self.seed * 1_000_003 + n)
        now = timezone.now()
        if n == 0:
            title = "Harbour lamps shine again after ten dark years"
        else:
            title = (
                f"{rng.choice(words.SUBJECTS)} {rng.choice(words.ACTIONS)} "
                f"{rng.choice(words.OBJECTS)}"
            )
        status, published_at, featured = self.status_for(n, rng, now)
        body = self.body(rng, with_tweets=(n == 0))
        writers = rng.sample(authors[:-1], k=1 if rng.random() < 0.8 else 2)
        if n % 25 == 7:
            writers = [authors[-1]]  # the guest contributor's essays
        section = sections[1] if writers == [authors[-1]] else rng.choice(sections)
        article = Article(
            title=title,
            slug=f"{slugify(title)[:180]}-{n + 1}",
            dek=f"{rng.choice(words.DEK_OPENERS)} {rng.choice(words.DEK_OPENERS)}",
            body=clean_html(body),
            section=section,
            status=status,
            published_at=published_at,
            is_featured=featured,
            feature_order=n if featured else 0,
            language="en",
        )
        return {"article": article, "authors": writers, "tags": rng.sample(tags, k=3)}

    @staticmethod
    def status_for(n, rng, now):
        """Mostly published; some drafts, some in review, a few scheduled; five featured."""
        if n < 5:
            return Status.PUBLISHED, now - timedelta(hours=2 + 7 * n), True
        bucket = n % 20
        if bucket == 3:
            return Status.DRAFT, None, False
        if bucket == 11:
            return Status.IN_REVIEW, None, False
        if bucket == 17:
            return Status.PUBLISHED, now + timedelta(hours=rng.randint(2, 72)), False
        return Status.PUBLISHED, now - timedelta(minutes=rng.randint(60, 60 * 24 * 700)), False

    @staticmethod
    def body(rng, *, with_tweets=False):
        def sentence():
            return (
                f"{rng.choice(words.SENTENCE_STARTS)}, {rng.choice(words.SENTENCE_MIDDLES)}, "
                f"{rng.choice(words.SENTENCE_ENDS)}"
            )

        def paragraph():
            return "<p>" + " ".join(sentence() for _ in range(rng.randint(2, 4))) + "</p>"

        parts = [paragraph(), paragraph()]
        parts.append(
            f"<blockquote><p>“{rng.choice(words.QUOTES)}”</p></blockquote>"
            f"<p>That was how {rng.choice(words.SPEAKERS)} put it.</p>"
        )
        if with_tweets:
            for snapshot in (words.TWEET_EN, words.TWEET_HE):
                url = canonical_status_url(snapshot["handle"], snapshot["tweet_id"])
                parts.append(f'<figure class="media"><oembed url="{url}"></oembed></figure>')
        parts.append(f"<h2>{rng.choice(words.SUBHEADS)}</h2>")
        parts += [paragraph() for _ in range(rng.randint(1, 3))]
        return "".join(parts)

    # --- Hebrew and mixed-language articles -----------------------------------------------

    def bilingual(self, sections, authors):
        """A Hebrew section, author and tags; Hebrew articles (one a translation of the
        first English story) and an English story that quotes Hebrew. A handful of rows,
        saved one by one (so bodies are cleaned and tweets linked); found again by slug."""
        name, slug, description = words.HEBREW_SECTION
        section, made = Section.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "order": 90}
        )
        self.count("sections", made)
        name, slug, role, bio = words.HEBREW_AUTHOR
        writer, made = Author.objects.get_or_create(
            slug=slug, defaults={"name": name, "role": role, "bio": bio}
        )
        self.count("authors", made)
        tags = {}
        for tag_name in words.HEBREW_TAGS:
            tags[tag_name], made = Tag.objects.get_or_create(
                name=tag_name, defaults={"slug": slugify(tag_name, allow_unicode=True)}
            )
            self.count("tags", made)
        tweet_he = canonical_status_url(words.TWEET_HE["handle"], words.TWEET_HE["tweet_id"])
        now = timezone.now()
        plans = [
            {**plan, "language": "he", "section": section, "authors": [writer]}
            for plan in words.HEBREW_ARTICLES
        ]
        plans.append(
            {
                **words.MIXED_ARTICLE,
                "language": "en",
                "section": sections[0],
                "authors": [authors[0], writer],
                "translation_of": None,
            }
        )
        existing = {a.slug: a for a in Article.objects.filter(slug__in=[p["slug"] for p in plans])}
        originals = {
            a.slug: a
            for a in Article.objects.filter(
                slug__in=[p["translation_of"] for p in plans if p["translation_of"]]
            )
        }
        result = []
        for plan in plans:
            article = existing.get(plan["slug"])
            if article is None:
                article = Article(
                    slug=plan["slug"],
                    title=plan["title"],
                    dek=plan["dek"],
                    body=plan["body"].replace(
                        "{tweet_he}",
                        f'<figure class="media"><oembed url="{tweet_he}"></oembed></figure>',
                    ),
                    lead_image_caption=plan["caption"],
                    language=plan["language"],
                    section=plan["section"],
                    status=Status.PUBLISHED,
                    published_at=now - timedelta(hours=plan["hours_ago"]),
                    translation_of=originals.get(plan["translation_of"]),
                )
                services.save_article(article)
                ArticleAuthor.objects.bulk_create(
                    [
                        ArticleAuthor(article=article, author=a, position=i)
                        for i, a in enumerate(plan["authors"])
                    ]
                )
                article.tags.add(*[tags[t] for t in plan["tags"]])
                self.count("articles")
            result.append(article)
        return result

    def corrections(self, articles):
        # The first two demo articles: always published, whatever the total.
        published = sorted(
            (a for a in articles if a.slug.endswith(("-1", "-2")) and a.is_published()),
            key=lambda a: a.slug.endswith("-2"),
        )[:2]
        texts = [
            "An earlier version of this article gave the wrong year for the harbour's closure.",
            "We misspelt the name of the residents' committee chair; it is now correct.",
        ]
        for article, text in zip(published, texts, strict=False):
            _, made = Correction.objects.get_or_create(article=article, text=text)
            self.count("corrections", made)
