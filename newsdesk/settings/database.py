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


def database_from_env(url: str | None, *, default_sqlite_path: Path) -> dict[str, Any]:
    """Return the ``default`` database settings for ``url`` (or the SQLite default)."""
    if not url:
        url = f"sqlite:///{default_sqlite_path}"
    config: dict[str, Any] = dj_database_url.parse(url, conn_max_age=0)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    elif config["ENGINE"] == "django.db.backends.postgresql":
        config["CONN_HEALTH_CHECKS"] = True
    return config
