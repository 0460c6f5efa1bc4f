from __future__ import annotations

from django import forms

from apps.changes.models import KillCategory


class KillForm(forms.Form):
    category = forms.ChoiceField(choices=KillCategory.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        min_length=10,
        help_text="What makes this a legal or ethical takedown. Kept in the desk's log; partners only see 'kill'.",
    )
