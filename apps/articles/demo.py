"""Demo articles for `manage.py load_demo`: the Sahel story, written by the desk for the demo.

Idempotent and never overwriting: an author (keyed by slug) or an article (keyed by slug,
wherever an editor moved it) that already exists is left exactly as it is.
Needs the demo registry (apps.registry.demo.load runs first).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from wagtail.models import PageViewRestriction
from wagtail.rich_text import RichText

from apps.articles.models import (
    ArticleActor,
    ArticleByline,
    ArticleCorrection,
    ArticleEvent,
    ArticleKind,
    ArticlePage,
    ArticlePlace,
    Author,
    SyndicationRights,
    TagRole,
)
from apps.core.models import SectionPage
from apps.registry.models import Actor, Event, Place

AUTHORS = [
    ("mariam-keita", "Mariam Keita", "Sahel correspondent, Bamako"),
    ("olivier-dembele", "Olivier Dembélé", "West Africa editor"),
    ("hawa-issoufou", "Hawa Issoufou", "Niamey correspondent"),
]

S, M = TagRole.SUBJECT, TagRole.MENTIONED


@dataclass
class DemoArticle:
    slug: str
    section: str
    title: str
    standfirst: str
    paragraphs: list[str]
    published: dt.datetime
    authors: list[str]
    actors: list[tuple[str, str]] = field(default_factory=list)
    events: list[tuple[str, str]] = field(default_factory=list)
    places: list[tuple[str, str]] = field(default_factory=list)
    dateline: str | None = None
    kind: str = ArticleKind.NEWS
    language: str = "en"
    state: str = "live"  # live | draft | scheduled | expired | private
    top_story: bool = False
    rights: str = SyndicationRights.OWN
    source: str = ""
    facts: list[str] = field(default_factory=list)
    quote: tuple[str, str] | None = None
    corrections: list[tuple[dt.date, str]] = field(default_factory=list)


def _at(y: int, m: int, d: int, h: int = 9) -> dt.datetime:
    return dt.datetime(y, m, d, h, 0, tzinfo=dt.UTC)


ARTICLES = [
    DemoArticle(
        slug="aes-ministers-meet-lavrov-in-moscow",
        section="sahel",
        title="Sahel foreign ministers take their alliance to Moscow",
        standfirst="Mali, Niger and Burkina Faso sent their top diplomats to meet Sergey Lavrov, "
        "who offered Russian help in building the bloc's joint force.",
        paragraphs=[
            "The foreign ministers of the three military-led Sahel states sat down with Russia's "
            "foreign minister in Moscow on 3 April 2025, the first such meeting of the whole "
            "alliance with the Kremlin's chief diplomat.",
            "Russia said it was ready to help the Alliance of Sahel States assemble the joint "
            "force its members have been discussing since the start of the year. Reports from "
            "January put the planned force at 5,000 troops or more.",
            "For the three governments the trip was a signal of where they now look for security "
            "partners, after years in which France was the main foreign military presence.",
        ],
        published=_at(2025, 4, 3, 17),
        authors=["mariam-keita"],
        dateline="moscow",
        actors=[
            ("aes", S),
            ("russia", S),
            ("sergey-lavrov", S),
            ("abdoulaye-diop", M),
            ("bakary-yaou-sangare", M),
            ("aes-joint-force", M),
            ("mali", M),
            ("niger", M),
            ("burkina-faso", M),
        ],
        events=[("aes-moscow-meeting-2025", S), ("aes-joint-force-announced", M)],
        places=[("moscow", S)],
        top_story=True,
        quote=(
            "We came to talk about security first, and about everything else after.",
            "A member of one of the delegations, speaking to the desk",
        ),
    ),
    DemoArticle(
        slug="aes-military-chiefs-meet-in-ouagadougou",
        section="sahel",
        title="Alliance army chiefs hold third summit, this time in Ouagadougou",
        standfirst="Two days of talks in Burkina Faso's capital followed earlier meetings in "
        "Bamako and Niamey.",
        paragraphs=[
            "The chiefs of staff of the Alliance of Sahel States met in Ouagadougou on 15 and 16 "
            "April 2025. It was the third meeting of its kind, after gatherings in Bamako and "
            "Niamey during 2024.",
            "The agenda centred on the joint force and on how the three armies share intelligence "
            "along their common borders.",
        ],
        published=_at(2025, 4, 16, 18),
        authors=["olivier-dembele"],
        actors=[("aes", S), ("burkina-faso", M), ("malian-armed-forces", M), ("aes-joint-force", S)],
        events=[("aes-military-chiefs-ouagadougou-2025", S), ("aes-military-chiefs-summits", M)],
        places=[("burkina-faso", S)],
        facts=[
            "Bamako and Niamey hosted the first two meetings, in 2024.",
            "The alliance's charter dates from September 2023.",
        ],
    ),
    DemoArticle(
        slug="explainer-what-is-the-aes",
        section="analysis",
        title="Explainer: what the Alliance of Sahel States is, and why it matters",
        standfirst="Three juntas, one charter and a clean break with ECOWAS: the alliance in five questions.",
        paragraphs=[
            "The alliance brings together Mali, Burkina Faso and Niger. All three are run by "
            "officers who took power in coups: Mali in 2020 and again in 2021, Burkina Faso in "
            "2022 and Niger in July 2023.",
            "Its founding text, the Liptako-Gourma Charter, was signed on 16 September 2023. "
            "Not every account agrees on the date: one commentary places the alliance's formation "
            "in December 2023, and the registry keeps both claims with their sources.",
            "The three states then left the Economic Community of West African States, saying the "
            "bloc served Western interests and had failed them on security. Their exit took effect "
            "in January 2025.",
        ],
        published=_at(2025, 2, 10),
        authors=["olivier-dembele", "mariam-keita"],
        kind=ArticleKind.EXPLAINER,
        actors=[("aes", S), ("ecowas", S), ("mali", M), ("burkina-faso", M), ("niger", M)],
        events=[("aes-founding", S), ("aes-ecowas-exit", S)],
        facts=[
            "Members: Mali, Burkina Faso, Niger.",
            "Charter signed: 16 September 2023 (one source says December 2023).",
            "ECOWAS exit effective: January 2025.",
        ],
        corrections=[
            (
                dt.date(2025, 2, 11),
                "An earlier version gave the wrong year for Burkina Faso's coup. It was 2022.",
            )
        ],
    ),
    DemoArticle(
        slug="mali-expels-french-ambassador",
        section="sahel",
        title="Mali orders France's ambassador to leave",
        standfirst="The expulsion opened the way to the withdrawal of French troops and the "
        "European Takuba task force.",
        paragraphs=[
            "Mali's transitional authorities told the French ambassador to leave the country in "
            "early 2022, in the sharpest break yet between Bamako and its former colonial power.",
            "Within months France announced that its soldiers, and the European special forces of "
            "the Takuba task force, would leave Mali.",
        ],
        published=_at(2022, 2, 1),
        authors=["mariam-keita"],
        dateline="bamako",
        actors=[("mali", S), ("france", S), ("takuba", M), ("french-armed-forces", M)],
        events=[("mali-expels-french-ambassador", S), ("france-leaves-mali", M)],
        places=[("bamako", S)],
    ),
    DemoArticle(
        slug="us-forces-leave-niger-drone-base",
        section="west-africa",
        title="US troops leave Niger as the Agadez drone base shuts",
        standfirst="Washington's biggest drone installation in the region closed in 2024 at the "
        "request of Niger's military government.",
        paragraphs=[
            "American forces have left Niger after the authorities in Niamey asked them to go. "
            "The drone base they ran under US Africa Command has closed.",
            "French troops had already departed the year before, also at the junta's request.",
        ],
        published=_at(2024, 8, 6),
        authors=["hawa-issoufou"],
        dateline="niamey",
        actors=[("united-states", S), ("niger", S), ("africom", S), ("pentagon", M), ("france", M)],
        events=[("us-leaves-niger", S), ("french-forces-leave-niger", M)],
        places=[("niamey", M), ("niger", S)],
        rights=SyndicationRights.AGENCY_SITE_ONLY,
        source="With agency reporting",
        top_story=True,
    ),
    DemoArticle(
        slug="mali-niger-break-ties-with-ukraine",
        section="west-africa",
        title="Mali and Niger cut diplomatic ties with Ukraine",
        standfirst="Bamako accused Kyiv of supporting rebel groups in the north; Niamey followed.",
        paragraphs=[
            "Mali broke off relations with Ukraine in 2024, accusing it of backing armed rebels. "
            "Niger took the same step days later.",
            "Ukraine rejected the accusation.",
        ],
        published=_at(2024, 8, 12),
        authors=["olivier-dembele"],
        actors=[("mali", S), ("niger", S), ("ukraine", S)],
        events=[("mali-niger-cut-ties-ukraine", S)],
    ),
    DemoArticle(
        slug="niger-interdit-ong-francaises",
        section="west-africa",
        title="Le Niger interdit les ONG françaises",
        standfirst="Après l'expulsion de l'ambassadeur de France, la junte de Niamey s'en prend "
        "aux organisations humanitaires françaises.",
        paragraphs=[
            "Les autorités militaires du Niger ont interdit en 2023 les activités des "
            "organisations humanitaires françaises sur leur territoire.",
            "La décision intervient quelques semaines après le départ forcé de l'ambassadeur de "
            "France à Niamey.",
        ],
        published=_at(2023, 10, 20),
        authors=["hawa-issoufou"],
        language="fr",
        dateline="niamey",
        actors=[("niger", S), ("france", S)],
        events=[("niger-bans-french-ngos", S), ("niger-expels-french-ambassador", M)],
    ),
    DemoArticle(
        slug="analysis-sahel-turns-to-russia",
        section="analysis",
        title="Analysis: why the Sahel juntas turned from Paris to Moscow",
        standfirst="Security partnerships, diplomacy and trade have shifted east in under four years.",
        paragraphs=[
            "Each of the three military governments broke with France in its own way: ambassadors "
            "expelled, troops asked to leave, aid groups banned. Chad, outside the alliance, also "
            "asked French soldiers to go.",
            "Russia has filled part of the gap with military advisers, diplomatic cover and "
            "promises of economic cooperation. Whether it can deliver on all three is the open "
            "question for the region.",
        ],
        published=_at(2025, 4, 8),
        authors=["olivier-dembele"],
        kind=ArticleKind.ANALYSIS,
        actors=[("russia", S), ("france", S), ("aes", S), ("chad", M), ("wagner-group", M)],
        events=[("chad-asks-french-troops-to-leave", M), ("aes-moscow-meeting-2025", M)],
    ),
    # Not public: one draft, one scheduled, one expired, one private.
    DemoArticle(
        slug="goita-to-visit-moscow",
        section="sahel",
        title="Goïta expected in Moscow in June",
        standfirst="Mali's interim president is due to make the trip that his foreign minister prepared.",
        paragraphs=["Assimi Goïta's visit to Moscow has been announced for June 2025. Details to follow."],
        published=_at(2025, 4, 20),
        authors=["mariam-keita"],
        actors=[("assimi-goita", S), ("russia", S), ("mali", M)],
        events=[("goita-moscow-visit", S)],
        state="draft",
    ),
    DemoArticle(
        slug="joint-force-one-year-on",
        section="analysis",
        title="The AES joint force, one year on",
        standfirst="A look at what the alliance's soldiers have and have not done together.",
        paragraphs=["This piece is embargoed until its scheduled publication time."],
        published=_at(2025, 4, 21),
        authors=["olivier-dembele"],
        kind=ArticleKind.ANALYSIS,
        actors=[("aes-joint-force", S), ("aes", M)],
        state="scheduled",
    ),
    DemoArticle(
        slug="aes-summit-live-schedule",
        section="sahel",
        title="Ouagadougou summit: the day's schedule",
        standfirst="Timings for the army chiefs' meeting, valid for the two days of the summit only.",
        paragraphs=["Opening session at nine, closed-door talks in the afternoon, statement at six."],
        published=_at(2025, 4, 15, 7),
        authors=["olivier-dembele"],
        events=[("aes-military-chiefs-ouagadougou-2025", S)],
        state="expired",
    ),
    DemoArticle(
        slug="desk-note-joint-force-numbers",
        section="sahel",
        title="Desk note: how we report the joint force's size",
        standfirst="For staff: the figures we use and how we attribute them.",
        paragraphs=["Use 'at least 5,000 troops' and attribute it to reports since January 2025."],
        published=_at(2025, 1, 20),
        authors=["mariam-keita"],
        actors=[("aes-joint-force", S)],
        state="private",
    ),
]


def _body(article: DemoArticle) -> list[tuple[str, object]]:
    blocks: list[tuple[str, object]] = [
        ("paragraph", RichText(f"<p>{text}</p>")) for text in article.paragraphs
    ]
    if article.quote:
        blocks.insert(1, ("quote", {"quote": article.quote[0], "attribution": article.quote[1]}))
    if article.facts:
        blocks.append(("fact_box", {"title": "Key facts", "facts": article.facts}))
    return blocks


def _create(article: DemoArticle, *, section: SectionPage, authors: dict, now: dt.datetime) -> ArticlePage:
    actors = {a.slug: a for a in Actor.objects.filter(slug__in=[slug for slug, _ in article.actors])}
    events = {e.slug: e for e in Event.objects.filter(slug__in=[slug for slug, _ in article.events])}
    place_slugs = [slug for slug, _ in article.places] + ([article.dateline] if article.dateline else [])
    places = {p.slug: p for p in Place.objects.filter(slug__in=place_slugs)}
    page = ArticlePage(
        title=article.title,
        slug=article.slug,
        standfirst=article.standfirst,
        body=_body(article),
        kind=article.kind,
        language=article.language,
        dateline=places.get(article.dateline) if article.dateline else None,
        syndication_rights=article.rights,
        source_attribution=article.source,
        top_story=article.top_story,
        live=False,
    )
    page.bylines = [ArticleByline(author=authors[slug]) for slug in article.authors]
    page.corrections = [ArticleCorrection(date=date, text=text) for date, text in article.corrections]
    # Records the registry does not have (yet) are skipped rather than failing the whole demo.
    page.actor_tags = [ArticleActor(actor=actors[s], role=r) for s, r in article.actors if s in actors]
    page.event_tags = [ArticleEvent(event=events[s], role=r) for s, r in article.events if s in events]
    page.place_tags = [ArticlePlace(place=places[s], role=r) for s, r in article.places if s in places]
    if article.state == "scheduled":
        page.go_live_at = now + dt.timedelta(days=30)
    section.add_child(instance=page)
    revision = page.save_revision()
    if article.state == "draft":
        return page
    revision.publish()
    if article.state == "scheduled":
        return page
    # Demo stories carry the dates of the events they report, not the load time.
    ArticlePage.objects.filter(pk=page.pk).update(
        published_at=article.published, updated_at=article.published, first_published_at=article.published
    )
    if article.state == "expired":
        ArticlePage.objects.filter(pk=page.pk).update(expire_at=now - dt.timedelta(days=1))
    elif article.state == "private":
        PageViewRestriction.objects.get_or_create(page=page, restriction_type=PageViewRestriction.LOGIN)
    return page


@transaction.atomic
def load() -> str:
    authors = {}
    for slug, name, job_title in AUTHORS:
        # Created once; an editor's later changes to the author are theirs to keep.
        authors[slug], _ = Author.objects.get_or_create(
            slug=slug, defaults={"name": name, "job_title": job_title}
        )
    sections = {section.slug: section for section in SectionPage.objects.all()}
    now = timezone.now()
    created = 0
    for article in ARTICLES:
        section = sections[article.section]
        # Anywhere in the tree: an article an editor moved to another section is still there.
        if ArticlePage.objects.filter(slug=article.slug).exists():
            continue
        _create(article, section=section, authors=authors, now=now)
        created += 1
    return f"demo articles: {created} created, {len(ARTICLES) - created} already there"
