from django.apps import AppConfig


class JtvcConfig(AppConfig):
    name = "jtvc"
    verbose_name = "Site"

    def ready(self):
        # The page cache listens to jtvc.invalidation; the apps say what it must watch.
        from jtvc import pagecache

        pagecache.connect()
        # One cleaning step for all text, before every save (jtvc/text.py).
        from jtvc import text

        text.connect_signals()

        # Every admin form states its length limits (jtvc/limits.py); the admin has
        # registered every ModelAdmin by now (it is first in INSTALLED_APPS).
        from django.contrib import admin

        from jtvc.limits import state_limits_in_admin

        state_limits_in_admin(admin.site)
