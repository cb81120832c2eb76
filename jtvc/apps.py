from django.apps import AppConfig


class JtvcConfig(AppConfig):
    name = "jtvc"
    verbose_name = "Site"

    def ready(self):
        # The page cache listens to jtvc.invalidation; the apps say what it must watch.
        from jtvc import checks, edge, invalidation, pagecache  # noqa: F401 - checks register themselves

        pagecache.connect()
        # The shared cache in front (Varnish, a CDN) gets the same keys, after commit.
        invalidation.register_backend(edge.purge)

        # One cleaning step for all text, before every save (jtvc/text.py).
        from jtvc import text

        text.connect_signals()

        # Every admin form states its length limits (jtvc/limits.py); the admin has
        # registered every ModelAdmin by now (it is first in INSTALLED_APPS).
        from django.contrib import admin

        from jtvc.limits import state_limits_in_admin

        state_limits_in_admin(admin.site)
