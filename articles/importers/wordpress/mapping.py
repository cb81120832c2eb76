"""One import of a WordPress export: survey first, then people, pictures, content, addresses.

The **survey** reads the whole file once (streaming) before anything is written: a file that
is not well-formed is refused with its line and column and the database is untouched. It keeps
only small things: people, terms, attachment metadata, and each item's id, type and address.

The **write** reads the file a second time and converts items one by one, in batches of
``BATCH`` per transaction (each item in its own savepoint, so one bad post is reported and
the rest go on). Pictures go through ``media_app.services.import_image`` — the image
library's single way in — before the posts, outside any transaction (that function is atomic
on its own and cleans up its files), on ``workers`` threads.

Every WordPress object is recorded in ``ImportedItem`` with a fingerprint of what was written,
so a second import of the same file writes nothing and says so.
"""

import contextlib
import hashlib
import html
import json
import os
import re
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import SimpleNamespace
from urllib.parse import unquote, urlsplit

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import validate_email
from django.db import close_old_connections, connection, transaction
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from articles import services
from articles.cache import tagged_keys
from articles.embeds import canonical_status_url
from articles.importers.wordpress import wxr
from articles.importers.wordpress.bodies import BodyConverter, split_credit, upload_path
from articles.importers.wordpress.models import ImportedItem, LegacyRedirect
from articles.importers.wordpress.redirects import normalise_path, path_of
from articles.importers.wordpress.report import Report
from articles.models import LANGUAGES, Article, ArticleAuthor, Author, Page, Section, Tweet
from articles.models import unique_slug as make_unique_slug
from jtvc import invalidation
from media_app.models import Image
from media_app.services import import_image

BATCH = 200
PICTURE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif"}
STATUS_MAP = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.PUBLISHED,  # a future date: scheduled
    "draft": Article.Status.DRAFT,
    "auto-draft": Article.Status.DRAFT,
    "pending": Article.Status.IN_REVIEW,
    "private": Article.Status.UNPUBLISHED,
}
CONTENT_TYPES = {"post", "page"}
# Never imported: WordPress's own machinery, not content.
MACHINERY = {
    "nav_menu_item": "a menu entry (menus are built here from sections)",
    "revision": "an earlier revision (the current text is imported)",
    "customize_changeset": "a theme customisation",
    "custom_css": "theme CSS",
    "oembed_cache": "an embed cache entry",
    "wp_global_styles": "theme styles",
    "wp_template": "a theme template",
    "wp_template_part": "a theme template",
    "wp_navigation": "a menu",
    "wp_block": "a reusable block",
}
LANGUAGE_CODES = {code for code, _ in LANGUAGES}


def clean_login(login):
    """Logins arrive with stray characters ('>editor', 'editor>'); keep what WordPress allows."""
    return re.sub(r"[^\w.@ -]", "", (login or "").strip()).strip()


def nicename(login):
    return slugify(login.replace(".", "-").replace("@", "-"), allow_unicode=True)


def _fingerprint(data):
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _truncate(text, limit):
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _plain(text):
    return re.sub(r"\s+", " ", html.unescape(strip_tags(text or ""))).strip()


@dataclass
class Attachment:
    wp_id: str
    title: str
    slug: str
    link: str
    url: str
    rel: str  # path under uploads, lower-cased, size suffix removed
    file_rel: str  # path under uploads as exported
    alt: str
    caption: str
    description: str
    credit: str
    credit_url: str
    organisation: str
    parent: str
    guid: str
    image_id: int | None = None
    problem: str = ""


@dataclass
class Survey:
    channel: wxr.Channel = None
    authors: dict = field(default_factory=dict)  # clean login → wxr.Author
    categories: dict = field(default_factory=dict)  # slug → Term
    category_ids: dict = field(default_factory=dict)  # term id → slug
    tags: dict = field(default_factory=dict)  # slug → Term
    coauthor_terms: dict = field(default_factory=dict)  # slug → Term (Co-Authors Plus)
    other_terms: Counter = field(default_factory=Counter)  # taxonomy → count
    attachments: dict = field(default_factory=dict)  # wp id → Attachment
    guest_authors: dict = field(default_factory=dict)  # cap login or slug → dict
    items: dict = field(default_factory=dict)  # wp id → (post_type, slug, link)
    post_types: Counter = field(default_factory=Counter)
    permalink_samples: list = field(default_factory=list)
    total_items: int = 0


class Importer:
    def __init__(
        self,
        path,
        *,
        media_dir=None,
        dry_run=False,
        progress=None,
        workers=2,
        user=None,
        media_named=None,
    ):
        self.path = str(path)
        self.media_dir = str(media_dir) if media_dir else None
        # How the report names where pictures are looked for, in the words of the caller:
        # (where, when none was given). The command line's by default; the admin's upload
        # form says "the uploads archive" (its unpacked folder means nothing to the reader).
        self.media_named = media_named or (
            f"under {self.media_dir}",
            "no --media-dir given",
        )
        self.dry_run = dry_run
        self.progress = progress or (lambda phase, done, total: None)
        self.workers = max(1, int(workers))
        self.user = user
        self.report = Report(dry_run=dry_run)

    # ------------------------------------------------------------------ survey

    def survey(self):
        s = Survey()
        for kind, rec in wxr.read(self.path):
            if kind == "channel":
                s.channel = rec
            elif kind == "author":
                login = clean_login(rec.login)
                if login:
                    s.authors.setdefault(login, rec)
            elif kind == "category":
                if rec.slug:
                    s.categories.setdefault(unquote(rec.slug), rec)
                    s.category_ids[rec.wp_id] = unquote(rec.slug)
            elif kind == "tag":
                if rec.slug:
                    s.tags.setdefault(unquote(rec.slug), rec)
            elif kind == "term":
                slug = unquote(rec.slug)
                if rec.taxonomy == "category" and slug:
                    s.categories.setdefault(slug, rec)
                    s.category_ids[rec.wp_id] = slug
                elif rec.taxonomy == "post_tag" and slug:
                    s.tags.setdefault(slug, rec)
                elif rec.taxonomy == "author" and slug:
                    s.coauthor_terms.setdefault(slug, rec)
                elif rec.taxonomy not in ("nav_menu",):
                    s.other_terms[rec.taxonomy or "(unnamed)"] += 1
            elif kind == "item":
                s.total_items += 1
                s.post_types[rec.post_type] += 1
                slug = unquote(rec.post_name)
                s.items[rec.wp_id] = (rec.post_type, slug, rec.link)
                if rec.post_type == "attachment":
                    s.attachments[rec.wp_id] = self._attachment(rec)
                elif rec.post_type == "guest-author":
                    info = self._guest(rec)
                    for key in info["keys"]:
                        s.guest_authors.setdefault(key, info)
                elif (
                    rec.post_type == "post"
                    and rec.status == "publish"
                    and rec.link
                    and len(s.permalink_samples) < 200
                ):
                    s.permalink_samples.append(
                        (rec.link, slug, wxr.parse_date(rec.post_date), rec.wp_id)
                    )
                for domain, nice, label in rec.terms:
                    if domain == "author" and nice:
                        s.coauthor_terms.setdefault(
                            unquote(nice), wxr.Term("author", "", unquote(nice), label)
                        )
                    elif domain == "category" and nice and unquote(nice) not in s.categories:
                        s.categories[unquote(nice)] = wxr.Term("category", "", unquote(nice), label)
                    elif domain in ("post_tag", "tag") and nice and unquote(nice) not in s.tags:
                        s.tags[unquote(nice)] = wxr.Term("post_tag", "", unquote(nice), label)
        if s.channel is None:
            s.channel = wxr.Channel()
        return s

    def _attachment(self, rec):
        url = rec.attachment_url or rec.guid
        file_rel = rec.meta_value("_wp_attached_file").strip()
        if not file_rel:
            match = re.search(r"/wp-content/uploads/(?:sites/\d+/)?(.+)$", unquote(url or ""))
            file_rel = match.group(1) if match else ""
        caption, tail_credit = split_credit(_plain(rec.excerpt))
        credit = _plain(rec.meta_value("_media_credit"))
        organisation = _plain(rec.meta_value("_navis_media_credit_org"))
        if not credit:
            credit = tail_credit
        if organisation and organisation not in credit:
            credit = f"{credit}/{organisation}" if credit else organisation
        return Attachment(
            wp_id=rec.wp_id,
            title=_plain(rec.title),
            slug=unquote(rec.post_name),
            link=rec.link,
            url=url,
            rel=upload_path("/wp-content/uploads/" + file_rel) if file_rel else "",
            file_rel=file_rel,
            alt=_plain(rec.meta_value("_wp_attachment_image_alt")),
            caption=caption,
            description=_plain(rec.content),
            credit=credit,
            credit_url=rec.meta_value("_media_credit_url").strip(),
            organisation=organisation,
            parent=rec.parent,
            guid=rec.guid,
        )

    def _guest(self, rec):
        login = clean_login(rec.meta_value("cap-user_login"))
        name = _plain(rec.meta_value("cap-display_name")) or _plain(rec.title) or login
        keys = {k for k in (login, unquote(rec.post_name).removeprefix("cap-")) if k}
        return {
            "wp_id": rec.wp_id,
            "keys": keys,
            "login": login,
            "name": name,
            "email": rec.meta_value("cap-user_email").strip(),
            "bio": _plain(rec.meta_value("cap-description")),
            "website": rec.meta_value("cap-website").strip(),
            "linked_account": clean_login(rec.meta_value("cap-linked_account")),
        }

    # ------------------------------------------------------------------ run

    def run(self):
        self.progress("Reading the export", 0, 0)
        started = time.monotonic()
        self.s = survey = self.survey()
        self.report.info["seconds"] = {"survey": round(time.monotonic() - started, 2)}
        ch = survey.channel
        self.source = (ch.base_site_url or ch.link or "wordpress").rstrip("/")[:200]
        self.report.source = self.source
        self.structure = self._permalink_structure()
        self.report.info.update(
            {
                "site": ch.title,
                "wxr_version": ch.wxr_version,
                "permalink_structure": self.structure,
                "items_in_file": survey.total_items,
            }
        )
        language = (ch.language or "en").split("-")[0].lower()
        self.language = language if language in LANGUAGE_CODES else "en"
        self._redirects = []
        self._types = {
            m: ContentType.objects.get_for_model(m) for m in (Article, Page, Section, Author, Image)
        }
        if self.dry_run:
            with transaction.atomic():
                self._write()
                transaction.set_rollback(True)
        else:
            self._write()
        return self.report

    def _write(self):
        s = self.s
        self._known = {
            (i.kind, i.wp_id): i for i in ImportedItem.objects.filter(source=self.source)
        }
        self._objects = {}
        timings = self.report.info.setdefault("seconds", {})
        started = time.monotonic()

        def lap(name):
            nonlocal started
            now = time.monotonic()
            timings[name] = round(now - started, 2)
            started = now

        with transaction.atomic():
            self._people()
            self._terms_seen()
        lap("people")
        self._pictures()
        lap("pictures")
        self._content()
        lap("posts and pages")
        with transaction.atomic():
            self._term_redirects()
            self._flush_redirects()
        lap("addresses")
        for taxonomy, n in sorted(s.other_terms.items()):
            self.report.note(
                f"{n} term(s) of the taxonomy “{taxonomy}” were not imported (no equivalent here)."
            )

    # ------------------------------------------------------------------ records

    def _record(self, kind, wp_id, obj, *, fingerprint="", guid="", data=None):
        key = (kind, str(wp_id))
        item = self._known.get(key)
        ct = ContentType.objects.get_for_model(obj) if obj is not None else None
        values = {
            "guid": guid[:500],
            "content_type": ct,
            "object_id": str(obj.pk) if obj is not None else "",
            "fingerprint": fingerprint,
            "data": data or {},
        }
        if item is None:
            item = ImportedItem.objects.create(
                source=self.source, kind=kind, wp_id=str(wp_id), **values
            )
            self._known[key] = item
        else:
            for k, v in values.items():
                setattr(item, k, v)
            item.save()
        return item

    def _existing(self, kind, wp_id, model):
        item = self._known.get((kind, str(wp_id)))
        if item is None or not item.object_id:
            return None, item
        cached = self._objects.pop((model, item.object_id), None)
        if cached is not None:
            return cached, item
        obj = model._default_manager.filter(pk=item.object_id).first()
        return obj, item

    def _prefetch(self, kind, model, wp_ids):
        """Load the objects a batch of items became, in one query."""
        pks = [
            self._known[(kind, w)].object_id
            for w in wp_ids
            if (kind, w) in self._known and self._known[(kind, w)].object_id
        ]
        for pk, obj in model._default_manager.in_bulk(pks).items():
            self._objects[(model, str(pk))] = obj

    def _redirect(self, old, obj=None, url=""):
        if not old or old == "/" or old.startswith("/?") and "=" not in old:
            return  # never the home page itself
        self._redirects.append((old[:500], obj, url))

    def _flush_redirects(self):
        rows = {}
        for old, obj, url in self._redirects:
            if old in rows:
                continue
            new_url = url or (
                obj.original_url if isinstance(obj, Image) else obj.get_absolute_url()
            )
            if normalise_path(new_url) == old:
                continue
            rows[old] = LegacyRedirect(
                old_path=old,
                content_type=self._types.get(type(obj)) if obj is not None else None,
                object_id=str(obj.pk) if obj is not None else "",
                target_url=url,
            )
        self._redirects = []
        existing = dict(
            LegacyRedirect.objects.filter(old_path__in=list(rows)).values_list(
                "old_path", "object_id"
            )
        )
        new = [r for old, r in rows.items() if old not in existing]
        changed = [r for old, r in rows.items() if old in existing and existing[old] != r.object_id]
        LegacyRedirect.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
        for r in changed:
            LegacyRedirect.objects.filter(old_path=r.old_path).update(
                content_type=r.content_type, object_id=r.object_id, target_url=r.target_url
            )
        self.report.info["redirects_added"] = self.report.info.get("redirects_added", 0) + len(new)

    # ------------------------------------------------------------------ people

    def _people(self):
        self._authors = {}  # login/key → Author
        for login, rec in self.s.authors.items():
            self.report.seen("people")
            self._author_for_login(login, rec=rec, count=True)

    def _author_for_login(self, login, *, rec=None, count=False):
        """The byline for a WordPress login: from its author record, a guest-author post or
        just the name in dc:creator. Made once; found again on a second run."""
        login = clean_login(login)
        if not login:
            return None
        if login in self._authors:
            return self._authors[login]
        rec = rec or self.s.authors.get(login)
        if rec is not None:
            name = (
                _plain(rec.display_name)
                or " ".join(p for p in (_plain(rec.first_name), _plain(rec.last_name)) if p)
                or login
            )
            email = rec.email.strip()
            wp_id = rec.wp_id or login
        else:
            name, email, wp_id = login, "", login
        author = self._upsert_author(
            kind="author", key=f"login:{login}", name=name, email=email, guest=False, login=login
        )
        self._authors[login] = author
        if rec is None:
            count = True  # known only from dc:creator
            self.report.seen("people")
        if count:
            self.report.outcome("people", self._last_outcome, wp_id=wp_id, title=name)
        return author

    def _guest_author(self, slug, label):
        key = slug.removeprefix("cap-")
        if ("cap", key) in self._authors:
            return self._authors[("cap", key)]
        info = self.s.guest_authors.get(key)
        # Co-Authors Plus names a WordPress user's term "cap-" + their sanitised login.
        login = next(
            (login for login in (key, clean_login(label)) if login in self.s.authors),
            None,
        ) or next((lg for lg in self.s.authors if nicename(lg) == key), None)
        if info is None and login:
            author = self._author_for_login(login)
        elif info is not None and info.get("linked_account") in self.s.authors:
            author = self._author_for_login(info["linked_account"])
        else:
            name = (info or {}).get("name") or _plain(label) or key
            author = self._upsert_author(
                kind="author",
                key=f"cap:{key}",
                name=name,
                email=(info or {}).get("email", ""),
                guest=True,
                bio=(info or {}).get("bio", ""),
                website=(info or {}).get("website", ""),
            )
            if self._last_outcome != "unchanged" or ("cap", key) not in self._authors:
                self.report.seen("people")
                self.report.outcome("people", self._last_outcome, wp_id=key, title=name)
        self._authors[("cap", key)] = author
        return author

    def _upsert_author(self, *, kind, key, name, email, guest, login="", bio="", website=""):
        existing, item = self._existing(kind, key, Author)
        data = {"name": _truncate(name, 120), "email": email, "guest": guest, "bio": bio}
        fp = _fingerprint(data)
        if existing is not None and item.fingerprint == fp:
            self._last_outcome = "unchanged"
            return existing
        author = existing or Author()
        author.name = data["name"]
        author.is_guest = guest
        author.role = author.role or ("Guest contributor" if guest else "")
        if bio and not author.bio:
            author.bio = bio
        if website and not author.website and website.startswith(("http://", "https://")):
            author.website = website[:200]
        try:
            validate_email(email)
            author.email = email
        except ValidationError:
            pass
        if not guest and author.user_id is None and login:
            author.user = self._account(login, email, author.name)
        author.save()
        self._record(kind, key, author, fingerprint=fp)
        self._last_outcome = "updated" if existing else "created"
        return author

    def _account(self, login, email, name):
        """A newsroom account for an imported writer: no usable password, no staff rights.

        An existing account with the same e-mail address is used as it is (never changed).
        """
        User = get_user_model()
        if email:
            found = User.objects.filter(email__iexact=email).first()
            if found is not None:
                if Author.objects.filter(user=found).exists():
                    return None
                return found
        base = re.sub(r"[^\w.@+-]", "-", login)[:140] or "writer"
        username, n = f"wp-{base}", 2
        while User.objects.filter(username=username).exists():
            username, n = f"wp-{base}-{n}", n + 1
        user = User(username=username, email=email if "@" in email else "", is_staff=False)
        parts = name.split(" ", 1)
        user.first_name = parts[0][:150]
        user.last_name = parts[1][:150] if len(parts) > 1 else ""
        user.set_unusable_password()
        user.save()
        return user

    # ------------------------------------------------------------------ sections and tags

    def _terms_seen(self):
        self._sections = {}
        self._tags = {}
        self._tag_outcomes = {}
        self.report.seen("categories", len(self.s.categories))
        self.report.seen("tags", len(self.s.tags))
        self._category_outcomes = {}

    def _category_path(self, slug):
        path, seen = [], set()
        while slug and slug not in seen:
            seen.add(slug)
            path.insert(0, slug)
            term = self.s.categories.get(slug)
            slug = unquote(term.parent) if term is not None else ""
        return path

    def _section(self, slug):
        if slug in self._sections:
            return self._sections[slug]
        term = self.s.categories[slug]
        name = _plain(term.name) or slug
        path = self._category_path(slug)
        existing, item = self._existing("category", slug, Section)
        section = existing or (
            Section.objects.filter(slug=slug).first()
            or Section.objects.filter(name__iexact=name).first()
        )
        outcome = "unchanged"
        if section is None:
            unique_name, n = name[:80], 2
            while Section.objects.filter(name=unique_name).exists():
                parent = self.s.categories.get(path[-2]) if len(path) > 1 else None
                unique_name = (
                    f"{name} ({_plain(parent.name)})"[:80] if parent and n == 2 else f"{name} {n}"
                )
                n += 1
            section = Section(
                name=unique_name,
                slug=make_unique_slug(Section, slug, max_length=80),
                description=_plain(term.description),
            )
            section.save()
            outcome = "created"
        if item is None or item.object_id != str(section.pk):
            self._record(
                "category",
                slug,
                section,
                data={
                    "path": " › ".join(
                        _plain(self.s.categories[p].name) for p in path if p in self.s.categories
                    )
                },
            )
        self._sections[slug] = section
        self._category_outcomes[slug] = ("section", outcome)
        return section

    def _tag(self, slug, name):
        key = slug or slugify(name, allow_unicode=True)
        if key in self._tags:
            return self._tags[key]
        name = _truncate(_plain(name) or key, 100)
        tag = Tag.objects.filter(slug=key).first() or Tag.objects.filter(name__iexact=name).first()
        self._tag_outcomes[key] = "unchanged"
        if tag is None:
            tag = Tag.objects.create(name=name, slug=key[:100])
            self._tag_outcomes[key] = "created"
        self._tags[key] = tag
        return tag

    # ------------------------------------------------------------------ pictures

    def _find_file(self, att):
        if not self.media_dir or not att.file_rel:
            return None
        for base in (self.media_dir, os.path.join(self.media_dir, "uploads")):
            candidate = os.path.normpath(os.path.join(base, att.file_rel))
            if not candidate.startswith(os.path.normpath(self.media_dir)):
                return None  # "../" in an exported path
            if os.path.isfile(candidate):
                return candidate
        return None

    def _pictures(self):
        atts = list(self.s.attachments.values())
        self.report.seen("pictures", len(atts))
        todo = []
        for att in atts:
            ext = os.path.splitext(att.file_rel or att.url)[1].lower()
            existing, item = self._existing("attachment", att.wp_id, Image)
            if ext not in PICTURE_EXTENSIONS:
                att.problem = f"not a picture ({ext or 'no extension'}): not imported"
                self.report.outcome(
                    "pictures", "skipped", wp_id=att.wp_id, title=att.title, why=[att.problem]
                )
                continue
            if existing is not None:
                att.image_id = existing.pk
                self._update_picture(existing, att, item)
                continue
            path = self._find_file(att)
            if path is None:
                found_in, none_given = self.media_named
                where = f" {found_in}" if self.media_dir else f" ({none_given})"
                att.problem = f"file {att.file_rel or att.url} not found{where}"
                self.report.outcome(
                    "pictures", "failed", wp_id=att.wp_id, title=att.title, why=[att.problem]
                )
                continue
            todo.append((att, path))
        if self.dry_run:
            for att, _path in todo:
                att.image_id = -1  # would be imported
                self.report.outcome("pictures", "created", wp_id=att.wp_id, title=att.title)
            return
        total = len(todo)
        self.progress("Importing pictures", 0, total)
        # Threads need their own connections: not inside a transaction, not on an in-memory
        # SQLite database (tests), whose shared cache locks whole tables.
        in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
        workers = 1 if connection.in_atomic_block or in_memory else self.workers
        done = 0
        if workers > 1:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                for att, result in pool.map(self._import_one_threaded, todo):
                    done += 1
                    self._picture_done(att, result)
                    self.progress("Importing pictures", done, total)
        else:
            for entry in todo:
                att, result = self._import_one(entry)
                done += 1
                self._picture_done(att, result)
                self.progress("Importing pictures", done, total)

    def _picture_metadata(self, att):
        alt = att.alt or att.title or os.path.basename(att.file_rel)
        return alt[:300], {
            "title": _truncate(att.title, 200),
            "caption": att.caption,
            "credit": _truncate(att.credit, 200),
            "credit_url": att.credit_url
            if att.credit_url.startswith(("http://", "https://"))
            else "",
            "source": _truncate(att.organisation, 200),
            "alt_text_needs_review": not att.alt,
        }

    def _import_one(self, entry):
        att, path = entry
        alt, meta = self._picture_metadata(att)
        try:
            with open(path, "rb") as fh:
                image = import_image_for_import(
                    File(fh, name=os.path.basename(path)), alt, self.user, meta
                )
            return att, image
        except ValidationError as error:
            return att, error

    def _import_one_threaded(self, entry):
        try:
            return self._import_one(entry)
        finally:
            close_old_connections()
            connection.close()

    def _picture_done(self, att, result):
        if isinstance(result, ValidationError):
            att.problem = "refused by the image library: " + " ".join(result.messages)
            self.report.outcome(
                "pictures", "failed", wp_id=att.wp_id, title=att.title, why=[att.problem]
            )
            return
        att.image_id = result.pk
        why = []
        if not att.alt:
            why.append("no alt text in WordPress: made from the title, marked for review")
        self._record(
            "attachment",
            att.wp_id,
            result,
            guid=att.guid,
            fingerprint=_fingerprint(self._picture_metadata(att)),
            data={"file": att.file_rel, "description": att.description},
        )
        self.report.outcome("pictures", "created", wp_id=att.wp_id, title=att.title, why=why)

    def _update_picture(self, image, att, item):
        alt, meta = self._picture_metadata(att)
        fp = _fingerprint((alt, meta))
        if item.fingerprint == fp:
            self.report.outcome("pictures", "unchanged", wp_id=att.wp_id, title=att.title)
            return
        if not self.dry_run:
            image.alt_text = alt
            for k, v in meta.items():
                setattr(image, k, v)
            image.save()
            item.fingerprint = fp
            item.save(update_fields=["fingerprint"])
        self.report.outcome("pictures", "updated", wp_id=att.wp_id, title=att.title)

    def _image_index(self):
        ids = {a.image_id for a in self.s.attachments.values() if a.image_id and a.image_id > 0}
        images = {i.pk: i for i in Image.objects.filter(pk__in=ids)}
        self._images = images
        self._by_path = {}
        for att in self.s.attachments.values():
            if att.rel:
                self._by_path.setdefault(att.rel, att)

    def resolve_image(self, *, wp_id=None, path=None):
        att = self.s.attachments.get(wp_id) if wp_id else self._by_path.get(path)
        if att is None or not att.image_id:
            return None
        if att.image_id == -1:  # dry run
            return SimpleNamespace(
                url="/media/dry-run.jpg", alt=att.alt or att.title, key=att.wp_id, absolute_url=""
            )
        image = self._images.get(att.image_id)
        if image is None:
            return None
        return SimpleNamespace(
            url=image.original_url, alt=image.alt_text, key=att.wp_id, absolute_url=""
        )

    # ------------------------------------------------------------------ posts and pages

    def _content(self):
        self._image_index()
        self.converter = BodyConverter(self.resolve_image)
        total = self.s.total_items
        done = 0
        self.progress("Importing posts and pages", 0, total)
        batch = []
        for kind, rec in wxr.read(self.path):
            if kind != "item":
                continue
            batch.append(rec)
            if len(batch) >= BATCH:
                self._batch(batch)
                done += len(batch)
                batch = []
                self.progress("Importing posts and pages", done, total)
        if batch:
            self._batch(batch)
            done += len(batch)
        self.progress("Importing posts and pages", done, total)

    def _batch(self, items):
        self._objects = {}
        self._prefetch("post", Article, [r.wp_id for r in items if r.post_type == "post"])
        self._prefetch("page", Page, [r.wp_id for r in items if r.post_type == "page"])
        with transaction.atomic():
            for rec in items:
                self._item(rec)
            self._flush_redirects()

    def _item(self, rec):
        t = rec.post_type
        title = _plain(rec.title)
        if t == "attachment":
            return  # counted with the pictures
        if t == "guest-author":
            return  # counted with the people when a post names them
        if t not in CONTENT_TYPES:
            why = MACHINERY.get(t, f"a “{t}” item (a plugin's own content type): no equivalent")
            self.report.seen("other items")
            self.report.outcome("other items", "skipped", wp_id=rec.wp_id, title=title, why=[why])
            return
        kind = "posts" if t == "post" else "pages"
        self.report.seen(kind)
        if rec.status == "trash":
            self.report.outcome(kind, "skipped", wp_id=rec.wp_id, title=title, why=["in the trash"])
            return
        if rec.status in ("inherit",) or rec.status not in STATUS_MAP:
            self.report.outcome(
                kind, "skipped", wp_id=rec.wp_id, title=title, why=[f"status “{rec.status}”"]
            )
            return
        try:
            with transaction.atomic():
                if t == "post":
                    outcome, why = self._post(rec)
                else:
                    outcome, why = self._page(rec)
        except (ValidationError, ValueError) as error:
            messages = getattr(error, "messages", None) or [str(error)]
            self.report.outcome(kind, "failed", wp_id=rec.wp_id, title=title, why=messages)
            return
        self.report.outcome(kind, outcome, wp_id=rec.wp_id, title=title, why=why)

    def _date(self, rec):
        return (
            wxr.parse_date(rec.post_date_gmt)
            or wxr.parse_date(rec.pub_date)
            or wxr.parse_date(rec.post_date)
        )

    def _convert_body(self, rec, why):
        oembeds = [v for k, v in rec.meta if k.startswith("_oembed_") and "_oembed_time_" not in k]
        result = self.converter.convert(
            rec.content,
            oembed_cache=oembeds,
            attached=[a.wp_id for a in self._attachments_of(rec.wp_id)],
        )
        for name, n in Counter(result.removed_shortcodes).items():
            why.append(f"shortcode [{name}] removed" + (f" ({n}×)" if n > 1 else ""))
        for src in dict.fromkeys(result.missing_images):
            why.append(f"picture not available, left out: {src}")
        for url in dict.fromkeys(result.links):
            why.append(f"embed kept as a link: {url}")
        for key, credit in result.credits.items():
            att = self.s.attachments.get(key)
            if att and not att.credit and att.image_id and att.image_id > 0:
                Image.objects.filter(pk=att.image_id, credit="").update(credit=credit[:200])
                att.credit = credit
        return result

    def _tweets(self, snapshots):
        by_id = {}
        for snap in snapshots:
            if snap.text or snap.tweet_id not in by_id:
                by_id[snap.tweet_id] = snap
        if not by_id:
            return []
        existing = {t.tweet_id: t for t in Tweet.objects.filter(tweet_id__in=list(by_id))}
        for tid, snap in by_id.items():
            tweet = existing.get(tid)
            if tweet is None:
                tweet = Tweet(tweet_id=tid, handle=snap.handle[:15])
            if tweet.text.strip() or not snap.text:
                if tweet.pk is None:
                    tweet.url = canonical_status_url(snap.handle, tid)
                    tweet.save()
                continue
            tweet.text = snap.text
            tweet.handle = tweet.handle or snap.handle[:15]
            tweet.url = tweet.url or canonical_status_url(snap.handle, tid)
            tweet.author_name = tweet.author_name or snap.author_name
            tweet.language = tweet.language or snap.language[:8]
            if snap.posted_on and not tweet.posted_at:
                with contextlib.suppress(ValueError):
                    tweet.posted_at = datetime.strptime(snap.posted_on, "%B %d, %Y").replace(
                        tzinfo=UTC
                    )
            tweet.save()
        return [f"{s.handle}/{tid}" + (" with text" if s.text else "") for tid, s in by_id.items()]

    def _byline(self, rec):
        coauthors = [(nice, label) for d, nice, label in rec.terms if d == "author" and nice]
        authors = []
        if coauthors:
            for nice, label in coauthors:
                author = self._guest_author(unquote(nice), label)
                if author is not None and author not in authors:
                    authors.append(author)
        else:
            for login in rec.creators:
                author = self._author_for_login(login)
                if author is not None and author not in authors:
                    authors.append(author)
        return authors

    def _post(self, rec):
        why = []
        existing, item = self._existing("post", rec.wp_id, Article)
        status = STATUS_MAP[rec.status]
        if rec.password:
            status = Article.Status.UNPUBLISHED
            why.append("password-protected in WordPress: imported unpublished")
        published_at = self._date(rec)
        if status in (Article.Status.DRAFT, Article.Status.IN_REVIEW) and not wxr.parse_date(
            rec.post_date_gmt
        ):
            published_at = None
        if status == Article.Status.PUBLISHED and published_at is None:
            status = Article.Status.DRAFT
            why.append("no date in the export: imported as a draft")
        slug = unquote(rec.post_name)
        title = _truncate(_plain(rec.title), 200) or "(untitled)"
        if len(_plain(rec.title)) > 200:
            why.append("headline shortened to 200 characters")
        body = self._convert_body(rec, why)
        tweets = self._tweets(body.tweets)
        # Sections: the primary category (Yoast's) or the first; the rest become tags.
        categories = [unquote(n) for d, n, _ in rec.terms if d == "category" and n]
        primary = self.s.category_ids.get(rec.meta_value("_yoast_wpseo_primary_category").strip())
        if primary not in categories:
            primary = next((c for c in categories if c != "uncategorized"), None)
        section = self._section(primary) if primary in self.s.categories else None
        tags = []
        for d, nice, label in rec.terms:
            nice = unquote(nice)
            if d in ("post_tag", "tag"):
                tags.append(self._tag(nice, label))
            elif d == "category" and nice != primary and nice != "uncategorized":
                tags.append(self._tag(nice, label))
                self._category_outcomes.setdefault(nice, ("tag", "kept"))
            elif d == "category" and nice == "uncategorized":
                self._category_outcomes.setdefault(nice, ("none", "dropped"))
            elif d not in ("author", "category", "post_tag", "tag", "post_format"):
                why.append(f"term “{label}” of taxonomy “{d}” not kept")
        thumb = rec.meta_value("_thumbnail_id").strip()
        lead = None
        if thumb:
            att = self.s.attachments.get(thumb)
            if att and att.image_id and att.image_id > 0:
                lead = att.image_id
            elif att and att.image_id == -1:
                lead = None
            else:
                why.append(
                    "featured image not imported: "
                    + (
                        att.problem
                        if att and att.problem
                        else f"attachment {thumb} not in the export"
                    )
                )
        authors = self._byline(rec)
        if not authors:
            why.append("no author in the export")
        seo_title = _plain(rec.meta_value("_yoast_wpseo_title"))
        if "%%" in seo_title:
            seo_title = ""
        seo_description = _plain(rec.meta_value("_yoast_wpseo_metadesc"))
        values = {
            "title": title,
            "dek": _plain(rec.excerpt),
            "body": body.html,
            "status": status,
            "published_at": published_at,
            "is_featured": rec.sticky,
            "language": self.language,
            "seo_title": _truncate(seo_title, 70),
            "seo_description": _truncate(seo_description, 160),
            "section_id": section.pk if section else None,
            "lead_image_id": lead,
        }
        fp = _fingerprint(
            {
                **values,
                "slug": slug,
                "authors": [a.pk for a in authors],
                "tags": sorted(t.slug for t in tags),
            }
        )
        outcome = "unchanged"
        if existing is not None and item.fingerprint == fp:
            article = existing
        else:
            article = self._fill(existing or Article(), values, slug, title, why)
            services.save_article(article)
            if existing is not None:  # a new article has no bylines or tags to replace
                ArticleAuthor.objects.filter(article=article).delete()
            ArticleAuthor.objects.bulk_create(
                ArticleAuthor(article=article, author=a, position=i) for i, a in enumerate(authors)
            )
            self._set_tags(article, tags, replace=existing is not None)
            self._record(
                "post",
                rec.wp_id,
                article,
                fingerprint=fp,
                guid=rec.guid,
                data={"tweets": tweets} if tweets else {},
            )
            outcome = "updated" if existing else "created"
        self._post_redirects(rec, article, slug)
        return outcome, why

    @staticmethod
    def _fill(obj, values, slug, title, why):
        """Copy the mapped *values* onto an article or page; a new one keeps WordPress's
        address when it is free here, and gets a fresh one (with a line in the report)
        otherwise."""
        for k, v in values.items():
            setattr(obj, k, v)
        if obj.pk is None:
            model = type(obj)
            if not slug or model.objects.filter(slug=slug).exists():
                if slug:
                    why.append(f"address “{slug}” was taken here: got a new one")
                obj.slug = make_unique_slug(model, slug or title)
            else:
                obj.slug = slug[:200]
        return obj

    def _set_tags(self, article, tags, *, replace):
        """taggit's ``set()`` costs a savepoint and two queries per tag (70 seconds for the
        1,000-post benchmark); two statements do the same for a whole post."""
        ct = self._types[Article]
        if replace:
            TaggedItem.objects.filter(content_type=ct, object_id=article.pk).delete()
        rows = [
            TaggedItem(content_type=ct, object_id=article.pk, tag=t) for t in dict.fromkeys(tags)
        ]
        TaggedItem.objects.bulk_create(rows, ignore_conflicts=True)
        # taggit's manager sends no signal for bulk inserts: tell the caches ourselves.
        invalidation.invalidate(set().union(*(tagged_keys(row) for row in rows)))

    def _page(self, rec):
        why = []
        existing, item = self._existing("page", rec.wp_id, Page)
        slug = unquote(rec.post_name)
        title = _truncate(_plain(rec.title), 200) or "(untitled)"
        body = self._convert_body(rec, why)
        self._tweets(body.tweets)
        if rec.password:
            why.append("password-protected in WordPress: imported unpublished")
        values = {
            "title": title,
            "body": body.html,
            "is_published": rec.status == "publish" and not rec.password,
            "language": self.language,
            "seo_description": _truncate(
                _plain(rec.meta_value("_yoast_wpseo_metadesc")) or _plain(rec.excerpt), 160
            ),
        }
        fp = _fingerprint({**values, "slug": slug})
        outcome = "unchanged"
        if existing is not None and item.fingerprint == fp:
            page = existing
        else:
            page = self._fill(existing or Page(), values, slug, title, why)
            services.save_page(page)
            self._record("page", rec.wp_id, page, fingerprint=fp, guid=rec.guid)
            outcome = "updated" if existing else "created"
        self._redirect(path_of(rec.link), page)
        self._redirect(f"{self._blog_prefix()}/?page_id={rec.wp_id}", page)
        self._redirect(normalise_path(f"{self._blog_prefix()}/{slug}/"), page)
        return outcome, why

    # ------------------------------------------------------------------ addresses

    def _blog_prefix(self):
        base = self.s.channel.base_blog_url or self.s.channel.link or ""
        return urlsplit(base).path.rstrip("/") if base else ""

    def _permalink_structure(self):
        votes = Counter()
        for link, slug, date, wp_id in self.s.permalink_samples:
            path = unquote(urlsplit(link).path)
            query = urlsplit(link).query
            prefix = self._blog_prefix()
            if query.startswith("p="):
                votes["/?p=%post_id%"] += 1
                continue
            if date:
                if path == f"{prefix}/{date:%Y/%m/%d}/{slug}/":
                    votes["/%year%/%monthnum%/%day%/%postname%/"] += 1
                    continue
                if path == f"{prefix}/{date:%Y/%m}/{slug}/":
                    votes["/%year%/%monthnum%/%postname%/"] += 1
                    continue
            if path == f"{prefix}/{slug}/":
                votes["/%postname%/"] += 1
            elif path.endswith(f"/{slug}/"):
                votes[path[len(prefix) : -len(slug) - 1].rstrip("/") + "/%postname%/"] += 1
            elif path.rstrip("/").endswith(f"/{wp_id}"):
                votes[path[len(prefix) : -len(wp_id) - 1].rstrip("/") + "/%post_id%"] += 1
        return votes.most_common(1)[0][0] if votes else "/%postname%/"

    def _apply_structure(self, slug, date, wp_id):
        if "%year%" in self.structure and date is None:
            return None
        out = self.structure
        if "%year%" in out:
            out = (
                out.replace("%year%", f"{date:%Y}")
                .replace("%monthnum%", f"{date:%m}")
                .replace("%day%", f"{date:%d}")
            )
        out = out.replace("%postname%", slug).replace("%post_id%", str(wp_id))
        if out.startswith("/?"):
            return f"{self._blog_prefix()}{out}"
        return normalise_path(self._blog_prefix() + out)

    def _post_redirects(self, rec, article, slug):
        prefix = self._blog_prefix()
        date = wxr.parse_date(rec.post_date)
        self._redirect(path_of(rec.link), article)
        self._redirect(f"{prefix}/?p={rec.wp_id}", article)
        for old in [slug, *(unquote(s) for s in rec.meta_values("_wp_old_slug"))]:
            if not old:
                continue
            self._redirect(self._apply_structure(old, date, rec.wp_id), article)
            self._redirect(normalise_path(f"{prefix}/{old}/"), article)
        # Attachment pages of this post's pictures lead to the post.
        for att in self._attachments_of(rec.wp_id):
            self._redirect(path_of(att.link), article)
            self._redirect(f"{prefix}/?attachment_id={att.wp_id}", article)

    def _attachments_of(self, wp_id):
        if not hasattr(self, "_children"):
            self._children = {}
            for att in self.s.attachments.values():
                self._children.setdefault(att.parent, []).append(att)
        return self._children.get(wp_id, [])

    def _term_redirects(self):
        prefix = self._blog_prefix()
        # Categories: sections for those that became one, tag pages for the rest.
        for slug, term in self.s.categories.items():
            mapped = self._category_outcomes.get(slug)
            path = "/".join(self._category_path(slug))
            if mapped and mapped[0] == "section":
                target, url = self._sections[slug], ""
                self.report.outcome(
                    "categories", mapped[1], wp_id=term.wp_id or slug, title=term.name
                )
            elif slug in self._tags:
                target, url = None, reverse("articles:tag", args=[self._tags[slug].slug])
                self.report.outcome(
                    "categories",
                    self._tag_outcomes.get(slug, "unchanged"),
                    wp_id=term.wp_id or slug,
                    title=term.name,
                    why=["not a post's main category: kept as a tag"],
                )
            else:
                self.report.outcome(
                    "categories",
                    "skipped",
                    wp_id=term.wp_id or slug,
                    title=term.name,
                    why=[
                        "no imported post is filed under it"
                        if slug != "uncategorized"
                        else "WordPress's default category: not a section here"
                    ],
                )
                continue
            for old in {f"{prefix}/category/{path}/", f"{prefix}/category/{slug}/"}:
                self._redirect(normalise_path(old), target, url)
            if term.wp_id:
                self._redirect(f"{prefix}/?cat={term.wp_id}", target, url)
        for slug, term in self.s.tags.items():
            tag = self._tags.get(slug)
            if tag is None:
                self.report.outcome(
                    "tags",
                    "skipped",
                    wp_id=term.wp_id or slug,
                    title=term.name,
                    why=["no imported post carries it"],
                )
                continue
            self.report.outcome(
                "tags", self._tag_outcomes[slug], wp_id=term.wp_id or slug, title=term.name
            )
            url = reverse("articles:tag", args=[tag.slug])
            self._redirect(normalise_path(f"{prefix}/tag/{slug}/"), None, url)
            self._redirect(f"{prefix}/?tag={slug.lower()}", None, url)
        for key, author in self._authors.items():
            if isinstance(key, tuple):
                self._redirect(normalise_path(f"{prefix}/author/{key[1]}/"), author)
                continue
            self._redirect(normalise_path(f"{prefix}/author/{nicename(key)}/"), author)
            rec = self.s.authors.get(key)
            if rec is not None and rec.wp_id:
                self._redirect(f"{prefix}/?author={rec.wp_id}", author)
        # Picture files and their attachment pages.
        for att in self.s.attachments.values():
            if not att.image_id or att.image_id < 0:
                continue
            image = self._images.get(att.image_id)
            if image is None:
                continue
            if att.rel:
                self._redirect(f"/wp-content/uploads/{att.rel}", image)
            if not self._attachments_of_known(att):
                self._redirect(path_of(att.link), image)
                self._redirect(f"{prefix}/?attachment_id={att.wp_id}", image)

    def _attachments_of_known(self, att):
        return att.parent in self.s.items and self.s.items[att.parent][0] == "post"


def import_image_for_import(file, alt, user, meta):
    return import_image(file=file, alt_text=alt, uploaded_by=user, **meta)
