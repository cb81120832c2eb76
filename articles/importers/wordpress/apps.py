from django.apps import AppConfig


class WordPressImportConfig(AppConfig):
    name = "articles.importers.wordpress"
    label = "wordpress_import"
    verbose_name = "Moving in from WordPress"
    default_auto_field = "django.db.models.BigAutoField"
