"""The registry: actors, their aliases and time-bounded relations, places and events.

Every article is tagged against these records, the partner API filters by them and the tagger
matches text against their aliases. Which records are public is decided in one place: each
model's ``public_rule`` (a ``PublicRule``), read as SQL by ``Model.objects.public()`` and the
selectors ``public_actors/public_events/public_places``, and in Python by ``is_public``.

Aliases use one model, ``Alias``, for both actors and places: exactly one of its two parental
keys is set (a DB constraint says so), so the tagger matches one table.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.search import index

from apps.registry import dates
from apps.registry.countries import COUNTRIES, COUNTRY_NAMES
from apps.registry.dates import DatePrecision
from apps.registry.text import fold
from apps.registry.vocabularies import IPTC_MEDIA_TOPICS
from newsdesk.slugs import unique_slug

QID_RE = r"^Q[1-9][0-9]*$"
qid_validator = RegexValidator(QID_RE, "Enter a Wikidata item id: Q followed by digits, e.g. Q1032.")


class ReviewStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed (not public)"
    APPROVED = "approved", "Approved"


class ActorKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANIZATION = "organization", "Organisation"
    STATE = "state", "State"
    ALLIANCE = "alliance", "Alliance"
    ARMED_GROUP = "armed_group", "Armed group"
    MILITARY_UNIT = "military_unit", "Military unit or mission"
    MEDIA_OUTLET = "media_outlet", "Media outlet"
    OTHER = "other", "Other"


class AliasKind(models.TextChoices):
    NAME = "name", "Name"
    ACRONYM = "acronym", "Acronym"
    FORMER_NAME = "former_name", "Former name"
    SPELLING_VARIANT = "spelling_variant", "Spelling variant"
    DEMONYM = "demonym", "Demonym (e.g. Malian)"
    METONYM = "metonym", "Metonym (e.g. Moscow for Russia)"


class Predicate(models.TextChoices):
    MEMBER_OF = "member_of", "member of"
    HOLDS_POSITION = "holds_position", "holds position in"
    LEADS = "leads", "leads"
    PART_OF = "part_of", "part of"
    ALLIED_WITH = "allied_with", "allied with"
    CUT_TIES_WITH = "cut_ties_with", "cut ties with"
    HOSTILE_TO = "hostile_to", "hostile to"


# Predicates whose relation carries a title ("Foreign Minister", "Interim President").
TITLED_PREDICATES = {Predicate.HOLDS_POSITION, Predicate.LEADS}


class PlaceKind(models.TextChoices):
    COUNTRY = "country", "Country"
    REGION = "region", "Region"
    CITY = "city", "City"
    SITE = "site", "Site"


class EventType(models.TextChoices):
    ALLIANCE_FORMED = "alliance_formed", "Alliance formed"
    MEMBERSHIP_WITHDRAWAL = "membership_withdrawal", "Membership withdrawal"
    DIPLOMATIC_EXPULSION = "diplomatic_expulsion", "Diplomatic expulsion"
    TROOP_WITHDRAWAL = "troop_withdrawal", "Troop withdrawal"
    MILITARY_COUP = "military_coup", "Military coup"
    BILATERAL_MEETING = "bilateral_meeting", "Bilateral meeting"
    SUMMIT = "summit", "Summit"
    VISIT = "visit", "Visit"
    SEVERANCE_OF_TIES = "severance_of_ties", "Severance of ties"
    AGREEMENT = "agreement", "Agreement"
    BAN = "ban", "Ban"
    MILITARY_DEPLOYMENT = "military_deployment", "Military deployment"
    ATTACK = "attack", "Attack"
    ELECTION = "election", "Election"
    STATEMENT = "statement", "Statement"
    OTHER = "other", "Other"


class EventStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    OCCURRED = "occurred", "Occurred"
    CANCELLED = "cancelled", "Cancelled"
    DISPUTED = "disputed", "Disputed"


class ParticipantRole(models.TextChoices):
    HOST = "host", "Host"
    ATTENDEE = "attendee", "Attendee"
    INITIATOR = "initiator", "Initiator"
    TARGET = "target", "Target"
    MEMBER = "member", "Member"
    MEDIATOR = "mediator", "Mediator"


class PublicRule:
    """The field values a record needs before anyone outside the newsroom may see it.

    One definition read two ways, so the SQL filter and the Python check cannot drift: ``q()``
    for querysets (``prefix`` reaches the record through a relation, e.g. ``"place__"``) and
    ``holds()`` for a record already in memory. ``None`` means "must be empty".
    """

    def __init__(self, **required: object):
        self.required = required

    def q(self, prefix: str = "") -> Q:
        return Q(
            **{
                (f"{prefix}{name}__isnull" if value is None else f"{prefix}{name}"): (
                    True if value is None else value
                )
                for name, value in self.required.items()
            }
        )

    def holds(self, record: models.Model) -> bool:
        return all(getattr(record, name) == value for name, value in self.required.items())


class RegistryQuerySet(models.QuerySet):
    def public(self) -> models.QuerySet:
        """Records anyone outside the newsroom may see (the model's ``public_rule``)."""
        return self.filter(self.model.public_rule.q())


RegistryManager = models.Manager.from_queryset(RegistryQuerySet)


class NormalizedModel(models.Model):
    """A record with one canonical form for some fields (QIDs, folded aliases, first-day dates).

    ``normalize()`` is the only place each model writes that form; it runs in ``clean()`` (so
    validation and the unique constraints see the canonical values) and again in ``save()``
    (for code that saves without validating: services, the demo loader, factories).
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.normalize()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        self.normalize()

    def normalize(self) -> None:
        """Bring fields to their canonical form; subclasses extend it."""


class PartialDateRangeMixin(NormalizedModel):
    """start/end, each with a precision; *_upper is the last day of the period (for queries)."""

    start = models.DateField(
        null=True, blank=True, help_text="For a year or month, any day in it; it is stored as the first day."
    )
    start_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    start_upper = models.DateField(null=True, editable=False)
    end = models.DateField(null=True, blank=True)
    end_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    end_upper = models.DateField(null=True, editable=False)

    class Meta:
        abstract = True

    def normalize(self) -> None:
        super().normalize()
        self.start = dates.normalize(self.start, self.start_precision)
        self.start_upper = dates.period_end(self.start, self.start_precision)
        self.end = dates.normalize(self.end, self.end_precision)
        self.end_upper = dates.period_end(self.end, self.end_precision)

    def clean(self) -> None:
        super().clean()
        if self.start and self.end and self.end_upper < self.start:
            raise ValidationError({"end": "The end cannot be before the start."})

    start_display = dates.display_property("start", "start_precision")
    end_display = dates.display_property("end", "end_precision")
    start_iso = dates.iso_property("start", "start_precision")
    end_iso = dates.iso_property("end", "end_precision")


def end_not_before_start(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(end_upper__gte=F("start")),
        name=name,
        violation_error_message="The end cannot be before the start.",
    )


class Actor(NormalizedModel, index.Indexed, ClusterableModel):
    """A person, organisation, state, alliance, armed group, mission or outlet: one per real actor."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=220, unique=True, blank=True, help_text="Left blank, made from the name."
    )
    kind = models.CharField(max_length=20, choices=ActorKind.choices)
    description = models.TextField(blank=True, help_text="One or two sentences shown on the actor page.")
    country = models.CharField(
        max_length=2, choices=COUNTRIES, blank=True, help_text="ISO 3166-1 country the actor belongs to."
    )
    wikidata_qid = models.CharField(
        "Wikidata QID", max_length=20, blank=True, default="", validators=[qid_validator]
    )
    image = models.ForeignKey(
        "core.NewsImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_duplicates",
        editable=False,
        help_text="Set when this record was merged into another; its URL then redirects there.",
    )
    review_status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PROPOSED, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RegistryManager()
    # Approved and not merged into another record (a merged-away URL redirects to its survivor).
    public_rule = PublicRule(review_status=ReviewStatus.APPROVED, merged_into_id=None)

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("description"),
        index.FilterField("kind"),
        index.FilterField("country"),
        index.FilterField("review_status"),
        index.RelatedFields("aliases", [index.SearchField("text"), index.AutocompleteField("text")]),
    ]

    class Meta:
        ordering = ["name"]
        permissions = [
            ("approve_actor", "Can approve proposed actors"),
            ("merge_actor", "Can merge duplicate actors"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["wikidata_qid"],
                condition=~Q(wikidata_qid=""),
                name="registry_actor_unique_qid",
                violation_error_message="Another actor already has this Wikidata QID.",
            ),
            models.CheckConstraint(
                condition=Q(wikidata_qid="") | Q(wikidata_qid__regex=QID_RE),
                name="registry_actor_qid_format",
                violation_error_message="A Wikidata QID is Q followed by digits.",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=F("pk")), name="registry_actor_not_merged_into_self"
            ),
        ]
        indexes = [models.Index(fields=["kind", "country"]), models.Index(fields=["country"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Actor, self.name, pk=self.pk, max_length=220, fallback="record")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("registry:actor_detail", kwargs={"slug": self.slug})

    def normalize(self) -> None:
        super().normalize()
        self.wikidata_qid = (self.wikidata_qid or "").strip().upper()

    @property
    def country_name(self) -> str:
        return COUNTRY_NAMES.get(self.country, "")

    @property
    def is_public(self) -> bool:
        return self.public_rule.holds(self)


class Place(index.Indexed, ClusterableModel):
    """A country, region, city or site, with coordinates; places nest (Ouagadougou in Burkina Faso)."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=220, unique=True, blank=True, help_text="Left blank, made from the name."
    )
    kind = models.CharField(max_length=10, choices=PlaceKind.choices)
    country = models.CharField("ISO country", max_length=2, choices=COUNTRIES, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    geonames_id = models.PositiveIntegerField("GeoNames id", null=True, blank=True, unique=True)
    description = models.TextField(blank=True)
    review_status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PROPOSED, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RegistryManager()
    public_rule = PublicRule(review_status=ReviewStatus.APPROVED)

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("kind"),
        index.FilterField("country"),
        index.FilterField("review_status"),
        index.RelatedFields("aliases", [index.SearchField("text"), index.AutocompleteField("text")]),
    ]

    class Meta:
        ordering = ["name"]
        permissions = [("approve_place", "Can approve proposed places")]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="registry_place_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="registry_place_longitude_range",
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="registry_place_not_own_parent"),
        ]
        indexes = [models.Index(fields=["kind", "country"]), models.Index(fields=["country"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": "A place cannot be its own parent."})

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Place, self.name, pk=self.pk, max_length=220, fallback="record")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("registry:place_detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.public_rule.holds(self)

    @property
    def country_name(self) -> str:
        return COUNTRY_NAMES.get(self.country, "")


class Alias(NormalizedModel):
    """Another way an actor or place is written: the tagger matches text against ``normalized``."""

    actor = ParentalKey(Actor, null=True, blank=True, on_delete=models.CASCADE, related_name="aliases")
    place = ParentalKey(Place, null=True, blank=True, on_delete=models.CASCADE, related_name="aliases")
    text = models.CharField(max_length=200)
    language = models.CharField(
        max_length=10, blank=True, help_text="BCP 47 code such as en or fr; blank for any language."
    )
    kind = models.CharField(max_length=20, choices=AliasKind.choices, default=AliasKind.NAME)
    case_sensitive = models.BooleanField(
        default=False, help_text="Match only with this exact case (acronyms such as AES that are also words)."
    )
    normalized = models.CharField(max_length=200, editable=False, db_index=True)

    panels = [
        FieldRowPanel([FieldPanel("text"), FieldPanel("language")]),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("case_sensitive")]),
    ]

    class Meta:
        verbose_name_plural = "aliases"
        ordering = ["kind", "text"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(actor__isnull=False) & Q(place__isnull=True))
                | (Q(actor__isnull=True) & Q(place__isnull=False)),
                name="registry_alias_one_owner",
            ),
            models.UniqueConstraint(
                fields=["actor", "normalized", "language"],
                name="registry_alias_unique_per_actor",
                violation_error_message="This actor already has this alias.",
            ),
            models.UniqueConstraint(
                fields=["place", "normalized", "language"],
                name="registry_alias_unique_per_place",
                violation_error_message="This place already has this alias.",
            ),
            models.CheckConstraint(condition=~Q(normalized=""), name="registry_alias_not_blank"),
        ]

    def __str__(self) -> str:
        return self.text

    def normalize(self) -> None:
        super().normalize()
        self.text = (self.text or "").strip()
        self.normalized = fold(self.text)

    def clean(self) -> None:
        super().clean()
        if self.text and not self.normalized:
            raise ValidationError({"text": "An alias needs at least one letter or digit."})

    @property
    def kind_short(self) -> str:
        """The kind without its example ("demonym"), for compact display."""
        return self.get_kind_display().split(" (")[0].lower()


class ActorRelation(PartialDateRangeMixin):
    """subject —predicate→ object, bounded in time: "Mali member of ECOWAS until January 2025"."""

    subject = ParentalKey(Actor, on_delete=models.CASCADE, related_name="relations")
    predicate = models.CharField(max_length=20, choices=Predicate.choices)
    object = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="incoming_relations")
    position_title = models.CharField(
        max_length=120, blank=True, help_text='For "holds position in" / "leads": e.g. "Foreign Minister".'
    )
    source_note = models.CharField(max_length=500, blank=True, help_text="Where the dates come from.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldRowPanel([FieldPanel("predicate"), FieldPanel("object"), FieldPanel("position_title")]),
        FieldRowPanel([FieldPanel("start"), FieldPanel("start_precision")]),
        FieldRowPanel([FieldPanel("end"), FieldPanel("end_precision")]),
        FieldPanel("source_note"),
    ]

    class Meta:
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(subject=F("object")),
                name="registry_relation_not_self",
                violation_error_message="An actor cannot be related to itself.",
            ),
            end_not_before_start("registry_relation_end_after_start"),
            models.UniqueConstraint(
                fields=["subject", "predicate", "object", "position_title", "start"],
                name="registry_relation_unique",
                violation_error_message="This relation is already recorded.",
            ),
        ]
        indexes = [
            models.Index(fields=["object", "predicate", "start"]),
            models.Index(fields=["subject", "predicate", "start"]),
        ]

    def __str__(self) -> str:
        title = f" ({self.position_title})" if self.position_title else ""
        return f"{self.subject} {self.get_predicate_display()} {self.object}{title}"

    def clean(self) -> None:
        super().clean()
        if self.subject_id and self.object_id and self.subject_id == self.object_id:
            raise ValidationError({"object": "An actor cannot be related to itself."})
        if self.position_title and self.predicate not in TITLED_PREDICATES:
            raise ValidationError({"position_title": "Only 'holds position in' and 'leads' take a title."})


class Event(index.Indexed, PartialDateRangeMixin, ClusterableModel):
    """Something that happened or is planned: a summit, an expulsion, a withdrawal, a coup."""

    title = models.CharField(max_length=255)
    slug = models.SlugField(
        max_length=220, unique=True, blank=True, help_text="Left blank, made from the title."
    )
    event_type = models.CharField("type", max_length=25, choices=EventType.choices)
    status = models.CharField(max_length=10, choices=EventStatus.choices, default=EventStatus.OCCURRED)
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    summary = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="The series this event belongs to (e.g. the AES summits).",
    )
    sources = models.TextField(blank=True, help_text="Sources for this event, one per line.")
    review_status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PROPOSED, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RegistryManager()
    public_rule = PublicRule(review_status=ReviewStatus.APPROVED)

    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.SearchField("summary"),
        index.FilterField("event_type"),
        index.FilterField("status"),
        index.FilterField("review_status"),
        index.FilterField("start"),
    ]

    class Meta:
        ordering = ["-start", "title"]
        permissions = [("approve_event", "Can approve proposed events")]
        constraints = [
            end_not_before_start("registry_event_end_after_start"),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="registry_event_not_own_parent"),
        ]
        indexes = [
            models.Index(fields=["event_type", "start"]),
            models.Index(fields=["start"]),
            models.Index(fields=["status"]),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Event, self.title, pk=self.pk, max_length=220, fallback="record")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("registry:event_detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.public_rule.holds(self)

    def clean(self) -> None:
        super().clean()
        if self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": "An event cannot be its own series."})

    @property
    def iptc_media_topic(self) -> str:
        return IPTC_MEDIA_TOPICS.get(self.event_type, "")

    @property
    def source_list(self) -> list[str]:
        return [line.strip() for line in self.sources.splitlines() if line.strip()]


class EventParticipant(models.Model):
    event = ParentalKey(Event, on_delete=models.CASCADE, related_name="participants")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="event_participations")
    role = models.CharField(max_length=10, choices=ParticipantRole.choices, default=ParticipantRole.ATTENDEE)
    note = models.CharField(
        max_length=200, blank=True, help_text='e.g. "represented by its foreign minister".'
    )

    panels = [FieldRowPanel([FieldPanel("actor"), FieldPanel("role"), FieldPanel("note")])]

    class Meta:
        ordering = ["role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "actor", "role"],
                name="registry_participant_unique",
                violation_error_message="This actor already has this role in the event.",
            )
        ]
        indexes = [models.Index(fields=["actor", "role"])]

    def __str__(self) -> str:
        return f"{self.actor} ({self.get_role_display()})"


class EventDateClaim(NormalizedModel):
    """A date one source gives for an event, kept when sources disagree rather than resolved."""

    event = ParentalKey(Event, on_delete=models.CASCADE, related_name="date_claims")
    date = models.DateField()
    precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    source = models.CharField(max_length=255, help_text="Who reports this date.")
    source_url = models.URLField(blank=True)
    note = models.CharField(max_length=255, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("precision")]),
        FieldRowPanel([FieldPanel("source"), FieldPanel("source_url")]),
        FieldPanel("note"),
    ]

    class Meta:
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "date", "precision", "source"],
                name="registry_date_claim_unique",
                violation_error_message="This source's date is already recorded.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.display} ({self.source})"

    def normalize(self) -> None:
        super().normalize()
        self.date = dates.normalize(self.date, self.precision)

    display = dates.display_property("date", "precision")
    iso = dates.iso_property("date", "precision")
