"""Site admins may read the task queue (django-tasks-db's results): failures show there."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    app_config = apps.get_app_config("django_tasks_database")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    site_admins, _ = Group.objects.get_or_create(name="Site admins")
    site_admins.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="django_tasks_database", codename="view_dbtaskresult"
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Site admins"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="django_tasks_database")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("media_app", "0002_image_renditions_and_alt_review"),
        ("articles", "0002_newsroom_roles"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
