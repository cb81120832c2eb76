from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, register_converter

from articles.reader import feeds, sitemaps, views
from jtvc import edge
from jtvc.pagecache import cache_page_for_readers

app_name = "articles"


class SlugText:
    """Like ``str``, minus control characters: PostgreSQL refuses NUL in a query, and no
    slug or token holds one, so "/tag/%00/" is a 404 before it reaches the database."""

    regex = "[^/\x00-\x1f\x7f]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(SlugText, "text")


def feed(feed_class):
    # A new Feed object per request: feeds keep the request on themselves.
    def view(request, *args, **kwargs):
        edge.add_keys(request, "lists")  # every publication changes some feed
        return feed_class()(request, *args, **kwargs)

    return cache_page_for_readers(view)


urlpatterns = [
    path("", views.home, name="home"),
    path("blog/", views.article_list, name="list"),
    path("blog/<text:slug>/", views.article_detail, name="detail"),
    path("section/<text:slug>/", views.section_detail, name="section"),
    path("tag/<text:slug>/", views.tag_detail, name="tag"),
    path("author/<text:slug>/", views.author_detail, name="author"),
    path("about/", views.about, name="about"),
    path("page/<text:slug>/", views.page_detail, name="page"),
    path("search/", views.search, name="search"),
    path("preview/<text:token>/", views.preview, name="preview"),
    path("feed/", feed(feeds.LatestArticlesFeed), name="feed"),
    path(
        "section/<text:slug>/feed/",
        feed(feeds.SectionFeed),
        name="section_feed",
    ),
    path("tag/<text:slug>/feed/", feed(feeds.TagFeed), name="tag_feed"),
    path(
        "author/<text:slug>/feed/",
        feed(feeds.AuthorFeed),
        name="author_feed",
    ),
    path(
        "sitemap.xml",
        cache_page_for_readers(sitemaps.with_keys(sitemap_views.sitemap)),
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap",
    ),
    path("news-sitemap.xml", sitemaps.news_sitemap, name="news_sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
]
