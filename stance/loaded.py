"""Loaded language: evaluative words and idioms in the author's voice (pure, no Django)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from stance.lexicons import words
from stance.rule_sentiment import Span, _token_range, _tokens
from stance.sentiment_lexicon import LEXICON
from stance.spans import containing, disjoint

# Loaded language: evaluative and emotive words common in political writing (valence from
# VADER when it has one). Intensifiers and certainty markers ("simply", "clearly") are not
# here: on their own they judge nobody, and listing them buried the words that do.
LOADED_WORDS: dict[str, float] = {
    w: LEXICON.get(w, v)
    for w, v in {
        "petty": -0.8,
        "vindictive": -2.0,
        "ridiculous": -1.5,
        "malcontents": -1.8,
        "dynamite": -0.5,
        "bitterness": -1.7,
        "bitter": -1.8,
        "coup": -1.5,
        "weird": -0.7,
        "mischief": -1.5,
        "madness": -1.9,
        "impoverished": -1.5,
        "angrily": -1.8,
        "furious": -2.7,
        "fuming": -2.0,
        "outcast": -1.8,
        "untenable": -1.5,
        "subterfuge": -1.8,
        "scapegoat": -1.7,
        "farce": -1.7,
        "fiasco": -2.3,
        "debacle": -2.0,
        "shambles": -2.0,
        "chaos": -2.7,
        "turmoil": -1.5,
        "ructions": -1.3,
        "infighting": -1.5,
        "feud": -1.4,
        "rift": -1.2,
        "saga": -0.5,
        "rogue": -1.3,
        "maverick": -0.5,
        "disgraced": -2.0,
        "embattled": -1.5,
        "beleaguered": -1.5,
        "dumped": -1.7,
        "axed": -1.3,
        "ousted": -1.5,
        "sacked": -1.5,
        "slammed": -1.5,
        "blasted": -1.5,
        "savaged": -2.0,
        "bizarre": -1.3,
        "shocking": -1.7,
        "notorious": -1.9,
        "infamous": -1.8,
        "absurd": -1.5,
        "laughable": -1.5,
        "pathetic": -2.7,
        "shameful": -2.2,
        "disgraceful": -2.5,
        "hapless": -1.4,
        "hopeless": -2.0,
        "desperate": -1.3,
        "brazen": -1.2,
        "blatant": -1.2,
        "cynical": -1.6,
        "scheming": -1.8,
        "plotting": -1.2,
        "treachery": -2.5,
        "betrayal": -2.8,
        "propitious": 1.2,
        "malicious": -2.5,
    }.items()
}
LOADED_PHRASES: dict[str, float] = {
    "political dynamite": -1.0,
    "moment of madness": -1.9,
    "witch hunt": -2.0,
    "kangaroo court": -2.0,
    "sour grapes": -1.5,
    "own goal": -1.5,
    "war of words": -1.2,
    "slap in the face": -2.0,
    "last straw": -1.2,
    "gang of": -1.0,
    "funny way": -1.0,
    "bad planning": -2.5,
    "bad luck": -2.5,
    "knives out": -1.5,
    "open warfare": -2.0,
    "damage control": -1.2,
    "dirty laundry": -1.5,
}
_LOADED_PHRASE_RE = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(LOADED_PHRASES, key=len)[::-1])
    + r")(?![\w-])",
    re.I,
)
_LOADED_MIN = 2.5  # |VADER valence| from which a word outside LOADED_WORDS counts as loaded


@dataclass(frozen=True)
class LoadedTerm:
    start: int
    end: int
    text: str
    valence: float  # VADER-scale valence


def loaded_terms(text: str, masked: Sequence[Span]) -> tuple[LoadedTerm, ...]:
    """Evaluative words and idioms in the author's voice (outside ``masked`` spans)."""
    toks = _tokens(text)
    masked_spans = disjoint(masked)
    hidden = [containing(t.start, masked_spans) >= 0 for t in toks]
    out: list[LoadedTerm] = []
    covered: list[Span] = []
    for m in _LOADED_PHRASE_RE.finditer(text):
        lo, hi = _token_range(toks, m.start(), m.end())
        if lo < 0 or any(hidden[lo : hi + 1]):
            continue
        key = " ".join(m.group().lower().split())
        out.append(LoadedTerm(m.start(), m.end(), m.group(), LOADED_PHRASES.get(key, 0.0)))
        covered.append(m.span())
    for i, t in enumerate(toks):
        if hidden[i] or containing(t.start, covered) >= 0:
            continue
        v = _loaded_valence(t.low)
        if v is not None:
            out.append(LoadedTerm(t.start, t.end, t.text, v))
    out.sort(key=lambda x: x.start)
    return tuple(out)


def _loaded_valence(word: str) -> float | None:
    if word in LOADED_WORDS:
        return LOADED_WORDS[word]
    v = _AUTHOR_VALENCE.get(word, 0.0)
    return float(v) if abs(v) >= _LOADED_MIN else None


# Strongly valenced words that, in news, name an event or a procedure rather than judge it:
# never loaded language on their own (they still count for sentiment toward an actor).
_FACTUAL = words(
    "convicted indicted indictment arrested arrest jailed charged sentenced fined sued "
    "impeachment impeached investigation investigated suspended banned expelled expulsion "
    "resigned resignation fired murder murdered assault terrorism terrorist weapons weapon "
    "prison cancer disease injured injury violence abuse rape emergency misconduct fraud "
    "corruption lawsuit guilty"
)
# Strong in VADER, everyday in news: a columnist's "professes to love", "the best chance".
_EVERYDAY = words(
    "love loved loves loving loyalty hope best great greatest good happy happiness win won "
    "award heart hearts bonus celebrate celebrated champion enemy fail fatal fatalities die "
    "crime illegal harm disaster bad kill killed killing honour honored honour"
)
_AUTHOR_VALENCE: dict[str, float] = {
    w: v for w, v in LEXICON.items() if w not in _FACTUAL and w not in _EVERYDAY
}
