"""The stance pipeline as named, registered spaCy components (no Django).

After spaCy's own parse, four components run on each ``Doc`` in this order and hand
their results on through ``Doc`` extensions:

``stance_attribution``  ``doc._.stance_mentions``: the actors named in each sentence, and
                        the speaker of sentences that do not name one ("he said", a
                        first-person quotation).
``stance_candidates``   ``doc._.stance_candidates``: every actor mention near a topic cue,
                        with its features (:mod:`..candidates`).
``stance_dating``       the date of each candidate (``Candidate.stated_on``).
``stance_decision``     ``doc._.stance_proposals``: the trained model's records, one per
                        actor and occasion, with calibrated confidence.

The article's original text and publication date are ``doc._.stance_text`` and
``doc._.stance_published`` (the parse itself runs on a copy with datelines blanked).
The components need the actor list, which is not part of a config: the
:class:`~articles.nlp.extractor.Extractor` builds them with ``nlp.create_pipe`` and
hands them its rule extractor with ``attach``.
"""

from __future__ import annotations

from spacy.tokens import Doc

EXTENSIONS = (
    "stance_text",
    "stance_published",
    "stance_mentions",
    "stance_candidates",
    "stance_proposals",
)
PIPELINE = ("stance_attribution", "stance_candidates", "stance_dating", "stance_decision")

for _name in EXTENSIONS:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

from . import attribution, candidates, dating, decision  # noqa: E402  (registers factories)

__all__ = ["EXTENSIONS", "PIPELINE", "attribution", "candidates", "dating", "decision"]
