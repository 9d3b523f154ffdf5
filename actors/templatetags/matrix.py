"""The Europe page's country × month matrix: its cells are countries times months, so they
are written here in one pass rather than by the template engine a cell at a time."""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

register = template.Library()


@lru_cache(maxsize=64)
def _cell(label: str | None) -> str:
    """A month's ``<td>``: its label as a class, its name as a title and its initial as the
    text; an empty cell for a month without a stance. (Labels are a handful of values.)"""
    if not label:
        return '<td class="cell"></td>'
    return (
        f'<td class="cell label-{escape(label)}" title="{escape(capfirst(label))}">'
        f"{escape(label[:1].upper())}</td>"
    )


@register.simple_tag
def timeline_cells(timeline: list[str | None]) -> SafeString:
    """One cell per month of a country's row."""
    return mark_safe("".join(_cell(label) for label in timeline))  # noqa: S308 - escaped
