"""The rule-based scorer of sentiment toward one mention (pure, no Django).

VADER valences plus a small news lexicon (:mod:`stance.sentiment_lexicon`) in the sentence
around a mention, weighted by distance, with negation, boosters, clause breaks, attack / praise
verbs next to the mention and a little irony. Its raw score and its parts
(:mod:`stance.mention_features`) feed the default scorer (:mod:`stance.default_sentiment`),
which ``manage.py actor_sentiment`` uses unless a trained model (:mod:`stance.actor_sentiment`)
is active (see ``stance.selectors.actor_sentiment_scorer``).
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter

from vaderSentiment.vaderSentiment import N_SCALAR

from stance.sentiment_lexicon import (
    BOOSTERS,
    CLAUSE_BREAKS,
    IRONY_OPENERS,
    LEXICON,
    NEG_ACTIONS,
    NEGATORS,
    OBJECT_DETS,
    PASSIVE_AUX,
    POS_ACTIONS,
    SCARE,
    SKIP_BETWEEN,
)
from stance.spans import containing, disjoint
from stance.text import quoted_spans, sentence_spans

POLARITIES = ("negative", "neutral", "positive")
Span = tuple[int, int]

_TOKEN_RE = re.compile(
    r"[A-Za-z\u00C0-\u024F]+(?:['\u2019-][A-Za-z\u00C0-\u024F]+)*|\d+(?:[.,:]\d+)*%?|[^\w\s]"
)

# Tuned on NewsMTSC train.jsonl only (bench/actor_sentiment.py --tune), never on dev.
PARAMS: dict[str, float] = {
    "scale": 4.0,  # distance weight 1 / (1 + (d - 1) / scale), d in tokens from the mention
    "cross": 1.0,  # weight factor per clause break between word and mention (1: none)
    "right": 1.3,  # factor for words after the mention
    "action": 1.5,  # factor for an attack / praise verb next to the mention
    "action_subject": 1.0,  # ... when the mention is its subject (agent)
    "own_speech": 0.0,  # factor for the target's own quoted / reported words
    "irony": -0.6,  # factor for positive words after an irony marker ("a funny way of")
    "alpha": 15.0,  # VADER's normalisation: s / sqrt(s^2 + alpha)
    "pos": 0.1,  # positive when score >= pos
    "neg": 0.05,  # negative when score <= -neg
}


class _Tok:
    __slots__ = ("end", "low", "start", "text")

    def __init__(self, m: re.Match):
        self.start = m.start()
        self.end = m.end()
        self.text = m.group()
        self.low = self.text.lower().replace("\u2019", "'")


def _tokens(text: str) -> list[_Tok]:
    return [_Tok(m) for m in _TOKEN_RE.finditer(text)]


_START = attrgetter("start")
_END = attrgetter("end")


def _token_range(toks: list[_Tok], start: int, end: int) -> tuple[int, int]:
    """Indices (first, last) of the tokens overlapping [start, end); (-1, -1) if none.
    By bisection (tokens are in order and never overlap), not a scan of the paragraph."""
    first = bisect.bisect_right(toks, start, key=_END)
    if first == len(toks) or toks[first].start >= end:
        return -1, -1
    return first, bisect.bisect_left(toks, end, key=_START) - 1


def _first_from(toks: list[_Tok], pos: int) -> int:
    """Index of the first token starting at or after ``pos`` (len(toks) if none)."""
    return bisect.bisect_left(toks, pos, key=_START)


def _valence(toks: list[_Tok], i: int) -> float:
    w = toks[i].low
    v = LEXICON.get(w)
    if v is None and "-" in w:
        v = LEXICON.get(w.replace("-", ""))
    return v or 0.0


def _is_negator(w: str) -> bool:
    return w in NEGATORS or w.endswith("n't")


def _action_role(toks: list[_Tok], i: int, lo: int, hi: int) -> str:
    """Is action verb ``i`` the mention's own verb ("X accused", "X was expelled") or does it
    take the mention as object ("dumped MP Chris Carter", "accused X")? '' otherwise."""
    if i > hi:
        gap = [t.low for t in toks[hi + 1 : i]]
        if len(gap) <= 3 and all(w in SKIP_BETWEEN for w in gap):
            passive = any(w in PASSIVE_AUX for w in gap) and toks[i].low.endswith("ed")
            if passive and ("been" in gap or not any(w in ("has", "have", "had") for w in gap)):
                return "object"  # passive: "X was expelled"
            return "subject"
        return ""
    gap = [t.low for t in toks[i + 1 : lo]]
    if len(gap) <= 3 and all(w in OBJECT_DETS or w[:1].isupper() or w == "mp" for w in gap):
        return "object"
    if len(gap) <= 3 and all(w in OBJECT_DETS or w in SKIP_BETWEEN for w in gap):
        return "object"
    return ""


def _contributions(
    toks: list[_Tok],
    lo: int,
    hi: int,
    first: int,
    last: int,
    blocked: list[bool] | None,
    own: list[bool] | None = None,
    params: dict[str, float] = PARAMS,
    others: Sequence[int] | _OthersBefore | None = None,
) -> dict[int, float]:
    """Weighted valence of each sentiment word in toks[first:last+1] toward the mention at
    tokens lo..hi. ``blocked`` tokens are ignored; ``own`` tokens (the target's own words) are
    weighted by params['own_speech']. ``others[k]``: how many other actors' mentions start
    before token k (a word with another actor in between counts half)."""
    out: dict[int, float] = {}
    if lo < 0:
        return out
    scale = params["scale"]
    cross_f = params["cross"]
    # clause breaks between each position and the mention, and irony scopes
    breaks_left = [0] * (last - first + 2)
    n_breaks = 0
    for i in range(lo - 1, first - 1, -1):
        if toks[i].low in CLAUSE_BREAKS:
            n_breaks += 1
        breaks_left[i - first] = n_breaks
    n_breaks = 0
    breaks_right: dict[int, int] = {}
    irony_from = -1
    for i in range(hi + 1, last + 1):
        breaks_right[i] = n_breaks
        if toks[i].low in CLAUSE_BREAKS:
            n_breaks += 1
    for i in range(first, last + 1):
        if lo <= i <= hi:
            continue
        w = toks[i].low
        if (
            w in IRONY_OPENERS
            and i + 2 <= last
            and toks[i + 1].low == "way"
            and toks[i + 2].low in ("of", "to")
        ):
            irony_from = i
            if not (blocked and blocked[i]):
                out[i] = -1.0 * _weight(i, lo, hi, scale, cross_f, breaks_left, breaks_right, first)
            continue
        if blocked and blocked[i]:
            continue
        v = _valence(toks, i)
        action = w in NEG_ACTIONS or w in POS_ACTIONS
        if not v and not action:
            continue
        if action:
            role = _action_role(toks, i, lo, hi)
            if role:
                base = v or (-1.5 if w in NEG_ACTIONS else 1.5)
                if base * (-1 if w in NEG_ACTIONS else 1) < 0:
                    base = -base
                v = base * params["action"]
                if role == "subject":
                    v *= params["action_subject"]
        if not v:
            continue
        # negation in the three words before (not across a clause break)
        for j in range(i - 1, max(first, i - 4) - 1, -1):
            wj = toks[j].low
            if wj in CLAUSE_BREAKS or wj in (",", "."):
                break
            if _is_negator(wj):
                v *= N_SCALAR
                break
        if i > first:
            b = BOOSTERS.get(toks[i - 1].low)
            if b:
                v += b if v > 0 else -b
        if irony_from >= 0 and i > irony_from and v > 0:
            v *= params["irony"]
        wt = _weight(i, lo, hi, scale, cross_f, breaks_left, breaks_right, first)
        if i > hi:
            wt *= params["right"]
        if own and own[i]:
            wt *= params["own_speech"]
        if others is not None:
            between = others[lo] - others[i + 1] if i < lo else others[i] - others[hi + 1]
            if between > 0:
                wt *= 0.5
        if wt and v:
            out[i] = v * wt
    # "so-called X", scare quotes right before the mention
    if lo > first and toks[lo - 1].low in SCARE:
        out[lo - 1] = out.get(lo - 1, 0.0) - 1.5
    return out


def _weight(i, lo, hi, scale, cross_f, breaks_left, breaks_right, first) -> float:
    if i < lo:
        d = lo - i
        crosses = breaks_left[i - first]
    else:
        d = i - hi
        crosses = breaks_right.get(i, 0)
    return (1.0 / (1.0 + (d - 1) / scale)) * (cross_f**crosses)


def _normalise(total: float) -> float:
    if not total:
        return 0.0
    s = total / math.sqrt(total * total + PARAMS["alpha"])
    return max(-1.0, min(1.0, s))


def polarity_of(score: float, params: dict[str, float] = PARAMS) -> str:
    """Polarity with the neutral band tuned on NewsMTSC train."""
    if score >= params["pos"]:
        return "positive"
    if score <= -params["neg"]:
        return "negative"
    return "neutral"


def _sentence_of(sents: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    k = containing(pos, sents)  # sentences are in order and never overlap: bisection
    if k >= 0:
        return sents[k]
    for s, e in sents:
        if s <= pos < e:
            return s, e
    return sents[-1] if sents else (0, 0)


_TAG_VERB_RE = re.compile(
    r"^\s*(?:has\s+|had\s+|also\s+|later\s+|then\s+|today\s+|yesterday\s+)*"
    r"(?:said|says|told|tells|added|adds|wrote|writes|insisted|argued|claimed|warned|stated|"
    r"explained|noted|replied|declared|admitted|tweeted|asked|complained|conceded)\b",
    re.I,
)


def _own_speech_mask(text: str, toks: list[_Tok], start: int, end: int) -> list[bool] | None:
    """Tokens of quotations / reported clauses whose speaker is the mention at [start, end)."""
    quotes = _quoted_spans(text)
    after = text[end : end + 40]
    own_spans: list[tuple[int, int]] = []
    if _TAG_VERB_RE.match(after):
        verb_end = end + _TAG_VERB_RE.match(after).end()
        # "X said ..." governs the rest of the sentence; "'...,' X said" the quote before it
        sents = sentence_spans(text)
        ss, se = _sentence_of(sents, start)
        own_spans.append((verb_end, se))
        for qs, qe in quotes:
            if 0 <= start - qe <= 4:
                own_spans.append((qs, qe))
    else:
        before = text[max(0, start - 12) : start].lower()
        if re.search(r"(?:said|says|according to)\s*$", before):
            for qs, qe in quotes:
                if 0 <= start - qe <= 14:
                    own_spans.append((qs, qe))
    if not own_spans:
        return None
    own = [False] * len(toks)
    for s, e in own_spans:  # the tokens starting in [s, e)
        for i in range(_first_from(toks, s), _first_from(toks, e)):
            own[i] = True
    return own


# A paragraph's mentions are read one after another: its quotations are found once, not once
# per mention (the list is shared between calls and never changed); sentence_spans caches its
# own.
_quoted_spans = lru_cache(maxsize=4)(quoted_spans)


@dataclass(frozen=True)
class Reading:
    """One mention read by the rule scorer: its tokens and each sentiment word's weight."""

    toks: list[_Tok]
    lo: int  # the mention's first and last token
    hi: int
    first: int  # the sentence's first and last token
    last: int
    hidden: list[bool] | None  # blocked tokens
    contrib: dict[int, float]  # token index -> weighted valence toward the mention

    @property
    def score(self) -> float:
        """The rule's score in [-1, 1]: the weighted valences, summed and normalised."""
        return round(_normalise(sum(self.contrib.values())), 4)

    def evidence(self) -> list[tuple[int, int, float]]:
        """The words that moved the score as (start, end, weight), a negator included."""
        return [
            (_evidence_start(self.toks, i), self.toks[i].end, w) for i, w in self.contrib.items()
        ]


@lru_cache(maxsize=4)
def _tokens_hidden(text: str, blocked: tuple[Span, ...]) -> tuple[list[_Tok], list[bool] | None]:
    """The text's tokens and which are blocked: read once per paragraph, not per mention (a
    paragraph's mentions are read one after another with the same blocked spans). The lists
    are shared between calls and never changed."""
    toks = _tokens(text)
    if not blocked:
        return toks, None
    merged = disjoint(blocked)  # bisection, not a scan of every span for every token
    return toks, [containing(t.start, merged) >= 0 for t in toks]


class _OthersBefore:
    """``[k]``: how many other actors' mentions start before token ``k`` (``_contributions``'s
    ``others``), by bisection on demand: it is read only at sentiment words."""

    __slots__ = ("starts", "toks")

    def __init__(self, toks: list[_Tok], others: Sequence[Span]):
        self.toks = toks
        self.starts = sorted(s for s, _e in others)

    def __getitem__(self, k: int) -> int:
        if k >= len(self.toks):
            return len(self.starts)
        return bisect.bisect_left(self.starts, self.toks[k].start)


def read_mention(
    text: str,
    start: int,
    end: int,
    blocked: Sequence[Span] = (),
    sentence: Span | None = None,
    others: Sequence[Span] = (),
) -> Reading | None:
    """The rule scorer's reading of the mention at ``text[start:end]`` (None if it holds no
    word). Words inside ``blocked`` spans never count; ``sentence`` bounds the context
    (default: the sentence holding the mention). ``others``: where other actors are
    mentioned; a word with one of them between it and this mention counts half (``the
    council at which he failed``: the failure is his)."""
    key = blocked if type(blocked) is tuple else tuple((s, e) for s, e in blocked)
    toks, hidden = _tokens_hidden(text, key)
    lo, hi = _token_range(toks, start, end)
    if lo < 0:
        return None
    if sentence is None:
        sentence = _sentence_of(sentence_spans(text), toks[lo].start)
    ss, se = sentence
    first = _first_from(toks, ss)
    first = 0 if first == len(toks) else first
    last = _first_from(toks, se) - 1
    own = _own_speech_mask(text, toks, start, end) if PARAMS["own_speech"] != 1.0 else None
    between = _OthersBefore(toks, others) if others else None
    contrib = _contributions(toks, lo, hi, first, last, hidden, own, others=between)
    return Reading(toks, lo, hi, first, last, hidden, contrib)


def _evidence_start(toks: list[_Tok], i: int) -> int:
    """Where an evidence word's span starts: at its negator when it is negated ("not honest")."""
    for j in range(i - 1, max(0, i - 4) - 1, -1):
        if toks[j].low in CLAUSE_BREAKS or toks[j].low in (",", "."):
            break
        if _is_negator(toks[j].low):
            return toks[j].start
    return toks[i].start
