"""Signals other apps listen to (the articles app repoints draft revisions on a merge)."""

from __future__ import annotations

from django.dispatch import Signal
from wagtail.search.tasks import insert_or_update_object_task

# Sent inside merge_actors' transaction, after every row has moved and the loser is marked.
# kwargs: loser (Actor), survivor (Actor), report (MergeReport), user (User | None).
actors_merged = Signal()


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
