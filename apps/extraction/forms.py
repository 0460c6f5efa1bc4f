"""The review forms: edit a proposal before accepting it, merge it into an event."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from apps.registry.dates import DatePrecision, parse_partial
from apps.registry.models import Actor, Event, EventStatus, EventType, ParticipantRole, Place

PARTIAL_HELP = "2022, 2022-01 or 2022-01-31: the precision is what you write."


def _partial(value: str, name: str):
    value = (value or "").strip()
    if not value:
        return None, DatePrecision.DAY
    try:
        return parse_partial(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError({name: f"Write a year, a year and month, or a day: {PARTIAL_HELP}"}) from exc


class ProposalEditForm(forms.Form):
    title = forms.CharField(
        max_length=255, required=False, help_text="Left blank, made from the type and actors."
    )
    event_type = forms.ChoiceField(label="Type", choices=EventType.choices)
    event_status = forms.ChoiceField(label="Status", choices=EventStatus.choices)
    date = forms.CharField(max_length=10, required=False, help_text=PARTIAL_HELP)
    end = forms.CharField(
        max_length=10, required=False, help_text="Only for an event over several days or months."
    )
    place = forms.ModelChoiceField(queryset=Place.objects.order_by("name"), required=False)
    participants = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One per line: actor slug, a colon, a role (initiator, target, host, attendee, member, mediator).",
    )

    def clean(self):
        data = super().clean()
        data["start"], data["start_precision"] = _partial(data.get("date", ""), "date")
        data["end_value"], data["end_precision"] = _partial(data.get("end", ""), "end")
        lines = [line.strip() for line in (data.get("participants") or "").splitlines() if line.strip()]
        pairs = []
        for line in lines:
            slug, _, role = (part.strip() for part in line.partition(":"))
            if role not in ParticipantRole.values:
                raise ValidationError(
                    {
                        "participants": f"'{line}': the role must be one of {', '.join(ParticipantRole.values)}."
                    }
                )
            pairs.append((slug, role))
        actors = {
            a.slug: a for a in Actor.objects.filter(slug__in=[s for s, _ in pairs], merged_into__isnull=True)
        }
        unknown = [s for s, _ in pairs if s not in actors]
        if unknown:
            raise ValidationError({"participants": f"No such actor: {', '.join(unknown)}."})
        if not pairs:
            raise ValidationError({"participants": "An event needs at least one participant."})
        data["participant_pairs"] = [(actors[s], r) for s, r in pairs]
        return data


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label="Event this article reports", queryset=Event.objects.order_by("-start", "title")
    )
