"""`manage.py partner_key create|list|revoke`: partner API keys from the command line."""

from __future__ import annotations

from datetime import UTC, datetime, time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from apps.partners import selectors, services
from apps.partners.models import RateTier


def _parse_expiry(raw: str) -> datetime:
    """A date means the end of that UTC day; a date-time without offset is UTC."""
    try:
        # Both raise ValueError for a well-formed but impossible value (2025-02-30, hour 25).
        day = parse_date(raw)
        moment = None if day is not None else parse_datetime(raw)
    except ValueError:
        day = moment = None
    if day is not None:
        return datetime.combine(day, time.max, tzinfo=UTC)
    if moment is None:
        raise CommandError(f"--expires: '{raw}' is not a date (YYYY-MM-DD) or an ISO 8601 date-time.")
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


class Command(BaseCommand):
    help = "Create, list and revoke partner API keys. `create` prints the new key alone on its last line."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a key (and the partner if needed).")
        create.add_argument("--partner", required=True, help="Partner name (created if it does not exist).")
        scope = create.add_mutually_exclusive_group()
        scope.add_argument("--sections", help="Comma-separated section slugs the partner is entitled to.")
        scope.add_argument(
            "--all-sections", action="store_true", help="Entitle the partner to every section."
        )
        create.add_argument("--expires", help="Expiry date (YYYY-MM-DD, end of that UTC day) or date-time.")
        create.add_argument("--label", default="", help="What the key is for.")
        create.add_argument("--tier", choices=RateTier.values, help="Rate-limit tier.")
        sub.add_parser("list", help="List partners and their keys (never the secrets).")
        revoke = sub.add_parser("revoke", help="Revoke a key by its prefix.")
        revoke.add_argument("prefix", help="The key's 12-character prefix (or the whole key).")

    def handle(self, *args, action: str, **options) -> None:
        try:
            getattr(self, f"handle_{action}")(**options)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None

    def handle_create(self, *, partner: str, sections: str | None, all_sections: bool, **options) -> None:
        expires_at = _parse_expiry(options["expires"]) if options.get("expires") else None
        section_slugs = sections.split(",") if sections is not None else None
        if section_slugs is not None and not any(slug.strip() for slug in section_slugs):
            raise CommandError("--sections: give at least one section slug.")
        the_partner, created, new = services.issue_partner_key(
            name=partner,
            section_slugs=section_slugs,
            all_sections=True if all_sections else (False if section_slugs is not None else None),
            rate_tier=options.get("tier"),
            label=options.get("label", ""),
            expires_at=expires_at,
        )
        scope = (
            "all sections"
            if the_partner.all_sections
            else ", ".join(the_partner.sections.values_list("slug", flat=True)) or "no sections"
        )
        self.stdout.write(
            f"{'Created partner' if created else 'Partner'} {the_partner.name} ({scope}); "
            f"key prefix {new.key.prefix}"
            + (f", expires {new.key.expires_at.isoformat()}" if new.key.expires_at else "")
            + ". The key is shown only now:"
        )
        self.stdout.write(new.plaintext)

    def handle_list(self, **options) -> None:
        partners = selectors.partners_with_keys()
        if not partners:
            self.stdout.write("No partners.")
        for partner in partners:
            scope = (
                "all sections" if partner.all_sections else ",".join(s.slug for s in partner.sections.all())
            )
            state = "active" if partner.active else "INACTIVE"
            self.stdout.write(f"{partner.name} [{state}, {partner.rate_tier}] sections: {scope or '-'}")
            for key in partner.keys.all():
                used = key.last_used_at.isoformat() if key.last_used_at else "never"
                expires = key.expires_at.isoformat() if key.expires_at else "never"
                self.stdout.write(
                    f"  {key.prefix}  {key.status:<8} created {key.created_at:%Y-%m-%d}  "
                    f"expires {expires}  last used {used}  {key.label}"
                )

    def handle_revoke(self, *, prefix: str, **options) -> None:
        key = services.revoke_api_key(prefix=prefix)
        self.stdout.write(f"Revoked key {key.prefix} of {key.partner.name} at {key.revoked_at.isoformat()}.")
