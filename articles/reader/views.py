"""The reader site: function views that fetch, call and render.

What a visitor may see is ``Article.objects.published()``; the article and page views use
``visible_to(request.user)``, which is the same for readers and lets newsroom staff open the
unpublished work they are allowed to (with a banner). The reads themselves are methods of
the QuerySet (articles.models). Each view runs a fixed number of queries whatever the amount
of content (pinned in tests/articles/test_views_queries.py).
"""

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.db.models import F, Window, prefetch_related_objects
from django.db.models.functions import RowNumber
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_safe
from taggit.models import Tag

from articles.embeds import tweet_refs
from articles.models import (
    Article,
    Author,
    Page,
    Section,
    SlugRedirect,
    bylines_prefetch,
    prefetch_bylines,
)
from articles.newsroom.preview import article_id_from_token
from articles.reader import seo
from articles.reader.search import candidate_cap, clean_query, search_articles
from jtvc import edge, pagecache
from jtvc.pagecache import cache_page_for_readers

PER_PAGE = 12
HOME_LATEST = 8
HOME_FEATURED = 4
SECTION_BLOCK = 3
RELATED_COUNT = 4

# The article page may load X's widget after a click: the only place the policy widens.
TWITTER = "https://platform.twitter.com"


def _with_article_widening():
    policy = {key: list(value) for key, value in settings.SECURE_CSP.items()}
    policy["script-src"] = [*policy.get("script-src", []), TWITTER]
    frames = [v for v in policy.get("frame-src", []) if v != "'none'"]
    policy["frame-src"] = [*frames, TWITTER]
    return policy


def cards():
    """Published articles with what a card shows. Lists show readers' content to everyone,
    staff included: unpublished work is reached at its own address, never in a list."""
    return Article.objects.published().for_cards()


def page_number(request):
    """The ``?page=`` asked for; anything but a positive integer (ASCII digits only: "²" and
    "１" pass isdigit()), or too long for int(), is 404."""
    raw = request.GET.get("page", "1")
    if not (raw.isascii() and raw.isdigit()) or raw.startswith("0") or len(raw) > 9:
        raise Http404("No such page.")
    return int(raw)


def _per_page():
    return getattr(settings, "JTVC_PER_PAGE", PER_PAGE)


def remembered_count(key, queryset):
    """How many rows a list has, remembered until any article, byline or tagging changes or a
    scheduled story is due (see ``paginate``)."""
    return pagecache.remember(
        f"count:{key}", queryset.count, timeout=pagecache.page_timeout, depends=("lists",)
    )


def walk_is_shorter(last_shown, matching, total):
    """Whether a page of a list is found sooner by walking the newest articles and testing
    each (about ``last_shown × total / matching`` looked at) than by reading all *matching*
    rows and sorting them. A step of the walk costs less than a read and sort of a row: at
    100,000 posts, on a tag of 2,863, the two met near page 22, where the walk looks at 2.7
    rows per matching one; this walks up to 2. Early pages of a large tag walk; a small tag,
    or a deep page, reads and sorts."""
    return matching > 0 and last_shown * total < 2 * matching * matching


def paginate(request, queryset, per_page=None, *, count_from=None, count_key=None, count=None):
    """The requested page; a page number that is not a positive integer or past the end is 404.

    An empty first page is allowed (a new tag, a section with nothing published yet).
    With *count_from*, the page's rows are read first and ``count_from(rows)`` gives the
    count (0 when there are none): search reads its capped count with the rows, one query.
    With *count_key* (a list's name: "blog", "tag:7"), the count is remembered until any
    article, byline or tagging changes (``lists``) or a scheduled story is due: every page
    of a list shares it, and counting a large archive's index is the list's costliest query
    (13-18 ms at 100,000 posts). With *count*, the caller has already read it so
    (``remembered_count``).
    """
    number = page_number(request)
    per_page = per_page or _per_page()
    paginator = Paginator(queryset, per_page, allow_empty_first_page=True)
    rows = None
    if count is None and count_key is not None:
        count = remembered_count(count_key, queryset)
    if count is not None:
        paginator.count = count  # a cached_property: used instead of counting
    if count_from is not None:
        start = (number - 1) * per_page
        rows = list(queryset[start : start + per_page])
        paginator.count = count_from(rows) if rows else 0  # a cached_property: used instead
    try:
        page = paginator.page(number)
    except EmptyPage as exc:
        raise Http404("No such page.") from exc
    page.object_list = prefetch_bylines(rows if rows is not None else list(page.object_list))
    return page


def _home_choice():
    """What the home page shows, chosen afresh: (lead, featured, latest, section blocks,
    popular tags), the articles with what their cards show and their bylines."""
    # 1: featured stories, in the editors' order
    featured = list(
        cards()
        .filter(is_featured=True)
        .order_by("feature_order", "-published_at")[: HOME_FEATURED + 1]
    )
    # 2: latest stories (enough to fill the list after removing the featured ones)
    latest = list(cards().newest_first()[: HOME_LATEST + len(featured)])
    lead = featured[0] if featured else (latest[0] if latest else None)
    shown = {a.pk for a in featured} | ({lead.pk} if lead else set())
    latest = [a for a in latest if a.pk not in shown][:HOME_LATEST]
    shown |= {a.pk for a in latest}
    # 3: the newest few of every section, minus what is already on the page (one query,
    # a window function numbering each section's articles among the recent ones)
    section_rows = list(
        cards()
        .filter(section__isnull=False, pk__in=Article.objects.published().recent())
        .exclude(pk__in=shown)
        .annotate(
            row=Window(
                RowNumber(),
                partition_by=[F("section_id")],
                order_by=[F("published_at").desc(), F("id").desc()],
            )
        )
        .filter(row__lte=SECTION_BLOCK)
        .order_by("section__order", "section__name", "row")
    )
    blocks = {}
    for article in section_rows:
        blocks.setdefault(article.section, []).append(article)
    featured = [a for a in featured if a is not lead][:HOME_FEATURED]
    # 4: popular tags
    return lead, featured, latest, list(blocks.values()), Article.objects.published().popular_tags()


def _home_articles():
    """The home page's articles and tags. Which stories and tags it shows is remembered
    until any article, byline, tag or author changes (``home``/``lists``; a section or the
    settings start a new generation), or a scheduled story is due; the cards are then read
    by id in one query instead of the four that chose them (two of them the costliest SQL
    of the page: the section blocks' window function and the tag counts)."""
    chosen = []

    def compute():
        chosen.append(_home_choice())
        lead, featured, latest, blocks, tags = chosen[0]
        return {
            "lead": lead.pk if lead else None,
            "featured": [a.pk for a in featured],
            "latest": [a.pk for a in latest],
            "blocks": [[a.pk for a in block] for block in blocks],
            "tags": tags,
        }

    ids = pagecache.remember(
        "home-choice", compute, timeout=pagecache.page_timeout, depends=("home", "lists")
    )
    if chosen:
        return chosen[0]
    wanted = [ids["lead"], *ids["featured"], *ids["latest"], *sum(ids["blocks"], [])]
    # 1: the cards by id (still published: a change since would have been a new choice)
    by_id = cards().in_bulk([pk for pk in wanted if pk is not None])

    def pick(pks):
        return [by_id[pk] for pk in pks if pk in by_id]

    blocks = [block for block in (pick(pks) for pks in ids["blocks"]) if block]
    return by_id.get(ids["lead"]), pick(ids["featured"]), pick(ids["latest"]), blocks, ids["tags"]


@require_safe
@cache_page_for_readers
def home(request):
    lead, featured, latest, blocks, tags = _home_articles()
    # +1: bylines for every card (the lead too: without featured stories it is the newest,
    # which is no longer in ``latest``)
    every = [lead, *featured, *latest, *sum(blocks, [])]
    prefetch_bylines(every)
    edge.add_keys(request, "home", "lists")
    edge.add_cards(request, every)
    return render(
        request,
        "articles/home.html",
        {
            "lead": lead,
            "featured": featured,
            "latest": latest,
            "section_blocks": [(block[0].section, block) for block in blocks],
            "popular_tags": tags,
            "jsonld": [seo.organization(request)],
        },
    )


def _list_page(request, queryset, *, template, context, count_key=None, count=None):
    page = paginate(request, queryset.newest_first(), count_key=count_key, count=count)
    canonical = request.build_absolute_uri(request.path)
    if page.number > 1:
        canonical += f"?page={page.number}"
    context = {**context, "page": page, "articles": page.object_list, "canonical": canonical}
    edge.add_keys(request, "lists")
    edge.add_cards(request, page.object_list)
    context.setdefault("jsonld", [])
    context["jsonld"].append(seo.breadcrumbs(request, context["breadcrumbs"]))
    return render(request, template, context)


@require_safe
@cache_page_for_readers
def article_list(request):
    # 1: count (remembered, see paginate); 2: the page's articles; 3: their bylines
    return _list_page(
        request,
        cards(),
        count_key="blog",
        template="articles/article_list.html",
        context={
            "heading": _("Blog"),
            "breadcrumbs": [(_("Blog"), None)],
            "feed_url": None,
        },
    )


@require_safe
@cache_page_for_readers
def section_detail(request, slug):
    # 1: the section; then as the blog list
    section = get_object_or_404(Section, slug=slug)
    edge.add_keys(request, f"section:{section.pk}")
    return _list_page(
        request,
        cards().filter(section=section),
        count_key=f"section:{section.pk}",
        template="articles/article_list.html",
        context={
            "heading": section.name,
            "kicker": _("Section"),
            "heading_is_content": True,
            "description": section.description,
            "breadcrumbs": [(section.name, None)],
            "feed_url": ("articles:section_feed", section.slug),
            "object": section,
        },
    )


@require_safe
@cache_page_for_readers
def tag_detail(request, slug):
    # 1: the tag; then as the blog list (the counts of the tag and of all articles, which
    # choose how the page is read, are remembered like the blog list's)
    tag = get_object_or_404(Tag, slug=slug)
    edge.add_keys(request, f"tag:{tag.pk}")
    matching = remembered_count(f"tag:{tag.pk}", cards().with_tag(tag))
    total = remembered_count("blog", cards())
    walk = walk_is_shorter(page_number(request) * _per_page(), matching, total)
    return _list_page(
        request,
        cards().with_tag(tag, walk=walk),
        count=matching,
        template="articles/article_list.html",
        context={
            "heading": tag.name,
            "kicker": _("Tag"),
            "heading_is_content": True,
            "breadcrumbs": [(_("Tag: %(name)s") % {"name": tag.name}, None)],
            "feed_url": ("articles:tag_feed", tag.slug),
            "object": tag,
        },
    )


@require_safe
@cache_page_for_readers
def author_detail(request, slug):
    # 1: the author with their photo; then as the blog list
    author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    edge.add_keys(request, f"author:{author.pk}")
    return _list_page(
        request,
        cards().by_author(author),
        count_key=f"author:{author.pk}",
        template="articles/author_detail.html",
        context={
            "heading": author.name,
            "heading_is_content": True,
            "author": author,
            "breadcrumbs": [(author.name, None)],
            "feed_url": ("articles:author_feed", author.slug),
            "jsonld": [seo.person(request, author)],
        },
    )


def related_cards(article):
    """ "You may also like": the ids are worked out once and remembered (until any article
    or this one changes), so a page then reads its cards by id: one plain query instead of
    the two whose SQL (the shared-tags ranking) cost most of the page's query building."""
    found = []

    def compute():
        found.extend(cards().related_to(article, limit=RELATED_COUNT))
        return [a.pk for a in found]

    ids = pagecache.remember(
        f"related:{article.pk}", compute, timeout=3600, depends=("lists", f"article:{article.pk}")
    )
    if not found and ids:
        by_id = cards().in_bulk(ids)
        found = [by_id[pk] for pk in ids if pk in by_id]
    return found


def render_article(request, article, *, preview=False):
    related = related_cards(article)
    # One query for the bylines of the article (with the authors' photos, for the author
    # boxes) and of the related cards.
    prefetch_related_objects([article, *related], bylines_prefetch(photos=True))
    # Other language versions: readers are offered only published ones (+1 query, none
    # when the article has no versions).
    versions = Article.objects.published().language_versions(article)
    hidden = not article.is_published()
    # What the page shows: the article (with its byline, pictures and its tags' names) and
    # the related cards. Not its section or tags as lists: publishing elsewhere in them
    # leaves this page cached (a section's rename purges everything, see articles.cache).
    edge.add_keys(
        request,
        f"article:{article.pk}",
        *(f"author:{b.author_id}" for b in article.bylines.all()),
        *(f"tag-name:{tag.pk}" for tag in article.tags.all()),
        *(f"image:{pk}" for pk in (article.lead_image_id, article.social_image_id) if pk),
        *(f"post:{tweet_id}" for _, tweet_id in tweet_refs(article.body)),
    )
    edge.add_cards(request, related)
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "bylines": list(article.bylines.all()),
            "related": related,
            "versions": versions,
            "unpublished_banner": hidden,
            "noindex": preview or hidden or article.noindex,
            "is_preview": preview,
            "canonical": request.build_absolute_uri(article.get_absolute_url()),
            "jsonld": [
                seo.news_article(request, article, versions=versions),
                seo.breadcrumbs(request, [(_("Blog"), "articles:list"), (article.title, None)]),
            ],
        },
    )


@csp_override(_with_article_widening())
@require_safe
@cache_page_for_readers
def article_detail(request, slug):
    # 1: the article with section and images; 2: tags; 3: corrections; 4: related cards by
    # their remembered ids (first visit: hand-picked, then suggested); 5: the bylines of the
    # article and those cards (+1 for the body's library images, +1 for its posts on X, +1
    # for its other language versions, when it has any)
    visible = Article.objects.visible_to(request.user)
    article = visible.for_page().filter(slug=slug).first()
    if article is None:
        redirect = (
            SlugRedirect.objects.select_related("article")
            .filter(old_slug=slug, article__in=visible)
            .first()
        )
        if redirect is not None:
            return HttpResponsePermanentRedirect(redirect.article.get_absolute_url())
        raise Http404("No article at this address.")
    if not article.is_published():  # newsroom staff, who are never served from the cache
        return never_cache(render_article)(request, article)
    return render_article(request, article)


@csp_override(_with_article_widening())
@never_cache
@require_safe
def preview(request, token):
    # The signed link is the permission: whoever holds it may read that one article.
    article_id = article_id_from_token(token)
    article = Article.objects.for_page().filter(pk=article_id).first() if article_id else None
    if article is None:
        return render(request, "articles/preview_invalid.html", status=410 if article_id else 404)
    return render_article(request, article, preview=True)


def _page(request, slug):
    page = get_object_or_404(Page.objects.visible_to(request.user), slug=slug)
    edge.add_keys(request, f"page:{page.pk}")
    respond = render if page.is_published else never_cache(render)
    return respond(
        request,
        "articles/page_detail.html",
        {
            "page_obj": page,
            "unpublished_banner": not page.is_published,
            "noindex": not page.is_published,
            "breadcrumbs": [(page.title, None)],
            "jsonld": [seo.breadcrumbs(request, [(page.title, None)])],
        },
    )


@require_safe
@cache_page_for_readers
def about(request):
    return _page(request, "about")


@require_safe
@cache_page_for_readers
def page_detail(request, slug):
    return _page(request, slug)


@require_safe
@cache_page_for_readers
def search(request):
    raw = request.GET.get("q", "")
    query = clean_query(raw)
    context = {
        "query": query,
        "too_long": len(raw.strip()) > len(query) and len(raw) > 200,
        "breadcrumbs": [(_("Search"), None)],
        "page": None,
        "articles": [],
    }
    if query:
        # 1: the planner's view of the matches (EXPLAIN, PostgreSQL only); 2: the page of
        # the ranked candidates, with the count of matches (it stops at the cap plus one);
        # 3: their bylines
        cap = candidate_cap()
        results = search_articles(cards(), query)
        page = paginate(request, results, count_from=lambda rows: min(rows[0].found, cap))
        found = page.object_list[0].found if page.object_list else 0
        context.update(page=page, articles=page.object_list, more_than_cap=found > cap, cap=cap)
        edge.add_cards(request, page.object_list)
    elif request.GET.get("page"):
        raise Http404("No such page.")
    # Any publication may change what a search finds.
    edge.add_keys(request, "lists")
    return render(request, "articles/search.html", context)


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        "Disallow: /search/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('articles:sitemap'))}",
        f"Sitemap: {request.build_absolute_uri(reverse('articles:news_sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
