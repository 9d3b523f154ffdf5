"""The three roles, as Django groups, and what each may do."""

from __future__ import annotations

from typing import Any

ANALYST = "Analyst"
EDITOR = "Editor"
ADMIN = "Admin"

_READ = [
    "actors.view_country",
    "actors.view_actor",
    "actors.view_actoralias",
    "actors.view_topic",
    "actors.view_stance",
    "articles.view_article",
]
_REVIEW = ["actors.review_stance", "actors.change_stance", "actors.add_stance"]
_MANAGE = [
    f"{app}.{action}_{model}"
    for app, models in {
        "actors": ["country", "actor", "actoralias", "topic", "stance"],
        "articles": ["article", "ingestjob", "ingestitem", "extractormodel", "source"],
    }.items()
    for model in models
    for action in ("add", "change", "delete", "view")
] + [
    "actors.review_stance",
    "actors.resolve_flagged_stance",
    "auth.add_user",
    "auth.change_user",
    "auth.view_user",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    ANALYST: _READ,
    EDITOR: _READ + _REVIEW,
    ADMIN: sorted(set(_READ + _REVIEW + _MANAGE)),
}


def sync_roles(*, Group: Any, Permission: Any) -> None:  # noqa: N803
    """Create the groups and give each exactly its permissions."""
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        permissions = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            # A permission that a later migration introduces is not there yet
            # when an earlier migration syncs; that later migration syncs again.
            permissions.extend(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)


def sync_roles_migration(apps, schema_editor) -> None:
    """For data migrations: the groups need permissions that Django creates only
    after all migrations have run, so create them first."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_roles(
        Group=apps.get_model("auth", "Group"), Permission=apps.get_model("auth", "Permission")
    )
