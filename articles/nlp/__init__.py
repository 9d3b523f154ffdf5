"""Stance extraction on European dialogue with Russia (spaCy; no Django).

After spaCy's parse, registered components (``components/``: attribution, candidates,
dating, decision) find every actor mention near a dialogue cue, with the hand-written
rules' proposals as candidates and features, and a trained two-stage decision
(``decision.py``, ``data/model/``) keeps, labels and scores them. Cue lists and country
data are read from ``data/``.
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
