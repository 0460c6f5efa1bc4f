"""The articles endpoint's filters: parameters declared once (validation + OpenAPI), applied here.

A value that names nothing (an unknown actor, a section the partner is not entitled to) is a
400 naming the parameter, the same for "does not exist" and "not yours", so nothing leaks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery, TextField

from apps.api.exceptions import InvalidParameters
from apps.api.pagination import Ordering
from apps.api.params import (
    Param,
    Terms,
    as_id,
    is_numeric,
    parse_choice,
    parse_instant,
    parse_terms,
    states,
)
from apps.articles.models import ArticleKind, ArticleLanguage, ArticlePage
from apps.articles.selectors import public_actor_tags, public_event_tags, public_place_tags
from apps.partners.models import Partner
from apps.partners.selectors import entitled_section_slugs, entitled_sections
from apps.registry.countries import COUNTRY_NAMES
from apps.registry.models import Actor, ActorKind
from apps.registry.selectors import public_actors, public_events, public_places, resolve_merged_ids

QID = re.compile(r"[Qq][1-9][0-9]{0,11}")

ORDERINGS = {
    "-published": Ordering("-published", (("published_at", True), ("page_ptr_id", True))),
    "published": Ordering("published", (("published_at", False), ("page_ptr_id", False))),
    "-updated": Ordering("-updated", (("updated_at", True), ("page_ptr_id", True))),
    "updated": Ordering("updated", (("updated_at", False), ("page_ptr_id", False))),
}
DEFAULT_ORDERING = "-published"

TERMS_HELP = "`a,b` = tagged with all of them, `a|b` = any of them (not both separators in one value)."
DATE_HELP = (
    "A date (YYYY-MM-DD) is the whole UTC day and the bound includes it; "
    "an ISO 8601 date-time is that instant (UTC if it has no offset)."
)


ONE_OF_MANY_PATTERN = r"^[^,|]+(\|[^,|]+){0,19}$"


@states(pattern=ONE_OF_MANY_PATTERN)
def parse_one_of_many(raw: str) -> Terms:
    """For single-valued fields: `a|b` is any of them; `a,b` could never match, so it is refused."""
    terms = parse_terms(raw)
    if terms.match_all and len(terms.values) > 1:
        raise ValueError("an article has one value here: use '|' for any of several.")
    return terms


def _choices(values: list[str]):
    check = parse_choice(values)
    one = "|".join(re.escape(value) for value in values)

    @states(pattern=rf"^({one})(\|({one}))*$")
    def parse(raw: str) -> Terms:
        terms = parse_one_of_many(raw)
        for value in terms.values:
            check(value)
        return terms

    return parse


@states(pattern=r"^[A-Za-z]{2}(,[A-Za-z]{2}){0,19}$|^[A-Za-z]{2}(\|[A-Za-z]{2}){1,19}$")
def _country_terms(raw: str) -> Terms:
    terms = parse_terms(raw.upper())
    unknown = [code for code in terms.values if code not in COUNTRY_NAMES]
    if unknown:
        raise ValueError(f"not an ISO 3166-1 alpha-2 code: {', '.join(unknown)}.")
    return terms


ARTICLE_FILTER_PARAMS = [
    Param(
        "actor",
        parse_terms,
        f"Actor id, slug or Wikidata QID (a merged-away actor means its survivor). {TERMS_HELP}",
    ),
    Param("event", parse_terms, f"Event id or slug. {TERMS_HELP}"),
    Param("place", parse_terms, f"Place id or slug. {TERMS_HELP}"),
    Param(
        "country", _country_terms, f"ISO 3166-1 alpha-2 code of a tagged place or tagged state. {TERMS_HELP}"
    ),
    Param("section", parse_one_of_many, "Section slug; `a|b` for any of several."),
    Param("kind", _choices(ArticleKind.values), "Article kind; `a|b` for any of several.", enum=None),
    Param("lang", _choices(ArticleLanguage.values), "Language code; `a|b` for any of several."),
    Param("published_after", parse_instant, f"First published at or after. {DATE_HELP}"),
    Param("published_before", parse_instant, f"First published at or before. {DATE_HELP}"),
    Param(
        "updated_since",
        parse_instant,
        f"Meaningfully updated at or after. {DATE_HELP}",
    ),
    Param(
        "ordering",
        parse_choice(list(ORDERINGS)),
        "Sort order: -published (default), published, -updated or updated; the id breaks ties.",
        enum=list(ORDERINGS),
    ),
]


# A tag set this small is read first (ids only, one index range per term) and handed to the page
# query as a list of page ids: PostgreSQL then reads those pages by primary key and checks the
# visibility rule on them alone. Left as a semi-join, a rare actor's page query ran the rule over
# every visible article first (1.06 s for 3 tags on a 20k corpus; 37 ms as ids: docs/adr/0016).
# Above it, the semi-join stays: the page walks the date index and stops at a page.
FEW_TAGGED = 1000


def tagged_page_ids(tags: QuerySet) -> list[int] | None:
    """The page ids of `tags` if there are at most FEW_TAGGED of them, else None (one query)."""
    ids = list(tags.order_by().values_list("page_id", flat=True)[: FEW_TAGGED + 1])
    return None if len(ids) > FEW_TAGGED else ids


class TaggedPageIds(Subquery):
    """Per record read, at most FEW_TAGGED + 1 page ids of its public tags, as text `3,5,8`:
    the term's record and its page-id probe come back in one query (tagged_pages parses it)."""

    output_field = TextField()

    def __init__(self, tags: QuerySet, **extra: Any):
        super().__init__(tags.order_by().values_list("page_id")[: FEW_TAGGED + 1], **extra)

    def as_sql(self, compiler: Any, connection: Any, template: Any = None, **extra: Any) -> Any:
        sql, params = super().as_sql(compiler, connection, template, **extra)  # "(SELECT ...)"
        if connection.vendor == "postgresql":
            return f"array_to_string(ARRAY{sql}, ',')", params
        return f"(SELECT group_concat(page_id, ',') FROM {sql})", params  # noqa: S608 (compiled SQL)


def tagged_pages(text: str | None) -> list[int] | None:
    """TaggedPageIds' text as ids, or None if the record has more than FEW_TAGGED tagged pages."""
    ids = [int(pk) for pk in text.split(",")] if text else []
    return None if len(ids) > FEW_TAGGED else ids


# Where a record's public tags are: the selector returning them and the tag's field naming the
# record (e.g. `(public_actor_tags, "actor_id")`).
TagSource = tuple[Any, str]


def combine_terms(qs: QuerySet, terms: Terms, page_ids_for: Any, ids: list[Any]) -> QuerySet:
    """AND: one semi-join per term; OR: one semi-join for all of them (events by participant ...)."""
    if terms.match_all:
        for one in ids:
            qs = qs.filter(pk__in=page_ids_for([one]))
        return qs
    return qs.filter(pk__in=page_ids_for(ids))


def filter_tagged(
    qs: QuerySet, terms: Terms, source: TagSource, ids: list[int], pages: dict[int, list[int] | None]
) -> QuerySet:
    """AND: tagged with each term; OR: with any of them. `source` gives the public tags of the
    records; `pages` their tagged page ids as read with the terms (None: more than FEW_TAGGED).
    A few tagged pages per group become an id list, many stay a semi-join (no query here)."""
    public_tags, field = source
    groups = [[one] for one in ids] if terms.match_all else [ids]
    few: set[int] | None = None
    for group in groups:
        found = [pages[pk] for pk in group]
        union = None if None in found else set().union(*found)
        if union is None or len(union) > FEW_TAGGED:
            qs = qs.filter(pk__in=public_tags().filter(**{f"{field}__in": group}).values("page_id"))
        else:
            few = union if few is None else few & union
    return qs if few is None else qs.filter(pk__in=sorted(few))


def _with_pages(queryset: QuerySet, source: TagSource | None) -> QuerySet:
    if source is None:
        return queryset
    public_tags, field = source
    return queryset.annotate(tagged=TaggedPageIds(public_tags().filter(**{field: OuterRef("pk")})))


def _resolve_actors(
    terms: Terms, source: TagSource | None = None
) -> tuple[list[int], dict[int, list[int] | None]]:
    """Public actor ids for each term (id, slug or QID), following merges to the survivor, and
    with `source` each one's tagged page ids, read in the same query (one query if none merged)."""
    ints = [pk for pk in map(as_id, terms.values) if pk is not None]
    qids = [v.upper() for v in terms.values if QID.fullmatch(v)]
    slugs = [v for v in terms.values if not is_numeric(v) and not QID.fullmatch(v)]
    found = list(
        _with_pages(
            Actor.objects.filter(Q(pk__in=ints) | Q(wikidata_qid__in=qids) | Q(slug__in=slugs)).only(
                "pk", "slug", "wikidata_qid", "merged_into", "review_status"
            ),
            source,
        )
    )
    by_term: dict[str, Actor] = {}
    for actor in found:
        for term in (str(actor.pk), actor.slug, actor.wikidata_qid):
            if term:
                by_term[term] = actor
    # Merges can chain: the registry follows them in bulk (no query when none was merged).
    survivors = resolve_merged_ids({actor.merged_into_id for actor in found if actor.merged_into_id})

    def final(actor: Actor) -> int:
        return survivors[actor.merged_into_id] if actor.merged_into_id else actor.pk

    resolved = {term: final(actor) for term, actor in by_term.items()}
    wanted = [resolved.get(v.upper() if QID.fullmatch(v) else v) for v in terms.values]
    # An unmerged actor was read whole for its rule; only survivors of merges are asked again.
    public = {actor for actor in found if not actor.merged_into_id and actor.is_public}
    read = {actor.pk for actor in found}
    if survivors:
        unread = set(survivors.values()) - read
        public |= set(_with_pages(public_actors().filter(pk__in=unread).only("pk"), source))
    public_ids = {actor.pk for actor in public}
    unknown = [v for v, pk in zip(terms.values, wanted, strict=True) if pk not in public_ids]
    if unknown:
        raise InvalidParameters([{"name": "actor", "reason": f"'actor': no actor {', '.join(unknown)}."}])
    pages = {actor.pk: tagged_pages(actor.tagged) for actor in public} if source is not None else {}
    return [pk for pk in wanted if pk is not None], pages


def resolve_actors(terms: Terms) -> list[int]:
    """Public actor ids for each term (id, slug or QID), following merges to the survivor."""
    return _resolve_actors(terms)[0]


def _resolve_by_id_or_slug(name: str, queryset: QuerySet, terms: Terms) -> list[int]:
    return _resolve_with_pages(name, queryset, terms)[0]


def _by_id_or_slug(name: str, terms: Terms, records: Iterable[tuple[int, str]]) -> list[int]:
    """Each term's record id among `records` (id, slug), else a 400 naming the parameter."""
    by_term = {}
    for pk, slug in records:
        by_term[str(pk)] = pk
        by_term[slug] = pk
    unknown = [v for v in terms.values if v not in by_term]
    if unknown:
        raise InvalidParameters([{"name": name, "reason": f"'{name}': no {name} {', '.join(unknown)}."}])
    return [by_term[v] for v in terms.values]


def _resolve_with_pages(
    name: str, queryset: QuerySet, terms: Terms, source: TagSource | None = None
) -> tuple[list[int], dict[int, list[int] | None]]:
    ints = [pk for pk in map(as_id, terms.values) if pk is not None]
    slugs = [v for v in terms.values if not is_numeric(v)]
    fields = ("pk", "slug", "tagged") if source is not None else ("pk", "slug")
    rows = list(_with_pages(queryset.filter(Q(pk__in=ints) | Q(slug__in=slugs)), source).values_list(*fields))
    pages = {pk: tagged_pages(tagged[0]) for pk, _, *tagged in rows if tagged}
    return _by_id_or_slug(name, terms, [(pk, slug) for pk, slug, *_ in rows]), pages


def _resolve_sections(terms: Terms, partner: Partner) -> list[int]:
    """The entitled sections the terms name: from the slugs the key read brought (no query), else
    read (a partner loaded elsewhere)."""
    read = entitled_section_slugs(partner)
    if read is None:
        return _resolve_by_id_or_slug("section", entitled_sections(partner), terms)
    return _by_id_or_slug("section", terms, read.items())


ACTOR_TAGS: TagSource = (public_actor_tags, "actor_id")
EVENT_TAGS: TagSource = (public_event_tags, "event_id")
PLACE_TAGS: TagSource = (public_place_tags, "place_id")


# Parameters with which the page statement's best plan depends on the values: how many articles
# carry a tag (or match a search) decides between walking the publication index and reading the
# matches first, and a generic plan for a tag filter took 3.2 s instead of 10 ms at 100k. Without
# them the best plan walks an index in the page's order whatever the values, so the page takes
# PostgreSQL's generic plan instead of 3-6 ms of planning per call (apps/core/plans.py).
VALUE_PLANNED = ("actor", "event", "place", "country", "q")


def plan_depends_on_values(values: dict[str, Any]) -> bool:
    return any(name in values for name in VALUE_PLANNED)


def filter_articles(
    qs: QuerySet[ArticlePage], values: dict[str, Any], *, partner: Partner
) -> QuerySet[ArticlePage]:
    if "actor" in values:
        ids, pages = _resolve_actors(values["actor"], ACTOR_TAGS)
        qs = filter_tagged(qs, values["actor"], ACTOR_TAGS, ids, pages)
    if "event" in values:
        ids, pages = _resolve_with_pages("event", public_events(), values["event"], EVENT_TAGS)
        qs = filter_tagged(qs, values["event"], EVENT_TAGS, ids, pages)
    if "place" in values:
        ids, pages = _resolve_with_pages("place", public_places(), values["place"], PLACE_TAGS)
        qs = filter_tagged(qs, values["place"], PLACE_TAGS, ids, pages)
    if "country" in values:
        terms: Terms = values["country"]

        def tagged_in(codes: list[str]) -> Q:
            places = public_place_tags().filter(place__country__in=codes).values("page_id")
            states = public_actor_tags().filter(actor__kind=ActorKind.STATE, actor__country__in=codes)
            return Q(pk__in=places) | Q(pk__in=states.values("page_id"))

        if terms.match_all:
            for code in terms.values:
                qs = qs.filter(tagged_in([code]))
        else:
            qs = qs.filter(tagged_in(list(terms.values)))
    if "section" in values:
        ids = _resolve_sections(values["section"], partner)
        qs = qs.filter(section_id__in=ids)
    if "kind" in values:
        qs = qs.filter(kind__in=values["kind"].values)
    if "lang" in values:
        qs = qs.filter(language__in=values["lang"].values)
    if "published_after" in values:
        qs = qs.filter(published_at__gte=values["published_after"].start)
    if "published_before" in values:
        qs = qs.filter(published_at__lte=values["published_before"].end)
    if "updated_since" in values:
        qs = qs.filter(updated_at__gte=values["updated_since"].start)
    return qs
