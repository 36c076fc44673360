"""Dense features of one mention for sentiment toward it (pure, no Django).

What the rule scorer (:mod:`stance.rule_sentiment`) reads around a mention, split into parts a
linear model can weigh: the sentiment mass before and after the mention and inside and outside
its clause, attack or praise verbs with the mention as their subject or object, VADER's
compound for the sentence and for the words on each side, and where the mention stands (the
speaker of a quotation, inside one, the sentence's subject, among other names). The trained
model (:mod:`stance.actor_sentiment`) uses them as one feature branch; the default scorer
calibrates them into polarities (:mod:`stance.rule_sentiment`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from stance.lexicons import words
from stance.rule_sentiment import Reading, Span, _action_role, read_mention
from stance.sentiment_lexicon import CLAUSE_BREAKS, NEG_ACTIONS, POS_ACTIONS
from stance.text import quoted_spans

__all__ = ["FEATURES", "SENTIMENT_READINGS", "features_of", "mention_features"]

FEATURES = (
    "rule_score",
    "rule_score_sqrt",
    "positive_before",
    "negative_before",
    "positive_after",
    "negative_after",
    "vader_sentence",
    "vader_window",
    "is_speaker",
    "in_quotation",
    "has_quotation",
    "is_pronoun",
    "log_context_words",
    "positive_in_clause",
    "negative_in_clause",
    "positive_outside_clause",
    "negative_outside_clause",
    "attacks",  # the mention is the subject of an attack verb ("X accused ...")
    "is_attacked",  # ... its object ("accused X", "X was expelled")
    "praises",
    "is_praised",
    "vader_5_before",
    "vader_5_after",
    "opens_sentence",
    "log_other_names",
)
# the features that read what is said (the others say where the mention stands)
SENTIMENT_READINGS = frozenset(
    f for f in FEATURES if f.startswith(("rule_", "positive_", "negative_", "vader_"))
) | {"attacks", "is_attacked", "praises", "is_praised"}
WINDOW = 10  # words either side for vader_window
_VADER = SentimentIntensityAnalyzer()
_PRONOUNS = words("he him his she her hers they them their theirs it its i me my we us our")
_SPEECH_AFTER_RE = re.compile(
    r"\s*(?:,\s*)?(?:has\s+|had\s+|also\s+|later\s+)*(?:said|says|told|tells|added|wrote|writes|"
    r"insisted|argued|claimed|warned|stated|explained|noted|replied|declared|admitted|tweeted)\b",
    re.I,
)
_SAID_BEFORE_RE = re.compile(r"(?:said|says)\s*$")
_CAPITALISED_RE = re.compile(r"[A-Z][a-z]+")
_CLAUSE_EDGES = CLAUSE_BREAKS | {",", ";"}


def _compound(tokens: Sequence[str]) -> float:
    return _VADER.polarity_scores(" ".join(tokens))["compound"] if tokens else 0.0


def mention_features(
    text: str, start: int, end: int, blocked: Sequence[Span] = (), sentence: Span | None = None
) -> list[float]:
    """One value per name in :data:`FEATURES` for the mention at ``text[start:end]``.

    ``blocked`` spans (others' words) and ``sentence`` are as for
    :func:`stance.rule_sentiment.read_mention`; blocked words count nowhere.
    """
    reading = read_mention(text, start, end, blocked, sentence)
    return [0.0] * len(FEATURES) if reading is None else features_of(reading, text, start, end)


def features_of(read: Reading, text: str, start: int, end: int) -> list[float]:
    """:func:`mention_features` from the rule scorer's reading of the mention."""
    toks, lo, hi, contrib = read.toks, read.lo, read.hi, read.contrib
    visible = [
        i
        for i in range(read.first, read.last + 1)
        if not (lo <= i <= hi) and not (read.hidden and read.hidden[i])
    ]
    before = [toks[i].text for i in visible if i < lo]
    after = [toks[i].text for i in visible if i > hi]
    c_lo, c_hi = _clause(toks, lo, hi, read.first, read.last)
    rule = read.score
    sent_start, sent_end = toks[read.first].start, toks[read.last].end
    sent = text[sent_start:sent_end]
    quotes = quoted_spans(sent)
    s0, e0 = start - sent_start, end - sent_start
    # capitalised words but the sentence's first word (after any quotation mark) are names
    opening = next((i for i in range(read.first, read.last + 1) if toks[i].text[:1].isalnum()), -1)
    others = _CAPITALISED_RE.findall(" ".join(toks[i].text for i in visible if i != opening))
    return [
        rule,
        math.copysign(math.sqrt(abs(rule)), rule),
        _mass(contrib, lambda i: i < lo, 1),
        _mass(contrib, lambda i: i < lo, -1),
        _mass(contrib, lambda i: i > hi, 1),
        _mass(contrib, lambda i: i > hi, -1),
        _compound(before + after),
        _compound(before[-WINDOW:] + after[:WINDOW]),
        float(bool(_SPEECH_AFTER_RE.match(sent, e0)) or bool(_SAID_BEFORE_RE.search(sent, 0, s0))),
        float(any(qs <= s0 < qe for qs, qe in quotes)),
        float(bool(quotes)),
        float(text[start:end].strip().lower() in _PRONOUNS),
        math.log1p(len(before) + len(after)),
        _mass(contrib, lambda i: c_lo <= i <= c_hi, 1),
        _mass(contrib, lambda i: c_lo <= i <= c_hi, -1),
        _mass(contrib, lambda i: not c_lo <= i <= c_hi, 1),
        _mass(contrib, lambda i: not c_lo <= i <= c_hi, -1),
        *_roles(toks, lo, hi, read.hidden),
        _compound(before[-5:]),
        _compound(after[:5]),
        float(lo == read.first),
        math.log1p(len(others)),
    ]


def _mass(contrib: dict[int, float], where, sign: int) -> float:
    return sum(v for i, v in contrib.items() if v * sign > 0 and where(i))


def _clause(toks, lo: int, hi: int, first: int, last: int) -> tuple[int, int]:
    """First and last token of the clause holding the mention (commas and breaks bound it)."""
    a, b = lo, hi
    while a > first and toks[a - 1].low not in _CLAUSE_EDGES:
        a -= 1
    while b < last and toks[b + 1].low not in _CLAUSE_EDGES:
        b += 1
    return a, b


def _roles(toks, lo: int, hi: int, hidden: list[bool] | None) -> list[float]:
    """[attacks, is_attacked, praises, is_praised] from the verbs within four tokens."""
    roles = [0.0] * 4
    for i in range(max(0, lo - 4), min(len(toks), hi + 5)):
        w = toks[i].low
        if (hidden and hidden[i]) or not (w in NEG_ACTIONS or w in POS_ACTIONS):
            continue
        role = _action_role(toks, i, lo, hi)
        if role:
            roles[(0 if w in NEG_ACTIONS else 2) + (0 if role == "subject" else 1)] = 1.0
    return roles
