"""Writes to the registry that span several rows: merging duplicate actors, proposing actors."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from wagtail import hooks
from wagtail.log_actions import log

from apps.registry.models import Actor, ActorRelation, Alias, AliasKind, ReviewStatus
from apps.registry.text import fold

MERGE_ACTION = "registry.merge"
MERGED_AWAY_ACTION = "registry.merged_away"

# Called with loser= and survivor= once every row has moved and the loser is marked.
AFTER_MERGE_HOOK = "after_merge_actors"


@dataclass
class MergeReport:
    """What a merge did, row by row, so the editor sees it and the history records it."""

    loser_id: int
    survivor_id: int
    moved: dict[str, int] = field(default_factory=dict)
    collapsed: list[str] = field(default_factory=list)  # exact duplicates of a survivor row, deleted
    dropped_self_relations: list[str] = field(default_factory=list)  # would relate survivor to itself
    alias_added: str = ""

    def as_log_data(self) -> dict:
        return {
            "loser_id": self.loser_id,
            "survivor_id": self.survivor_id,
            "moved": self.moved,
            "collapsed": self.collapsed,
            "dropped_self_relations": self.dropped_self_relations,
            "alias_added": self.alias_added,
        }


def _pointers_to_actor() -> list[tuple[type[models.Model], models.Field]]:
    """Every (model, FK field) that points at Actor, discovered from the model graph.

    Tables added later by other apps (article tags, for instance) are found here without
    this module knowing them. Auto-created many-to-many tables are reached via their through model.
    """
    pointers: list[tuple[type[models.Model], models.Field]] = []
    for rel in Actor._meta.get_fields(include_hidden=True):
        if not rel.auto_created or rel.concrete:
            continue
        if rel.many_to_many:
            through = rel.through
            for fk in through._meta.get_fields():
                if getattr(fk, "related_model", None) is Actor and fk.many_to_one:
                    pointers.append((through, fk))
        elif rel.one_to_many or rel.one_to_one:
            pointers.append((rel.related_model, rel.field))
    # Deduplicate (a through model can be reached from both sides of a self-referencing M2M).
    unique: dict[tuple, tuple[type[models.Model], models.Field]] = {}
    for model, fk in pointers:
        unique[(model._meta.label, fk.name)] = (model, fk)
    return list(unique.values())


def _unique_field_sets(model: type[models.Model], fk: models.Field) -> list[tuple[str, ...]]:
    """Unique keys of ``model`` that include ``fk``: a clash on one of them means "duplicate"."""
    sets: list[tuple[str, ...]] = [tuple(group) for group in model._meta.unique_together]
    sets += [tuple(c.fields) for c in model._meta.total_unique_constraints]
    if fk.unique:
        sets.append((fk.name,))
    return [fields for fields in sets if fk.name in fields]


def _describe(row: models.Model) -> str:
    return f"{row._meta.verbose_name} #{row.pk}: {row}"


def _move_rows(
    *, model: type[models.Model], fk: models.Field, loser: Actor, survivor: Actor, report: MergeReport
) -> None:
    key_sets = _unique_field_sets(model, fk)
    moved = 0
    for row in model._default_manager.filter(**{fk.name: loser}).order_by("pk"):
        if model is ActorRelation:
            other_end = row.object_id if fk.name == "subject" else row.subject_id
            if other_end == survivor.pk:
                report.dropped_self_relations.append(_describe(row))
                row.delete()
                continue
        duplicate = False
        for fields in key_sets:
            lookup = {}
            for name in fields:
                field_obj = model._meta.get_field(name)
                lookup[field_obj.attname] = (
                    survivor.pk if name == fk.name else getattr(row, field_obj.attname)
                )
            # NULLs never clash in a unique constraint, so they do not make a duplicate either.
            if any(value is None for value in lookup.values()):
                continue
            if model._default_manager.filter(**lookup).exclude(pk=row.pk).exists():
                duplicate = True
                break
        if model is ActorRelation and not duplicate:
            # A relation with an unknown start escapes the DB key (NULLs differ); compare it here.
            counterpart = "object_id" if fk.name == "subject" else "subject_id"
            duplicate = (
                ActorRelation.objects.filter(
                    **{fk.attname: survivor.pk, counterpart: getattr(row, counterpart)},
                    predicate=row.predicate,
                    position_title=row.position_title,
                    start=row.start,
                    start_precision=row.start_precision,
                )
                .exclude(pk=row.pk)
                .exists()
            )
        if duplicate:
            report.collapsed.append(_describe(row))
            row.delete()
            continue
        try:
            with transaction.atomic():
                model._default_manager.filter(pk=row.pk).update(**{fk.attname: survivor.pk})
        except IntegrityError:
            # A constraint this code does not know about (another app's table): same as a duplicate.
            report.collapsed.append(_describe(row))
            model._default_manager.filter(pk=row.pk).delete()
            continue
        moved += 1
    if moved:
        key = f"{model._meta.label}.{fk.name}"
        report.moved[key] = report.moved.get(key, 0) + moved


@transaction.atomic
def merge_actors(*, loser: Actor, survivor: Actor, user=None) -> MergeReport:
    """Fold ``loser`` into ``survivor``: every row pointing at the loser moves to the survivor.

    Exact duplicates (same alias, same relation, same participation) collapse into the
    survivor's row; relations that would link the survivor to itself are dropped and reported.
    The loser stays, marked ``merged_into`` (its URL redirects), and the loser's name becomes
    an alias of the survivor. One transaction; logged in both records' Wagtail history.
    """
    loser = Actor.objects.select_for_update().get(pk=loser.pk)
    survivor = Actor.objects.select_for_update().get(pk=survivor.pk)
    if loser.pk == survivor.pk:
        raise ValidationError("An actor cannot be merged into itself.")
    if loser.merged_into_id:
        raise ValidationError(f"{loser} was already merged into another actor.")
    if survivor.merged_into_id:
        raise ValidationError(f"{survivor} was merged into another actor; merge into that one instead.")

    report = MergeReport(loser_id=loser.pk, survivor_id=survivor.pk)
    for model, fk in _pointers_to_actor():
        _move_rows(model=model, fk=fk, loser=loser, survivor=survivor, report=report)

    folded = fold(loser.name)
    if (
        folded != fold(survivor.name)
        and not Alias.objects.filter(actor=survivor, normalized=folded, language="").exists()
    ):
        Alias.objects.create(actor=survivor, text=loser.name, kind=AliasKind.NAME)
        report.alias_added = loser.name

    if not survivor.wikidata_qid and loser.wikidata_qid:
        # The QID is unique: free it on the loser before the survivor takes it.
        qid = loser.wikidata_qid
        Actor.objects.filter(pk=loser.pk).update(wikidata_qid="")
        Actor.objects.filter(pk=survivor.pk).update(wikidata_qid=qid)
    Actor.objects.filter(pk=loser.pk).update(merged_into=survivor)
    loser.refresh_from_db()
    survivor.refresh_from_db()
    # Rows moved with update(), which sends no signals: save both so their search entries
    # (name + aliases) are rebuilt and the loser drops out of the survivor's matches.
    survivor.save(update_fields=["updated_at"])
    loser.save(update_fields=["updated_at"])

    data = report.as_log_data()
    log(instance=survivor, action=MERGE_ACTION, user=user, data={**data, "loser_name": loser.name})
    log(instance=loser, action=MERGED_AWAY_ACTION, user=user, data={**data, "survivor_name": survivor.name})
    # Apps above the registry follow the merge here, inside this transaction, so a failing one
    # undoes it all: articles repoint drafts, tagging moves the matcher version, the change log
    # writes its `merged` row (docs/adr/0008, 0009).
    for fn in hooks.get_hooks(AFTER_MERGE_HOOK):
        fn(loser=loser, survivor=survivor)
    return report


@transaction.atomic
def propose_actor(*, name: str, kind: str, description: str = "", user=None) -> Actor:
    """A reporter's new actor (e.g. from a tag suggestion): saved as proposed, public once approved."""
    actor = Actor(name=name.strip(), kind=kind, description=description, review_status=ReviewStatus.PROPOSED)
    actor.full_clean()
    actor.save()
    log(instance=actor, action="wagtail.create", user=user)
    return actor


@transaction.atomic
def approve(*, instance: models.Model, user=None) -> models.Model:
    """Make a proposed actor, place or event public."""
    # A save, not a queryset update: the change log and the tag matcher's registry version
    # listen for saves of registry records.
    instance.review_status = ReviewStatus.APPROVED
    instance.save(update_fields=["review_status"])
    log(instance=instance, action="registry.approve", user=user)
    return instance
