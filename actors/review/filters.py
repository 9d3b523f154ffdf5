from __future__ import annotations

import django_filters
from django import forms
from django.db.models import F
from django.db.models.functions import Abs
from django.utils.translation import gettext_lazy as _

from actors.models import Actor, Country, Stance
from articles.models import Article


class ReviewFilter(django_filters.FilterSet):
    """The review queue's filters; every one lives in the URL."""

    article = django_filters.ModelChoiceFilter(
        queryset=Article.objects.filter(stances__status=Stance.Status.PROPOSED)
        .distinct()
        .only("id", "title")
        .order_by("title"),
        label=_("Article"),
        empty_label=_("Any article"),
    )
    actor = django_filters.ModelChoiceFilter(
        queryset=Actor.objects.filter(stances__status=Stance.Status.PROPOSED)
        .distinct()
        .only("id", "name")
        .order_by("name"),
        label=_("Actor"),
        empty_label=_("Any actor"),
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

    def order_by(self, queryset, name, value):
        """Least sure first puts the proposals whose confidence is nearest 0.5 on top:
        what an editor's decision teaches the model most about."""
        if value == "uncertain":
            return queryset.annotate(uncertainty=Abs(F("confidence") - 0.5)).order_by(
                "uncertainty", "pk"
            )
        if value in ("confidence", "-confidence"):
            return queryset.order_by(value, "pk")
        return queryset
