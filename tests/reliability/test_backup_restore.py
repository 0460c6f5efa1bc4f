"""The restore drill: back up, restore into a fresh database, and find every published article,
tag, actor, relation, event, partner and change-log entry identical (scripts/db_backup.py)."""

from __future__ import annotations

import os
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from apps.articles.models import ArticleActor, ArticleEvent, ArticlePlace
from tests.factories import ArticlePageFactory
from tests.partners.factories import PartnerFactory, issue_key
from tests.registry.factories import ParticipantFactory, PlaceFactory, RelationFactory
from tests.reliability.content import content_hashes

BASE_DIR = Path(__file__).resolve().parents[2]
SCRIPT = BASE_DIR / "scripts" / "db_backup.py"


def db_backup(*args: str, database_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def newsroom(sahel):
    """A desk with some of everything: registry records, a tagged story, a draft, a partner."""
    relation = RelationFactory()
    participant = ParticipantFactory(actor=relation.subject)
    place = PlaceFactory(name="Gao")
    issue_key(PartnerFactory(name="Harmattan Weekly", sections=[sahel]))
    ArticlePageFactory(
        parent=sahel,
        title="Border crossing reopens after the rains",
        actor_tags=[ArticleActor(actor=relation.subject)],
        event_tags=[ArticleEvent(event=participant.event)],
        place_tags=[ArticlePlace(place=place)],
    )
    ArticlePageFactory(parent=sahel, title="Unfinished draft on fuel prices", publish=False)


def assert_complete(hashes: dict) -> None:
    # Something of every kind was there to compare (a hash of nothing proves nothing).
    assert all(count > 0 for count, _ in hashes.values()), hashes


def sqlite_hashes(path: Path) -> dict:
    database = sqlite3.connect(path)
    try:
        return content_hashes(database)
    finally:
        database.close()


def postgres_url(name: str) -> str:
    settings = connection.settings_dict
    auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    return f"postgresql://{auth}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{name}"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_postgresql_backup_restores_into_a_fresh_database_identical(newsroom, tmp_path):
    dump = tmp_path / "newsdesk.dump"
    source = postgres_url(connection.settings_dict["NAME"])
    taken = db_backup("backup", str(dump), database_url=source)
    assert taken.returncode == 0, taken.stderr
    fresh = f"newsdesk_rel_restore_{secrets.token_hex(4)}"
    with psycopg.connect(postgres_url("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{fresh}"')
    try:
        put = db_backup("restore", str(dump), "--into", postgres_url(fresh), database_url=source)
        assert put.returncode == 0, put.stderr
        with psycopg.connect(postgres_url(fresh)) as restored:
            copy = content_hashes(restored)
        original = content_hashes(connection)
        assert_complete(original)
        assert copy == original
    finally:
        with psycopg.connect(postgres_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_sqlite_backup_restores_into_a_fresh_file_identical(newsroom, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite drill runs on the SQLite suite")
    from scripts.db_backup import sqlite_copy

    # The test database lives in memory: put it in a file, as a deployment's db.sqlite3 is.
    live = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    sqlite_copy(connection.connection, live)
    dump, restored = tmp_path / "backup.sqlite3", tmp_path / "restored.sqlite3"
    taken = db_backup("backup", str(dump), database_url=f"sqlite:///{live}")
    assert taken.returncode == 0, taken.stderr
    put = db_backup("restore", str(dump), "--into", f"sqlite:///{restored}", database_url=f"sqlite:///{live}")
    assert put.returncode == 0, put.stderr

    # Both read through plain sqlite3 (Django's connection converts dates and booleans).
    copy, original = (sqlite_hashes(restored), sqlite_hashes(live))
    assert_complete(original)
    assert {kind: count for kind, (count, _) in original.items()} == {
        kind: count for kind, (count, _) in content_hashes(connection).items()
    }
    assert copy == original


def test_restoring_something_that_is_not_a_backup_fails_in_one_line(tmp_path):
    junk = tmp_path / "junk.dump"
    junk.write_text("not a backup")
    target = f"sqlite:///{tmp_path / 'target.sqlite3'}"
    if connection.vendor == "postgresql":
        target = postgres_url(connection.settings_dict["NAME"])
    put = db_backup("restore", str(junk), "--into", target, database_url=target)
    assert put.returncode == 1
    assert put.stderr.startswith("restore failed:") and len(put.stderr.strip().splitlines()) == 1
    missing = db_backup("restore", str(tmp_path / "absent.dump"), database_url=target)
    assert (missing.returncode, missing.stderr.strip()) == (
        1,
        f"restore failed: no backup file at {tmp_path / 'absent.dump'}",
    )
