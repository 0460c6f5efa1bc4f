"""Search-index upkeep for the registry's inline rows (other apps follow merges through the
`after_merge_actors` hook, not a signal: docs/adr/0008)."""

from __future__ import annotations

from wagtail.search.tasks import insert_or_update_object_task


def reindex_alias_owner(sender, instance, **kwargs) -> None:
    """Keep the owner's search entry (which includes its aliases) current when an alias changes.

    Wagtail indexes an actor or place when it is saved, which in the admin happens *before* its
    inline aliases are written; without this the chooser would not find a new alias.
    """
    if kwargs.get("raw"):
        return
    for owner_id, model in ((instance.actor_id, "actor"), (instance.place_id, "place")):
        if owner_id:
            insert_or_update_object_task.enqueue("registry", model, str(owner_id))
