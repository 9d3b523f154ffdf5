from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from actors.models import Country, Stance, Topic
from actors.selectors import actor_by_name
from actors.services import NewActor


class StanceLabelForm(forms.ModelForm):
    # a stance always has a label: no empty choice to pick
    label = forms.ChoiceField(choices=Stance.Label.choices, label=_("Label"))

    class Meta:
        model = Stance
        fields = ["label"]


class StanceValuesForm(forms.Form):
    """What an editor gives a stance: actor (by name or alias, or a new one), label,
    topic, date with precision and verbatim evidence."""

    actor_name = forms.CharField(
        label=_("Actor"),
        max_length=200,
        help_text=_("Type to search by name or alias."),
        widget=forms.TextInput(attrs={"list": "actor-names", "autocomplete": "off"}),
    )
    create_actor = forms.BooleanField(label=_("Create a new actor with this name"), required=False)
    new_actor_country = forms.ModelChoiceField(
        label=_("Country of the new actor"),
        queryset=Country.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("No country"),
    )
    label = forms.ChoiceField(label=_("Label"), choices=Stance.Label.choices)
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.all(), empty_label=None)
    stated_on = forms.DateField(
        label=_("Stated on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For a month, any day of it."),
    )
    precision = forms.ChoiceField(
        label=_("Precision"), choices=Stance.Precision.choices, initial=Stance.Precision.DAY
    )
    quote = forms.CharField(
        label=_("Evidence (verbatim from the article)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        name = (cleaned.get("actor_name") or "").strip()
        if name:
            actor = actor_by_name(name)
            if actor is None and not cleaned.get("create_actor"):
                self.add_error(
                    "actor_name",
                    _("No actor is called “%(name)s”. Tick “create a new actor” to add one.")
                    % {"name": name},
                )
            cleaned["actor"] = actor or NewActor(name, cleaned.get("new_actor_country"))
        if cleaned.get("stated_on") and cleaned.get("precision") == Stance.Precision.UNKNOWN:
            self.add_error("precision", _("A date needs a precision: day or month."))
        return cleaned

    def stance_values(self) -> dict:
        """What the editor gave, as the keyword arguments of the services that store it."""
        fields = ("actor", "label", "topic", "stated_on", "precision", "quote")
        return {field: self.cleaned_data[field] for field in fields}


class StanceEditForm(StanceValuesForm):
    """An editor's correction of a proposal: every field the extractor filled in."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    field_order = ["label", "actor_name", "create_actor", "new_actor_country", "topic"]

    @classmethod
    def for_stance(cls, stance: Stance) -> StanceEditForm:
        return cls(
            initial={
                "label": stance.label,
                "actor_name": stance.actor.name,
                "topic": stance.topic_id,
                "stated_on": stance.stated_on,
                "precision": stance.stated_on_precision,
                "quote": stance.quote,
                "version": stance.version,
            },
            auto_id=f"edit-{stance.pk}-%s",
        )


class StanceAddForm(StanceValuesForm):
    """An editor's own stance for a passage of an article."""

    quote = forms.CharField(
        label=_("Evidence (select it in the text, or paste it)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    near = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    field_order = ["quote", "near", "actor_name", "create_actor", "new_actor_country", "label"]


class BulkReviewForm(forms.Form):
    """Approve or reject the ticked proposals, or all of one article above a confidence."""

    action = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("reject", _("Reject"))], widget=forms.HiddenInput
    )
    ids = forms.ModelMultipleChoiceField(queryset=Stance.objects.all(), required=False)
    article = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)
    min_confidence = forms.FloatField(min_value=0, max_value=1, required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("ids") and cleaned.get("article") is None:
            raise forms.ValidationError(_("Tick some proposals, or pick an article."))
        if cleaned.get("article") is not None and cleaned.get("min_confidence") is None:
            self.add_error("min_confidence", _("Give the lowest confidence to include."))
        return cleaned

    def stances(self):
        if self.cleaned_data.get("ids"):
            return self.cleaned_data["ids"]
        return Stance.objects.filter(
            status=Stance.Status.PROPOSED,
            article_id=self.cleaned_data["article"],
            confidence__gte=self.cleaned_data["min_confidence"],
        )
