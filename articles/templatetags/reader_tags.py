"""Template tags of the reader site: article bodies, social images, JSON-LD."""

import json

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from articles import embeds
from articles.models import Tweet
from articles.reader.cards import render_card
from articles.reader.search import MARK_START, MARK_STOP
from jtvc import languages, stylesheet
from media_app.body import enrich_body_images

register = template.Library()


@register.simple_tag
def reader_stylesheet():
    """The site's stylesheet inside the page (jtvc/stylesheet.py says why); linked in DEBUG."""
    if settings.DEBUG:
        return format_html('<link rel="stylesheet" href="{}">', static("css/site.css"))
    return format_html("<style>{}</style>", mark_safe(stylesheet.text()))


@register.simple_tag
def card(article, size="", level=3, first=False, show_section=True):
    """An article card (``includes/article_card.html``), kept by what it shows
    (articles.reader.cards)."""
    return render_card(article, size=size, level=level, first=first, show_section=show_section)


@register.filter
def xml_safe(value):
    """Text without the characters XML 1.0 cannot carry (for sitemaps)."""
    from jtvc.text import xml_safe as _xml_safe

    return _xml_safe(str(value))


def render_embeds(body, tweets):
    """Swap embeds for server-rendered HTML: tweet snapshots, or plain links."""

    def embed(url, bare):
        parsed = embeds.parse_status_url(url)
        if parsed:
            tweet = tweets.get(parsed[1])
            if tweet is not None:
                chrome = languages.site_language()
                return render_to_string(
                    "includes/tweet.html",
                    {
                        "tweet": tweet,
                        "chrome_lang": chrome,
                        "chrome_dir": languages.direction(chrome),
                    },
                )
            return format_html(
                '<p class="embed-link"><a href="{}" rel="nofollow noopener">{}</a></p>',
                url,
                format_html(
                    _("View the post by {} on X"),
                    format_html('<bdi dir="ltr">@{}</bdi>', parsed[0]),
                ),
            )
        if bare:
            return None
        if not url.startswith(("https://", "http://")):
            return ""
        label = _("Watch the video on YouTube") if embeds.YOUTUBE_RE.match(url) else url
        return format_html(
            '<p class="embed-link"><a href="{}" rel="nofollow noopener">{}</a></p>', url, label
        )

    return embeds.replace_embeds(body, embed)


@register.simple_tag
def article_body(body):
    """The stored (already cleaned) body with responsive images and tweet snapshots.

    All of the body's posts on X are read in one query, its library images in another.
    """
    if not body:
        return ""
    body = enrich_body_images(body)
    ids = [tweet_id for _, tweet_id in embeds.tweet_refs(body)]
    tweets = {t.tweet_id: t for t in Tweet.objects.filter(tweet_id__in=ids)} if ids else {}
    # Cleaned on save (nh3 allowlist); the substitutions insert only escaped templates.
    return mark_safe(render_embeds(body, tweets))  # noqa: S308


def _crop(image, ratio):
    if image is None or getattr(image, "rights_expired", False):
        return None  # a picture whose rights have expired is never shown to readers
    crop_url = getattr(image, "crop_url", None)
    crop_size = getattr(image, "crop_size", None)
    if callable(crop_url):
        try:
            url = crop_url(ratio)
            width, height = crop_size(ratio) if callable(crop_size) else (image.width, image.height)
            if url:
                return url, width, height
        except Exception:  # noqa: BLE001 - a missing rendition must not break a page
            pass
    return image.file.url, image.width, image.height


def social_image(image, ratio="16:9"):
    """(url, width, height) of a crop for share cards, or of the original until crops exist."""
    return _crop(image, ratio)


@register.simple_tag(takes_context=True)
def social_image_url(context, image, ratio="16:9"):
    found = _crop(image, ratio)
    if not found:
        return ""
    request = context.get("request")
    return request.build_absolute_uri(found[0]) if request else found[0]


_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def ld_json(data):
    """JSON for a <script type="application/ld+json">, with <, > and & escaped."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
    return mark_safe(text)  # noqa: S308 - nothing left that can close the element


@register.simple_tag
def highlight(snippet):
    """A search snippet: escaped, then the database's match markers become <mark>."""
    text = escape(snippet or "")
    return mark_safe(text.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))  # noqa: S308


@register.filter
def reading_minutes(body):
    """Minutes to read a body at about 230 words a minute; at least one."""
    words = len(strip_tags(body or "").split())
    return max(1, round(words / 230))


@register.filter
def iso(value):
    """An ISO 8601 time with its offset, to the second (what <time> and schema.org accept)."""
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(microsecond=0).isoformat()


# Open Graph wants a territory as well; the one most readers of each language live in.
OG_LOCALES = {
    "en": "en_US",
    "he": "he_IL",
    "ar": "ar_AR",
    "fr": "fr_FR",
    "es": "es_ES",
    "de": "de_DE",
    "ru": "ru_RU",
}


@register.filter
def og_locale(language):
    """``og:locale`` for a language code ("he" -> "he_IL"); the site's language when empty."""
    from django.conf import settings

    code = (language or settings.LANGUAGE_CODE or "en").split("-")[0].lower()
    return OG_LOCALES.get(code, "en_US")
