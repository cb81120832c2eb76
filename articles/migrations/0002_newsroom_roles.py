"""The newsroom's three roles, as groups with their model permissions.

Permissions are normally created after all migrations have run, so this migration creates them
first; re-running it (or a later migrate) only adds what is missing.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

JOURNALISTS = {
    "articles": {
        "article": ["add", "change", "view"],
        "articleauthor": ["add", "change", "delete", "view"],
        "tweet": ["add", "view"],
        "author": ["view"],
        "section": ["view"],
    },
    "taggit": {"tag": ["view"]},
    "media_app": {"image": ["add", "change", "view"]},
}
EDITORS = {
    "articles": {
        model: ["add", "change", "delete", "view"]
        for model in [
            "article",
            "articleauthor",
            "author",
            "section",
            "tweet",
            "page",
            "correction",
            "sitesettings",
            "slugredirect",
        ]
    }
    | {"statuschange": ["view"]},
    "taggit": {"tag": ["add", "change", "delete", "view"]},
    "media_app": {"image": ["add", "change", "view"]},
}
EDITOR_EXTRA = ["edit_any_article", "publish_article", "feature_article"]


def _codenames(spec):
    for app_label, models in spec.items():
        for model, actions in models.items():
            for action in actions:
                yield app_label, f"{action}_{model}"


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perms(pairs):
        found = []
        for app_label, codename in pairs:
            found.extend(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        return found

    journalists, _ = Group.objects.get_or_create(name="Journalists")
    journalists.permissions.add(*perms(_codenames(JOURNALISTS)))
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *perms(_codenames(EDITORS)), *perms(("articles", c) for c in EDITOR_EXTRA)
    )
    site_admins, _ = Group.objects.get_or_create(name="Site admins")
    site_admins.permissions.add(*Permission.objects.all())


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Journalists", "Editors", "Site admins"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("media_app", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
        ("sessions", "0001_initial"),
        ("admin", "0003_logentry_add_action_flag_choices"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
