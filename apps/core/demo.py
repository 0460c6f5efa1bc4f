"""The demo desk loaded by `manage.py load_demo`: site, groups, workflow, users."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from apps.core import services

DEMO_USERS = [
    # username, first name, last name, group
    ("reporter", "Aminata", "Reporter", services.REPORTERS),
    ("editor", "Ibrahim", "Editor", services.EDITORS),
]


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
        user.groups.set([groups[group_name]])
    return report
