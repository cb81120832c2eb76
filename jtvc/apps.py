from django.apps import AppConfig


class JtvcConfig(AppConfig):
    name = "jtvc"
    verbose_name = "Site"

    def ready(self):
        # The page cache listens to jtvc.invalidation; the apps say what it must watch.
        from jtvc import edge, invalidation, pagecache

        pagecache.connect()
        # The shared cache in front (Varnish, a CDN) gets the same keys, after commit.
        invalidation.register_backend(edge.purge)
