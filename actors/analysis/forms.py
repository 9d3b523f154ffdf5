"""The analysts' pages: charts, the Europe map, changes, the alignment network, exports.

Every filter lives in the URL, so each page is a permalink.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actors.analysis.selectors import (
    LABEL_ORDER,
    NetworkMode,
    StanceFilters,
    label_legend,
)
from actors.models import Actor, Stance, Topic
from actors.services import EARLIEST_STATEMENT

FILTER_PARAMS = ("topic", "date_from", "date_to", "label", "include_proposed")


MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class AnalysisFilterForm(forms.Form):
    """The filters every analysis page shares. Default: approved stances of every topic."""

    topic = forms.ModelChoiceField(
        queryset=Topic.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=gettext_lazy("All topics"),
        label=gettext_lazy("Topic"),
    )
    date_from = forms.DateField(
        required=False,
        label=gettext_lazy("Stated from"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        required=False, label=gettext_lazy("to"), widget=forms.DateInput(attrs={"type": "date"})
    )
    label = forms.MultipleChoiceField(
        choices=[(value, Stance.Label(value).label) for value in LABEL_ORDER],
        required=False,
        label=gettext_lazy("Labels"),
        widget=forms.CheckboxSelectMultiple,
    )
    include_proposed = forms.BooleanField(
        required=False, label=gettext_lazy("Include proposed stances")
    )

    def __init__(self, data, *, can_see_proposed: bool, dates: bool = True, proposed: bool = True):
        super().__init__(data, auto_id="filter-%s")
        # Proposals are unreviewed: only those who may review them see them here too.
        if not (can_see_proposed and proposed):
            del self.fields["include_proposed"]
        if not dates:
            del self.fields["date_from"]
            del self.fields["date_to"]

    def filters(self) -> StanceFilters:
        """What the valid fields say; an invalid field counts as not set."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return StanceFilters(
            topic=data.get("topic"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            labels=tuple(data.get("label") or ()),
            include_proposed=bool(data.get("include_proposed")),
        )


class CompareForm(forms.Form):
    actors = forms.ModelMultipleChoiceField(
        queryset=Actor.objects.select_related("country"),
        to_field_name="slug",
        required=False,
    )

    def clean_actors(self):
        actors = self.cleaned_data["actors"]
        if not 2 <= len(actors) <= 5:
            raise forms.ValidationError(_("Choose between 2 and 5 actors to compare."))
        order = {slug: i for i, slug in enumerate(self.data.getlist("actors"))}
        return sorted(actors, key=lambda actor: order.get(actor.slug, 0))


class ChangesForm(forms.Form):
    def __init__(self, data):
        super().__init__(data, auto_id="changes-%s")
        # "from" is a keyword: the fields are named here rather than declared.
        self.fields["from"] = forms.DateField(
            required=False, label=_("Period from"), widget=forms.DateInput(attrs={"type": "date"})
        )
        self.fields["to"] = forms.DateField(
            required=False, label=_("to"), widget=forms.DateInput(attrs={"type": "date"})
        )

    def clean(self):
        cleaned = super().clean()
        for name in ("from", "to"):
            day = cleaned.get(name)
            if day is not None and not EARLIEST_STATEMENT <= day <= timezone.localdate():
                self.add_error(
                    name,
                    _("Pick a date between %(earliest)s and today.")
                    % {"earliest": EARLIEST_STATEMENT.year},
                )
        if (
            cleaned.get("from")
            and cleaned.get("to")
            and cleaned["from"] > cleaned["to"]
            and not self.errors
        ):
            self.add_error("to", _("The period ends before it starts."))
        return cleaned

    def period(self) -> tuple[date, date]:
        """The chosen period; by default (or when the one asked for is wrong) the 90 days
        up to today."""
        data = self.cleaned_data if self.is_valid() else {}
        date_to = data.get("to") or timezone.localdate()
        date_from = data.get("from") or date_to - timedelta(days=90)
        return date_from, date_to


class NetworkForm(forms.Form):
    window = forms.IntegerField(
        min_value=1, max_value=365, required=False, label=gettext_lazy("Window (days)")
    )
    mode = forms.ChoiceField(
        choices=[
            (NetworkMode.CONGRUENCE, gettext_lazy("Congruence: same label")),
            (NetworkMode.CONFLICT, gettext_lazy("Conflict: support against oppose")),
        ],
        required=False,
        label=gettext_lazy("Mode"),
    )

    def settings(self) -> tuple[int, str]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return data.get("window") or 30, data.get("mode") or NetworkMode.CONGRUENCE


def filter_form(request: HttpRequest, **options) -> AnalysisFilterForm:
    return AnalysisFilterForm(
        request.GET, can_see_proposed=request.user.has_perm("actors.review_stance"), **options
    )


def filter_query(request: HttpRequest) -> str:
    """The shared filters of this request as a query string, for links between pages."""
    pairs = [
        (key, value) for key in FILTER_PARAMS for value in request.GET.getlist(key) if value != ""
    ]
    return urlencode(pairs)


def filter_context(request: HttpRequest, form: AnalysisFilterForm, section: str, **extra) -> dict:
    return {
        "filter": form,
        "filters": form.filters(),
        "filter_query": filter_query(request),
        "section": section,
        "legend": label_legend(),
        **extra,
    }
