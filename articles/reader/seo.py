"""Structured data (schema.org JSON-LD) for the reader site.

Plain dicts; templates write them with the ``ld_json`` filter, which escapes <, > and &.
"""

from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from articles.context_processors import load_site
from articles.templatetags.reader_tags import iso, social_image


def _abs(request, url):
    return request.build_absolute_uri(url)


def _site(request):
    return load_site(request)["settings"]


def _logo(request, site):
    if site.logo_id and site.logo:
        url, width, height = social_image(site.logo, "1:1")
        return {"@type": "ImageObject", "url": _abs(request, url), "width": width, "height": height}
    return {"@type": "ImageObject", "url": _abs(request, static("img/favicon.svg"))}


def organization(request, site=None):
    site = site or _site(request)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsMediaOrganization",
        "name": site.site_name,
        "url": _abs(request, reverse("articles:home")),
        "logo": _logo(request, site),
        "foundingDate": str(site.founding_year),
    }
    same_as = [
        u for u in (site.facebook_url, site.instagram_url, site.youtube_url, site.mastodon_url) if u
    ]
    if site.x_handle:
        same_as.append(f"https://x.com/{site.x_handle}")
    if same_as:
        data["sameAs"] = same_as
    if site.about_blurb:
        data["description"] = site.about_blurb
    return data


def person(request, author):
    data = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": author.name,
        "url": _abs(request, author.get_absolute_url()),
    }
    if author.role:
        data["jobTitle"] = author.role
    same_as = [u for u in (author.website,) if u]
    if author.x_handle:
        same_as.append(f"https://x.com/{author.x_handle}")
    if same_as:
        data["sameAs"] = same_as
    return data


def news_article(request, article, site=None, versions=()):
    site = site or _site(request)
    image = article.social_image or article.lead_image
    images = []
    if image is not None:
        for ratio in ("16:9", "4:3", "1:1"):
            url = _abs(request, social_image(image, ratio)[0])
            if url not in images:
                images.append(url)
    authors = []
    for byline in article.bylines.all():
        entry = person(request, byline.author)
        entry.pop("@context")
        authors.append(entry)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "mainEntityOfPage": _abs(request, article.get_absolute_url()),
        "url": _abs(request, article.get_absolute_url()),
        "inLanguage": article.language,
        "author": authors,
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": site.site_name,
            "url": _abs(request, reverse("articles:home")),
            "logo": _logo(request, site),
        },
    }
    if article.dek:
        data["description"] = article.dek
    if images:
        data["image"] = images
    if article.published_at:
        data["datePublished"] = iso(article.published_at)
        data["dateModified"] = iso(article.updated_at or article.published_at)
    if article.section_id:
        data["articleSection"] = article.section.name
    # Language versions: a translation names its original, an original its translations.
    for version in versions:
        ref = {
            "@type": "NewsArticle",
            "url": _abs(request, version.get_absolute_url()),
            "inLanguage": version.language,
            "headline": version.title[:110],
        }
        if article.translation_of_id == version.pk:
            data["translationOfWork"] = ref
        elif version.translation_of_id == article.pk:
            data.setdefault("workTranslation", []).append(ref)
    keywords = [t.name for t in article.tags.all()]
    if keywords:
        data["keywords"] = keywords
    return data


def breadcrumbs(request, trail):
    """BreadcrumbList for Home » … ; *trail* is [(name, url name or None for this page)]."""
    items = [(_("Home"), _abs(request, reverse("articles:home")))]
    for name, url_name in trail:
        url = _abs(request, reverse(url_name)) if url_name else request.build_absolute_uri()
        items.append((name, url))
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": url}
            for i, (name, url) in enumerate(items, start=1)
        ],
    }
