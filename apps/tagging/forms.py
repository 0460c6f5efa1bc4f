from __future__ import annotations

from django import forms

from apps.articles.models import SyndicationRights
from apps.core.models import SectionPage
from apps.tagging.wire import FORMATS, MAX_BYTES


class WireImportForm(forms.Form):
    section = forms.ModelChoiceField(queryset=SectionPage.objects.none())
    file = forms.FileField(required=False, help_text="A text, HTML, RSS/Atom or ninjs file.")
    text = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 10}), label="Or paste the copy"
    )
    format = forms.ChoiceField(choices=[(f, f) for f in FORMATS], initial="auto")
    rights = forms.ChoiceField(choices=SyndicationRights.choices, initial=SyndicationRights.AGENCY_SITE_ONLY)

    def __init__(self, *args, sections=None, can_set_rights: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = sections if sections is not None else SectionPage.objects.all()
        if not can_set_rights:  # as in the article editor, rights are the editors' call
            del self.fields["rights"]

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), (data.get("text") or "").strip()
        if bool(upload) == bool(text):
            raise forms.ValidationError("Upload a file or paste text (one of the two).")
        if upload and upload.size > MAX_BYTES:
            raise forms.ValidationError("The file is too large.")
        data["raw"] = upload.read() if upload else text.encode()
        data["name"] = upload.name if upload else "pasted text"
        return data
