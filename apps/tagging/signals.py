"""Move the registry version whenever what the matcher is built from changes.

The receivers run inside the writer's transaction (post_save/post_delete fire before commit), so
the counter and the change commit together: no process can see the new version without the new
alias, nor the alias without a version to rebuild on (docs/adr/0010-tag-matcher-and-registry-version.md).
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from apps.registry.models import Actor, Alias, Place
from apps.tagging.models import RegistryVersion


def bump_registry_version(sender, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    RegistryVersion.bump()


def connect() -> None:
    for model in (Actor, Alias, Place):
        post_save.connect(
            bump_registry_version, sender=model, dispatch_uid=f"tagging_version_save_{model.__name__}"
        )
        post_delete.connect(
            bump_registry_version, sender=model, dispatch_uid=f"tagging_version_delete_{model.__name__}"
        )
