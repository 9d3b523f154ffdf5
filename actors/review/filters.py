from __future__ import annotations

import django_filters
from django import forms
from django.db.models import F, Q
from django.db.models.functions import Abs
from django.utils.translation import gettext_lazy as _

from actors.models import ActorAlias, Country, Stance
from actors.paging import Key

# The queue's orders, as the keys its pages are read by (each ends on the id, so that a
# cursor names one place in the order); each is the order of an index of open proposals.
ORDER_KEYS: dict[str, tuple[Key, ...]] = {
    # reading order: stance_open_queue_idx
    "": (
        Key("queue_article", F("article_id")),
        Key("queue_start", F("quote_start")),
        Key("queue_pk", F("pk")),
    ),
    # least sure first, nearest 0.5 on top: stance_open_uncertain_idx
    "uncertain": (
        Key("queue_uncertainty", Abs(F("confidence") - 0.5)),
        Key("queue_pk", F("pk")),
    ),
    # stance_open_confidence_idx, and the same read backwards (ties newest first)
    "confidence": (Key("queue_confidence", F("confidence")), Key("queue_pk", F("pk"))),
    "-confidence": (
        Key("queue_confidence", F("confidence"), descending=True),
        Key("queue_pk", F("pk"), descending=True),
    ),
}


def order_keys(order: str | None) -> tuple[Key, ...]:
    return ORDER_KEYS.get(order or "", ORDER_KEYS[""])


class ReviewFilter(django_filters.FilterSet):
    """The review queue's filters; every one lives in the URL."""

    article = django_filters.NumberFilter(field_name="article", widget=forms.HiddenInput)
    article_title = django_filters.CharFilter(
        field_name="article__title",
        lookup_expr="icontains",
        label=_("Article"),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("title contains…")}),
    )
    actor = django_filters.CharFilter(
        method="by_actor",
        label=_("Actor"),
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("name or alias…"), "list": "actor-names"}
        ),
    )
    job = django_filters.NumberFilter(
        field_name="article__ingest_job",
        label=_("Ingest job"),
        widget=forms.HiddenInput,
    )
    country = django_filters.ModelChoiceFilter(
        field_name="actor__country",
        to_field_name="code",
        queryset=Country.objects.only("code", "name").order_by("name"),
        label=_("Country"),
        empty_label=_("Any country"),
    )
    label = django_filters.ChoiceFilter(
        choices=Stance.Label.choices, label=_("Label"), empty_label=_("Any label")
    )
    confidence_min = django_filters.NumberFilter(
        field_name="confidence", lookup_expr="gte", label=_("Confidence from")
    )
    confidence_max = django_filters.NumberFilter(
        field_name="confidence", lookup_expr="lte", label=_("to")
    )
    stated_from = django_filters.DateFilter(
        field_name="stated_on",
        lookup_expr="gte",
        label=_("Stated from"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    stated_to = django_filters.DateFilter(
        field_name="stated_on",
        lookup_expr="lte",
        label=_("to"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    order = django_filters.ChoiceFilter(
        choices=[
            ("uncertain", _("Least sure first")),
            ("confidence", _("Confidence, lowest first")),
            ("-confidence", _("Confidence, highest first")),
        ],
        method="order_by",
        empty_label=_("Reading order"),
        label=_("Order"),
    )

    class Meta:
        model = Stance
        fields: list[str] = []

    def narrows(self) -> bool:
        """Whether a filter leaves proposals out (an order leaves none out); an invalid
        form narrows the queue to nothing."""
        if not self.is_valid():
            return True
        return any(
            value not in (None, "")
            for name, value in self.form.cleaned_data.items()
            if name != "order"
        )

    def by_actor(self, queryset, name, value):
        """Typed text finds the actor by name or alias; a number (from a link) is its id."""
        value = value.strip()
        if value.isdigit():
            return queryset.filter(actor_id=int(value))
        by_alias = ActorAlias.objects.filter(text__icontains=value).values("actor_id")
        return queryset.filter(Q(actor__name__icontains=value) | Q(actor_id__in=by_alias))

    def order_by(self, queryset, name, value):
        """Least sure first puts the proposals whose confidence is nearest 0.5 on top:
        what an editor's decision teaches the model most about."""
        keys = order_keys(value)
        return queryset.alias(**{key.name: key.expression for key in keys}).order_by(
            *(key.ordering() for key in keys)
        )

    def order_keys(self) -> tuple[Key, ...]:
        """The keys of the order asked for (reading order when the form is invalid)."""
        order = self.form.cleaned_data.get("order") if self.is_valid() else None
        return order_keys(order)
