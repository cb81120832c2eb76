"""sitemap.xml and the Google News sitemap. Only indexable, published content."""

from datetime import timedelta
from functools import wraps

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from taggit.models import Tag

from articles.context_processors import load_site
from articles.models import Article, Author, Page, Section
from jtvc import edge
from jtvc.pagecache import cache_page_for_readers

NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000


class ArticleSitemap(Sitemap):
    """Every indexable article; one with versions in other languages lists them all as
    ``xhtml:link rel="alternate" hreflang`` (itself included, as search engines ask)."""

    changefreq = "weekly"

    def items(self):
        return (
            Article.objects.indexable()
            .only("slug", "published_at", "updated_at", "language", "translation_of_id")
            .order_by("-published_at", "-id")
        )

    def lastmod(self, item):
        return item.updated_at or item.published_at

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        # One query for the page: every indexable article that is an original with
        # translations or a translation, grouped by original.
        groups = {}
        linked = (
            Article.objects.indexable()
            .filter(Q(translation_of__isnull=False) | Q(translations__isnull=False))
            .distinct()
            .only("slug", "language", "translation_of_id")
        )
        for article in linked:
            groups.setdefault(article.translation_of_id or article.pk, []).append(article)
        for info in urls:
            item = info["item"]
            group = groups.get(item.translation_of_id or item.pk, [])
            if len(group) < 2:
                continue
            info["alternates"] = [
                {
                    "location": f"{protocol}://{domain}{a.get_absolute_url()}",
                    "lang_code": a.language,
                }
                for a in sorted(group, key=lambda a: (a.language, a.pk))
            ]
        return urls


class SectionSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return (
            Section.objects.annotate(latest=Max("articles__published_at"))
            .filter(articles__in=Article.objects.indexable())
            .distinct()
            .order_by("order", "name")
        )

    def lastmod(self, item):
        return item.latest


class TagSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        ids = Article.objects.indexable().values("pk")
        return (
            Tag.objects.filter(
                taggit_taggeditem_items__object_id__in=ids,
                taggit_taggeditem_items__content_type__model="article",
            )
            .distinct()
            .order_by("name")
        )

    def location(self, item):
        return reverse("articles:tag", args=[item.slug])


class AuthorSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return (
            Author.objects.filter(bylines__article__in=Article.objects.indexable())
            .distinct()
            .order_by("name")
        )


class PageSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Page.objects.published().order_by("slug")

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
    "pages": PageSitemap,
}


@require_safe
@cache_page_for_readers
def news_sitemap(request):
    """Google News: articles of the last 48 hours, at most 1,000."""
    edge.add_keys(request, "lists")
    since = timezone.now() - NEWS_WINDOW
    articles = (
        Article.objects.indexable()
        .filter(published_at__gte=since)
        .only("title", "slug", "published_at", "language")
        .order_by("-published_at", "-id")[:NEWS_LIMIT]
    )
    return render(
        request,
        "articles/news_sitemap.xml",
        {"articles": articles, "publication": load_site(request)["settings"].site_name},
        content_type="application/xml; charset=utf-8",
    )


def with_keys(view):
    """*view* (Django's sitemap view), its answer named by the ``lists`` surrogate key."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        edge.add_keys(request, "lists")
        return view(request, *args, **kwargs)

    return wrapper
