"""`load_demo` again on an unchanged demo writes nothing and keeps what editors changed (#11.13);
a failing loader leaves the database as it was, with one line and a non-zero exit."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from wagtail import hooks
from wagtail.models import Page, Revision

from apps.articles.models import ArticlePage, Author
from apps.changes.models import Change, ObjectState
from apps.core.demo import DemoLoader
from apps.core.models import HomePage, SectionPage

pytestmark = pytest.mark.django_db


def _footprint() -> dict[str, int]:
    return {
        "changes": Change.objects.count(),
        "object_states": ObjectState.objects.count(),
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "authors": Author.objects.count(),
    }


def _load_demo() -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


# One test, three runs: loading the demo costs seconds, so each run is used for a claim.
def test_rerunning_writes_nothing_and_keeps_what_editors_changed(desk):
    _load_demo()
    before = _footprint()
    assert before["changes"] > 0  # the first run did write to the change log: the count can see rows
    _load_demo()
    assert _footprint() == before

    author = Author.objects.get(slug="mariam-keita")
    author.job_title = "Bureau chief, Bamako"
    author.save()
    article = ArticlePage.objects.live().filter(section__slug="sahel").order_by("pk").first()
    article.title = "An editor's better headline"
    article.save_revision().publish()
    moved = ArticlePage.objects.filter(section__slug="sahel").exclude(pk=article.pk).order_by("pk").first()
    moved.move(SectionPage.objects.get(slug="west-africa"), pos="last-child")  # fresh numchild
    home = HomePage.objects.get()
    home.intro = "<p>The desk's own welcome.</p>"
    home.save_revision().publish()
    editor = get_user_model().objects.get(username="editor")
    editor.groups.add(Group.objects.create(name="Night desk"))
    edited = _footprint()

    _load_demo()

    assert _footprint() == edited  # the moved article was not created again either
    assert Author.objects.get(slug="mariam-keita").job_title == "Bureau chief, Bamako"
    assert ArticlePage.objects.get(pk=article.pk).title == "An editor's better headline"
    assert HomePage.objects.get().intro == "<p>The desk's own welcome.</p>"
    assert set(editor.groups.values_list("name", flat=True)) == {"Editors", "Night desk"}


def test_a_failing_loader_changes_nothing_and_exits_with_one_line(desk):
    def broken() -> str:
        Author.objects.create(name="Half-written author")
        raise RuntimeError("the registry file is missing")

    before = _footprint()
    loader = lambda: DemoLoader(99, "broken", broken)  # noqa: E731
    with hooks.register_temporarily("register_demo_loader", loader), pytest.raises(CommandError) as error:
        _load_demo()
    assert (
        str(error.value)
        == "load_demo failed, nothing was changed: RuntimeError: the registry file is missing"
    )
    assert "\n" not in str(error.value)
    assert _footprint() == before
