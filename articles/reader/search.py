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

Only the newest ``JTVC_SEARCH_CANDIDATES`` matches (1,000) are candidates: they are ranked,
counted and paged, older ones are not shown. A common word matches a fixed share of the
archive, so ranking or counting every match would cost more as the archive grows; a news
reader wants what is current, and a more precise search narrows the matches to fewer than
the cap anyway. The GIN index finds the matches without reading their vectors (see
``candidates`` for the one exception, words in most articles); the newest are picked by
date, and only they are joined back, ranked (reading their vectors) and sorted. The count
stops at the cap plus one, which is enough to say "more than 1,000".
"""

import re

from django.conf import settings
from django.db import connection
from django.db.models import F, Func, IntegerField, Q, TextField, Value
from django.db.models.expressions import RawSQL

from jtvc.text import clean_text

MAX_QUERY_LENGTH = 200
SEARCH_CANDIDATES = 1000  # the default of JTVC_SEARCH_CANDIDATES
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
    """The generated ``search_vector`` column (PostgreSQL only; not a model field).

    A column reference (``Col``), not raw SQL: in a subquery Django renames the table
    ("U0"), and raw SQL naming ``articles_article`` would silently point at the outer
    query's row instead (a correlated subquery run once per article).
    """
    from django.contrib.postgres.search import SearchVectorField
    from django.db.models.expressions import Col

    from articles.models import Article

    column = SearchVectorField()
    column.set_attributes_from_name("search_vector")
    column.model = Article
    return Col(Article._meta.db_table, column)


def candidate_cap():
    """How many of the newest matches are ranked and shown (``JTVC_SEARCH_CANDIDATES``)."""
    return getattr(settings, "JTVC_SEARCH_CANDIDATES", SEARCH_CANDIDATES)


def _search_query(text):
    from django.contrib.postgres.search import SearchQuery

    query = SearchQuery(text, config="english", search_type="websearch") | SearchQuery(
        text, config="simple", search_type="websearch"
    )
    base = without_hebrew_prefixes(text)
    if base != text:
        query |= SearchQuery(base, config="simple", search_type="websearch")
    return query


def matching(queryset, text):
    """*queryset* narrowed to every match for *text*, unordered and unranked."""
    if not uses_full_text():
        # A plain fallback: every word (Hebrew ones without their prefixes) somewhere.
        for word in without_hebrew_prefixes(text).split():
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(dek__icontains=word) | Q(body__icontains=word)
            )
        return queryset
    return queryset.annotate(search=stored_vector()).filter(search=_search_query(text))


def _matches_sql(matches, *fields):
    """SQL and params of *matches* as a common table expression ``m`` (PostgreSQL).

    MATERIALIZED keeps the ORDER BY or LIMIT applied to the matches out of their planning.
    Otherwise PostgreSQL walks the date index newest first, or the table, testing article
    after article, and reads (detoasts, ~10 KB) the vector of every one it passes: 38,000
    of them for "referendum" at 100,000 posts, 270 ms instead of 9. Its cost model does not
    count that reading. Planned on their own, the matches come from the GIN index and only
    their ids and dates are read; rows are still pulled one by one, so a LIMIT above still
    stops the scan early.
    """
    sql, params = matches.order_by().values(*fields).query.sql_with_params()
    return f"WITH m AS MATERIALIZED ({sql})", params


def _scans_the_table(sql, params):
    """Whether PostgreSQL would read every article (and its vector) to run *sql*."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return any("Seq Scan on articles_article" in row[0] for row in cursor.fetchall())


def candidates(queryset, text):
    """The ids of the newest ``candidate_cap()`` matches: a subquery, for ``pk__in``.

    On PostgreSQL this asks the planner first (one EXPLAIN): a word in most articles makes
    it scan the whole table, reading every vector (1 s at 100,000 posts). For such a word
    the newest matches are instead found by walking the date index newest first, testing
    each article: as most match, that reads the vectors of little more than the candidates.
    """
    matches = matching(queryset, text)
    newest = matches.order_by("-published_at", "-id").values("pk")[: candidate_cap()]
    if not uses_full_text():
        return newest
    cte, params = _matches_sql(matches, "pk", "published_at")
    sql = f"{cte} SELECT m.pk FROM m ORDER BY m.published_at DESC, m.pk DESC LIMIT %s"
    params = (*params, candidate_cap())
    if _scans_the_table(sql, params):
        return newest
    return RawSQL(sql, params)


def counted_matches(queryset, text):
    """An expression: how many articles match *text*, counted no further than the cap plus
    one (more than ``candidate_cap()`` means "more than the cap"; only the cap are shown).

    A scalar subquery, evaluated once, so the count rides along with the page's rows.
    """
    cap = candidate_cap()
    if not uses_full_text():
        sql, params = matching(queryset, text).order_by().values("pk").query.sql_with_params()
        return RawSQL(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM ({sql}) m LIMIT %s) c",
            (*params, cap + 1),
            output_field=IntegerField(),
        )
    cte, params = _matches_sql(matching(queryset, text), "pk")
    return RawSQL(
        f"{cte} SELECT COUNT(*) FROM (SELECT 1 FROM m LIMIT %s) c",
        (*params, cap + 1),
        output_field=IntegerField(),
    )


def search_articles(queryset, text):
    """The newest ``candidate_cap()`` matches for *text* in *queryset*, best first, each with
    a ``snippet`` and ``found``: the number of matches, at most the cap plus one.

    On PostgreSQL, building it runs one EXPLAIN (see ``candidates``).
    """
    shown = queryset.filter(pk__in=candidates(queryset, text)).annotate(
        found=counted_matches(queryset, text)
    )
    if not uses_full_text():
        return shown.annotate(snippet=F("dek")).order_by("-published_at", "-id")

    from django.contrib.postgres.search import SearchHeadline, SearchRank

    query = _search_query(text)
    vector = stored_vector()
    plain_body = Func(
        F("body"),
        Value("<[^>]+>"),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )
    return shown.annotate(
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
    ).order_by("-rank", "-published_at", "-id")
