"""The articles side of "where is this image used?" (see media_app.usage)."""

from django.urls import reverse

from articles.models import Article, Author
from media_app.usage import Usage


def image_usages(images):
    """{image.pk: [Usage, ...]} in three queries, whatever the number of images."""
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
    return found
