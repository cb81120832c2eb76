"""What the reader-facing caches must watch in articles (see jtvc.invalidation).

Each function names the keys a change to one row affects, from the row alone (no query):
``article:<pk>``, ``section:<pk>``, ``author:<pk>``, ``tag:<pk>``, ``page:<pk>``,
``tweet:<pk>``, ``post:<X id>``, ``tag-name:<pk>``; ``home`` (the home page), ``lists``
(every list: blog, section, tag and author pages, feeds, sitemaps) and ``ALL`` for what
every page shows (the menu of sections, the site settings). Registered in
``ArticlesConfig.ready()``.
"""

from taggit.models import Tag, TaggedItem

from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    Correction,
    Page,
    Section,
    SiteSettings,
    SlugRedirect,
    Tweet,
)
from jtvc import invalidation, pagecache
from jtvc.invalidation import ALL


def article_keys(article):
    keys = {f"article:{article.pk}", "home", "lists"}
    if article.section_id:
        keys.add(f"section:{article.section_id}")
    if article.translation_of_id:
        # The original's page links its translations ("Also in Hebrew", hreflang).
        keys.add(f"article:{article.translation_of_id}")
    return keys


def byline_keys(byline):
    return {f"article:{byline.article_id}", f"author:{byline.author_id}", "home", "lists"}


def tagged_keys(item):
    return {f"article:{item.object_id}", f"tag:{item.tag_id}", "home", "lists"}


def related_keys(row):
    return {f"article:{row.from_article_id}"}


def register():
    invalidation.watch(Article, article_keys)
    invalidation.watch(ArticleAuthor, byline_keys)
    invalidation.watch(Article.related.through, related_keys)
    invalidation.watch(Author, lambda author: {f"author:{author.pk}", "home", "lists"})
    # ``tag-name:<pk>``: article pages show their tags' names and links but do not carry
    # ``tag:<pk>`` (a publication under the tag must not purge them), so a change to the tag
    # itself (a rename, a new slug) reaches them through this key of its own.
    invalidation.watch(Tag, lambda tag: {f"tag:{tag.pk}", f"tag-name:{tag.pk}", "home", "lists"})
    invalidation.watch(TaggedItem, tagged_keys)
    invalidation.watch(Correction, lambda row: {f"article:{row.article_id}"})
    invalidation.watch(SlugRedirect, lambda row: {f"article:{row.article_id}"})
    # ``post:<id>``: article pages name the posts their body embeds by X's id (the page
    # knows the id from the body without a query), so correcting a post's text reaches them.
    invalidation.watch(Tweet, lambda tweet: {f"tweet:{tweet.pk}", f"post:{tweet.tweet_id}"})
    invalidation.watch(Page, lambda page: {f"page:{page.pk}", "lists"})
    # Every page shows the menu of sections and the site settings.
    invalidation.watch(Section, lambda section: {f"section:{section.pk}", ALL})
    invalidation.watch(SiteSettings, lambda row: {"settings", ALL})
    pagecache.register_expiry(next_scheduled_publication)


def next_scheduled_publication():
    """When the next scheduled article goes out: pages change then without any write."""
    return (
        Article.objects.scheduled()
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
