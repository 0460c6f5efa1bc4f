"""The article editor's form: errors an editor must see where they are working, saves that
never trip over rows a concurrent autosave just wrote, and a draft save whose queries do not grow
with the number of tag, byline and correction rows."""

from __future__ import annotations

import math
import operator
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import EmptyResultSet, FieldDoesNotExist, ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import Q, Value
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page

from apps.articles.blocks import read_chosen


def _once_per_page_field(formset) -> str | None:
    """The field a child row may hold only once per page (its UniqueConstraint with the page)."""
    parent = formset.fk.name
    for constraint in formset.model._meta.constraints:
        fields = getattr(constraint, "fields", ())
        if isinstance(constraint, models.UniqueConstraint) and len(fields) == 2 and parent in fields:
            return next(field for field in fields if field != parent)
    return None


def _load_chosen_records(formset) -> None:
    """The records a formset's choosers show (a tag's actor, a byline's author), in one query:
    each chooser would otherwise fetch its own record as it renders, one query per row."""
    target = _once_per_page_field(formset)
    if target is None:
        return
    field = formset.model._meta.get_field(target)
    ids = {getattr(form.instance, field.attname) for form in formset.forms} - {None}
    records = field.related_model._default_manager.in_bulk(ids)
    for form in formset.forms:
        widget = form.fields[target].widget
        if records and hasattr(widget, "get_instance"):
            lookup = widget.get_instance
            widget.get_instance = lambda value, lookup=lookup: records.get(value) or lookup(value)


# A bound formset's rows, validated with a few queries per formset instead of a few per row.
#
# Django validates each row of an inline formset on its own: every ModelChoiceField (the chooser,
# the row's hidden id) fetches its record, every foreign key is checked to exist, every check
# constraint is a query in a savepoint. Below is the same validation, with the same errors: the
# values every row sent for a field are read in one query, a foreign key whose record the chooser
# has just read is not read again, and check constraints made of plain comparisons are evaluated
# in memory as SQL would (three-valued); anything else goes through Django's own code.

_UNREAD = object()  # "this read cannot say": the field looks the value up itself


class _RecordsReadOnce:
    """The records one ModelChoiceField chose on every row of a formset, read in one query when
    the first row is cleaned. Only values found are answered from here: a value that is not found
    (or cannot be converted) is looked up by the field itself, which raises its usual error."""

    def __init__(self, queryset: models.QuerySet, raw_values: set[str]) -> None:
        self.queryset = queryset
        self.raw_values = raw_values
        self.records: dict[str, models.Model] | None = None

    def get(self, raw: Any):
        if not isinstance(raw, str) or raw not in self.raw_values:
            return _UNREAD
        if self.records is None:
            self.records = self._read()
        return self.records.get(raw, _UNREAD)

    def _read(self) -> dict[str, models.Model]:
        pk = self.queryset.model._meta.pk
        keys = {}
        for raw in self.raw_values:
            try:
                keys[raw] = pk.to_python(raw)
            except (ValidationError, ValueError, TypeError):
                continue
        found = self.queryset.in_bulk(set(keys.values()))
        return {raw: found[key] for raw, key in keys.items() if key in found}

    def has_record(self, target: models.Field, value: Any) -> bool:
        """Whether a record whose `target` field holds `value` was read (never queries)."""
        if value is None or not self.records:
            return False
        return any(getattr(record, target.attname) == value for record in self.records.values())


def _reads_once(field: forms.Field) -> bool:
    """A single-record ModelChoiceField that looks its value up by primary key, Django's way."""
    return (
        isinstance(field, forms.ModelChoiceField)
        and not isinstance(field, forms.ModelMultipleChoiceField)
        and type(field).to_python is forms.ModelChoiceField.to_python
        and not field.disabled
        and field.queryset is not None
        and field.to_field_name in (None, field.queryset.model._meta.pk.name)
        and not field.queryset.query.is_sliced
        and not field.queryset.query.distinct_fields
        and not field.queryset.query.combinator
    )


def _choice_read_once(field: forms.ModelChoiceField, reads: _RecordsReadOnce):
    own_lookup = field.to_python

    def to_python(value):
        record = reads.get(value)
        return own_lookup(value) if record is _UNREAD else record

    return to_python


def _trusted_foreign_keys(formset, reads: dict[str, _RecordsReadOnce]) -> dict[str, _RecordsReadOnce]:
    """The row's foreign keys whose existence check the chooser's read answers: the chooser is the
    key's own form field, reads the key's model, and the check would ask nothing more (no
    limit_choices_to, Django's plain base manager, no validators or choices)."""
    trusted = {}
    for name, read in reads.items():
        try:
            field = formset.model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if (
            isinstance(field, models.ForeignKey)
            and field is not formset.fk
            and read.queryset.model is field.related_model
            and field.target_field.primary_key
            and field.related_model._meta.base_manager_name is None
            and not field.get_limit_choices_to()
            and not field.validators
            and not field.choices
        ):
            trusted[name] = read
    return trusted


def _read_choices_once(formset) -> list[tuple[Any, dict[str, _RecordsReadOnce]]]:
    """Point each row's ModelChoiceFields (the chooser, the row's own id) at one read per field
    for all rows, and return each row form with the foreign keys that read vouches for."""
    groups: dict[tuple[str, str], list[tuple[Any, forms.ModelChoiceField, Any]]] = {}
    for form in formset.forms:
        for name, field in form.fields.items():
            if not _reads_once(field):
                continue
            try:
                query = str(field.queryset.query)
            except EmptyResultSet:
                continue
            groups.setdefault((name, query), []).append((form, field, form[name].data))
    reads_by_form: dict[int, dict[str, _RecordsReadOnce]] = {}
    for (name, _query), rows in groups.items():
        raw_values = {
            raw for _form, field, raw in rows if isinstance(raw, str) and raw not in field.empty_values
        }
        if not raw_values:
            continue
        reads = _RecordsReadOnce(rows[0][1].queryset, raw_values)
        for form, field, _raw in rows:
            field.to_python = _choice_read_once(field, reads)
            reads_by_form.setdefault(id(form), {})[name] = reads
    return [(form, _trusted_foreign_keys(formset, reads_by_form.get(id(form), {}))) for form in formset.forms]


_UNDECIDED = object()  # a condition the in-memory evaluation does not handle
_MISSING = object()  # the condition names a field left out of validation (Django: FieldError)
_COMPARE = {"gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}


def _kind(value: Any):
    """Values compared alike in Python and in SQL: booleans, strings (equality only: ordering
    depends on the collation), and finite numbers of one family."""
    if isinstance(value, bool):
        return bool
    if isinstance(value, str):
        return str
    if isinstance(value, int):
        return int
    if isinstance(value, float):
        return float if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return Decimal if value.is_finite() else None
    return None


def _comparable(value: Any, other: Any) -> bool:
    kinds = {_kind(value), _kind(other)}
    return None not in kinds and (len(kinds) == 1 or kinds in ({int, float}, {int, Decimal}))


def _leaf(lookup: Any, rhs: Any, against: dict[str, Any]):
    if not isinstance(lookup, str) or hasattr(rhs, "resolve_expression"):
        return _UNDECIDED
    name, _, op = lookup.partition("__")
    op = op or "exact"
    if name not in against:
        return _MISSING
    expression = against[name]
    if type(expression) is not Value:
        return _UNDECIDED
    value = expression.value
    if op == "isnull":
        return (value is None) == rhs if isinstance(rhs, bool) else _UNDECIDED
    if op == "exact" and rhs is None:
        return value is None
    if op == "in":
        if not isinstance(rhs, list | tuple | set | frozenset) or not rhs:
            return _UNDECIDED
        if value is None:
            return None
        if not all(item is not None and _comparable(value, item) for item in rhs):
            return _UNDECIDED
        return value in rhs
    if op == "exact" or op in _COMPARE:
        if value is None:
            return None
        if not _comparable(value, rhs) or (op != "exact" and _kind(value) in (str, bool)):
            return _UNDECIDED
        return value == rhs if op == "exact" else _COMPARE[op](value, rhs)
    return _UNDECIDED


def _evaluate(node: Q, against: dict[str, Any]):
    """True, False or None (SQL's unknown) for `node` on the row's values, _MISSING if it names
    a field left out of validation, _UNDECIDED if it is not made of plain comparisons."""
    if not node.children or node.connector not in (Q.AND, Q.OR):
        return _UNDECIDED
    results = []
    for child in node.children:
        if isinstance(child, Q):
            result = _evaluate(child, against)
        elif isinstance(child, tuple) and len(child) == 2:
            result = _leaf(*child, against)
        else:
            result = _UNDECIDED
        if result is _UNDECIDED:
            return _UNDECIDED
        results.append(result)
    if any(result is _MISSING for result in results):
        return _MISSING
    if node.connector == Q.AND:
        verdict = False if False in results else None if None in results else True
    else:
        verdict = True if True in results else None if None in results else False
    return (not verdict) if node.negated and verdict is not None else verdict


class _CheckInMemory:
    """A CheckConstraint validated without a query when its condition is plain comparisons of
    the row's own values; otherwise (and for everything else about it) the constraint itself."""

    def __init__(self, constraint: models.CheckConstraint) -> None:
        self.constraint = constraint

    def __getattr__(self, name: str):
        return getattr(self.constraint, name)

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS) -> None:
        condition = self.constraint.condition
        against = instance._get_field_expression_map(meta=model._meta, exclude=exclude)
        verdict = _evaluate(condition, against) if isinstance(condition, Q) else _UNDECIDED
        if verdict is _UNDECIDED:
            self.constraint.validate(model, instance, exclude=exclude, using=using)
            return
        # Django's check: the row passes unless the condition is false (unknown passes where the
        # database can compare boolean expressions, as Coalesce(condition, True) does).
        if verdict is None and not connections[using].features.supports_comparing_boolean_expr:
            verdict = False
        if verdict is False:
            raise ValidationError(
                self.constraint.get_violation_error_message(), code=self.constraint.violation_error_code
            )


def _with_checks_in_memory(instance):
    own = instance.get_constraints

    def get_constraints():
        return [
            (model, [_CheckInMemory(c) if isinstance(c, models.CheckConstraint) else c for c in constraints])
            for model, constraints in own()
        ]

    return get_constraints


def _trusting_foreign_keys(instance, trusted: dict[str, _RecordsReadOnce]):
    own = instance.clean_fields
    fields = {name: instance._meta.get_field(name) for name in trusted}

    def clean_fields(exclude=None):
        read = {
            name
            for name, field in fields.items()
            if trusted[name].has_record(field.target_field, getattr(instance, field.attname))
        }
        return own(exclude={*(exclude or ()), *read})

    return clean_fields


@contextmanager
def _validated_in_bulk(instance, rows: list[tuple[Any, dict[str, _RecordsReadOnce]]]) -> Iterator[None]:
    """While the page form and its formsets validate: check constraints in memory on the page and
    its rows, and the rows' foreign keys their choosers read not read again. Instance attributes,
    removed afterwards, so the rows the formsets save are plain model instances."""
    patched = [(instance, "get_constraints", _with_checks_in_memory(instance))]
    for form, trusted in rows:
        patched.append((form.instance, "get_constraints", _with_checks_in_memory(form.instance)))
        if trusted:
            patched.append((form.instance, "clean_fields", _trusting_foreign_keys(form.instance, trusted)))
    for obj, name, method in patched:
        obj.__dict__[name] = method
    try:
        yield
    finally:
        for obj, name, _method in patched:
            obj.__dict__.pop(name, None)


class ArticlePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._rows_read_once: list[tuple[Any, dict[str, _RecordsReadOnce]]] = []
        for formset in self.formsets.values():
            if self.is_bound:
                self._claim_rows_saved_since_loading(formset)
                if formset.model._meta.app_label == "articles":  # bylines, corrections, tags
                    self._rows_read_once += _read_choices_once(formset)
            else:
                _load_chosen_records(formset)

    def is_valid(self) -> bool:
        with _validated_in_bulk(self.instance, self._rows_read_once), self._body_choosers_read():
            return super().is_valid()

    def _body_choosers_read(self):
        """The body's image and related-article records, one query per chooser (blocks.read_chosen)."""
        field = self.fields.get("body")
        if not self.is_bound or field is None:
            return nullcontext()
        return read_chosen(field.block, self.data, self.add_prefix("body"))

    def _claim_rows_saved_since_loading(self, formset) -> None:
        """Point a row sent without an id at the page's row for the same record, if the form
        never had that row: an autosave still in flight when the editor pressed Submit created it,
        and the stale form re-sends it without the id the autosave's answer would have filled
        in. modelcluster then updates the row instead of inserting a twin (an IntegrityError)."""
        target = _once_per_page_field(formset)
        if target is None:
            return
        pk_name = formset.model._meta.pk.name
        sent_ids = {str(self.data.get(f"{form.prefix}-{pk_name}") or "") for form in formset.forms}
        saved_since = {
            str(row.serializable_value(target)): row
            for row in formset.get_queryset()
            if row.pk is not None and str(row.pk) not in sent_ids
        }
        for form in formset.forms:
            if form.instance.pk is not None or self.data.get(f"{form.prefix}-DELETE"):
                continue
            row = saved_since.pop(str(self.data.get(f"{form.prefix}-{target}") or ""), None)
            if row is not None:
                # The submitted values go onto the saved row when the form is cleaned; fields
                # not in the form (e.g. a tag's origin) keep what was saved.
                form.instance = row

    def clean(self):
        slug = self.cleaned_data.get("slug")  # before Wagtail's check drops it from cleaned_data
        cleaned_data = super().clean()
        # Wagtail reports a clashing slug on the Promote tab only; the title is on Content, where
        # the editor is, and the slug usually comes from it.
        if (
            slug
            and "title" in self.fields
            and not Page._slug_is_available(slug, self.parent_page, self.instance)
        ):
            self.add_error(
                "title",
                forms.ValidationError(
                    "Another story in this section already has the address '%(slug)s'. Change the "
                    "headline, or the slug on the Promote tab.",
                    code="slug_clash",
                    params={"slug": slug},
                ),
            )
        return cleaned_data
