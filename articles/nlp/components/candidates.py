"""High-recall candidate generation: every (actor, sentence) pair that could hold a stance.

A candidate is an actor mentioned in, or resolved by the rules for, one sentence of an
article that speaks of dialogue, talks or the other side, or that sits next to one that
does. Each candidate carries the sparse features the trained decision step reads: where
the mention stands in the parse, which cue lists the sentence touches, what the rules
made of it, and the words around it. Deciding is left to :mod:`articles.nlp.decision`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from spacy.language import Language

from .. import rules as rules_module
from ..entries import Proposal
from ..patterns import word_alternation
from ..rules import (
    LEX,
    NEG_WORDS_RE,
    PARSED_TEXT,
    RE_EUROPE,
    RE_RUSSIA,
    RE_THIRD,
    REPORT_VERBS,
    SUBJ_DEPS,
    RuleExtractor,
    _coordination_head,
    parse_arrays,
    parser_text,
    token_lowers,
    token_strings,
)
from .attribution import QUOTE_MARKS, _lemma, mentions_by_sentence

_CONDITION_WORDS = ("if", "unless", "once", "only", "provided", "condition", "conditions")
RE_CONDITION_WORDS = re.compile(r"\b(?:" + word_alternation(_CONDITION_WORDS) + r")\b")
WINDOW_TOKENS = 6
_LABEL_CUES = frozenset({"support", "oppose", "conditional", "neutral", "neg", "if"})
SPEECH_NOUNS = frozenset(LEX["speech_nouns"])
DIALOGUE_VERBS = {
    lemma: polarity for polarity, lemmas in LEX["dialogue_verbs"].items() for lemma in lemmas
}


@dataclass
class Candidate:
    actor: str
    country: str
    kind: str
    is_new: bool
    group: str  # the actor, or the institution a spokesperson speaks for
    sentence: int  # index into the article's sentences
    sent_start: int  # character offsets of the sentence in the text
    sent_end: int
    quote_start: int
    quote_end: int
    rule: Proposal | None = None
    features: list[str] = field(default_factory=list)
    stated_on: date | None = None  # set by the dating component
    precision: str = "unknown"
    # set by the dating component: "own" (its sentence or predicate), "vague" ("recently"),
    # "carried", "published", "habitual" or "none"
    date_source: str = "none"


@dataclass
class ArticleCandidates:
    text: str
    published: date | None
    candidates: list[Candidate]
    rule_proposals: list[Proposal]


def _bucket(value: float, edges: tuple[float, ...]) -> int:
    return sum(value >= edge for edge in edges)


def cue_patterns() -> dict[str, re.Pattern]:
    """Each kind of cue and its pattern (the rules' cue lists as they are compiled now)."""
    return {
        "dialogue": rules_module.RE_DIALOGUE,
        "russia": RE_RUSSIA,
        "europe": RE_EUROPE,
        "support": rules_module.RE_SUPPORT,
        "oppose": rules_module.RE_OPPOSE,
        "conditional": rules_module.RE_CONDITIONAL,
        "neutral": rules_module.RE_NEUTRAL,
        "third": RE_THIRD,
        "neg": NEG_WORDS_RE,
        "if": RE_CONDITION_WORDS,
    }


def _cue_matches(
    patterns: dict[str, re.Pattern], low: str, dialogue: bool, russia: bool
) -> dict[str, list[tuple[int, int]]]:
    """Where each cue list matches one sentence (character offsets in ``low``), for the
    lists it touches; whether it speaks of dialogue and of Russia is known already."""
    out = {}
    for name, regex in patterns.items():
        if (name == "dialogue" and not dialogue) or (name == "russia" and not russia):
            continue
        found = [match.span() for match in regex.finditer(low)]
        if found:
            out[name] = found
    # the words of a non-committal phrase are not a refusal or a negation of their own
    # ("refused to be drawn on", "would not comment")
    for inner in ("oppose", "neg") if "neutral" in out else ():
        kept = [
            (a, b)
            for a, b in out.get(inner, ())
            if not any(s <= a and b <= e for s, e in out["neutral"])
        ]
        if kept:
            out[inner] = kept
        else:
            out.pop(inner, None)
    return out


def _content_lemmas(doc) -> list[str | None]:
    """Each token's lower-case lemma if it is a content word (alphabetic, no stop word,
    longer than two letters), else None; read once per document from its arrays."""
    key = "stance-content-lemmas"
    if key not in doc.user_data:
        from spacy.attrs import IS_ALPHA, IS_STOP, LENGTH

        lemmas, _pos = _token_words(doc)
        alpha, stop, length = doc.to_array([IS_ALPHA, IS_STOP, LENGTH]).T
        content = ((alpha == 1) & (stop == 0) & (length > 2)).tolist()
        doc.user_data[key] = [
            lemma if keep else None for lemma, keep in zip(lemmas, content, strict=True)
        ]
    return doc.user_data[key]


def _token_words(doc) -> tuple[list[str], list[str]]:
    """Each token's lower-case lemma (its text when it has none) and coarse part of speech,
    read once per document from its arrays."""
    key = "stance-token-words"
    if key not in doc.user_data:
        import numpy
        from spacy.attrs import LEMMA, ORTH, POS

        lemma, orth, pos = doc.to_array([LEMMA, ORTH, POS]).T
        words = numpy.where(lemma != 0, lemma, orth)  # a token without a lemma is itself
        doc.user_data[key] = (token_strings(doc, words, str.lower), token_strings(doc, pos))
    return doc.user_data[key]


class CandidateGenerator:
    """Candidates of one parsed article, from the rule extractor's mentions and proposals."""

    def __init__(self, rules: RuleExtractor):
        self.rules = rules

    def article(self, doc, text: str, published: date | None) -> ArticleCandidates:
        rules = self.rules
        rule_proposals = rules.extract_doc(doc, published, text)
        sents = rules.sentence_bounds(doc)
        if not sents:
            return ArticleCandidates(text, published, [], rule_proposals)
        lows = [text[cs:ce].lower().replace("\u2019", "'") for _s, _e, cs, ce in sents]
        # every sentence is looked at for dialogue and Russia; the other cue lists only
        # where a candidate is made
        patterns = cue_patterns()
        topical = [patterns["dialogue"].search(low) is not None for low in lows]
        russian = [RE_RUSSIA.search(low) is not None for low in lows]
        content = _content_lemmas(doc)

        def polarity(low: str) -> str:
            """The label the cue lists give a stretch of the text, or ``none``."""
            return rules.label_of(doc, low)[0] or "none"

        by_sentence = doc._.stance_mentions
        if by_sentence is None:  # run without the attribution component
            by_sentence = mentions_by_sentence(rules, doc, sents)
        rules_at: dict[int, list[Proposal]] = {}
        for p in rule_proposals:
            for si, (_s, _e, cs, ce) in enumerate(sents):
                if p.start < ce and p.end > cs:
                    rules_at.setdefault(si, []).append(p)
        actor_mentions: dict[str, int] = {}
        first_sentence: dict[str, int] = {}
        for si, found in sorted(by_sentence.items()):
            for m in found:
                actor_mentions[m.actor] = actor_mentions.get(m.actor, 0) + 1
                first_sentence.setdefault(m.actor, si)
        rule_actors = {p.actor for p in rule_proposals}

        out: list[Candidate] = []
        for si, (s, e, cs, ce) in enumerate(sents):
            near = any(topical[max(0, si - 2) : si + 2]) or russian[si] or si in rules_at
            local = by_sentence.get(si, [])
            if not near or not (local or si in rules_at):
                continue
            seen: dict[str, Candidate] = {}
            matches = _cue_matches(patterns, lows[si], topical[si], russian[si])
            sent_cues = set(matches)
            cue_tokens = _cue_tokens(doc, cs, matches)
            tok_mention = {i: m for m in local for i in range(m.start, m.end)}
            sent_polarity = polarity(lows[si])
            # a question the writer asks, not one quoted from a speaker, nor a headline's
            # "Putin: How can the EU be a mediator?"
            narrator_question = (
                lows[si].rstrip().endswith("?")
                and not any(mark in lows[si] for mark in QUOTE_MARKS)
                and not any(_colon_speaker(doc, m, s, e) for m in local)
            )
            sent_words = [f"w={w}" for w in content[s:e] if w is not None]
            # the sentence, and the evidence until the rules offer a tighter span
            where = {
                "sentence": si,
                "sent_start": cs,
                "sent_end": ce,
                "quote_start": cs,
                "quote_end": ce,
            }
            for m in local:
                if m.actor in seen or _qualifies_a_person(doc, m, local):
                    continue
                cand = Candidate(
                    actor=m.actor,
                    country=m.country,
                    kind=m.kind,
                    is_new=m.is_new,
                    group=m.speaks_for or m.actor,
                    **where,
                )
                cand.features = self._mention_features(doc, m, s, e, local)
                cand.features += _tree_features(doc, m, cue_tokens)
                cand.features += self._clause_features(doc, text, m, s, e, tok_mention, polarity)
                cand.features.append(f"pol_sent={sent_polarity}")
                seen[m.actor] = cand
            for p in rules_at.get(si, []):
                cand = seen.get(p.actor)
                if cand is None:
                    entry = rules.by_name.get(p.actor)
                    cand = Candidate(
                        actor=p.actor,
                        country=p.country,
                        kind=entry.kind if entry is not None else "person",
                        is_new=p.is_new_actor,
                        # a spokesperson's words are their institution's occasion too
                        group=(entry.speaks_for if entry is not None else None) or p.actor,
                        features=["via=rule-only"],
                        **where,
                    )
                    seen[p.actor] = cand
                if cand.rule is None or p.confidence > cand.rule.confidence:
                    cand.rule = p
                    cand.quote_start, cand.quote_end = p.start, p.end
            for cand in seen.values():
                feats = cand.features
                feats += [f"cue={c}" for c in sorted(sent_cues)]
                if si > 0:
                    feats += [
                        f"prev_cue={c}"
                        for c, there in (("dialogue", topical[si - 1]), ("russia", russian[si - 1]))
                        if there
                    ]
                if not topical[si]:
                    feats.append("off_sentence_topic")
                    if not russian[si]:
                        # neither talks nor Russia: what its cue words back is something else
                        feats += ["bare_sentence"] + [
                            f"bare_{c}" for c in sorted(sent_cues) if c in _LABEL_CUES
                        ]
                side = rules.side(cand.country)
                feats.append(f"side={side}")
                feats += [f"cue_side={c}_{side}" for c in sorted(sent_cues) if c in _LABEL_CUES]
                feats.append(f"kind={cand.kind}")
                if cand.is_new:
                    feats.append("new_actor")
                feats.append(f"pos={_bucket(si, (1, 3, 8))}")
                if narrator_question:
                    feats.append("question")  # "Why does Poland oppose these talks?"
                feats.append(f"mentions={_bucket(actor_mentions.get(cand.actor, 0), (2, 4))}")
                if first_sentence.get(cand.actor) == si:
                    feats.append("first_mention")
                feats.append(f"actors_here={_bucket(len(seen), (2, 3))}")
                if cand.rule is not None:
                    r = cand.rule
                    feats += ["rule", f"rule_label={r.label}"]
                    feats.append(f"rule_conf={_bucket(r.confidence, (0.6, 0.75, 0.85))}")
                    feats.append(f"rule_label_conf={r.label}_{_bucket(r.confidence, (0.75,))}")
                    feats.append(f"rule_label_side={r.label}_{side}")
                else:
                    if cand.actor in rule_actors:
                        feats.append("rule_elsewhere")
                    if rules_at.get(si):
                        feats.append("rule_other_actor")
                feats += sent_words
            out.extend(seen.values())
        return ArticleCandidates(text, published, out, rule_proposals)

    def _clause_features(
        self, doc, text: str, m, s: int, e: int, tok_mention, polarity
    ) -> list[str]:
        """What the rules' lexicon makes of the clause the mention holds, if it holds one
        (its predicate's subtree), and whether someone else reports that clause."""
        rules = self.rules
        info = rules._holder_predicate(doc, m, s, e, tok_mention)
        if info is None and _colon_speaker(doc, m, s, e):
            # "Putin: How can the EU be a mediator?": the words after the colon are the
            # speaker's, as in "Putin said"
            clause = text[doc[m.end + 1].idx : doc[e - 1].idx + len(doc[e - 1].text)]
            label = polarity(clause.lower().replace("\u2019", "'"))
            return ["holder=subj", f"pol_clause={label}", f"pol_mode={label}_subj", "outer=none"]
        if info is None:
            return ["holder=none"]
        pred, mode = info
        lo, hi = rules._clause(doc, m, pred, mode, s, e)
        clause = text[doc[lo].idx : doc[hi - 1].idx + len(doc[hi - 1].text)]
        label = polarity(clause.lower().replace("\u2019", "'"))
        feats = [f"holder={mode}", f"pol_clause={label}", f"pol_mode={label}_{mode}"]
        outer = rules._outer_holder(doc, pred, m, tok_mention, s, e)
        feats.append(f"outer={outer[0] if outer else 'none'}")
        return feats

    def _mention_features(self, doc, m, s: int, e: int, local) -> list[str]:
        heads, deps = parse_arrays(doc)
        lemmas, pos = _token_words(doc)
        lowers = token_lowers(doc)
        root = doc[m.start : m.end].root.i
        feats = [f"via={m.via}"]
        # "X and Y said": the second conjunct stands where the first one does
        while deps[root] in ("conj", "appos") and heads[root] != root:
            feats.append(f"in_{deps[root]}")
            root = heads[root]
        head, dep = heads[root], deps[root]
        if _colon_speaker(doc, m, s, e):
            feats += ["colon_speaker", "subj_report_verb"]
        feats += [f"dep={dep}", f"head={lemmas[head]}"]
        feats.append(f"dep_headpos={dep}_{pos[head]}")
        if dep == "pobj":
            feats.append(f"prep={lowers[head]}")
            feats.append(f"prep_head={lowers[head]}_{lemmas[heads[head]]}")
        if dep == "poss":
            feats.append(f"poss_of={lemmas[head]}")
            if lemmas[head] in SPEECH_NOUNS:
                feats.append("poss_speech_noun")
        if dep in SUBJ_DEPS:
            feats.append(f"subj_of={lemmas[head]}")
            if lemmas[head] in REPORT_VERBS:
                feats.append("subj_report_verb")
            if deps[head] == "ROOT":
                feats.append("subj_of_root")
        if dep == "compound":
            feats.append(f"compound_of_dep={deps[head]}")
        ancestors = list(_ancestry(doc, root))[1:]
        # inside what someone else is reported to say ("He said Macron wants ...")
        child = root
        for anc in ancestors:
            if deps[child] in ("ccomp", "xcomp", "advcl") and lemmas[anc] in REPORT_VERBS:
                subjects = [c.i for c in doc[anc].children if c.dep_ in SUBJ_DEPS]
                if subjects and not any(m.start <= c < m.end for c in subjects):
                    feats.append("in_report_complement")
                    feats.append(f"reporter_pos={pos[subjects[0]]}")
                break
            child = anc
        # is this mention inside the complement of another mention's reporting verb?
        anc = set(ancestors)
        for other in local:
            if other is m:
                continue
            oroot = doc[other.start : other.end].root
            if _coordination_head(oroot).i == root:
                continue  # "Macron and Meloni said": a co-subject, not a reporter
            if (
                oroot.dep_ in SUBJ_DEPS
                and _lemma(oroot.head) in REPORT_VERBS
                and oroot.head.i in anc
            ):
                feats.append("inside_other_report")
                # what one side says of the other ("Kallas said Putin wants attention") is
                # a claim about it, not its stance
                same = self.rules.side(other.country) == self.rules.side(m.country)
                feats.append(f"reported_by={'same' if same else 'other'}_side")
                break
        content = _content_lemmas(doc)
        feats += [
            f"n={content[i]}"
            for i in range(max(s, m.start - WINDOW_TOKENS), min(e, m.end + WINDOW_TOKENS))
            if content[i] is not None and not (m.start <= i < m.end)
        ]
        return feats


def _colon_speaker(doc, m, s: int, e: int) -> bool:
    """The sentence opens with the mention and a colon, a headline's way to quote someone
    ("Lavrov: Europe has cut every channel"); a dateline in capitals is none."""
    return (
        m.start == s
        and m.end + 3 < e
        and doc[m.end].text == ":"
        and not doc[m.start : m.end].text.isupper()
    )


def _qualifies_a_person(doc, m, local) -> bool:
    """A country or institution named only to say whose office a person holds ("Finland's
    President Alexander Stubb", "the Kremlin spokesman Dmitry Peskov"): the person holds
    the stance, not the government beside them."""
    if m.kind == "person":
        return False
    root = doc[m.start : m.end].root
    if root.dep_ not in ("poss", "compound", "amod", "nmod"):
        return False
    people = [o for o in local if o is not m and o.kind == "person"]
    tok = root.head
    for _step in range(3):  # the office noun, then the name it is a compound of
        if any(o.start <= tok.i < o.end for o in people):
            return True
        if tok.dep_ not in ("compound", "appos", "flat", "nmod", "amod") or tok.head.i == tok.i:
            break
        tok = tok.head
    return False


def _cue_tokens(doc, cs: int, matches: dict[str, list[tuple[int, int]]]) -> dict[str, list[int]]:
    """The token (the root of the matched words) of each cue match in a sentence that
    starts at character ``cs``."""
    out: dict[str, list[int]] = {}
    for name, found in matches.items():
        for start, end in found:
            span = doc.char_span(cs + start, cs + end, alignment_mode="expand")
            if span is not None and len(span):
                out.setdefault(name, []).append(span.root.i)
    return out


def _path(doc, a: int, b: int, limit: int = 6, *, up=None) -> tuple[list[str], list[str]] | None:
    """Dependency labels up from ``a`` to the common ancestor, and down from it to ``b``
    (``up``: ``a``'s chain of heads from :func:`_heads`, when the caller has it)."""
    heads, deps = parse_arrays(doc)
    up, index = up or _heads(doc, a, limit)
    down = [b]
    while down[-1] not in index:
        if heads[down[-1]] == down[-1] or len(down) > limit:
            return None
        down.append(heads[down[-1]])
    top = index[down[-1]]
    return [deps[t] for t in up[:top]], [deps[t] for t in reversed(down[:-1])]


def _heads(doc, a: int, limit: int = 6) -> tuple[list[int], dict[int, int]]:
    """Token ``a`` and its heads up to ``limit`` steps (indices), and each one's place in
    that chain."""
    heads, _deps = parse_arrays(doc)
    up = [a]
    while heads[up[-1]] != up[-1] and len(up) <= limit:
        up.append(heads[up[-1]])
    return up, {t: n for n, t in enumerate(up)}


def _negated_heads(doc) -> set[int]:
    """The tokens that have a ``neg`` child."""
    key = "stance-negated-heads"
    if key not in doc.user_data:
        heads, deps = parse_arrays(doc)
        doc.user_data[key] = {heads[i] for i, dep in enumerate(deps) if dep == "neg"}
    return doc.user_data[key]


def _ancestry(doc, tok: int):
    """Token ``tok`` and all its heads up to the root."""
    heads, _deps = parse_arrays(doc)
    yield tok
    while heads[tok] != tok:
        tok = heads[tok]
        yield tok


def _tree_features(doc, m, cue_tokens: dict[str, list[int]]) -> list[str]:
    """How far, along the parse, the mention is from each kind of cue, and by which path."""
    top = doc[m.start : m.end].root
    while top.dep_ in ("conj", "appos") and top.head.i != top.i:
        top = top.head
    root = top.i
    up = _heads(doc, root)
    feats = []
    for name, tokens in cue_tokens.items():
        best = None
        nearest = None
        for tok in tokens:
            if m.start <= tok < m.end:
                continue
            path = _path(doc, root, tok, up=up)
            if path is not None and (best is None or sum(map(len, path)) < sum(map(len, best))):
                best, nearest = path, tok
        if best is None:
            feats.append(f"far_{name}")
            continue
        if name == "dialogue":
            feats += _dialogue_verb_features(doc, nearest)
            if len(best[0]) + len(best[1]) <= 5:
                negs = set(cue_tokens.get("neg", ()))
                negated = _negated_heads(doc)
                for tok in tokens:
                    if any(tok - 5 <= n < tok for n in negs) or any(
                        t in negated for t in _ancestry(doc, tok)
                    ):
                        feats.append("dialogue_negated")
                        break
        length = len(best[0]) + len(best[1])
        feats.append(f"dist_{name}={min(length, 5)}")
        if name in ("dialogue", "support", "oppose", "conditional", "neutral", "neg"):
            feats.append(f"up_{name}={'/'.join(best[0][:3])}")
            if length <= 4:
                feats.append(f"path_{name}={'/'.join(best[0])}|{'/'.join(best[1])}")
    return feats


def _dialogue_verb_features(doc, tok: int) -> list[str]:
    """What the verb that governs the word for talks at ``tok`` does to talks ("resume
    talks", "take part in negotiations", "broke off contacts"), by the lexicon's
    ``dialogue_verbs``; the other way round when the verb is negated. The verb itself is
    no feature: the lemmas the development articles happen to use would be learnt."""
    heads, _deps = parse_arrays(doc)
    lemmas, pos = _token_words(doc)
    for _step in range(4):
        if heads[tok] == tok:
            return []
        tok = heads[tok]
        if pos[tok] in ("VERB", "AUX"):
            break
    else:
        return []
    polarity = DIALOGUE_VERBS.get(lemmas[tok])
    if polarity is None:
        return []
    if tok in _negated_heads(doc):
        polarity = "oppose" if polarity == "support" else "support"
    return [f"dverb_pol={polarity}"]


def parse_many(rules: RuleExtractor, items, *, batch_size: int = 32):
    """(doc, text, published) for (text, published) items, in one ``nlp.pipe`` pass."""

    def pairs():
        for text, published in items:
            masked = parser_text(text)
            yield masked, (masked, text, published)

    for doc, (masked, text, published) in rules.nlp.pipe(
        pairs(), as_tuples=True, batch_size=batch_size
    ):
        doc.user_data[PARSED_TEXT] = masked  # what doc.text would join again, token by token
        yield doc, text, published


class Candidates:
    """The ``stance_candidates`` component: ``doc._.stance_candidates`` from the mentions
    of ``stance_attribution`` (or the named mentions alone when it did not run)."""

    def __init__(self, nlp, name: str):
        self.name = name
        self.generator: CandidateGenerator | None = None

    def attach(self, rules: RuleExtractor) -> None:
        self.generator = CandidateGenerator(rules)

    def __call__(self, doc):
        text = doc._.stance_text if doc._.stance_text is not None else doc.text
        published = doc._.stance_published
        if not text.strip():
            doc._.stance_candidates = ArticleCandidates(text, published, [], [])
        else:
            doc._.stance_candidates = self.generator.article(doc, text, published)
        return doc


@Language.factory("stance_candidates")
def make_candidates(nlp, name: str) -> Candidates:
    return Candidates(nlp, name)
