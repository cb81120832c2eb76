"""Reader search: PostgreSQL full-text search, a plain substring match elsewhere.

On PostgreSQL every article has one weighted vector: title (A) > standfirst (B) > body (C),
each indexed twice, once with English stemming ("elections" finds "election") and once with
the 'simple' configuration, which keeps words of any script as they are (Hebrew, Arabic).
The same expression is indexed with GIN by migration 0002, so the planner can use it.
"""

import re

from django.db import connection
from django.db.models import F, Func, Q, TextField, Value

from jtvc.text import clean_text

MAX_QUERY_LENGTH = 200
# Private-use characters: never in a query or an article, untouched by HTML escaping.
MARK_START, MARK_STOP = "\ue000", "\ue001"
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]+")

# (field, weight); the migration's index repeats this expression.
WEIGHTED_FIELDS = (("title", "A"), ("dek", "B"), ("body", "C"))
CONFIGS = ("english", "simple")


def clean_query(raw):
    """The query as searched: control characters dropped, spaces collapsed, capped.

    Bidi overrides and zero-width characters go too (``jtvc.text``): echoed in the search
    box and the page title, an override would reverse the page around it.
    """
    text = clean_text(_CONTROL_RE.sub(" ", raw or ""), name=True)
    return text[:MAX_QUERY_LENGTH].strip()


def uses_full_text():
    return connection.vendor == "postgresql"


def search_vector():
    from django.contrib.postgres.search import SearchVector

    vector = None
    for field, weight in WEIGHTED_FIELDS:
        for config in CONFIGS:
            part = SearchVector(field, config=config, weight=weight)
            vector = part if vector is None else vector + part
    return vector


def search_articles(queryset, text):
    """*queryset* narrowed to matches for *text*, best first, each with a ``snippet``."""
    if not uses_full_text():
        matches = queryset.filter(
            Q(title__icontains=text) | Q(dek__icontains=text) | Q(body__icontains=text)
        )
        return matches.annotate(snippet=F("dek")).order_by("-published_at", "-id")

    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank

    query = SearchQuery(text, config="english", search_type="websearch") | SearchQuery(
        text, config="simple", search_type="websearch"
    )
    vector = search_vector()
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
