"""Site admins (and only they) may run WordPress imports and manage the old addresses."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    app_config = apps.get_app_config("wordpress_import")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    site_admins, _ = Group.objects.get_or_create(name="Site admins")
    site_admins.permissions.add(
        *Permission.objects.filter(content_type__app_label="wordpress_import")
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Site admins"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="wordpress_import")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("wordpress_import", "0001_initial"),
        ("articles", "0002_newsroom_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
