"""Build DATABASES from the environment.

SQLite is the embedded default; ``DATABASE_URL`` switches to PostgreSQL (or any engine
dj-database-url understands). SQLite is tuned so the web server, the task worker and the
scheduler can share one file without "database is locked" (see docs/adr/0001-stack.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url

# Seconds a writer waits for the lock before giving up (sqlite3's busy timeout).
SQLITE_BUSY_TIMEOUT_S = 20

SQLITE_OPTIONS: dict[str, Any] = {
    # Take the write lock at BEGIN, so two writers queue on the busy timeout instead of
    # one failing on lock upgrade (SQLITE_BUSY is not retried inside a deferred transaction).
    "transaction_mode": "IMMEDIATE",
    "timeout": SQLITE_BUSY_TIMEOUT_S,
    # WAL lets readers carry on while one process writes; NORMAL sync is safe with WAL.
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000};"
        "PRAGMA foreign_keys=ON;"
    ),
}

# PostgreSQL: psycopg prepares a statement server-side after this many executions of the same SQL
# text on a connection, and PostgreSQL then keeps its plan (a generic plan after 5 custom ones,
# when the planner finds it no dearer), so the partner API's page query stops being planned on
# every request (docs/adr/0016-notes/planning.md). Needs server-side parameter binding (Django's
# default binds on the client and never prepares). "off" binds on the client as Django does:
# for a transaction-mode pooler that cannot keep prepared statements (pgbouncer < 1.21, or
# without max_prepared_statements).
DEFAULT_PREPARE_THRESHOLD = "5"


def postgresql_options(prepare_threshold: str | None) -> dict[str, Any]:
    """The psycopg OPTIONS for a ``DATABASE_PREPARE_THRESHOLD`` value (unset: the default)."""
    value = (prepare_threshold if prepare_threshold is not None else DEFAULT_PREPARE_THRESHOLD).strip()
    if value.lower() in {"", "off"}:
        return {}
    threshold = int(value)
    if threshold < 0:
        raise ValueError(f"DATABASE_PREPARE_THRESHOLD must be 0 or more, or 'off' (got {value!r})")
    return {"server_side_binding": True, "prepare_threshold": threshold}


def database_from_env(
    url: str | None, *, default_sqlite_path: Path, prepare_threshold: str | None = None
) -> dict[str, Any]:
    """Return the ``default`` database settings for ``url`` (or the SQLite default);
    ``prepare_threshold`` is ``DATABASE_PREPARE_THRESHOLD`` (PostgreSQL only)."""
    if not url:
        url = f"sqlite:///{default_sqlite_path}"
    config: dict[str, Any] = dj_database_url.parse(url, conn_max_age=0)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    elif config["ENGINE"] == "django.db.backends.postgresql":
        config["CONN_HEALTH_CHECKS"] = True
        config["OPTIONS"] = {**postgresql_options(prepare_threshold), **config.get("OPTIONS", {})}
    return config
