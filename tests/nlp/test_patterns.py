"""The cue lists' phrases as a tree of first letters match where the plain list matches."""

import random
import re

import pytest

from articles.nlp.patterns import word_alternation
from articles.nlp.rules import LEX


def _plain(entries):
    return re.compile(r"(?<![\w-])(?:" + "|".join(entries) + r")(?![\w])")


def _tree(entries):
    return re.compile(r"(?<![\w-])(?:" + word_alternation(entries) + r")(?![\w])")


SENTENCES = [
    "the chancellor said europe should talk to moscow before the summit.",
    "she has no plans to speak to putin and will not engage with the kremlin.",
    "rome is ready to reopen channels to russia, but only if a ceasefire holds.",
    "the minister declined to comment on whether an envoy to moscow was named.",
    "it would be a mistake to refuse talks; we must be at the negotiating table.",
    "talks between washington and moscow went on without the europeans.",
    "nothing here is about dialogue at all.",
]


def test_phrases_are_gathered_under_their_first_letters():
    assert word_alternation(["should talk", "say", "must talk"]) == "s(?:hould talk|ay)|must talk"


def test_a_leading_group_is_spread_over_its_phrase_in_the_same_order():
    # (?:a|b)?x tries ax, then bx, then x
    assert word_alternation(["(?:cut|end)? ties"]) == "cut ties|end ties| ties"
    assert word_alternation(["(?:meet|meets) putin"]) == "meet(?: putin|s putin)"


def test_an_entry_with_its_own_alternatives_is_taken_apart():
    assert word_alternation(["talks|dialogue"]) == "talks|dialogue"
    assert _tree(["talk|talks"]).search("the talks began").group() == "talks"


@pytest.mark.parametrize("name", ["dialogue", "support", "oppose", "conditional", "neutral"])
def test_every_cue_list_matches_where_its_plain_alternation_matches(name):
    plain, tree = _plain(LEX[name]), _tree(LEX[name])
    for sentence in SENTENCES:
        assert [m.start() for m in tree.finditer(sentence)] == [
            m.start() for m in plain.finditer(sentence)
        ]


def test_random_phrase_lists_match_at_the_same_places():
    rng = random.Random(3)
    words = ["a", "ab", "abc", "b", "ba", "talk", "talks", "to", "top"]

    def phrase():
        head = rng.choice(words)
        if rng.random() < 0.4:
            group = "|".join(rng.sample(words, rng.randint(2, 3)))
            head = f"(?:{group}){'?' if rng.random() < 0.5 else ''} {head}"
        return head + (rng.choice(["", "s?", r" \w+"]) if rng.random() < 0.3 else "")

    for _ in range(300):
        entries = [phrase() for _ in range(rng.randint(1, 8))]
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 12)))
        plain, tree = _plain(entries), _tree(entries)
        found = plain.search(text)
        again = tree.search(text)
        assert (found is None) == (again is None), (entries, text)
        if found is not None:
            assert found.start() == again.start(), (entries, text)
