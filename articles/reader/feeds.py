"""RSS feeds: the whole site, and one per section, tag and author.

Only ``published()`` articles that are not ``noindex``. Each item names every author
(dc:creator), and carries its lead image as an enclosure and as Media RSS with the credit.
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from django.utils.translation import gettext as _
from taggit.models import Tag

from articles.context_processors import load_site
from articles.models import Article, Author, Section
from articles.templatetags.reader_tags import social_image
from jtvc.text import xml_safe

FEED_SIZE = 30
MIME_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}


def _xml_safe_values(value):
    if isinstance(value, dict):
        return {key: _xml_safe_values(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_xml_safe_values(item) for item in value)
    return xml_safe(value)


class MediaRssFeed(Rss201rev2Feed):
    # Stored text never breaks a feed: what XML cannot carry is dropped on the way out.
    def __init__(self, *args, **kwargs):
        super().__init__(*_xml_safe_values(args), **_xml_safe_values(kwargs))

    def add_item(self, *args, **kwargs):
        super().add_item(*_xml_safe_values(args), **_xml_safe_values(kwargs))

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:media": "http://search.yahoo.com/mrss/",
            "xmlns:dc": "http://purl.org/dc/elements/1.1/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item.get("creators", ()):
            handler.addQuickElement("dc:creator", name)
        # The channel's <language> is the site's; each item names its own (Dublin Core).
        if item.get("item_language"):
            handler.addQuickElement("dc:language", item["item_language"])
        media = item.get("media")
        if media:
            handler.startElement(
                "media:content",
                {
                    "url": media["url"],
                    "medium": "image",
                    "type": media["type"],
                    "width": str(media["width"]),
                    "height": str(media["height"]),
                },
            )
            if media["credit"]:
                handler.addQuickElement("media:credit", media["credit"])
            if media["caption"]:
                handler.addQuickElement("media:description", media["caption"])
            handler.endElement("media:content")


class LatestArticlesFeed(Feed):
    feed_type = MediaRssFeed

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def site_name(self):
        return load_site(self.request)["settings"].site_name

    def title(self, obj=None):
        return self.site_name()

    def description(self, obj=None):
        return load_site(self.request)["settings"].tagline or _("Latest from %(site)s") % {
            "site": self.site_name()
        }

    def link(self, obj=None):
        return reverse("articles:home")

    def articles(self, obj):
        return Article.objects.indexable()

    def items(self, obj=None):
        return (
            self.articles(obj)
            .select_related("lead_image", "section")
            .with_bylines()
            .newest_first()[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.dek

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at or item.published_at

    def item_categories(self, item):
        return [item.section.name] if item.section_id else []

    def item_enclosures(self, item):
        image = item.lead_image
        if image is None:
            return []
        return [
            Enclosure(
                self.request.build_absolute_uri(image.file.url),
                str(image.byte_size),
                MIME_TYPES.get(image.format.upper(), "image/jpeg"),
            )
        ]

    def item_extra_kwargs(self, item):
        extra = {
            "creators": [b.author.name for b in item.bylines.all()],
            "item_language": item.language,
        }
        image = item.lead_image
        if image is not None:
            url, width, height = social_image(image, "16:9")
            extra["media"] = {
                "url": self.request.build_absolute_uri(url),
                "type": "image/webp"
                if url.endswith(".webp")
                else MIME_TYPES.get(image.format.upper(), "image/jpeg"),
                "width": width,
                "height": height,
                "credit": image.credit,
                "caption": item.caption,
            }
        return extra


class SectionFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def title(self, obj=None):
        return f"{obj.name} — {self.site_name()}"

    def link(self, obj=None):
        return obj.get_absolute_url()

    def articles(self, obj):
        return Article.objects.indexable().filter(section=obj)


class TagFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj=None):
        return _("Tag: %(name)s") % {"name": obj.name} + f" — {self.site_name()}"

    def link(self, obj=None):
        return reverse("articles:tag", args=[obj.slug])

    def articles(self, obj):
        return Article.objects.indexable().tagged(obj.slug)


class AuthorFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Author, slug=slug)

    def title(self, obj=None):
        return f"{obj.name} — {self.site_name()}"

    def link(self, obj=None):
        return obj.get_absolute_url()

    def articles(self, obj):
        return Article.objects.indexable().by_author(obj)
