# Django's admin autodiscovery imports `<app>.admin`; the newsroom's admin lives in its own package.
from django.contrib import admin

from articles.newsroom import admin as newsroom_admin  # noqa: F401
from articles.newsroom import people

people.install(admin.site)
