from django.apps import AppConfig


class JtvcConfig(AppConfig):
    name = "jtvc"
    verbose_name = "Site"
