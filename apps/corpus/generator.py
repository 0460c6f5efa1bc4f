"""A deterministic newsroom-sized corpus, written in bulk (PostgreSQL COPY) for the benchmark.

`bulk_create` refuses multi-table models such as `ArticlePage`, and saving 100k pages one by
one through Wagtail takes hours, so the rows are computed here and copied in: `wagtailcore_page`
rows with their treebeard `path`/`depth`/`numchild` and `url_path`, the article rows, one live
revision each, bylines and tags, the registry (actors with a Zipf-like popularity, places,
events with participants), the change log (one upsert per visible article, in publication
order, as publishing writes it) and the search index (same vectors and weights as Wagtail's
PostgreSQL backend). Everything comes from one `random.Random(seed)` and a fixed date, so two
runs with the same arguments write the same corpus. See docs/adr/0016-performance-at-scale.md.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from io import BytesIO
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.db import DatabaseError, connection, transaction
from PIL import Image
from wagtail.models import Locale, Page, PageViewRestriction
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

from apps.articles.models import (
    ArticleActor,
    ArticleByline,
    ArticleEvent,
    ArticlePage,
    ArticlePlace,
    Author,
    SyndicationRights,
)
from apps.changes.models import Change, ChangeCounter, ObjectState
from apps.core.models import HomePage, NewsImage, SectionPage
from apps.registry.models import Actor, ActorKind, Event, EventParticipant, EventType, Place, PlaceKind

# Sections the corpus adds under the home page; the bench partner is entitled to all but the last.
SECTIONS = ["Security", "Politics", "Economy", "Climate", "Health", "Society", "Culture", "Local desk"]
SECTION_PREFIX = "corpus-"
# Ten years of publication ending on a fixed day: the corpus does not depend on today's date.
END = datetime(2026, 11, 1, tzinfo=UTC)
SPAN = timedelta(days=3652)
IMAGES = 24

WORDS = [
    "ministers",
    "border",
    "patrol",
    "convoy",
    "election",
    "council",
    "ceasefire",
    "delegation",
    "mayor",
    "harvest",
    "drought",
    "rainfall",
    "market",
    "currency",
    "budget",
    "junta",
    "mediation",
    "summit",
    "refugees",
    "corridor",
    "mission",
    "observers",
    "garrison",
    "militia",
    "envoy",
    "parliament",
    "decree",
    "protest",
    "negotiators",
    "supply",
    "talks",
    "governor",
    "river",
    "hospital",
    "vaccine",
    "school",
    "teachers",
    "fuel",
    "prices",
    "transport",
    "union",
    "farmers",
    "herders",
    "pasture",
    "customs",
    "checkpoint",
    "airport",
    "capital",
    "region",
    "province",
    "villages",
    "displaced",
    "aid",
    "agencies",
    "statement",
    "communique",
    "spokesman",
    "court",
    "ruling",
    "appeal",
    "sanctions",
    "embargo",
    "investment",
    "mine",
    "gold",
    "cotton",
    "exports",
    "road",
    "bridge",
    "dam",
    "electricity",
    "grid",
    "solar",
    "broadcast",
    "newspaper",
    "radio",
    "journalists",
]
COUNTRIES = ["ML", "NE", "BF", "TD", "MR", "SN", "NG", "CI", "GH", "DZ", "LY", "FR", "RU", "US", "CN"]


@dataclass
class Shape:
    """The proportions of the corpus (a few percent of everything a real desk has)."""

    draft: float = 0.03
    private: float = 0.01
    expired: float = 0.01
    agency: float = 0.03
    proposed_actor: float = 0.03
    hero_image: float = 0.3
    top_story: float = 0.01
    zipf: float = 1.07


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=dict)


class CorpusError(Exception):
    """The corpus cannot be generated here (the message says why)."""


def corpus_sections() -> list[SectionPage]:
    return list(SectionPage.objects.filter(slug__startswith=SECTION_PREFIX).order_by("path"))


def _sentence(rng: random.Random, lo: int, hi: int) -> str:
    words = rng.choices(WORDS, k=rng.randint(lo, hi))
    return " ".join(words).capitalize() + "."


def _int2str(num: int, alphabet: str, steplen: int) -> str:
    digits = ""
    while num:
        num, rem = divmod(num, len(alphabet))
        digits = alphabet[rem] + digits
    return digits.rjust(steplen, alphabet[0])


class _Ids:
    """Explicit ids for rows copied in: the table's next ids, and its sequence moved past them."""

    def __init__(self, model: type) -> None:
        self.table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{self.table}"')  # noqa: S608 - model table name
            self.next = cursor.fetchone()[0] + 1

    def take(self) -> int:
        value = self.next
        self.next += 1
        return value

    def close(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), GREATEST(%s, 1))",
                [f'"{self.table}"', self.next - 1],
            )


def _copy(model_or_table: Any, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    table = model_or_table if isinstance(model_or_table, str) else model_or_table._meta.db_table
    names = ", ".join(f'"{column}"' for column in columns)
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


# The constraints and indexes a bulk load drops and rebuilds, read from the catalog (nothing
# hard-coded, nothing lost): every foreign key of the tables, their unique constraints unless a
# foreign key leans on them, and every other index but the primary key's.
_CONSTRAINTS_SQL = """
    SELECT rel.relname, con.conname, pg_get_constraintdef(con.oid), con.contype
    FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid
    WHERE con.conrelid = ANY(%s::regclass[])
      AND (con.contype = 'f' OR (
          con.contype = 'u'
          AND con.conname = (SELECT relname FROM pg_class WHERE oid = con.conindid)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint fk WHERE fk.contype = 'f' AND fk.conindid = con.conindid)))
    ORDER BY con.contype DESC, rel.relname, con.conname
"""
_INDEXES_SQL = """
    SELECT idx.relname, pg_get_indexdef(idx.oid)
    FROM pg_index ind JOIN pg_class idx ON idx.oid = ind.indexrelid
    WHERE ind.indrelid = ANY(%s::regclass[]) AND NOT ind.indisprimary
      AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = ind.indexrelid)
    ORDER BY idx.relname
"""
# Deferrable constraints with checks possibly queued (rows written earlier in this transaction)
# on the tables or on the tables their foreign keys reference: PostgreSQL refuses ALTER TABLE on
# either while it has pending trigger events.
_DEFERRABLE_SQL = """
    WITH rel AS (
        SELECT unnest(%s::regclass[]) AS oid
        UNION SELECT confrelid FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]))
    SELECT DISTINCT conname, condeferred FROM pg_constraint
    WHERE condeferrable AND (conrelid IN (SELECT oid FROM rel) OR confrelid IN (SELECT oid FROM rel))
    ORDER BY conname
"""


@contextmanager
def _bulk_load(tables: Sequence[str]) -> Iterator[None]:
    """Load `tables` without their foreign keys and secondary indexes, then rebuild them.

    Row by row, PostgreSQL maintains every index and queues a deferred foreign-key check per row
    (run at COMMIT); rebuilding sorts each index once and re-adding a foreign key validates it in
    one join. DDL is transactional: if a rebuild fails (a dangling row), CorpusError rolls back
    the whole load, schema included. Needs no superuser (unlike session_replication_role).
    """
    if not connection.in_atomic_block:
        raise CorpusError("a bulk load runs inside a transaction (it drops constraints).")
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(_CONSTRAINTS_SQL, [list(tables)])
        constraints = cursor.fetchall()
        cursor.execute(_INDEXES_SQL, [list(tables)])
        indexes = cursor.fetchall()
        cursor.execute(_DEFERRABLE_SQL, [list(tables), list(tables)])
        deferrable = cursor.fetchall()
        if deferrable:
            cursor.execute(f"SET CONSTRAINTS {', '.join(quote(name) for name, _ in deferrable)} IMMEDIATE")
        # Index builds sort in memory, foreign-key checks hash-join; this transaction only.
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute("SET LOCAL synchronous_commit = off")
        for table, name, _definition, _kind in constraints:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    with connection.cursor() as cursor:
        for _name, definition in indexes:
            cursor.execute(definition)
        # Fresh statistics: without them the planner guesses the sizes of the loaded tables (the
        # first queries on the corpus took seconds instead of milliseconds), the checks included.
        for table in tables:
            cursor.execute(f"ANALYZE {quote(table)}")
        for table, name, definition, _kind in constraints:  # unique ones first, then foreign keys
            try:
                cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
            except DatabaseError as error:
                diag = getattr(error.__cause__, "diag", None)
                detail = getattr(diag, "message_detail", None) or str(error).splitlines()[0]
                raise CorpusError(
                    f"{name} on {table} does not hold ({detail}); nothing was written."
                ) from None
        # The re-added constraints are new and start in their declared mode; give the others theirs.
        deferred = [quote(name) for name, initially_deferred in deferrable if initially_deferred]
        if deferred:
            cursor.execute(f"SET CONSTRAINTS {', '.join(deferred)} DEFERRED")


def _zipf_weights(n: int, s: float) -> list[float]:
    total, cumulative = 0.0, []
    for rank in range(1, n + 1):
        total += 1.0 / rank**s
        cumulative.append(total)
    return cumulative


def _distinct(rng: random.Random, population: Sequence[int], cum: list[float] | None, k: int) -> list[int]:
    chosen: dict[int, None] = {}
    while len(chosen) < min(k, len(population)):
        for pick in rng.choices(population, cum_weights=cum, k=k - len(chosen)):
            chosen[pick] = None
    return list(chosen)


def _make_images(rng: random.Random) -> list[int]:
    """A few real image files (renditions must be renderable), shared by all articles."""
    ids = []
    for n in range(IMAGES):
        buffer = BytesIO()
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        Image.new("RGB", (320, 200), colour).save(buffer, "PNG")
        image = NewsImage(
            title=f"Corpus photo {n + 1}",
            file=ImageFile(buffer, name=f"corpus-{n + 1}.png"),
            credit="Newsdesk corpus",
            caption=_sentence(rng, 4, 9),
            alt_text=f"Plain colour field {n + 1}",
        )
        image.save()
        ids.append(image.pk)
    return ids


def generate(
    *,
    articles: int,
    actors: int,
    events: int,
    seed: int,
    shape: Shape | None = None,
    progress: Callable[[str, int], Any] | None = None,
) -> Report:
    """Write the corpus in one transaction; CorpusError if it cannot (or already exists)."""
    if connection.vendor != "postgresql":
        raise CorpusError("generate_corpus needs PostgreSQL (it writes with COPY); set DATABASE_URL.")
    if articles < 1 or actors < 1 or events < 0:
        raise CorpusError("--articles and --actors must be at least 1, --events at least 0.")
    home = HomePage.objects.order_by("path").first()
    if home is None:
        raise CorpusError("no home page: run `manage.py load_demo` (or create the site) first.")
    if corpus_sections():
        raise CorpusError("a corpus is already in this database (sections 'corpus-*').")
    shape = shape or Shape()
    rng = random.Random(seed)  # noqa: S311 - a reproducible corpus, not a secret
    tick = progress or (lambda _stage, _n: None)
    report = Report()
    editor = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    with transaction.atomic():
        # The sections and images through Wagtail (a handful), then the bulk of rows copied in.
        sections = []
        for title in SECTIONS:
            section = SectionPage(title=title, slug=SECTION_PREFIX + title.lower().replace(" ", "-"))
            home.add_child(instance=section)
            section.save_revision(user=editor).publish()
            sections.append(SectionPage.objects.get(pk=section.pk))
        image_ids = _make_images(rng)
        with _bulk_load(BULK_TABLES):
            _generate(rng, shape, editor, sections, image_ids, articles, actors, events, tick, report)
        # Statistics for every table, not only the copied ones: the sections and the view
        # restrictions are written through Wagtail above, and without statistics the planner
        # read all ~96k page rows to find the 11 sections (170-330 ms per public page).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return report


def _generate(rng, shape, editor, sections, image_ids, n_articles, n_actors, n_events, tick, report) -> None:
    now = END
    locale = Locale.get_default()
    article_ct = ContentType.objects.get_for_model(ArticlePage)
    page_ct = ContentType.objects.get_for_model(Page)

    # Registry -----------------------------------------------------------------------------
    actor_ids = _Ids(Actor)
    actor_rows, public_actor = [], []
    kinds = list(ActorKind.values)
    for n in range(n_actors):
        pk = actor_ids.take()
        public = rng.random() >= shape.proposed_actor
        name = f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS).capitalize()} {n + 1}"
        actor_rows.append(
            (
                pk,
                name,
                f"corpus-actor-{n + 1}",
                rng.choice(kinds),
                _sentence(rng, 8, 16),
                rng.choice(COUNTRIES),
                "",
                "approved" if public else "proposed",
                now,
                now,
            )
        )
        public_actor.append(public)
    columns = ["id", "name", "slug", "kind", "description", "country", "wikidata_qid"]
    report.counts["actors"] = _copy(
        Actor, [*columns, "review_status", "created_at", "updated_at"], actor_rows
    )
    actor_ids.close()
    actor_pks = [row[0] for row in actor_rows]
    actor_cum = _zipf_weights(len(actor_pks), shape.zipf)
    tick("actors", n_actors)

    place_ids = _Ids(Place)
    n_places = max(20, n_actors // 10)
    place_rows = [
        (
            place_ids.take(),
            f"{rng.choice(WORDS).capitalize()}ville {n + 1}",
            f"corpus-place-{n + 1}",
            rng.choice(list(PlaceKind.values)),
            rng.choice(COUNTRIES),
            "",
            "approved",
            now,
            now,
        )
        for n in range(n_places)
    ]
    columns = [
        "id",
        "name",
        "slug",
        "kind",
        "country",
        "description",
        "review_status",
        "created_at",
        "updated_at",
    ]
    report.counts["places"] = _copy(Place, columns, place_rows)
    place_ids.close()
    place_pks = [row[0] for row in place_rows]
    place_cum = _zipf_weights(len(place_pks), shape.zipf)

    event_ids = _Ids(Event)
    event_rows, participant_rows = [], []
    for n in range(n_events):
        pk = event_ids.take()
        day = (END - SPAN * rng.random()).date()
        event_rows.append(
            (
                pk,
                day,
                "day",
                day,
                "day",
                f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {n + 1}",
                f"corpus-event-{n + 1}",
                rng.choice(list(EventType.values)),
                "occurred",
                _sentence(rng, 8, 20),
                "",
                "approved",
                now,
                now,
                rng.choice(place_pks),
            )
        )
        for actor in _distinct(rng, actor_pks, actor_cum, rng.randint(2, 4)):
            participant_rows.append((rng.choice(["host", "attendee", "initiator", "target"]), "", actor, pk))
    columns = ["id", "start", "start_precision", "start_upper", "end_precision", "title", "slug"]
    columns += ["event_type", "status", "summary", "sources", "review_status", "created_at", "updated_at"]
    report.counts["events"] = _copy(Event, [*columns, "place_id"], event_rows)
    event_ids.close()
    report.counts["participants"] = _copy(
        EventParticipant, ["role", "note", "actor_id", "event_id"], participant_rows
    )
    event_pks = [row[0] for row in event_rows]
    event_cum = _zipf_weights(len(event_pks), shape.zipf) if event_pks else None
    tick("events", n_events)

    author_ids = _Ids(Author)
    author_rows = [
        (author_ids.take(), f"Writer {n + 1}", f"corpus-writer-{n + 1}", "Correspondent", "")
        for n in range(max(10, n_articles // 500))
    ]
    _copy(Author, ["id", "name", "slug", "job_title", "bio"], author_rows)
    author_ids.close()
    author_pks = [row[0] for row in author_rows]

    # Pages ------------------------------------------------------------------------------------
    page_ids, revision_ids = _Ids(Page), _Ids(_RevisionTable)
    steplen, alphabet = Page.steplen, Page.alphabet
    next_child = {}
    for section in sections:
        next_child[section.pk] = section.numchild + 1
    dates = sorted((END - SPAN * rng.random() for _ in range(n_articles)), reverse=False)

    page_rows, article_rows, revision_rows, bylines, search_rows = [], [], [], [], []
    tag_rows: dict[type, list] = {ArticleActor: [], ArticleEvent: [], ArticlePlace: []}
    visible: list[tuple[datetime, int, int, bool]] = []
    private_pages: list[int] = []
    for n, published in enumerate(dates):
        pk = page_ids.take()
        revision = revision_ids.take()
        section = sections[min(int(rng.paretovariate(1.2)) - 1, len(sections) - 1)]
        position = next_child[section.pk]
        next_child[section.pk] += 1
        path = section.path + _int2str(position, alphabet, steplen)
        title = _sentence(rng, 5, 11).rstrip(".")
        slug = f"story-{n + 1}"
        roll = rng.random()
        draft = roll < shape.draft
        expired = not draft and roll < shape.draft + shape.expired
        private = not draft and not expired and roll < shape.draft + shape.expired + shape.private
        agency = rng.random() < shape.agency
        hero = rng.choice(image_ids) if rng.random() < shape.hero_image else None
        standfirst = _sentence(rng, 14, 28)
        body, text = _body(rng, image_ids)
        expire_at = published + timedelta(days=30) if expired else None
        published_at = None if draft else published
        page_rows.append(
            (
                pk,
                path,
                section.depth + 1,
                0,
                title,
                slug,
                not draft,
                draft,
                f"{section.url_path}{slug}/",
                "",
                False,
                "",
                expire_at,
                expired,
                article_ct.pk,
                editor.pk if editor else None,
                False,
                published,
                published_at,
                None if draft else revision,
                published_at,
                title,
                uuid.UUID(int=rng.getrandbits(128), version=4),
                locale.pk,
                revision,
            )
        )
        article_rows.append(
            (
                pk,
                section.pk,
                standfirst,
                json.dumps(body),
                rng.choice(["news", "news", "news", "analysis", "explainer", "opinion"]),
                "en" if rng.random() < 0.8 else "fr",
                "With agency reporting" if agency else "",
                SyndicationRights.AGENCY_SITE_ONLY if agency else SyndicationRights.OWN,
                rng.random() < shape.top_story,
                published_at,
                published_at,
                hero,
            )
        )
        authors = _distinct(rng, author_pks, None, 1 if rng.random() < 0.8 else 2)
        for order, author in enumerate(authors):
            bylines.append((order, pk, author))
        n_tags = rng.randint(3, 12)
        n_places_tagged = rng.randint(1, min(3, n_tags - 2))
        n_events_tagged = min(rng.randint(0, 2), n_tags - n_places_tagged - 1) if event_pks else 0
        tagged = {
            ArticleActor: _distinct(rng, actor_pks, actor_cum, n_tags - n_places_tagged - n_events_tagged),
            ArticlePlace: _distinct(rng, place_pks, place_cum, n_places_tagged),
            ArticleEvent: _distinct(rng, event_pks, event_cum, n_events_tagged) if n_events_tagged else [],
        }
        children: dict[str, list] = {"actor_tags": [], "place_tags": [], "event_tags": []}
        for model, records in tagged.items():
            for rank, record in enumerate(records):
                role = "subject" if rank < 2 else "mentioned"
                relevance = round(1.0 - rank * 0.07, 2)
                tag_rows[model].append((role, relevance, "manual", True, record, pk))
                target = model._meta.get_field("page").related_query_name()
                children[target].append(
                    {
                        "pk": None,
                        "page": pk,
                        _TARGET[model]: record,
                        "role": role,
                        "relevance": relevance,
                        "origin": "manual",
                        "confirmed": True,
                    }
                )
        content = {
            "pk": pk,
            "path": path,
            "depth": section.depth + 1,
            "numchild": 0,
            "translation_key": str(page_rows[-1][22]),
            "locale": locale.pk,
            "title": title,
            "draft_title": title,
            "slug": slug,
            "content_type": article_ct.pk,
            "live": not draft,
            "has_unpublished_changes": draft,
            "url_path": page_rows[-1][8],
            "owner": editor.pk if editor else None,
            "seo_title": "",
            "show_in_menus": False,
            "search_description": "",
            "go_live_at": None,
            "expire_at": expire_at.isoformat() if expire_at else None,
            "expired": expired,
            "locked": False,
            "first_published_at": published_at.isoformat() if published_at else None,
            "last_published_at": published_at.isoformat() if published_at else None,
            "latest_revision_created_at": published.isoformat(),
            "live_revision": None if draft else revision,
            "section": section.pk,
            "standfirst": standfirst,
            "body": json.dumps(body),
            "kind": article_rows[-1][4],
            "language": article_rows[-1][5],
            "dateline": None,
            "hero_image": hero,
            "source_attribution": article_rows[-1][6],
            "syndication_rights": article_rows[-1][7],
            "top_story": article_rows[-1][8],
            "published_at": published_at.isoformat() if published_at else None,
            "updated_at": published_at.isoformat() if published_at else None,
            "bylines": [
                {"pk": None, "page": pk, "sort_order": order, "author": author}
                for order, author in enumerate(authors)
            ],
            "corrections": [],
            **children,
        }
        revision_rows.append(
            (
                revision,
                published,
                json.dumps(content),
                str(pk),
                editor.pk if editor else None,
                article_ct.pk,
                page_ct.pk,
                title,
            )
        )
        search_rows.append((pk, title, f"{standfirst} {text}"))
        if not draft and not expired and not private:
            visible.append((published, pk, section.pk, not agency))
        if private:
            private_pages.append(pk)
        if (n + 1) % 5000 == 0:
            tick("articles", 5000)
    tick("articles", n_articles % 5000)

    columns = ["id", "path", "depth", "numchild", "title", "slug", "live", "has_unpublished_changes"]
    columns += ["url_path", "seo_title", "show_in_menus", "search_description", "expire_at", "expired"]
    columns += ["content_type_id", "owner_id", "locked", "latest_revision_created_at", "first_published_at"]
    columns += ["live_revision_id", "last_published_at", "draft_title", "translation_key", "locale_id"]
    # latest_revision_id points at a revision copied below: the FK is deferred to commit.
    report.counts["articles"] = _copy(Page, [*columns, "latest_revision_id"], page_rows)
    columns = ["page_ptr_id", "section_id", "standfirst", "body", "kind", "language", "source_attribution"]
    columns += ["syndication_rights", "top_story", "published_at", "updated_at", "hero_image_id"]
    _copy(ArticlePage, columns, article_rows)
    page_ids.close()
    columns = ["id", "created_at", "content", "object_id", "user_id", "content_type_id"]
    report.counts["revisions"] = _copy(
        _RevisionTable, [*columns, "base_content_type_id", "object_str"], revision_rows
    )
    revision_ids.close()
    for section in sections:
        SectionPage.objects.filter(pk=section.pk).update(numchild=next_child[section.pk] - 1)
    tick("pages", 0)

    report.counts["bylines"] = _copy(ArticleByline, ["sort_order", "page_id", "author_id"], bylines)
    for model, rows in tag_rows.items():
        columns = ["role", "relevance", "origin", "confirmed", _TARGET[model] + "_id", "page_id"]
        report.counts[model._meta.model_name] = _copy(model, columns, rows)
    tick("tags", 0)

    restriction_rows = [(page, "password", "corpus") for page in private_pages]
    _copy(PageViewRestriction, ["page_id", "restriction_type", "password"], restriction_rows)

    # The change log: one upsert per visible article, numbered after the current head, as the
    # publish receiver writes them; ObjectState remembers each one as visible.
    counter, _ = ChangeCounter.objects.select_for_update().get_or_create(pk=1)
    seq = counter.value
    change_rows, state_rows = [], []
    for published, pk, section_id, syndicable in sorted(visible):
        seq += 1
        change_rows.append(
            (seq, published, "article", pk, "published", "upsert", False, True, section_id, False, syndicable)
        )
        state_rows.append(("article", pk, True, section_id, syndicable, ""))
    columns = ["seq", "created_at", "object_type", "object_id", "cause", "action", "visible_before"]
    columns += ["visible_after", "section_after", "syndicable_before", "syndicable_after"]
    report.counts["changes"] = _copy(Change, columns, change_rows)
    _copy(ObjectState, ["object_type", "object_id", "visible", "section", "syndicable", "label"], state_rows)
    counter.value = seq
    counter.save(update_fields=["value"])
    tick("changes", 0)

    report.counts["search_entries"] = _fill_search_index(search_rows, article_ct.pk)
    tick("search", 0)


class _RevisionTable:
    """`wagtailcore_revision`, named the way `_Ids` and `_copy` expect a model."""

    class _meta:
        db_table = "wagtailcore_revision"


_TARGET = {ArticleActor: "actor", ArticleEvent: "event", ArticlePlace: "place"}
# Every table the corpus copies rows into (loaded without foreign keys and secondary indexes).
BULK_TABLES = [
    model._meta.db_table
    for model in (
        *(Actor, Place, Event, EventParticipant, Author, Page, ArticlePage, _RevisionTable, ArticleByline),
        *(ArticleActor, ArticleEvent, ArticlePlace, PageViewRestriction, Change, ObjectState, IndexEntry),
    )
]


def _body(rng: random.Random, image_ids: list[int]) -> tuple[list[dict], str]:
    blocks, words = [], []
    for n in range(rng.randint(3, 8)):
        if n == 2 and rng.random() < 0.5:
            text = _sentence(rng, 3, 6).rstrip(".")
            blocks.append(
                {
                    "type": "heading",
                    "value": {"text": text, "level": "h2"},
                    "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                }
            )
        elif n == 3 and rng.random() < 0.3:
            image = rng.choice(image_ids)
            blocks.append(
                {
                    "type": "image",
                    "value": {"image": image, "caption": "", "credit": ""},
                    "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                }
            )
            continue
        else:
            text = " ".join(_sentence(rng, 8, 22) for _ in range(rng.randint(2, 5)))
            blocks.append(
                {
                    "type": "paragraph",
                    "value": f"<p>{text}</p>",
                    "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                }
            )
        words.append(text)
    return blocks, " ".join(words)


def _fill_search_index(rows: list[tuple[int, str, str]], content_type_id: int) -> int:
    """Index entries as Wagtail's PostgreSQL backend writes them (title weighted by its boost,
    autocomplete on the 'simple' configuration), copied in.

    The corpus writes only words of WORDS, so each word is stemmed once by PostgreSQL and the
    vectors are written here: `to_tsvector` over 100k bodies was half of PostgreSQL's work.
    tests/corpus/test_generate_corpus.py checks them equal to PostgreSQL's own."""
    from modelsearch.backends.database.postgres.weights import get_weight

    backend = get_search_backend()
    config = getattr(backend, "config", None) or "english"
    autocomplete = getattr(backend, "autocomplete_config", None) or "simple"
    title_weight, body_weight = get_weight(2), get_weight(1)
    stems, prefixes = _stems(config), _stems(autocomplete)
    entries = (
        (
            content_type_id,
            str(pk),
            _tsvector(title, stems, title_weight),
            _tsvector(title, prefixes, "D"),
            _tsvector(body, stems, body_weight),
            1.0,
            title,
            body,
        )
        for pk, title, body in rows
    )
    table = IndexEntry._meta.db_table
    columns = ["content_type_id", "object_id", "title", "autocomplete", "body", "title_norm"]
    inserted = _copy(IndexEntry, [*columns, "title_text", "body_text"], entries)
    with connection.cursor() as cursor:
        # title_norm as the backend's refresh computes it: average title length over this one.
        cursor.execute(
            f"""
            UPDATE {table} SET title_norm = stats.lavg / length({table}.title)
            FROM (SELECT AVG(length(title)) AS lavg FROM {table} WHERE length(title) > 0) AS stats
            WHERE {table}.content_type_id = %s AND length({table}.title) > 0
            """,  # noqa: S608
            [content_type_id],
        )
    return inserted


def _stems(config: str) -> dict[str, str | None]:
    """Each word of WORDS as the text search configuration indexes it (None: a stop word)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word, (SELECT string_agg(lexeme, ' ') FROM unnest(to_tsvector(%s::regconfig, word)))"
            " FROM unnest(%s::text[]) AS word",
            [config, WORDS],
        )
        return dict(cursor.fetchall())


def _tsvector(text: str, stems: dict[str, str | None], weight: str) -> str:
    """`setweight(to_tsvector(text), weight)` for a text of WORDS, in tsvector's input syntax:
    one position per word, stop words counted but not indexed; PostgreSQL sorts the lexemes.
    (A body has under 1,000 words: tsvector's limits, 256 positions a lexeme and position
    16383, are never reached.)"""
    positions: dict[str, list[str]] = {}
    for position, word in enumerate(text.lower().replace(".", " ").split(), 1):
        stem = stems[word]
        if stem:
            positions.setdefault(stem, []).append(f"{position}{weight}")
    return " ".join(f"'{stem}':{','.join(at)}" for stem, at in positions.items())
