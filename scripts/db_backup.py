"""Back up and restore the Newsdesk database (`make backup`, `make restore`; docs/operations.md).

    python scripts/db_backup.py backup [FILE]          # the database DATABASE_URL names
    python scripts/db_backup.py restore FILE [--into URL]

PostgreSQL: `pg_dump --format=custom` and `pg_restore` in one transaction (all or nothing), safe
while the site runs. SQLite: the online backup API (a consistent copy while others write), and a
restore through the same API so the target's WAL and locks are respected. Restore into an empty
database (or stop the web, worker and scheduler processes first): existing objects are replaced.
Exit status 0 on success; one line on stderr and status 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from newsdesk.settings.database import database_from_env  # noqa: E402


class BackupError(Exception):
    pass


def database(url: str | None) -> dict:
    config = database_from_env(url, default_sqlite_path=BASE_DIR / "db.sqlite3")
    if config["ENGINE"] not in {"django.db.backends.postgresql", "django.db.backends.sqlite3"}:
        raise BackupError(f"cannot back up {config['ENGINE']}: PostgreSQL or SQLite only")
    return config


def libpq_url(url: str) -> str:
    # libpq reads postgres:// and postgresql:// alike; dj-database-url also allows pgsql://.
    scheme, _, rest = url.partition("://")
    return f"postgresql://{rest}" if scheme in {"postgres", "postgresql", "pgsql"} else url


def run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise BackupError(f"{command[0]} failed: {last}")


def sqlite_copy(source: sqlite3.Connection, target: Path) -> None:
    """Copy an open database into `target` in one step: readers and writers of `source` carry on."""
    with sqlite3.connect(target) as destination:
        source.backup(destination)
    destination.close()


def backup(url: str | None, out: Path) -> Path:
    config = database(url)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    if config["ENGINE"].endswith("postgresql"):
        run(
            [
                "pg_dump",
                f"--dbname={libpq_url(url or '')}",
                "--format=custom",
                "--no-owner",
                f"--file={partial}",
            ]
        )
    else:
        path = Path(config["NAME"])
        if not path.exists():
            raise BackupError(f"no SQLite database at {path}")
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            sqlite_copy(source, partial)
        finally:
            source.close()
    # A half-written dump never carries the final name.
    os.replace(partial, out)
    return out


def restore(dump: Path, url: str | None) -> None:
    config = database(url)
    if not dump.is_file():
        raise BackupError(f"no backup file at {dump}")
    if config["ENGINE"].endswith("postgresql"):
        run(
            [
                "pg_restore",
                f"--dbname={libpq_url(url or '')}",
                "--no-owner",
                "--clean",
                "--if-exists",
                "--single-transaction",
                "--exit-on-error",
                str(dump),
            ]
        )
        return
    source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
    try:
        if source.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(f"{dump} is not a sound SQLite database")
        sqlite_copy(source, Path(config["NAME"]))
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{dump} is not a SQLite backup: {error}") from None
    finally:
        source.close()


def default_name(url: str | None) -> Path:
    engine = database(url)["ENGINE"]
    suffix = "dump" if engine.endswith("postgresql") else "sqlite3"
    return BASE_DIR / "backups" / f"newsdesk-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.{suffix}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="action", required=True)
    take = sub.add_parser("backup", help="Write a backup of the DATABASE_URL database.")
    take.add_argument("file", nargs="?", type=Path, help="Where (default backups/newsdesk-<UTC time>.*).")
    put = sub.add_parser("restore", help="Restore a backup into DATABASE_URL (or --into).")
    put.add_argument("file", type=Path)
    put.add_argument("--into", help="Target database URL (default: DATABASE_URL).")
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL") or None
    try:
        if args.action == "backup":
            written = backup(url, args.file or default_name(url))
            print(f"backup written to {written}")
        else:
            restore(args.file, args.into or url)
            print(f"restored {args.file}")
    except (BackupError, OSError, sqlite3.Error) as error:
        print(f"{args.action} failed: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
