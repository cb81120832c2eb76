from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from media_app.models import Image
from media_app.services import rebuild_renditions
from media_app.tasks import make_renditions


class Command(BaseCommand):
    help = "Remake every image's WebP widths and crops (after a change of the width ladder)."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="Only these image ids.")
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Hand the work to the task worker (one task per image) instead of doing it here.",
        )

    def handle(self, *args, ids, **options):
        images = Image.objects.order_by("pk")
        if ids:
            images = images.filter(pk__in=ids)
        if options["queue"]:
            count = 0
            for pk in images.values_list("pk", flat=True).iterator(chunk_size=1000):
                make_renditions.enqueue(pk, force=True)
                count += 1
            self.stdout.write(f"Queued renditions of {count} image(s) for the worker.")
            return
        failed = []
        for image in tqdm(
            images.iterator(chunk_size=100),
            total=images.count(),
            unit="image",
            disable=options["verbosity"] == 0,
            file=self.stderr,
        ):
            try:
                with transaction.atomic():
                    rebuild_renditions(image=image)
            except (OSError, ValueError) as error:
                # A missing or unreadable original: the site falls back to it (or its absence)
                # already; say which, and carry on with the rest.
                failed.append(f"{image.pk}: {error}")
        for line in failed:
            self.stderr.write(f"could not rebuild image {line}")
        self.stdout.write(f"Rebuilt renditions of {images.count() - len(failed)} image(s).")
