"""Stance extraction on European dialogue with Russia (spaCy; no Django).

Candidates come from hand-written rules and every actor mention near a dialogue cue;
a trained decision step (``decision.py``, ``data/model/``) keeps, labels and scores them.
"""

from __future__ import annotations

from .entries import LABELS, ActorEntry, CountryEntry, Proposal, load_actor_file
from .extractor import Extractor, load_model
from .rules import RuleExtractor, get_nlp

__all__ = [
    "LABELS",
    "ActorEntry",
    "CountryEntry",
    "Extractor",
    "Proposal",
    "RuleExtractor",
    "get_nlp",
    "load_actor_file",
    "load_model",
]
