"""Pictures and the newsroom: which bodies use which library pictures, and rights that bite.

Every save of an article or page records the library pictures its body shows
(``BodyImage``), so "used in" and the refusal to delete see them;
``manage.py rebuild_image_usage`` rebuilds the table from every body (after an import or a
bulk load that bypassed ``save()``).

Rights: a picture past ``rights_expire_at`` is never shown to readers (media_app's
``shown_to_readers``, the ``{% image %}`` tag and the body renderer), cannot be chosen as a
lead or share image, and stops an article from being published or scheduled.
"""

from django.db import transaction

from articles.models import Article, BodyImage, Page
from media_app.body import library_shas
from media_app.models import Image


def _owner_field(owner):
    return "article" if isinstance(owner, Article) else "page"


@transaction.atomic
def sync_body_images(owner):
    """Make the BodyImage rows of *owner* (an Article or a Page) match its body."""
    field = _owner_field(owner)
    shas = library_shas(owner.body)
    wanted = (
        set(Image.objects.filter(sha256__in=shas).values_list("pk", flat=True)) if shas else set()
    )
    rows = BodyImage.objects.filter(**{field: owner})
    have = set(rows.values_list("image_id", flat=True))
    if have - wanted:
        rows.filter(image_id__in=have - wanted).delete()
    if wanted - have:
        BodyImage.objects.bulk_create(
            [BodyImage(image_id=pk, **{field: owner}) for pk in sorted(wanted - have)],
            ignore_conflicts=True,
        )


def rebuild_body_images(*, progress=None):
    """Rebuild every BodyImage row from the stored bodies; returns (bodies, rows)."""
    by_sha = dict(Image.objects.values_list("sha256", "pk"))
    new_rows = []
    owners = 0
    for model, field in ((Article, "article_id"), (Page, "page_id")):
        for pk, body in model.objects.values_list("pk", "body").iterator(chunk_size=500):
            owners += 1
            for sha in sorted(library_shas(body)):
                if sha in by_sha:
                    new_rows.append(BodyImage(image_id=by_sha[sha], **{field: pk}))
            if progress:
                progress()
    with transaction.atomic():
        BodyImage.objects.all().delete()
        BodyImage.objects.bulk_create(new_rows, batch_size=1000)
    return owners, len(new_rows)


def expired_message(image, role):
    return (
        f"{role}: the rights to “{image}” ended on {image.rights_expire_at:%d %B %Y}; "
        "choose another picture."
    )


def rights_problems(article):
    """Messages for every picture on *article* whose rights have expired."""
    problems = []
    for image, role in ((article.lead_image, "Lead image"), (article.social_image, "Share image")):
        if image is not None and image.rights_expired:
            problems.append(expired_message(image, role))
    if article.pk:
        for row in BodyImage.objects.filter(article=article).select_related("image"):
            if row.image.rights_expired:
                problems.append(expired_message(row.image, "Picture in the text"))
    return problems


def uncredited_problems(article):
    """Pictures in the body that still need a credit (editor uploads are flagged)."""
    if not article.pk:
        return []
    return [
        f"Picture in the text: “{row.image}” needs a credit (photographer/organisation); "
        "add it in the image library."
        for row in BodyImage.objects.filter(article=article, image__credit="").select_related(
            "image"
        )
    ]
