"""The reader site: function views that fetch, call and render.

Every public read goes through ``Article.objects.published()``. Each view runs a fixed number
of queries whatever the amount of content (pinned in tests/articles/test_views_queries.py):
lists prefetch bylines once for all their cards, and templates never query.
"""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_safe
from taggit.models import Tag, TaggedItem

from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    Page,
    Section,
    SlugRedirect,
)
from articles.newsroom.preview import article_id_from_token
from articles.reader import seo
from articles.reader.search import clean_query, search_articles
from jtvc.pagecache import cache_page_for_readers

PER_PAGE = 12
HOME_LATEST = 8
HOME_FEATURED = 4
SECTION_BLOCK = 3
RELATED_COUNT = 4
RECENT_POOL = 500

# The article page may load X's widget after a click: the only place the policy widens.
TWITTER = "https://platform.twitter.com"


def _with_article_widening():
    from django.conf import settings

    policy = {key: list(value) for key, value in settings.SECURE_CSP.items()}
    policy["script-src"] = [*policy.get("script-src", []), TWITTER]
    frames = [v for v in policy.get("frame-src", []) if v != "'none'"]
    policy["frame-src"] = [*frames, TWITTER]
    return policy


def card_queryset():
    """Published articles with what a card shows (section, lead image) joined in.

    The body is left behind: no card shows it, and it is most of a row's bytes.
    """
    return Article.objects.published().select_related("section", "lead_image").defer("body")


def byline_prefetch():
    return Prefetch(
        "bylines",
        queryset=ArticleAuthor.objects.select_related("author").order_by("position", "id"),
    )


def attach_bylines(articles):
    """One query for the bylines of every card on a page."""
    from django.db.models import prefetch_related_objects

    articles = [a for a in articles if a is not None]
    if articles:
        prefetch_related_objects(articles, byline_prefetch())
    return articles


def paginate(request, queryset, per_page=PER_PAGE):
    """The requested page; a page number that is not a positive integer or past the end is 404.

    An empty first page is allowed (a new tag, a section with nothing published yet).
    """
    raw = request.GET.get("page", "1")
    paginator = Paginator(queryset, per_page, allow_empty_first_page=True)
    try:
        if not raw.isdigit() or raw.startswith("0"):
            raise PageNotAnInteger(raw)
        page = paginator.page(int(raw))
    except (PageNotAnInteger, EmptyPage) as exc:
        raise Http404("No such page.") from exc
    page.object_list = attach_bylines(list(page.object_list))
    return page


@require_safe
@cache_page_for_readers
def home(request):
    # 1: featured stories, in the editors' order
    featured = list(
        card_queryset()
        .filter(is_featured=True)
        .order_by("feature_order", "-published_at")[: HOME_FEATURED + 1]
    )
    # 2: latest stories (enough to fill the list after removing the featured ones)
    latest = list(card_queryset().order_by("-published_at", "-id")[: HOME_LATEST + len(featured)])
    lead = featured[0] if featured else (latest[0] if latest else None)
    shown = {a.pk for a in featured} | ({lead.pk} if lead else set())
    latest = [a for a in latest if a.pk not in shown][:HOME_LATEST]
    shown |= {a.pk for a in latest}
    # 3: the newest few of every section, minus what is already on the page (one query,
    # a window function numbering each section's articles among the recent ones)
    section_rows = list(
        card_queryset()
        .filter(section__isnull=False, pk__in=recent_ids())
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
    # 4: bylines for every card above
    attach_bylines([*featured, *latest, *section_rows])
    # 5: popular tags
    tags = popular_tags()
    return render(
        request,
        "articles/home.html",
        {
            "lead": lead,
            "featured": [a for a in featured if a is not lead][:HOME_FEATURED],
            "latest": latest,
            "section_blocks": list(blocks.items()),
            "popular_tags": tags,
            "jsonld": [seo.organization(request)],
        },
    )


def recent_ids(limit=RECENT_POOL, **filters):
    """A subquery: the newest published articles, the pool home-page blocks draw from.

    Bounds the work of the section blocks and popular tags, whatever the archive's size.
    """
    newest = Article.objects.published().filter(**filters).order_by("-published_at", "-id")
    return newest.values("pk")[:limit]


def popular_tags(limit=20):
    """The tags used most by recent articles."""
    published = recent_ids()
    return list(
        Tag.objects.filter(
            taggit_taggeditem_items__object_id__in=published,
            taggit_taggeditem_items__content_type__model="article",
        )
        .annotate(n=Count("taggit_taggeditem_items"))
        .order_by("-n", "name")[:limit]
    )


def _list_page(request, queryset, *, template, context):
    page = paginate(request, queryset.order_by("-published_at", "-id"))
    canonical = request.build_absolute_uri(request.path)
    if page.number > 1:
        canonical += f"?page={page.number}"
    context = {**context, "page": page, "articles": page.object_list, "canonical": canonical}
    context.setdefault("jsonld", [])
    context["jsonld"].append(seo.breadcrumbs(request, context["breadcrumbs"]))
    return render(request, template, context)


@require_safe
@cache_page_for_readers
def article_list(request):
    # 1: count; 2: the page's articles; 3: their bylines
    return _list_page(
        request,
        card_queryset(),
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
    return _list_page(
        request,
        card_queryset().filter(section=section),
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
    # 1: the tag; then as the blog list
    tag = get_object_or_404(Tag, slug=slug)
    return _list_page(
        request,
        card_queryset().filter(tags__slug=tag.slug),
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
    return _list_page(
        request,
        card_queryset().filter(bylines__author=author),
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


def article_queryset():
    # has_translations rides along in the first query, so an article without other language
    # versions costs nothing more.
    translations = Article.objects.filter(translation_of=OuterRef("pk"))
    return (
        Article.objects.select_related("section", "lead_image", "social_image")
        .annotate(has_translations=Exists(translations))
        .prefetch_related(
            Prefetch(
                "bylines",
                queryset=ArticleAuthor.objects.select_related("author", "author__photo").order_by(
                    "position", "id"
                ),
            ),
            "tags",
            "corrections",
        )
    )


def other_versions(article):
    """The article's published versions in other languages (original and translations)."""
    if not (article.translation_of_id or getattr(article, "has_translations", True)):
        return []
    return list(
        Article.objects.published()
        .other_versions(article)
        .only("slug", "title", "language", "translation_of_id")
    )


def related_articles(article):
    """ "You may also like": hand-picked first, then by shared tags and section, newest first."""
    picked = list(
        card_queryset()
        .filter(
            pk__in=article.related.through.objects.filter(from_article=article).values("to_article")
        )
        .exclude(pk=article.pk)
        .order_by("-published_at")[:RELATED_COUNT]
    )
    tag_ids = [t.pk for t in article.tags.all()]
    # Candidates: articles sharing a tag, and the section's newest (a bounded pool, so the
    # ranking below stays cheap on a large archive).
    tagged = TaggedItem.objects.filter(
        tag_id__in=tag_ids, content_type__app_label="articles", content_type__model="article"
    )
    alike = Q(pk__in=tagged.values("object_id"))
    if article.section_id:
        alike |= Q(pk__in=recent_ids(limit=100, section_id=article.section_id))
    # Only recent stories are suggested: news readers want what is current, and it keeps the
    # ranking to a fixed pool however large the archive grows.
    alike &= Q(pk__in=recent_ids())
    shared = (
        tagged.filter(object_id=OuterRef("pk"))
        .values("object_id")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    similar = (
        card_queryset()
        .exclude(pk__in=[article.pk, *[a.pk for a in picked]])
        .filter(alike)
        .annotate(shared=Coalesce(Subquery(shared), 0))
        .order_by("-shared", "-published_at", "-id")
    )
    more = list(similar[:RELATED_COUNT])
    return (picked + more)[:RELATED_COUNT]


def render_article(request, article, *, preview=False):
    related = related_articles(article)
    attach_bylines(related)
    versions = other_versions(article)
    hidden = not article.is_published()
    response = render(
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
    if hidden:
        response.jtvc_no_cache = True
    return response


@csp_override(_with_article_widening())
@require_safe
@cache_page_for_readers
def article_detail(request, slug):
    # 1: the article with section and images; 2: bylines with authors and photos; 3: tags;
    # 4: corrections; 5: hand-picked related; 6: suggested related; 7: their bylines;
    # (+1 when the body holds posts on X: all of them in one query)
    article = article_queryset().filter(slug=slug).first()
    if article is None:
        redirect = SlugRedirect.objects.select_related("article").filter(old_slug=slug).first()
        if redirect is not None:
            return HttpResponsePermanentRedirect(redirect.article.get_absolute_url())
        raise Http404("No article at this address.")
    if not article.is_published():
        if not (request.user.is_authenticated and request.user.is_staff):
            raise Http404("No article at this address.")
        return never_cache(lambda r: render_article(r, article))(request)
    return render_article(request, article)


@csp_override(_with_article_widening())
@never_cache
@require_safe
def preview(request, token):
    article_id = article_id_from_token(token)
    article = article_queryset().filter(pk=article_id).first() if article_id else None
    if article is None:
        return render(request, "articles/preview_invalid.html", status=410 if article_id else 404)
    return render_article(request, article, preview=True)


def _page(request, slug):
    page = get_object_or_404(Page, slug=slug, is_published=True)
    return render(
        request,
        "articles/page_detail.html",
        {
            "page_obj": page,
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
        # 1: count of matches; 2: the page of matches, ranked; 3: their bylines
        page = paginate(request, search_articles(card_queryset(), query))
        context.update(page=page, articles=page.object_list)
    elif request.GET.get("page"):
        raise Http404("No such page.")
    return render(request, "articles/search.html", context)


@require_safe
def robots_txt(request):
    from django.http import HttpResponse
    from django.urls import reverse

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
