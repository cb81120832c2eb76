# Django's admin autodiscovery imports `<app>.admin`; the newsroom's admin lives in its own package.
from articles.newsroom import admin  # noqa: F401
