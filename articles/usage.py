"""The articles side of "where is this image used?" (see media_app.usage)."""

from django.db.models import Q
from django.urls import reverse

from articles.models import Article, Author, BodyImage, SiteSettings, Tweet
from media_app.usage import Usage


def image_usages(images):
    """{image.pk: [Usage, ...]} in six queries, whatever the number of images."""
    pks = [image.pk for image in images]
    found = {pk: [] for pk in pks}
    if not pks:
        return found
    # 1: articles using any of them as lead image; 2: as social image
    for field, label in (("lead_image", "Lead image"), ("social_image", "Share image")):
        rows = Article.objects.filter(**{f"{field}__in": pks}).values_list(
            "pk", "title", f"{field}_id"
        )
        for pk, title, image_pk in rows:
            url = reverse("admin:articles_article_change", args=[pk])
            found[image_pk].append(Usage(f"{label} of “{title}”", url))
    # 3: authors using them as photo
    for pk, name, image_pk in Author.objects.filter(photo__in=pks).values_list(
        "pk", "name", "photo_id"
    ):
        url = reverse("admin:articles_author_change", args=[pk])
        found[image_pk].append(Usage(f"Photo of {name}", url))
    # 4: pictures inside article and page bodies (kept current on every save)
    rows = BodyImage.objects.filter(image__in=pks).values_list(
        "image_id", "article_id", "article__title", "page_id", "page__title"
    )
    for image_pk, article_pk, article_title, page_pk, page_title in rows:
        if article_pk:
            url = reverse("admin:articles_article_change", args=[article_pk])
            found[image_pk].append(Usage(f"In the text of “{article_title}”", url))
        else:
            url = reverse("admin:articles_page_change", args=[page_pk])
            found[image_pk].append(Usage(f"In the text of the page “{page_title}”", url))
    # 5: the site's logo and default share image
    site = SiteSettings.objects.filter(Q(logo__in=pks) | Q(default_share_image__in=pks)).first()
    if site is not None:
        url = reverse("admin:articles_sitesettings_change", args=[site.pk])
        for image_pk, label in (
            (site.logo_id, "Site logo"),
            (site.default_share_image_id, "Default share image"),
        ):
            if image_pk in found:
                found[image_pk].append(Usage(label, url))
    # 6: the picture of a stored post on X
    for pk, tweet_id, image_pk in Tweet.objects.filter(media__in=pks).values_list(
        "pk", "tweet_id", "media_id"
    ):
        url = reverse("admin:articles_tweet_change", args=[pk])
        found[image_pk].append(Usage(f"Picture of the post {tweet_id}", url))
    return found
