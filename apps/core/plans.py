"""PostgreSQL's generic plans for statements whose best plan does not depend on their values.

Django prepares a statement on PostgreSQL after DATABASE_PREPARE_THRESHOLD runs
(newsdesk/settings/database.py). PostgreSQL then plans it afresh with each call's values for five
calls and afterwards keeps a generic plan only if its estimated cost is no worse than theirs. For
the articles list with a section or date filter and for the change feed the estimate is worse,
though the generic plan runs as fast: so every call paid 3-6 ms of planning for a 1-2 ms
statement (docs/adr/0016-notes/plans.md). `generic_plans()` makes the statements run inside it
take the generic plan. Only where the plan cannot depend on the values: a tag filter's best plan
depends on how many articles carry the tag, and its generic plan took 3.2 s instead of 10 ms.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction


def generic_plans_apply(connection) -> bool:
    """PostgreSQL with prepared statements on (connected): without them (DATABASE_PREPARE_THRESHOLD=off, for a
    transaction pooler) a generic plan would be built afresh per call, and a session setting
    could outlive the request on a pooled server connection."""
    if connection.vendor != "postgresql":
        return False
    connection.ensure_connection()
    return connection.connection.prepare_threshold is not None


@contextmanager
def generic_plans(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Statements run inside take PostgreSQL's generic plan (`plan_cache_mode`); elsewhere, or
    without prepared statements, nothing changes.

    The setting is SET LOCAL in a transaction around the block, so it never outlives it, even on
    a server connection a transaction pooler hands to another client next (a session SET would).
    Costs BEGIN, SET and COMMIT (~0.1 ms each); inside a caller's transaction, SET and a SET back.
    If a statement inside fails, the rollback undoes the setting: nothing more is sent."""
    connection = connections[using]
    if not generic_plans_apply(connection) or getattr(connection, "generic_plans_depth", 0):
        yield  # not PostgreSQL with prepared statements, or already inside
        return
    outer = connection.in_atomic_block
    with transaction.atomic(using=using, savepoint=False):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        connection.generic_plans_depth = 1
        try:
            yield
        finally:
            connection.generic_plans_depth = 0
        if outer:  # the caller's transaction goes on: its later statements plan as before
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL plan_cache_mode TO DEFAULT")
