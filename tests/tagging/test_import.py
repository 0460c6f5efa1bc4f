"""manage.py import_wire: drafts with suggested tags, idempotent, atomic, malformed files refused."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from apps.articles.models import ArticlePage
from apps.tagging import services
from apps.tagging.models import WireImport
from apps.tagging.wire import read_file

WIRE = Path(__file__).resolve().parent.parent / "data" / "wire"
ROOT = Path(settings.BASE_DIR)


def drafts(section) -> list[ArticlePage]:
    return list(ArticlePage.objects.child_of(section).order_by("pk"))


@pytest.mark.django_db
def test_a_text_item_becomes_a_draft_with_attribution_dateline_and_unconfirmed_tags(
    sahel, demo_registry, capsys
):
    call_command("import_wire", str(WIRE / "sahel_story.txt"), "--section", "sahel")
    (page,) = [p for p in drafts(sahel) if p.title == "Niger and Mali agree to pool border patrols"]
    assert not page.live and page.has_unpublished_changes
    assert page.syndication_rights == "agency"
    assert page.source_attribution == "By Awa Keita, Sahel Wire"
    assert page.dateline.slug == "niamey"
    assert page.standfirst.startswith("The two juntas say")
    draft = page.get_latest_revision_as_object()
    tags = {t.actor.slug: t for t in draft.actor_tags.all()}
    assert {"niger", "mali"} <= set(tags)
    assert all(t.origin == "suggested" and not t.confirmed for t in tags.values())
    assert {t.place.slug for t in draft.place_tags.all()} >= {"niamey", "liptako-gourma"}
    record = WireImport.objects.get(page=page)
    assert record.item_date.date().isoformat() == "2025-05-12"
    assert "1 draft(s) created" in capsys.readouterr().out


@pytest.mark.django_db
def test_importing_the_same_file_twice_creates_one_draft(sahel):
    before = len(drafts(sahel))
    for _ in range(2):
        call_command("import_wire", str(WIRE / "feed.rss"), str(WIRE / "two_items.txt"), "--section", "sahel")
    assert len(drafts(sahel)) == before + 4
    assert WireImport.objects.count() == 4


@pytest.mark.django_db
def test_the_same_story_under_another_file_name_is_still_one_draft(sahel, tmp_path):
    copy = tmp_path / "copy.txt"
    shutil.copy(WIRE / "sahel_story.txt", copy)
    call_command("import_wire", str(WIRE / "sahel_story.txt"), "--section", "sahel")
    call_command("import_wire", str(copy), "--section", "sahel")
    assert WireImport.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["bad.rss", "bad.html", "bad.ninjs.json", "bad.txt"])
def test_a_malformed_file_exits_non_zero_naming_it_and_writes_nothing(sahel, name):
    fmt = "html" if name == "bad.html" else "auto"
    pages = ArticlePage.objects.count()
    with pytest.raises(CommandError, match=rf"{name}: "):
        call_command("import_wire", str(WIRE / name), "--section", "sahel", "--format", fmt)
    assert ArticlePage.objects.count() == pages
    assert WireImport.objects.count() == 0


@pytest.mark.django_db
def test_good_files_next_to_a_bad_one_are_imported_and_the_run_still_fails(sahel):
    with pytest.raises(CommandError, match=r"bad\.rss"):
        call_command("import_wire", str(WIRE / "feed.atom"), str(WIRE / "bad.rss"), "--section", "sahel")
    assert WireImport.objects.count() == 1


@pytest.mark.django_db
def test_an_unknown_section_is_one_clear_error(desk):
    with pytest.raises(CommandError, match="no section with slug 'nowhere'"):
        call_command("import_wire", str(WIRE / "feed.atom"), "--section", "nowhere")


@pytest.mark.django_db
def test_an_item_fails_as_a_whole(sahel, monkeypatch):
    """A failure after the record and the page were written leaves neither behind."""
    (item,) = read_file(WIRE / "feed.atom")
    pages = ArticlePage.objects.count()

    def tagging_fails(item):
        assert ArticlePage.objects.count() == pages + 1  # the page exists at this point
        raise RuntimeError("suggestions failed")

    monkeypatch.setattr(services, "_suggested_tags", tagging_fails)
    with pytest.raises(RuntimeError):
        services.import_item(item=item, section=sahel, source="feed.atom")
    assert ArticlePage.objects.count() == pages and WireImport.objects.count() == 0


@pytest.mark.django_db
def test_ninjs_and_html_imports(sahel):
    call_command("import_wire", str(WIRE / "item.ninjs.json"), str(WIRE / "page.html"), "--section", "sahel")
    titles = {p.title for p in drafts(sahel)}
    assert {"AES ministers hold talks with Lavrov in Moscow", "Mali reopens schools in the north"} <= titles
    assert WireImport.objects.filter(key="id:urn:newsml:wire.example:2025:ninjs-77").exists()


# ------------------------------------------------------------------ concurrency, real processes


def _run_imports(paths: list[Path]) -> list[subprocess.CompletedProcess]:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsdesk.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
    }
    procs = [
        subprocess.Popen(
            [sys.executable, "manage.py", "import_wire", str(path), "--section", "sahel"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in paths
    ]
    return [subprocess.CompletedProcess(p.args, p.wait(timeout=300), *p.communicate()) for p in procs]


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_four_concurrent_imports_of_one_file_make_one_draft(sahel):
    before = len(drafts(sahel))
    results = _run_imports([WIRE / "feed.atom"] * 4)
    assert [r.returncode for r in results] == [0, 0, 0, 0], [r.stderr for r in results]
    assert len(drafts(sahel)) == before + 1
    assert WireImport.objects.count() == 1


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_four_different_files_imported_concurrently_make_four_drafts(sahel, tmp_path):
    paths = []
    for n in range(4):
        path = tmp_path / f"item{n}.txt"
        path.write_text(
            f"Sahel desk test item number {n}\n\nBAMAKO (Sahel Wire) — Paragraph for item {n} of the concurrency test.\n"
        )
        paths.append(path)
    before = len(drafts(sahel))
    results = _run_imports(paths)
    assert [r.returncode for r in results] == [0, 0, 0, 0], [r.stderr for r in results]
    new = drafts(sahel)[before:]
    assert len(new) == 4
    assert len({p.path for p in new}) == 4
    sahel.refresh_from_db()
    assert sahel.numchild == len(drafts(sahel))


def test_a_wire_date_with_no_utc_equivalent_imports_without_a_date(sahel, tmp_path):
    story = tmp_path / "far.txt"
    story.write_text(
        "Chad reopens a far border post\n\nPublished: 9999-12-31T23:00-05:00\n\nChad reopened a post.\n",
        encoding="utf-8",
    )
    call_command("import_wire", str(story), "--section", "sahel")
    assert WireImport.objects.get().item_date is None
