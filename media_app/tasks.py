"""The image library's background work: making and remaking renditions."""

import logging

from django.db import transaction

from jtvc.tasks import retrying_task
from media_app import renditions
from media_app.models import Image

logger = logging.getLogger(__name__)


@retrying_task()
def make_renditions(image_id, *, crops_only=False, force=False):
    """Make the renditions an Image lacks (or, with *force*, all of them again).

    Idempotent: an image whose recorded renditions already match the width ladder and its
    focal point is left alone, and names are deterministic, so a second run writes the same
    files. An image deleted meanwhile is nothing to do. The row is locked while its files
    are written, so two workers never interleave on one image.
    """
    with transaction.atomic():
        image = Image.objects.select_for_update().filter(pk=image_id).first()
        if image is None:
            return "gone"
        if not force and renditions.is_current(image, crops_only=crops_only):
            return "up to date"
        renditions.replace(image, crops_only=crops_only)
    return "made"
