from django.apps import AppConfig


class JtvcConfig(AppConfig):
    name = "jtvc"
    verbose_name = "Site"

    def ready(self):
        # Any change to published content empties the reader site's page cache.
        from jtvc import checks, pagecache  # noqa: F401 - checks register themselves

        pagecache.connect_signals()
