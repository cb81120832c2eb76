from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError

from media_app.storage import BucketStorage


class Command(BaseCommand):
    help = (
        "Create the media bucket when media live in one and it does not exist yet "
        "(a new MinIO, say). Does nothing for media on the local disk."
    )

    def handle(self, *args, **options):
        storage = storages["default"]
        if not isinstance(storage, BucketStorage):
            self.stdout.write("Media are on the local disk; no bucket to create.")
            return
        client = storage.connection.meta.client
        try:
            client.head_bucket(Bucket=storage.bucket_name)
            self.stdout.write(f"Bucket {storage.bucket_name} exists.")
        except Exception:  # noqa: BLE001 - absent or forbidden: try to create, report that
            try:
                client.create_bucket(Bucket=storage.bucket_name)
            except Exception as error:
                raise CommandError(
                    f"Bucket {storage.bucket_name} could not be created: {error}"
                ) from error
            self.stdout.write(f"Created bucket {storage.bucket_name}.")
