"""How the author treats each actor: scored in the author's own voice only, with reasons.

Pure module (no Django). Three layers, each a few short functions:

* **The scorer** (:func:`target_sentiment`, :func:`score_mention`): VADER valences plus a
  small news lexicon in the sentence around a mention, weighted by distance, with negation,
  boosters, clause breaks, attack / praise verbs next to the mention and a little irony.
  ``manage.py actor_sentiment`` uses it as the rule-based default; a trained model
  (:mod:`stance.actor_sentiment`) replaces it when one is active, through a :data:`Scorer`.
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

Loaded language (:func:`loaded_terms`) is evaluative words and idioms in the author's voice.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from vaderSentiment.vaderSentiment import BOOSTER_DICT, N_SCALAR, NEGATE, SentimentIntensityAnalyzer

from stance.spans import containing, disjoint
from stance.text import quoted_spans, sentence_spans

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
    "score_mention",
    "summary_line",
    "target_sentiment",
    "verdict_of",
]

POLARITIES = ("negative", "neutral", "positive")
TREATMENTS = ("critical", "neutral", "favourable", "insufficient")
Span = tuple[int, int]
# A batch scorer: records {"text", "target", "target_start", "target_end"} -> (polarity, score).
Scorer = Callable[[list[dict]], list[tuple[str, float]]]


def words(s: str) -> frozenset[str]:
    return frozenset(s.split())


_words = words

VADER: dict[str, float] = SentimentIntensityAnalyzer().lexicon
_VADER = VADER

# ============================================================================================
# Lexicons
# ============================================================================================


# Words VADER scores that, in news, name a topic or an event rather than judge anyone (checked
# against NewsMTSC *train*: sentences holding them are as often neutral toward the target).
_TOPICAL = _words(
    "party parties united justice security intelligence special supreme like well want yes no "
    "please kind number top defense defence share shared hand interest interests grand care "
    "free freedom death deaths war wars crisis killed died dead victims victim fighting "
    "agreement true play played clean ready safety secure super l god lol growth reach "
    "help helps helping join clear clearly certainly surely obviously definitely indeed truly "
    "really effective"
)

# News-specific valences (VADER scale): words VADER lacks or scores against news usage.
NEWS_LEXICON: dict[str, float] = {
    # accusation, scandal, sanction
    "allegation": -1.2,
    "allegations": -1.2,
    "alleged": -0.8,
    "allegedly": -0.8,
    "misconduct": -2.0,
    "scrutiny": -0.8,
    "controversy": -1.2,
    "investigation": -0.8,
    "investigated": -1.0,
    "probe": -0.8,
    "indicted": -2.0,
    "indictment": -1.8,
    "impeachment": -1.5,
    "impeach": -1.5,
    "impeached": -1.8,
    "ousted": -1.5,
    "oust": -1.2,
    "expulsion": -1.0,
    "divided": -1.2,
    "unprepared": -1.2,
    "sacked": -1.5,
    "demoted": -1.5,
    "convicted": -2.2,
    "fined": -1.2,
    "sued": -1.0,
    "barred": -1.0,
    "untenable": -1.5,
    "deceptive": -2.0,
    "vindictive": -2.0,
    "subterfuge": -1.8,
    "discontent": -1.3,
    "disharmony": -1.3,
    "malcontents": -1.8,
    "malcontent": -1.8,
    "outcast": -1.8,
    "inappropriate": -1.6,
    "partisan": -0.8,
    "corrupt": -2.5,
    "corruption": -2.3,
    "rift": -1.2,
    "infighting": -1.5,
    "ructions": -1.3,
    "backlash": -1.3,
    "embattled": -1.5,
    "beleaguered": -1.5,
    "scathing": -1.5,
    "slammed": -1.5,
    "blasted": -1.5,
    "lashed": -1.2,
    "denounced": -1.8,
    "rebuked": -1.6,
    "hypocrite": -2.2,
    "sexist": -2.3,
    "bigot": -2.5,
    "extremist": -2.0,
    "unpopular": -1.5,
    "treachery": -2.5,
    "traitor": -2.5,
    "plotting": -1.2,
    "scheming": -1.8,
    "rogue": -1.3,
    "debacle": -2.0,
    "shambles": -2.0,
    "disgraceful": -2.5,
    "infamous": -1.8,
    "phoniness": -1.8,
    "contrition": 0.0,
    "foment": -1.2,
    "dynamite": -0.5,
    "coup": -1.5,
    "impoverished": -1.5,
    "propitious": 1.2,
    "apologize": -0.8,
    "apologise": -0.8,
    "apologized": -1.0,
    "apologised": -1.0,
    "apology": -0.8,
    "apologies": -0.8,
    "admitted": -0.5,
    "criticised": -1.5,
    # recognition, endorsement
    "lauded": 2.0,
    "congratulated": 1.8,
    "hailed": 1.5,
    "credible": 1.2,
    "defended": 0.6,
    "endorsed": 1.2,
    "backed": 0.6,
}


def _build_lexicon() -> dict[str, float]:
    lex = {w: v for w, v in _VADER.items() if w.replace("'", "").replace("-", "").isalpha()}
    for w in _TOPICAL:
        lex.pop(w, None)
    lex.update(NEWS_LEXICON)
    # British spellings VADER lacks: criticised, apologised, ...
    for w, v in list(lex.items()):
        if "iz" in w:
            lex.setdefault(w.replace("iz", "is"), v)
    return lex


_LEXICON: dict[str, float] = _build_lexicon()

_NEGATORS = frozenset(NEGATE) | _words(
    "not never no nobody nothing none hardly barely scarcely unlikely unable"
)
_BOOSTERS: dict[str, float] = {w: v for w, v in BOOSTER_DICT.items() if " " not in w}
_CLAUSE_BREAKS = _words("; : but however although though whereas while yet — – -")
_IRONY_OPENERS = _words("funny strange odd curious peculiar weird")
_SCARE = _words("so-called supposed supposedly self-styled")

# Verbs of attack or sanction, and of praise or support: next to a mention (as its verb or
# with the mention as object) they carry sentiment toward it whatever VADER says.
_NEG_ACTIONS = _words(
    "accuse accused accuses accusing blame blamed blames blaming criticize criticized "
    "criticizes criticizing criticise criticised criticises criticising attack attacked "
    "attacks attacking slam slammed slams slamming condemn condemned condemns denounce "
    "denounced denounces rebuke rebuked mock mocked mocks ridicule ridiculed insult insulted "
    "fire fired sack sacked expel expelled expels dump dumped oust ousted reject rejected "
    "rejects sue sued charge charged arrest arrested indict indicted convict convicted "
    "suspend suspended punish punished sanction sanctioned censure censured impeach "
    "impeached investigate investigated threaten threatened demote demoted"
)
_POS_ACTIONS = _words(
    "praise praised praises praising thank thanked thanks thanking applaud applauded "
    "congratulate congratulated commend commended endorse endorsed endorses hail hailed "
    "honour honoured honor honored reward rewarded celebrate celebrated welcome welcomed "
    "champion championed defend defended admire admired elect elected"
)
_PASSIVE_AUX = _words("was were been being is are be got get gets had has")
_SKIP_BETWEEN = _words(
    "has have had also was were is are been being be would will could may might then later "
    "again repeatedly publicly angrily bitterly just already not never reportedly once "
    "today yesterday quickly swiftly"
)
_OBJECT_DETS = _words("the a an his her their its")

# Loaded language: evaluative and emotive words common in political writing (valence from
# VADER when it has one). Intensifiers and certainty markers ("simply", "clearly") are not
# here: on their own they judge nobody, and listing them buried the words that do.
LOADED_WORDS: dict[str, float] = {
    w: _LEXICON.get(w, v)
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


# ============================================================================================
# Tokens and the target-sentiment scorer
# ============================================================================================

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


def _token_range(toks: list[_Tok], start: int, end: int) -> tuple[int, int]:
    """Indices (first, last) of the tokens overlapping [start, end); (-1, -1) if none."""
    first = last = -1
    for i, t in enumerate(toks):
        if t.end <= start:
            continue
        if t.start >= end:
            break
        if first < 0:
            first = i
        last = i
    return first, last


def _valence(toks: list[_Tok], i: int) -> float:
    w = toks[i].low
    v = _LEXICON.get(w)
    if v is None and "-" in w:
        v = _LEXICON.get(w.replace("-", ""))
    return v or 0.0


def _is_negator(w: str) -> bool:
    return w in _NEGATORS or w.endswith("n't")


def _action_role(toks: list[_Tok], i: int, lo: int, hi: int) -> str:
    """Is action verb ``i`` the mention's own verb ("X accused", "X was expelled") or does it
    take the mention as object ("dumped MP Chris Carter", "accused X")? '' otherwise."""
    if i > hi:
        gap = [t.low for t in toks[hi + 1 : i]]
        if len(gap) <= 3 and all(w in _SKIP_BETWEEN for w in gap):
            passive = any(w in _PASSIVE_AUX for w in gap) and toks[i].low.endswith("ed")
            if passive and ("been" in gap or not any(w in ("has", "have", "had") for w in gap)):
                return "object"  # passive: "X was expelled"
            return "subject"
        return ""
    gap = [t.low for t in toks[i + 1 : lo]]
    if len(gap) <= 3 and all(w in _OBJECT_DETS or w[:1].isupper() or w == "mp" for w in gap):
        return "object"
    if len(gap) <= 3 and all(w in _OBJECT_DETS or w in _SKIP_BETWEEN for w in gap):
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
    others: list[int] | None = None,
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
        if toks[i].low in _CLAUSE_BREAKS:
            n_breaks += 1
        breaks_left[i - first] = n_breaks
    n_breaks = 0
    breaks_right: dict[int, int] = {}
    irony_from = -1
    for i in range(hi + 1, last + 1):
        breaks_right[i] = n_breaks
        if toks[i].low in _CLAUSE_BREAKS:
            n_breaks += 1
    for i in range(first, last + 1):
        if lo <= i <= hi:
            continue
        w = toks[i].low
        if (
            w in _IRONY_OPENERS
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
        action = w in _NEG_ACTIONS or w in _POS_ACTIONS
        if not v and not action:
            continue
        if action:
            role = _action_role(toks, i, lo, hi)
            if role:
                base = v or (-1.5 if w in _NEG_ACTIONS else 1.5)
                if base * (-1 if w in _NEG_ACTIONS else 1) < 0:
                    base = -base
                v = base * params["action"]
                if role == "subject":
                    v *= params["action_subject"]
        if not v:
            continue
        # negation in the three words before (not across a clause break)
        for j in range(i - 1, max(first, i - 4) - 1, -1):
            wj = toks[j].low
            if wj in _CLAUSE_BREAKS or wj in (",", "."):
                break
            if _is_negator(wj):
                v *= N_SCALAR
                break
        if i > first:
            b = _BOOSTERS.get(toks[i - 1].low)
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
    if lo > first and toks[lo - 1].low in _SCARE:
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
    quotes = quoted_spans(text)
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
    return [any(s <= t.start < e for s, e in own_spans) for t in toks]


def score_mention(
    text: str,
    start: int,
    end: int,
    blocked: Sequence[Span] = (),
    sentence: Span | None = None,
) -> tuple[float, list[tuple[int, int, float]]]:
    """The rule scorer on one mention: (score in -1..1, evidence as (start, end, weight)).

    Words inside ``blocked`` spans never count; ``sentence`` bounds the context (default: the
    sentence holding the mention). With nothing blocked this is :func:`target_sentiment`.
    """
    toks = _tokens(text)
    lo, hi = _token_range(toks, start, end)
    if lo < 0:
        return 0.0, []
    if sentence is None:
        sentence = _sentence_of(sentence_spans(text), toks[lo].start)
    ss, se = sentence
    first = next((i for i, t in enumerate(toks) if t.start >= ss), 0)
    last = next((i - 1 for i, t in enumerate(toks) if t.start >= se), len(toks) - 1)
    mask = [any(s <= t.start < e for s, e in blocked) for t in toks] if blocked else None
    own = _own_speech_mask(text, toks, start, end) if PARAMS["own_speech"] != 1.0 else None
    contrib = _contributions(toks, lo, hi, first, last, mask, own)
    score = round(_normalise(sum(contrib.values())), 4)
    evidence = [(_evidence_start(toks, i), toks[i].end, w) for i, w in contrib.items()]
    return score, evidence


def target_sentiment(text: str, start: int, end: int) -> tuple[str, float]:
    """The rule-based sentiment the sentence around ``text[start:end]`` expresses toward that
    mention: ``(polarity, score)`` with polarity in :data:`POLARITIES` and score in [-1, 1].

    Scores the sentence holding the mention, quotations included (this is the contract of
    ``manage.py actor_sentiment``: what the *text* says about the person), except the target's
    own words (``"...," X said`` / ``X said ...``: what they say is not what is said about
    them; masking them scored better on NewsMTSC train). :func:`paragraph_treatment` uses the
    same scorer on the author's voice only.
    """
    text = text or ""
    n = len(text)
    start = max(0, min(int(start), n))
    end = max(start, min(int(end), n))
    if not text.strip():
        return "neutral", 0.0
    if end == start:
        end = min(n, start + 1)
    score, _evidence = score_mention(text, start, end)
    return polarity_of(score), score


def _evidence_start(toks: list[_Tok], i: int) -> int:
    """Where an evidence word's span starts: at its negator when it is negated ("not honest")."""
    for j in range(i - 1, max(0, i - 4) - 1, -1):
        if toks[j].low in _CLAUSE_BREAKS or toks[j].low in (",", "."):
            break
        if _is_negator(toks[j].low):
            return toks[j].start
    return toks[i].start


# ============================================================================================
# The author's voice, paragraph by paragraph
# ============================================================================================

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
    blocked = sorted([*masked, *((s, e) for s, e, _a in mentions), *_feelings(text)])
    sents = sentence_spans(text) or [(0, len(text))]
    order: dict[str, int] = {}
    contexts: list[_Context] = []
    masked_spans = disjoint(masked)
    for start, end, actor in mentions:
        order[actor] = order.get(actor, 0) + 1
        if not _inside_any(start, masked_spans):
            contexts.append(_Context(actor, start, end, _sentence_of(sents, start)))
    rule = [score_mention(text, c.start, c.end, blocked, c.sentence) for c in contexts]
    if scorer is not None and contexts:
        scores = [s for _p, s in scorer([_masked_record(text, c, masked) for c in contexts])]
    else:
        scores = [s for s, _e in rule]
    return tuple(
        _actor_sentiment(text, actor, n, contexts, scores, rule) for actor, n in order.items()
    )


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


# ============================================================================================
# Loaded language
# ============================================================================================


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
    hidden = [_inside_any(t.start, masked_spans) for t in toks]
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
        if hidden[i] or _inside_any(t.start, covered):
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
_FACTUAL = _words(
    "convicted indicted indictment arrested arrest jailed charged sentenced fined sued "
    "impeachment impeached investigation investigated suspended banned expelled expulsion "
    "resigned resignation fired murder murdered assault terrorism terrorist weapons weapon "
    "prison cancer disease injured injury violence abuse rape emergency misconduct fraud "
    "corruption lawsuit guilty"
)
# Strong in VADER, everyday in news: a columnist's "professes to love", "the best chance".
_EVERYDAY = _words(
    "love loved loves loving loyalty hope best great greatest good happy happiness win won "
    "award heart hearts bonus celebrate celebrated champion enemy fail fatal fatalities die "
    "crime illegal harm disaster bad kill killed killing honour honored honour"
)
_AUTHOR_VALENCE: dict[str, float] = {
    w: v for w, v in _LEXICON.items() if w not in _FACTUAL and w not in _EVERYDAY
}
