"""The image library's workflows. Every upload, from any path, goes through import_image."""

import hashlib
import logging
import os

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import ProtectedError

from media_app import policy, renditions, tasks
from media_app.models import Image
from media_app.usage import usages_for

# What describes a picture: the upload form asks for these, and they may be given with
# every upload.
DESCRIPTIVE_FIELDS = (
    "title",
    "caption",
    "credit",
    "credit_url",
    "source",
    "licence",
    "licence_version",
    "rights_expire_at",
)
METADATA_FIELDS = {*DESCRIPTIVE_FIELDS, "focal_x", "focal_y", "alt_text_needs_review"}


logger = logging.getLogger(__name__)

DATABASE_FAILED = (
    "The picture could not be saved: the database refused the new entry, so nothing was "
    "kept (neither the entry nor the file). Try again in a minute; if it happens again, tell "
    "the site's administrators."
)
STORAGE_FAILED = (
    "The picture could not be stored (the file storage did not answer); nothing was kept. "
    "Try again in a minute."
)


def _flat(error):
    if hasattr(error, "error_dict"):
        return ValidationError(
            [
                f"{Image._meta.get_field(field).verbose_name.capitalize()}: {message}"
                for field, messages in error.message_dict.items()
                for message in messages
            ]
        )
    return error


def import_image(*, file, alt_text, uploaded_by=None, **metadata):
    """Check, normalise and store an uploaded picture; return its Image.

    *file* is a Django ``File``/``UploadedFile``. Refusals raise ``ValidationError`` with
    messages a journalist can act on. The same file uploaded twice returns the Image made
    the first time: duplicates are found by the SHA-256 of the bytes as uploaded (found
    before any decoding; normalising is deterministic, so the same upload always yields the
    same kept file). Atomic: the row and its files exist together or not at all.
    """
    unknown = set(metadata) - METADATA_FIELDS
    if unknown:
        raise TypeError(f"import_image() got unexpected metadata: {', '.join(sorted(unknown))}")
    alt_text = (alt_text or "").strip()
    if not alt_text:
        raise ValidationError(
            "Alt text is required: describe what the picture shows for readers who cannot see it.",
            code="alt_text",
        )
    filename = os.path.basename(getattr(file, "name", "") or "upload")
    data = policy.read_upload(file)
    digest = hashlib.sha256(data).hexdigest()
    existing = Image.objects.filter(sha256=digest).first()
    if existing is not None:
        return existing
    kept = policy.check_and_normalise(data, filename)
    image = Image(
        alt_text=alt_text,
        uploaded_by=uploaded_by,
        sha256=digest,
        width=kept.width,
        height=kept.height,
        format=kept.format,
        byte_size=len(kept.data),
        **metadata,
    )
    try:
        image.full_clean(exclude=["file", "sha256"])
    except ValidationError as error:
        raise _flat(error) from None

    written = []
    try:
        with transaction.atomic():
            image.file.save(f"upload.{kept.extension}", ContentFile(kept.data), save=False)
            written.append(image.file.name)
            image.renditions = renditions.pending(image)
            image.save()
            # The widths and crops are the worker's (2-3 s for a big picture): the upload
            # answers as soon as the original is stored and the row exists, and readers get
            # the original until then. Enqueued in the same transaction, so a stored image
            # always has its task (the database task backend keeps both or neither).
            _pick_up(image, tasks.make_renditions.enqueue(image.pk))
    except IntegrityError:
        # Someone stored the same picture a moment ago: theirs stands, ours goes.
        renditions.delete_names(written)
        existing = Image.objects.filter(sha256=digest).first()
        if existing is None:
            logger.exception("the database refused a new image")
            raise ValidationError(DATABASE_FAILED, code="database") from None
        return existing
    except DatabaseError:
        # After the files were written: they go, and the journalist gets a sentence, not a 500.
        renditions.delete_names(written)
        logger.exception("the database refused a new image")
        raise ValidationError(DATABASE_FAILED, code="database") from None
    except BaseException:
        renditions.delete_names(written)
        raise
    return image


def _pick_up(image, result):
    # With the immediate backend the task has already run: show its work on this instance.
    if result.is_finished:
        image.refresh_from_db(fields=["renditions", "updated_at"])


def refresh_crops(*, image):
    """Remake the 16:9, 4:3 and 1:1 crops around the image's current focal point (now)."""
    return renditions.replace(image, crops_only=True)


def rebuild_renditions(*, image):
    """Remake every rendition now (after a change of the width ladder, for instance)."""
    return renditions.replace(image, crops_only=False)


def queue_crops(*, image):
    """Ask the worker for crops around the image's current focal point.

    Until they exist the old crops stay recorded (and served): names carry the focal point,
    so no cache ever mixes them up.
    """
    _pick_up(image, tasks.make_renditions.enqueue(image.pk, crops_only=True))


@transaction.atomic
def set_focal_point(*, image, x, y):
    if not (0 <= x <= 1 and 0 <= y <= 1):
        raise ValidationError("The focal point must lie inside the picture.", code="focal")
    image.focal_x, image.focal_y = x, y
    image.save(update_fields=["focal_x", "focal_y", "updated_at"])
    queue_crops(image=image)
    return image


def usage_labels(image):
    return [usage.label for usage in usages_for([image]).get(image.pk, [])]


def delete_image(*, image):
    """Delete an unused image and (after the commit) its files; refuse one still in use."""
    labels = usage_labels(image)
    if labels:
        raise ValidationError(
            f"“{image}” is still used: {'; '.join(labels)}. Replace it there first.",
            code="in_use",
        )
    try:
        with transaction.atomic():
            image.delete()
    except ProtectedError as error:
        raise ValidationError(protected_message(image, error.protected_objects)) from None


def protected_message(image, objects):
    names = "; ".join(f"{obj._meta.verbose_name} “{obj}”" for obj in list(objects)[:10])
    return f"“{image}” cannot be deleted while it is used by: {names}. Replace it there first."
