"""ORM querysets compiled to SQL once per process, their per-request values filled in per call.

Building and compiling a queryset costs milliseconds on every request; its SQL depends only on
the query's shape. So a statement is built once with stand-in values (never real ids, keys or
times) where the request's values go, compiled, and every parameter equal to a stand-in becomes
a named slot; a call fills the slots and runs the SQL on a cursor. The rules stay in the
querysets that are compiled: nothing here writes SQL of its own.

Safety: every stand-in must come out as parameters exactly as often as the caller expects (a
stand-in inlined into the SQL text, or compiled away, raises), and none may appear in the text.
`once_per_process` caches a statement per database vendor and shape (e.g. number of sections).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

from apps.core.plans import generic_plans

# A statement part: a queryset, or (sql, params) for SQL wrapped around one by the caller.
Part = QuerySet | tuple[str, Sequence[Any]]
_CONST = object()  # a slot's name when the slot holds the compiled constant itself


def _adapt(value: Any, connection) -> Any:
    """A value as the ORM passes it to the cursor (SQLite takes times as text)."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def _same(stand_in: Any, param: Any) -> bool:
    return stand_in == param and isinstance(stand_in, bool) == isinstance(param, bool)


def _texts(value: Any) -> list[str]:
    values = value if isinstance(value, list | tuple) else [value]
    return [str(item) for item in values]


@dataclass(frozen=True)
class Compiled:
    """SQL with its parameters as slots: (name, type or None) for a per-call value, else
    (_CONST, the compiled value)."""

    sql: str
    slots: tuple[tuple[Any, Any], ...]
    columns: tuple[Any, ...] = ()  # the row's expressions, when rows are read like the ORM's
    using: str = DEFAULT_DB_ALIAS
    generic_plan: bool = False  # run on PostgreSQL's generic plan (apps/core/plans.py)

    def params(self, values: Mapping[Hashable, Any]) -> list[Any]:
        connection = connections[self.using]
        params = []
        for name, extra in self.slots:
            if name is _CONST:
                params.append(extra)
            else:
                value = _adapt(values[name], connection)
                params.append(value if extra is None else extra(value))
        return params

    def fetchall(self, values: Mapping[Hashable, Any]) -> list[tuple]:
        connection = connections[self.using]
        with generic_plans(self.using) if self.generic_plan else nullcontext(), connection.cursor() as cursor:
            cursor.execute(self.sql, self.params(values))
            rows = cursor.fetchall()
        if not self.columns:
            return rows
        # The ORM's from_db_value converters, for this connection (times come as text on SQLite).
        converters = []
        for position, column in enumerate(self.columns):
            convs = [*connection.ops.get_db_converters(column), *column.get_db_converters(connection)]
            if convs:
                converters.append((position, convs, column))
        converted = []
        for row in rows:
            row = list(row)
            for position, convs, column in converters:
                for converter in convs:
                    row[position] = converter(row[position], column, connection)
            converted.append(tuple(row))
        return converted


def sql_of(queryset: QuerySet, using: str = DEFAULT_DB_ALIAS) -> tuple[str, tuple]:
    return queryset.query.get_compiler(using=using).as_sql()


def compile_statement(
    parts: Sequence[Part],
    stand_ins: Mapping[Hashable, Any],
    *,
    expect: Mapping[Hashable, int | None] | None = None,
    combine: Callable[[list[str]], str] | None = None,
    using: str = DEFAULT_DB_ALIAS,
    generic_plan: bool = False,
) -> Compiled:
    """Compile `parts` (built with `stand_ins`: slot name -> stand-in value) into one statement.

    `combine` joins the parts' SQL into one text keeping their order (default: the one part
    alone; then rows are converted as the ORM converts its queryset's, e.g. times on SQLite).
    `expect` gives each name's number of slots (None: at least one; 0: compiled away); default:
    every stand-in at least once. Anything else raises RuntimeError. `generic_plan`: the statement's
    best plan does not depend on its values (apps/core/plans.py)."""
    if combine is None and len(parts) != 1:
        raise ValueError("several parts need a combine function")
    connection = connections[using]
    adapted = [(name, _adapt(value, connection)) for name, value in stand_ins.items()]
    adapted_of = dict(adapted)
    texts, slots, columns = [], [], ()
    for part in parts:
        if isinstance(part, QuerySet):
            compiler = part.query.get_compiler(using=using)
            sql, params = compiler.as_sql()
            if combine is None:
                columns = tuple(column[0] for column in compiler.select[: compiler.col_count])
        else:
            sql, params = part
        texts.append(sql)
        for param in params:
            name = next((name for name, value in adapted if _same(value, param)), _CONST)
            # A per-call value keeps the compiled parameter's type (psycopg's Int4 in expressions).
            kind = type(param) if name is not _CONST and type(param) is not type(adapted_of[name]) else None
            slots.append((name, kind) if name is not _CONST else (_CONST, param))
    sql = texts[0] if combine is None else combine(texts)
    counts = {name: sum(1 for slot, _ in slots if slot == name) for name in stand_ins}
    wanted = expect if expect is not None else dict.fromkeys(stand_ins)
    wrong = {
        name: counts.get(name, 0)
        for name, want in wanted.items()
        if (counts.get(name, 0) == 0 if want is None else counts.get(name, 0) != want)
    }
    wrong.update({name: count for name, count in counts.items() if name not in wanted and count})
    leaked = [name for name, value in adapted if any(text in sql for text in _texts(value))]
    if wrong or leaked:
        raise RuntimeError(f"stand-ins not compiled to parameters as expected: {wrong or ''} {leaked or ''}")
    return Compiled(sql=sql, slots=tuple(slots), columns=columns, using=using, generic_plan=generic_plan)


def once_per_process(build: Callable[..., Compiled]) -> Callable[..., Compiled]:
    """Cache `build(*shape, **shape)` per database vendor and shape (hashable arguments)."""

    @functools.lru_cache(maxsize=128)
    def cached(vendor: str, *shape: Hashable, **named: Hashable) -> Compiled:
        return build(*shape, **named)

    @functools.wraps(build)
    def statement(*shape: Hashable, **named: Hashable) -> Compiled:
        return cached(connections[DEFAULT_DB_ALIAS].vendor, *shape, **named)

    statement.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return statement
