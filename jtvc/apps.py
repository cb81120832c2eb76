from django.apps import AppConfig


class JtvcConfig(AppConfig):
    name = "jtvc"
    verbose_name = "Site"

    def ready(self):
        # The page cache listens to jtvc.invalidation; the apps say what it must watch.
        from jtvc import pagecache

        pagecache.connect()
