"""How the author treats each actor: scored in the author's own voice only, with reasons.

Pure module (no Django). Two layers, each a few short functions, over the default scorer of
:mod:`stance.default_sentiment` (or a trained model, through a :data:`Scorer`):

* **The author's voice** (:func:`paragraph_treatment`): every attribution's content (quotes,
  reported speech, statements, documents, continuations) and its cue verb ("rejected",
  "hoped", "said") are masked; only mentions outside them are scored, and only on words
  outside them. Each mention's score comes from the scorer (the trained model sees the
  sentence with the masked parts cut out); the evidence is the words that moved the rule
  scorer, as spans of the paragraph.
* **Verdicts** (:func:`verdict_of`, :func:`summary_line`): per piece and actor a treatment
  (``critical``, ``neutral``, ``favourable`` or ``insufficient`` when the author's voice says
  too little to tell), a score, a confidence and the evidence spans, each with its paragraph;
  and a one-line summary that names every critical or favourable verdict.

Loaded language (:func:`loaded_terms`) lives in :mod:`stance.loaded`, the lexicon in
:mod:`stance.sentiment_lexicon`; their public names are re-exported here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from stance.default_sentiment import target_sentiment
from stance.loaded import LOADED_PHRASES, LOADED_WORDS, LoadedTerm, loaded_terms
from stance.rule_sentiment import (
    PARAMS,
    POLARITIES,
    Reading,
    Span,
    _sentence_of,
    polarity_of,
    read_mention,
)
from stance.sentiment_lexicon import NEWS_LEXICON
from stance.spans import containing, disjoint
from stance.text import sentence_spans

__all__ = [
    "LOADED_PHRASES",
    "LOADED_WORDS",
    "NEWS_LEXICON",
    "PARAMS",
    "POLARITIES",
    "TREATMENTS",
    "ActorSentiment",
    "Evidence",
    "LoadedTerm",
    "Scorer",
    "Verdict",
    "loaded_terms",
    "paragraph_treatment",
    "polarity_of",
    "summary_line",
    "target_sentiment",
    "verdict_of",
]

TREATMENTS = ("critical", "neutral", "favourable", "insufficient")
# A batch scorer: records {"text", "target", "target_start", "target_end"} -> (polarity, score).
Scorer = Callable[[list[dict]], list[tuple[str, float]]]

EVIDENCE_MIN = 0.2  # |weight| from which a word is kept as evidence


@dataclass(frozen=True)
class ActorSentiment:
    """The author's treatment of one actor in one paragraph."""

    actor: str
    score: float  # -1..1, mean over the actor's mentions in the author's voice
    polarity: str  # "negative" | "neutral" | "positive"
    mentions: int  # mentions of the actor in the paragraph (inside quotations too)
    evidence: tuple[str, ...] = ()  # the words that drove the score, strongest first
    voiced: int = 0  # mentions in the author's own voice: the ones scored
    spans: tuple[tuple[int, int, float], ...] = ()  # evidence as (start, end, weight)

    @classmethod
    def from_dict(cls, d: dict) -> ActorSentiment:
        return cls(
            **{
                **d,
                "evidence": tuple(d.get("evidence", ())),
                "spans": tuple(tuple(s) for s in d.get("spans", ())),
            }
        )


@dataclass(frozen=True)
class _Context:
    """One mention in the author's voice, ready to score."""

    actor: str
    start: int
    end: int
    sentence: Span


def _inside_any(pos: int, spans: Sequence[Span]) -> bool:
    """Whether ``pos`` is inside one of ``spans`` (sorted and disjoint: :func:`disjoint`)."""
    return containing(pos, spans) >= 0


def paragraph_treatment(
    text: str,
    mentions: Sequence[tuple[int, int, str]],
    masked: Sequence[Span],
    scorer: Scorer | None = None,
) -> tuple[ActorSentiment, ...]:
    """The author's treatment of each mentioned actor in one paragraph.

    ``mentions``: (start, end, actor key) in text order; ``masked``: spans that are not the
    author's (attributed content and cue verbs). A mention inside a masked span is counted
    but not scored; the words of masked spans and of every mention never count as evidence.
    """
    # a tuple of pairs, so that the rule scorer reads it as is for every mention
    spans = [*masked, *((s, e) for s, e, _a in mentions), *_feelings(text)]
    blocked = tuple(sorted((s, e) for s, e in spans))
    sents = sentence_spans(text) or [(0, len(text))]
    order: dict[str, int] = {}
    contexts: list[_Context] = []
    masked_spans = disjoint(masked)
    # every mention by sentence, masked ones too: a word beyond another actor's is half this one's
    named: dict[Span, list[tuple[int, int, str]]] = {}
    for start, end, actor in mentions:
        order[actor] = order.get(actor, 0) + 1
        sentence = _sentence_of(sents, start)
        named.setdefault(sentence, []).append((start, end, actor))
        if not _inside_any(start, masked_spans):
            contexts.append(_Context(actor, start, end, sentence))
    rule = [
        _scored(
            read_mention(
                text,
                c.start,
                c.end,
                blocked,
                c.sentence,
                [(s, e) for s, e, a in named.get(c.sentence, ()) if a != c.actor],
            )
        )
        for c in contexts
    ]
    if scorer is not None and contexts:
        scores = [s for _p, s in scorer([_masked_record(text, c, masked) for c in contexts])]
    else:
        scores = [s for s, _e in rule]
    return tuple(
        _actor_sentiment(text, actor, n, contexts, scores, rule) for actor, n in order.items()
    )


def _scored(reading: Reading | None) -> tuple[float, list[tuple[int, int, float]]]:
    """The rule's score of a mention and its evidence as (start, end, weight), the words
    that moved the score; 0 and none for a mention that holds no word."""
    return (0.0, []) if reading is None else (reading.score, reading.evidence())


# A feeling the author reports ("He was sorry ...", "she was pleased") is the actor's own
# state of mind, like a belief: theirs to have, not the author's judgement of them.
_FEELINGS_RE = re.compile(
    r"\b(?:was|were|is|are|felt|feels|seemed)\s+(?:very\s+|deeply\s+|not\s+)?"
    r"(sorry|glad|pleased|delighted|disappointed|saddened|relieved|proud|upset|happy|"
    r"unhappy|angry|hopeful|confident|determined|frustrated)\b",
    re.I,
)


def _feelings(text: str) -> list[Span]:
    return [m.span(1) for m in _FEELINGS_RE.finditer(text)]


def _actor_sentiment(text, actor, mentions, contexts, scores, rule) -> ActorSentiment:
    mine = [k for k, c in enumerate(contexts) if c.actor == actor]
    if not mine:
        return ActorSentiment(actor, 0.0, "neutral", mentions)
    score = round(sum(scores[k] for k in mine) / len(mine), 4)
    pooled: dict[tuple[int, int], float] = {}
    for k in mine:
        for s, e, w in rule[k][1]:
            if abs(w) > abs(pooled.get((s, e), 0.0)):
                pooled[(s, e)] = w
    strongest = sorted(
        ((s, e, round(w, 3)) for (s, e), w in pooled.items() if abs(w) >= EVIDENCE_MIN),
        key=lambda x: -abs(x[2]),
    )
    return ActorSentiment(
        actor,
        score,
        polarity_of(score),
        mentions,
        tuple(text[s:e] for s, e, _w in strongest[:4]),
        len(mine),
        tuple(strongest),
    )


def _masked_record(text: str, c: _Context, masked: Sequence[Span]) -> dict:
    """The mention's sentence with everything not the author's cut out, for a trained scorer."""
    ss, se = c.sentence
    out, pos, shift = [], ss, 0
    for ms, me in sorted(masked):
        ms, me = max(ms, ss), min(me, se)
        if me <= pos or ms >= se:
            continue
        out.append(text[pos:ms])
        out.append("…")
        if ms <= c.start:
            shift += (me - ms) - 1
        pos = me
    out.append(text[pos:se])
    sentence = "".join(out)
    start = c.start - ss - shift
    end = start + (c.end - c.start)
    return {
        "id": f"{c.start}-{c.end}",
        "text": sentence,
        "target": sentence[start:end],
        "target_start": start,
        "target_end": end,
    }


# ============================================================================================
# Verdicts for a piece
# ============================================================================================

STANCE_THRESHOLD = 0.15  # |score| from which a treatment is critical or favourable
MIN_VOICED = 2  # mentions in the author's voice needed to judge at all
MIN_EVIDENCE = 2  # evidence spans of the verdict's sign needed to call it critical / favourable


@dataclass(frozen=True)
class Evidence:
    """A span in the author's voice that moved a verdict, in its paragraph."""

    paragraph: int  # the paragraph's position in the piece
    start: int
    end: int
    text: str
    weight: float


@dataclass(frozen=True)
class Verdict:
    actor: str
    treatment: str  # one of TREATMENTS
    score: float | None  # None when no mention is in the author's voice
    confidence: float  # 0..1
    mentions: int
    voiced: int
    evidence: tuple[Evidence, ...] = ()
    reason: str = ""

    @property
    def words(self) -> list[str]:
        """The evidence words, strongest first, each once."""
        seen: dict[str, None] = {}
        for e in self.evidence:
            seen.setdefault(e.text, None)
        return list(seen)


def verdict_of(actor: str, paragraphs: Iterable[tuple[int, str, ActorSentiment]]) -> Verdict:
    """One piece's verdict on one actor from its paragraphs' (position, text, sentiment)."""
    mentions = voiced = 0
    total = 0.0
    evidence: list[Evidence] = []
    for position, text, s in paragraphs:
        mentions += s.mentions
        voiced += s.voiced
        total += s.score * s.voiced
        evidence += [Evidence(position, a, b, text[a:b], w) for a, b, w in s.spans]
    evidence.sort(key=lambda e: -abs(e.weight))
    if not voiced:
        return Verdict(actor, "insufficient", None, 0.0, mentions, 0, (), _reason(0, 0, ()))
    score = round(total / voiced, 4)
    sign = -1 if score < 0 else 1
    backing = [e for e in evidence if e.weight * sign > 0]
    treatment = _treatment(score, voiced, len(backing))
    shown = tuple(backing if treatment in ("critical", "favourable") else evidence)[:12]
    confidence = _confidence(treatment, score, voiced, backing, evidence)
    return Verdict(
        actor,
        treatment,
        score,
        confidence,
        mentions,
        voiced,
        shown,
        _reason(voiced, len(backing), shown, treatment),
    )


def _treatment(score: float, voiced: int, backing: int) -> str:
    if voiced < MIN_VOICED:
        return "insufficient"
    if abs(score) < STANCE_THRESHOLD:
        return "neutral"
    if backing < MIN_EVIDENCE:
        return "insufficient"  # one word is not a stance
    return "critical" if score < 0 else "favourable"


def _confidence(treatment, score, voiced, backing, evidence) -> float:
    """How far the figures back the verdict: more mentions in the author's voice, evidence
    that points one way, and a score clear of the threshold all raise it."""
    if treatment == "insufficient":
        return 0.0
    amount = 1 - math.exp(-voiced / 4)
    if treatment == "neutral":
        return round(amount * (1 - abs(score) / STANCE_THRESHOLD), 2)
    mass = sum(abs(e.weight) for e in evidence) or 1.0
    agreement = sum(abs(e.weight) for e in backing) / mass
    clear = min(1.0, abs(score) / (2 * STANCE_THRESHOLD))
    return round(amount * agreement * clear, 2)


def _reason(voiced: int, backing: int, shown, treatment: str = "insufficient") -> str:
    if not voiced:
        return "never named in the author's own voice"
    if treatment == "insufficient" and voiced < MIN_VOICED:
        return "named once in the author's own voice"
    if treatment == "insufficient":
        return f"one evaluative word in {voiced} mentions in the author's voice"
    if treatment == "neutral":
        return f"{voiced} mentions in the author's voice, no clear lean"
    words = ", ".join(dict.fromkeys(e.text for e in shown[:4]))
    return f"{backing} evaluative words in {voiced} mentions in the author's voice: {words}"


_PREPOSITION = {"critical": "of", "favourable": "to", "neutral": "toward"}


def summary_line(verdicts: Sequence[Verdict], names: dict[str, str], most: int = 3) -> str:
    """One line: every critical or favourable verdict (strongest first), then the most
    mentioned neutral ones up to ``most`` names, then who there is too little to judge."""
    leaning = sorted(
        (v for v in verdicts if v.treatment in ("critical", "favourable")),
        key=lambda v: (-abs(v.score or 0.0) * (0.5 + v.confidence), names.get(v.actor, "")),
    )
    neutral = sorted(
        (v for v in verdicts if v.treatment == "neutral"),
        key=lambda v: (-v.voiced, names.get(v.actor, "")),
    )
    shown = leaning + neutral[: max(0, most - len(leaning))]
    parts = [
        f"{v.treatment} {_PREPOSITION[v.treatment]} {names.get(v.actor, v.actor)}" for v in shown
    ]
    unsure = [names.get(v.actor, v.actor) for v in verdicts if v.treatment == "insufficient"]
    if unsure:
        listed = ", ".join(unsure[:3]) + (f" and {len(unsure) - 3} more" if len(unsure) > 3 else "")
        parts.append(f"insufficient evidence on {listed}")
    line = "; ".join(parts) if parts else "no actor named"
    return line[:1].upper() + line[1:]
