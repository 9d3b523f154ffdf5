from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (the pattern Django's documentation gives)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        # an empty file is rejected by name with the others going on, not by the form
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_file_clean = super().clean
        if not data and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if isinstance(data, list | tuple):
            return [single_file_clean(item, initial) for item in data]
        return [single_file_clean(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Files"),
        help_text=_(
            "Text (.txt, .md), web pages (.html), a .zip of them, or a .csv / .jsonl file "
            "with one article per row (columns: title, body, published, url, outlet)."
        ),
    )
    published = forms.DateField(
        label=_("Publication date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For files that carry no date of their own."),
    )
    outlet = forms.CharField(
        label=_("Outlet"),
        max_length=200,
        required=False,
        help_text=_("For files that name no outlet."),
    )


class PublicationForm(forms.ModelForm):
    """An editor sets or corrects when and where an article was published."""

    class Meta:
        model = Article
        fields = ["published", "outlet"]
        widgets = {"published": forms.DateInput(attrs={"type": "date"})}

    def clean_published(self):
        published = self.cleaned_data["published"]
        if published is not None and not (date(1990, 1, 1) <= published <= timezone.localdate()):
            raise forms.ValidationError(_("A publication date lies between 1990 and today."))
        return published
