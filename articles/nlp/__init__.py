"""Stance extraction on European dialogue with Russia (rule-based, spaCy; no Django)."""

from __future__ import annotations

from .entries import LABELS, ActorEntry, CountryEntry, Proposal, load_actor_file
from .extractor import Extractor, get_nlp

EXTRACTOR_VERSION = "rules-0.3"

__all__ = [
    "EXTRACTOR_VERSION",
    "LABELS",
    "ActorEntry",
    "CountryEntry",
    "Extractor",
    "Proposal",
    "get_nlp",
    "load_actor_file",
]
