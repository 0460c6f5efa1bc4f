"""The demo desk loaded by `manage.py load_demo`: site, groups, workflow, users.

Every app adds its part through the `register_demo_loader` hook: fn() -> DemoLoader(order,
name, load), where load() takes no arguments, is idempotent and returns a short summary line
or None. Core loads at 0, registry 10, articles 20, partners 30 (docs/adr/0008).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import transaction
from wagtail import hooks

from apps.core import services

DEMO_USERS = [
    # username, first name, last name, group
    ("reporter", "Aminata", "Reporter", services.REPORTERS),
    ("editor", "Ibrahim", "Editor", services.EDITORS),
]


DEMO_LOADER_HOOK = "register_demo_loader"


class DemoLoader(NamedTuple):
    # A tuple, so an app that may not import core (the registry) registers a plain
    # (order, name, load) tuple of the same shape.
    order: int
    name: str
    load: Callable[[], str | None]


def registered_loaders() -> list[DemoLoader]:
    """Every app's demo loader, lowest order first."""
    loaders = [DemoLoader._make(register()) for register in hooks.get_hooks(DEMO_LOADER_HOOK)]
    return sorted(loaders, key=lambda loader: (loader.order, loader.name))


@transaction.atomic
def load_demo() -> list[str]:
    """Run every loader in one transaction: a failing loader leaves the database as it was."""
    summaries = []
    for loader in registered_loaders():
        summary = loader.load()
        if summary:
            summaries.append(str(summary))
    return summaries


@dataclass
class DemoReport:
    created_users: list[str] = field(default_factory=list)
    generated_password: str | None = None


@transaction.atomic
def load_demo_desk() -> DemoReport:
    report = DemoReport()
    home = services.ensure_site_tree()
    reporters, editors = services.ensure_desk_groups(home)
    services.ensure_desk_workflow(home, editors)
    groups = {reporters.name: reporters, editors.name: editors}

    User = get_user_model()
    password = os.environ.get("DEMO_PASSWORD") or None
    for username, first, last, group_name in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            if password is None:
                password = secrets.token_urlsafe(12)
                report.generated_password = password
            user = User.objects.create_user(
                username=username,
                email=f"{username}@newsdesk.invalid",
                password=password,
                first_name=first,
                last_name=last,
            )
            report.created_users.append(username)
        # add, not set: groups an administrator gave the user since stay.
        user.groups.add(groups[group_name])
    return report


def load_core_demo() -> str | None:
    """The core loader: the desk, and the demo password when this run generated it."""
    report = load_demo_desk()
    lines = [f"created user {username!r}" for username in report.created_users]
    if report.generated_password:
        lines.append(
            f"Demo password for {', '.join(report.created_users)}: {report.generated_password}\n"
            "(shown once; set DEMO_PASSWORD to choose it)"
        )
    return "\n".join(lines) or None
