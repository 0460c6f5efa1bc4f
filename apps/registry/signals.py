"""Signals other apps listen to (the articles app repoints draft revisions on a merge)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside merge_actors' transaction, after every row has moved and the loser is marked.
# kwargs: loser (Actor), survivor (Actor), report (MergeReport), user (User | None).
actors_merged = Signal()
