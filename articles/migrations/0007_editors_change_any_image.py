"""Editors and site admins may change any picture in the library (journalists their own)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ["Editors", "Site admins"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("media_app")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(
        content_type__app_label="media_app", codename="change_any_image"
    )
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="media_app", codename="change_any_image"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_text_limits_and_optional_slugs"),
        ("media_app", "0003_image_caption_limit_and_change_any"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
