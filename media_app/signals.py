"""Files leave storage only once the database has let go of the row."""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from media_app import renditions
from media_app.models import Image


@receiver(post_delete, sender=Image, dispatch_uid="media_app_delete_image_files")
def delete_image_files(sender, instance, using, **kwargs):
    # Deletes cascade through admin actions, querysets and code alike; post_delete sees them
    # all. on_commit: a rolled-back delete keeps its files.
    names = renditions.names_of(instance.renditions)
    if instance.file:
        names.append(instance.file.name)
    transaction.on_commit(partial(renditions.delete_names, names), using=using)
