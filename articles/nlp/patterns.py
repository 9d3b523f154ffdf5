"""A long list of cue phrases as one fast regular expression (no Django, no spaCy).

Python's ``re`` tries the alternatives of ``a|b|c`` one after the other at every place
in the text, so a list of a hundred phrases costs a hundred tries at every word. The
phrases are rewritten into a tree that branches on their letters instead:
``(?:should|must) talk|say`` becomes ``s(?:hould talk|ay)|must talk``, where one letter
rules out most of the list at once.

The rewrite matches what the plain alternation matches, starting at the same places:
a leading group of alternatives is spread over the phrase (``(?:a|b)x`` is ``ax|bx``,
``(?:a|b)?x`` is ``ax|bx|x``, tried in the same order), and phrases are gathered under
their first letter. Only phrases that begin with a different letter, or a phrase that
begins with a group the rewrite leaves alone, trade places, so where two phrases match
at the same place the one kept may be another, longer or shorter.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

_EXPAND_DEPTH = 3  # leading groups spread, one inside the other
_BRANCH_DEPTH = 6  # letters of the tree


def word_alternation(entries: Iterable[str]) -> str:
    """The regular expression ``entries[0]|entries[1]|...`` as a tree of first letters."""
    alternatives = [part for entry in entries for part in _split_top(entry)]
    return _branch(_expand(alternatives, 0), 0)


def _scan(pattern: str) -> Iterator[tuple[int, str, int]]:
    """(index, character, depth) of each character of ``pattern`` outside escapes and
    character classes; depth is the number of groups open after the character."""
    depth, i = 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = _class_end(pattern, i)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        yield i, c, depth
        i += 1


def _split_top(pattern: str) -> list[str]:
    """``pattern`` cut at its own ``|`` (not those inside a group or a class)."""
    cuts = [i for i, c, depth in _scan(pattern) if c == "|" and depth == 0]
    return [pattern[a + 1 : b] for a, b in zip([-1, *cuts], [*cuts, len(pattern)], strict=True)]


def _class_end(pattern: str, i: int) -> int:
    """The index after the character class that opens at ``i``."""
    j = i + 1
    if j < len(pattern) and pattern[j] == "^":
        j += 1
    if j < len(pattern) and pattern[j] == "]":
        j += 1  # a "]" first in the class is a character of it
    while j < len(pattern) and pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1


def _leading_group(entry: str) -> tuple[list[str], bool, str] | None:
    """(alternatives, optional, rest) of an entry that opens with ``(?:...)`` or
    ``(?:...)?``; None for any other opening (a class, a look-around, a repeated group)."""
    if not entry.startswith("(?:"):
        return None
    i = next((i for i, c, depth in _scan(entry) if c == ")" and depth == 0), None)
    if i is None:
        return None
    inner, rest = entry[3:i], entry[i + 1 :]
    optional = False
    if rest[:1] in ("*", "+", "{"):
        return None
    if rest[:1] == "?":
        if rest[1:2] in ("?", "+"):  # lazy or possessive: another order of tries
            return None
        optional, rest = True, rest[1:]
    alternatives = _split_top(inner)
    if any(a.startswith("(?") and not a.startswith("(?:") for a in alternatives):
        return None
    return alternatives, optional, rest


def _expand(entries: list[str], depth: int) -> list[str]:
    out: list[str] = []
    for entry in entries:
        group = _leading_group(entry) if depth < _EXPAND_DEPTH else None
        if group is None:
            out.append(entry)
            continue
        alternatives, optional, rest = group
        spread = [a + rest for a in alternatives] + ([rest] if optional else [])
        out += _expand(spread, depth + 1)
    return out


def _literal_head(entry: str) -> bool:
    """The entry opens with a plain letter, digit, space or apostrophe, not repeated."""
    return (
        bool(entry)
        and (entry[0].isalnum() or entry[0] in " '")
        and entry[0].isascii()
        and entry[1:2] not in ("?", "*", "+", "{")
    )


def _branch(entries: list[str], depth: int) -> str:
    heads: dict[str, list[str]] = {}
    order: list[tuple[bool, str]] = []  # (a tree under a letter, the letter or the entry)
    for entry in entries:
        if depth < _BRANCH_DEPTH and _literal_head(entry):
            if entry[0] not in heads:
                heads[entry[0]] = []
                order.append((True, entry[0]))
            heads[entry[0]].append(entry[1:])
        else:
            order.append((False, entry))
    parts = []
    for is_tree, value in order:
        if not is_tree:
            parts.append(value)
            continue
        rests = heads[value]
        letter = value  # a letter, digit, space or apostrophe stands for itself
        if len(rests) == 1:
            parts.append(letter + rests[0])
        else:
            inner = _branch(rests, depth + 1)
            # one branch below (a shared prefix): no group of its own
            parts.append(letter + inner if len(_split_top(inner)) == 1 else f"{letter}(?:{inner})")
    return "|".join(parts)
