from django.apps import AppConfig


class MediaAppConfig(AppConfig):
    name = "media_app"
    verbose_name = "Image library"

    def ready(self):
        from jtvc import invalidation
        from media_app import signals  # noqa: F401  (connects the file clean-up)
        from media_app.models import Image

        # Pictures show on reader pages (lead images, bodies, bylines, share cards).
        invalidation.watch(Image, lambda image: {f"image:{image.pk}"})
