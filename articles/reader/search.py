"""Reader search: PostgreSQL full-text search, a plain substring match elsewhere.

On PostgreSQL every article has one weighted vector: title (A) > standfirst (B) > body (C),
each indexed twice, once with English stemming ("elections" finds "election") and once with
the 'simple' configuration, which keeps words of any script as they are (Hebrew, Arabic).
The vector is a stored generated column with a GIN index (migration 0006): matching and
ranking read it, nothing is recomputed per row. Snippets (``ts_headline``) are the only
per-row text work left; PostgreSQL evaluates such costly select-list functions after the
sort and LIMIT, so only the shown page of results pays for them.

Hebrew attaches one-letter prefixes to words (ו ה ב ל מ ש כ: "and", "the", "in", "to",
"from", "that", "as"). Without a dictionary we cannot know whether a leading letter is a
prefix, so both sides are widened: the index also holds each Hebrew word without up to three
leading prefix letters (keeping at least three letters: ``jtvc_hebrew_forms`` in the
migration), and a query word is also searched in its shortest such form. "בירושלים" then finds
"ירושלים" and the reverse; an exact match still ranks higher, as it matches both forms.
"""

import re

from django.db import connection
from django.db.models import F, Func, Q, TextField, Value

from jtvc.text import clean_text

MAX_QUERY_LENGTH = 200
# Private-use characters: never in a query or an article, untouched by HTML escaping.
MARK_START, MARK_STOP = "\ue000", "\ue001"
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]+")

HEBREW_PREFIXES = frozenset("והבלמשכ")
_HEBREW_WORD_RE = re.compile(r"[\u05d0-\u05ea]{4,}")


def clean_query(raw):
    """The query as searched: control characters dropped, spaces collapsed, capped.

    Bidi overrides and zero-width characters go too (``jtvc.text``): echoed in the search
    box and the page title, an override would reverse the page around it.
    """
    text = clean_text(_CONTROL_RE.sub(" ", raw or ""), name=True)
    return text[:MAX_QUERY_LENGTH].strip()


def uses_full_text():
    return connection.vendor == "postgresql"


def hebrew_base(word):
    """*word* without up to three leading prefix letters, at least three letters kept.

    Mirrors ``jtvc_hebrew_forms`` (migration 0006), whose last form for a word is this one.
    """
    stripped = 0
    while stripped < 3 and len(word) > 3 and word[0] in HEBREW_PREFIXES:
        word = word[1:]
        stripped += 1
    return word


def without_hebrew_prefixes(text):
    """*text* with every Hebrew word reduced to its base form (other words untouched)."""
    return _HEBREW_WORD_RE.sub(lambda m: hebrew_base(m.group()), text)


def stored_vector():
    """The generated ``search_vector`` column (PostgreSQL only; not a model field)."""
    from django.contrib.postgres.search import SearchVectorField
    from django.db.models.expressions import RawSQL

    return RawSQL('"articles_article"."search_vector"', (), output_field=SearchVectorField())


def search_articles(queryset, text):
    """*queryset* narrowed to matches for *text*, best first, each with a ``snippet``."""
    if not uses_full_text():
        # A plain fallback: every word (Hebrew ones without their prefixes) somewhere.
        matches = queryset
        for word in without_hebrew_prefixes(text).split():
            matches = matches.filter(
                Q(title__icontains=word) | Q(dek__icontains=word) | Q(body__icontains=word)
            )
        return matches.annotate(snippet=F("dek")).order_by("-published_at", "-id")

    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank

    query = SearchQuery(text, config="english", search_type="websearch") | SearchQuery(
        text, config="simple", search_type="websearch"
    )
    base = without_hebrew_prefixes(text)
    if base != text:
        query |= SearchQuery(base, config="simple", search_type="websearch")
    vector = stored_vector()
    plain_body = Func(
        F("body"),
        Value("<[^>]+>"),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )
    return (
        queryset.annotate(search=vector)
        .filter(search=query)
        .annotate(
            rank=SearchRank(vector, query),
            # Computed after ORDER BY ... LIMIT: for the shown page only (see the docstring).
            snippet=SearchHeadline(
                plain_body,
                query,
                # English parses Hebrew words unchanged, so both kinds of match are marked.
                config="english",
                start_sel=MARK_START,
                stop_sel=MARK_STOP,
                max_words=35,
                min_words=15,
            ),
        )
        .order_by("-rank", "-published_at", "-id")
    )
