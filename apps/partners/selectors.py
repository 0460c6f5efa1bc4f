"""Reads about partners: key lookup, entitlements and what a partner may see, shared by the
API, the change log and the admin. The two rules live here and nowhere else:

- entitlement: `granted_sections` (what the partner was given) and `entitled_sections` (of those,
  the sections that are public now);
- what a partner may see: `partner_articles`, built from `syndicable_articles` (the articles any
  partner may see in the given sections) and `is_syndicable` (our own copy, never agency copy).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, TextField
from django.db.models.lookups import Exact
from django.utils import timezone

from apps.articles.models import ArticlePage, SyndicationRights
from apps.articles.selectors import visible_articles
from apps.core.compiled import Compiled, compile_statement, once_per_process
from apps.core.models import SectionPage
from apps.core.selectors import public_sections
from apps.partners.keys import parse_key, secret_matches
from apps.partners.models import ApiKey, Partner


class KeyRejected(Exception):
    """The presented key is unknown, malformed, expired or revoked; the message says which."""


class _ValueList(Subquery):
    """A one-column subquery's values as one value, in its order: an array on PostgreSQL, a JSON
    array as text on SQLite (read back by _ids)."""

    template = "ARRAY(%(subquery)s)"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="(SELECT json_group_array(x.entitled_id) FROM (%(subquery)s) x)"
        )


def _as_list(value: list | str) -> list:
    return json.loads(value) if isinstance(value, str) else list(value)


# The key read (key_for_token): one statement, compiled once per process, for the key by its
# prefix, its partner and the partner's entitled section ids. Building and compiling the two ORM
# queries it replaces cost ~14 ms per request on the 100k corpus (docs/adr/0016-notes/fixed-cost.md).
_KEY_FIELDS = tuple(field.attname for field in ApiKey._meta.concrete_fields)
_PARTNER_FIELDS = tuple(field.attname for field in Partner._meta.concrete_fields)
_PREFIX = "~stand-in prefix~"  # never a prefix: a real one is 12 hex digits
_NOW = datetime(2001, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)
# Set on the Partner the key read builds (one per request): entitled_section_ids and
# entitled_section_slugs read them there.
_ENTITLED = "_entitled_section_ids"
_ENTITLED_SLUGS = "_entitled_section_slugs"


@once_per_process
def _key_statement() -> Compiled:
    sections = _entitled_sections_of_outer_key(now=_NOW)
    key = (
        ApiKey.objects.filter(prefix=_PREFIX)
        .order_by()
        .annotate(
            entitled=_ValueList(sections.values(entitled_id=F("pk"))),
            slugs=_ValueList(sections.values(entitled_id=F("slug"))),  # in the same (path) order
        )
        .values_list(*_KEY_FIELDS, *(f"partner__{name}" for name in _PARTNER_FIELDS), "entitled", "slugs")
    )
    return compile_statement([key], {"prefix": _PREFIX, "now": _NOW}, expect={"prefix": 1, "now": None})


def _key_from_row(row: tuple) -> ApiKey:
    """The ApiKey and its Partner as the ORM would build them, with no query of their own."""
    split = len(_KEY_FIELDS)
    key = ApiKey.from_db(DEFAULT_DB_ALIAS, _KEY_FIELDS, row[:split])
    partner = Partner.from_db(DEFAULT_DB_ALIAS, _PARTNER_FIELDS, row[split:-2])
    setattr(partner, _ENTITLED, _as_list(row[-2]))
    setattr(partner, _ENTITLED_SLUGS, _as_list(row[-1]))
    ApiKey.partner.field.set_cached_value(key, partner)
    return key


def key_for_token(token: str, *, now: datetime | None = None) -> ApiKey:
    """The live key a bearer token stands for, else KeyRejected. Its partner is loaded, with the
    sections it is entitled to at `now` (entitled_section_ids answers from them), in one query."""
    parsed = parse_key(token)
    if parsed is None:
        raise KeyRejected("The API key is malformed.")
    prefix, secret = parsed
    now = now or timezone.now()
    rows = _key_statement().fetchall({"prefix": prefix, "now": now})
    key = _key_from_row(rows[0]) if rows else None
    # Same message for an unknown prefix and a wrong secret: no oracle for valid prefixes.
    if key is None or not secret_matches(key.secret_hash, prefix, secret):
        raise KeyRejected("The API key is not recognised.")
    if key.revoked_at is not None:
        raise KeyRejected("The API key has been revoked.")
    if key.expires_at is not None and key.expires_at <= now:
        raise KeyRejected("The API key has expired.")
    return key


def granted_sections(partner: Partner) -> QuerySet[SectionPage]:
    """Sections the partner was given, public or not ('all sections' includes later ones)."""
    sections = SectionPage.objects.all()
    return sections if partner.all_sections else sections.filter(pk__in=partner.sections.values("pk"))


def entitled_sections(partner: Partner, *, now: datetime | None = None) -> QuerySet[SectionPage]:
    """Live, public sections the partner may read (lazy: usable as a subquery)."""
    sections = public_sections(now=now)
    if not partner.all_sections:
        sections = sections.filter(pk__in=partner.sections.values("pk"))
    return sections.order_by("path")


def _entitled_sections_of_outer_key(*, now: datetime) -> QuerySet[SectionPage]:
    """entitled_sections for the partner of the ApiKey row of an outer query: the same rule,
    with 'all sections' and the grants read from that row (a correlated subquery)."""
    granted = Partner.sections.through.objects.filter(
        partner_id=OuterRef(OuterRef("partner_id")), sectionpage_id=OuterRef("pk")
    )
    all_sections = Exact(OuterRef("partner__all_sections"), True)
    return public_sections(now=now).filter(Q(all_sections) | Q(Exists(granted))).order_by("path")


def entitled_section_ids(partner: Partner) -> list[int]:
    """The ids of entitled_sections, ordered by path. A partner from key_for_token carries them,
    read with its key in the same statement: no second query in that request."""
    read = getattr(partner, _ENTITLED, None)
    if read is not None:
        return list(read)
    return list(entitled_sections(partner).values_list("pk", flat=True))


def entitled_section_slugs(partner: Partner) -> dict[int, str] | None:
    """The entitled sections' slugs by id, if the key read brought them (key_for_token), else None:
    the API's `section` filter then resolves its terms without a query."""
    slugs = getattr(partner, _ENTITLED_SLUGS, None)
    return None if slugs is None else dict(zip(getattr(partner, _ENTITLED), slugs, strict=True))


def is_syndicable() -> Q:
    """Our own copy: agency copy is published on our site only, never passed to partners."""
    return Q(syndication_rights=SyndicationRights.OWN)


def syndicable_articles(
    *,
    sections: QuerySet[SectionPage] | Iterable[int] | None = None,
    now: datetime | None = None,
    sections_public: bool = False,
) -> QuerySet[ArticlePage]:
    """Articles a partner entitled to `sections` (default: every public section) may see, apart
    from syndication rights: visible (the one rule), in a public section, and first published
    (published_at and updated_at place an article in the API's keyset). `sections_public`: the
    ids were just read through public_sections (entitled_section_ids), so the rule's own
    published-section subquery is not repeated."""
    if sections is None:
        sections = public_sections().values("pk")
    elif isinstance(sections, QuerySet):
        sections = sections.values("pk")
    else:
        sections = list(sections)
    if sections_public and isinstance(sections, list):
        visible = visible_articles(now=now, sections=sections, sections_published=True)
    else:
        visible = visible_articles(now=now).filter(section__in=sections)
    return visible.filter(published_at__isnull=False, updated_at__isnull=False)


def partner_articles(
    partner: Partner, *, now: datetime | None = None, section_ids: list[int] | None = None
) -> QuerySet[ArticlePage]:
    """What this partner may see: visible articles of its entitled sections, never agency copy.

    A caller that already read the entitled section ids passes them (`section_ids`) instead of
    the nested subquery: on the 20k corpus the API's page query planned in 13 ms instead of 25
    and ran in 5 ms instead of 40 (docs/adr/0016)."""
    if section_ids is None:
        section_ids = getattr(partner, _ENTITLED, None)  # read with the key (key_for_token)
    if section_ids is None:
        return syndicable_articles(sections=entitled_sections(partner), now=now).filter(is_syndicable())
    # entitled_section_ids went through public_sections: no need to ask for published ones again.
    return syndicable_articles(sections=section_ids, now=now, sections_public=True).filter(is_syndicable())


def live_keys(partner: Partner, *, now: datetime | None = None) -> QuerySet[ApiKey]:
    now = now or timezone.now()
    return partner.keys.filter(revoked_at__isnull=True).exclude(expires_at__lte=now)


def has_had_keys(partner: Partner) -> bool:
    """Whether anyone may have read the change feed as this partner (a revoked key counts)."""
    return ApiKey.objects.filter(partner=partner).exists()


def partners_with_keys() -> QuerySet[Partner]:
    return Partner.objects.prefetch_related("keys", "sections").order_by("name")
