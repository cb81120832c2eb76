"""Permissions that arrived with the hardening work, given to the roles.

- Editors and site admins may change any picture in the library (journalists their own).
- Site admins see and lift login lockouts (django-axes), manage authenticator devices
  (django-otp) and choose which roles must use two-factor sign-in.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SITE_ADMIN_APPS = ["axes", "otp_totp", "jtvc"]


def grant(apps, schema_editor):
    for label in ["media_app", *SITE_ADMIN_APPS]:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    change_any = Permission.objects.get(
        content_type__app_label="media_app", codename="change_any_image"
    )
    for group in Group.objects.filter(name__in=["Editors", "Site admins"]):
        group.permissions.add(change_any)
    for group in Group.objects.filter(name="Site admins"):
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label__in=SITE_ADMIN_APPS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_text_limits_and_optional_slugs"),
        ("media_app", "0004_image_caption_limit_and_change_any"),
        ("axes", "0010_accessattemptexpiration"),
        ("otp_totp", "0003_add_timestamps"),
        ("jtvc", "0001_two_factor_requirement"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
