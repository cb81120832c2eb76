from django.apps import AppConfig


class MediaAppConfig(AppConfig):
    name = "media_app"
    verbose_name = "Image library"

    def ready(self):
        from media_app import signals  # noqa: F401  (connects the file clean-up)
