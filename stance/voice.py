"""Whose voice, sentence by sentence: the author's opinion inside each paragraph (pure, no Django).

An article is read as its paragraphs. Each sentence (:mod:`stance.sentences`, quotations kept
whole) gets one of three roles:

* ``structure``: headings and subheadings (a question used as one too), credit lines and page
  furniture. Never opinion evidence, and left out of every count of words.
* ``attributed``: mostly someone else's words (:mod:`stance.attribution`: direct and reported
  speech, statements and the documents they head, with the source and cue that frame them;
  the author's own "I think" is not someone else's). News, whatever their tone.
* ``author``: the rest. The classifier reads the sentence with any attributed words inside it
  masked as reported speech (:class:`stance.text.Attributed`); the sentence's probability of
  opinion combines, on the logit scale, its own score with its neighbours', the article's and
  (when its weight is not 0) its paragraph's (:class:`Calibration`, chosen by
  cross-validation on training data: ``bench/classifier.py --tune``; the paragraph's weight
  came out 0, the neighbours and the article carrying the context).

A paragraph's label and probability come from its sentences (:func:`paragraph_verdict`); an
article's opinion share is the words of its opinion sentences over the words of all its
sentences that are not structure (:func:`opinion_share`). The cost is linear in the length of
the article plus one classifier call per batch of articles.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from newsroom.words import WORD_RE, word_count
from stance import lexicons as lx
from stance.attribution import attribute, by_others
from stance.entities import Cast, join_paragraphs
from stance.sentences import sentence_spans
from stance.text import Attributed

__all__ = [
    "AUTHOR",
    "ATTRIBUTED",
    "DEFAULT_CALIBRATION",
    "STRUCTURE",
    "Calibration",
    "fit_calibration",
    "ParagraphVoice",
    "Sentence",
    "Segment",
    "attributed",
    "attributed_article",
    "few_sentences",
    "opinion_share",
    "paragraph_verdict",
    "read",
    "read_many",
    "read_rows",
    "segment",
    "sentences_from_json",
]

Span = tuple[int, int]
Proba = Callable[[list[str]], Sequence[float]]

AUTHOR = "author"
ATTRIBUTED = "attributed"
STRUCTURE = "structure"

# A sentence is someone else's when attributed content, its source and its cue cover at least
# this share of its characters (and some of it is content), and fewer than AUTHOR_WORDS of its
# words are left outside them: "It is hard to see how Goff stood to benefit, given it states
# CONTENT" keeps the author's judgement, read with CONTENT masked.
ATTRIBUTED_SHARE = 0.5
AUTHOR_WORDS = 6
# A share computed from fewer sentences than this (structure left out) is marked as uncertain.
FEW_SENTENCES = 8


@dataclass(frozen=True)
class Calibration:
    """p(opinion) of an author sentence = sigmoid(sentence * z_sentence + paragraph *
    z_paragraph + neighbours * z_neighbours + article * z_article + bias), where each z is a
    classifier logit: the sentence alone, its paragraph, the mean of the author sentences
    before and after it, the word-weighted mean over the article's author sentences. A
    sentence is opinion when that probability reaches ``threshold``."""

    sentence: float = 1.0
    paragraph: float = 0.0
    neighbours: float = 0.0
    article: float = 0.0
    bias: float = 0.0
    threshold: float = 0.5

    def as_json(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data) -> Calibration:
        """The calibration :meth:`as_json` stored; :data:`DEFAULT_CALIBRATION` for anything
        else (a version trained before versions had their own)."""
        try:
            return cls(**{k: float(v) for k, v in dict(data).items()})
        except (TypeError, ValueError):
            return DEFAULT_CALIBRATION

    def p(self, zs: float, zp: float, zn: float, za: float) -> float:
        z = (
            self.sentence * zs
            + self.paragraph * zp
            + self.neighbours * zn
            + self.article * za
            + self.bias
        )
        return _sigmoid(z)


# Fitted by bench/classifier.py --tune (fit_calibration on cross-validated logits of the
# starter corpus read as pieces by topic and register, CheckThat train sentences and PolNeAR
# train articles as news; the threshold maximises cross-validated macro-F1). Dev and the
# seed pieces are never used. A version trained with enough known straight news fits its own
# (stance.pipeline.train); the others keep this one.
DEFAULT_CALIBRATION = Calibration(
    sentence=0.3, paragraph=0.0, neighbours=0.18, article=0.559, bias=-1.501, threshold=0.4
)


@dataclass(frozen=True)
class Segment:
    """A sentence before the classifier: offsets into its paragraph, words, role, and the
    attributed spans inside it (offsets into the sentence)."""

    paragraph: int
    start: int
    end: int
    words: int
    role: str
    masked: tuple[Span, ...] = ()
    cues: tuple[Span, ...] = ()  # the attribution cues inside it (said, according to)
    sources: tuple[Span, ...] = ()  # and who they attribute to


@dataclass(frozen=True)
class Sentence:
    start: int  # offsets into the paragraph's text
    end: int
    words: int
    role: str  # AUTHOR, ATTRIBUTED or STRUCTURE
    p_opinion: float  # 0.0 for attributed and structure sentences
    label: str = "news"  # "opinion" only for an author sentence at or over the threshold

    @property
    def counted(self) -> bool:
        return self.role != STRUCTURE

    @property
    def is_opinion(self) -> bool:
        return self.label == "opinion"

    def as_json(self) -> list:
        return [self.start, self.end, self.words, self.role, round(self.p_opinion, 4), self.label]


@dataclass(frozen=True)
class ParagraphVoice:
    sentences: tuple[Sentence, ...]
    label: str  # "news" | "opinion"
    p_opinion: float  # centred on the decision threshold (see paragraph_verdict)
    words: int  # words of the sentences that count (not structure)
    opinion_words: int
    p_calibrated: float = 0.0  # the word-weighted mean of the sentences' probabilities

    def as_json(self) -> list[list]:
        return [s.as_json() for s in self.sentences]


def sentences_from_json(rows) -> tuple[Sentence, ...]:
    """The sentences stored by :meth:`ParagraphVoice.as_json`; malformed rows are skipped."""
    out = []
    for row in rows or ():
        try:
            start, end, words, role, p, label = row
            out.append(Sentence(int(start), int(end), int(words), str(role), float(p), str(label)))
        except (TypeError, ValueError):
            continue
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# Structure

_TERMINAL = tuple(".!?\u2026")
_CLOSERS = "\"'\u201d\u2019)]"
_QUOTE_MARKS = '"\u201c\u201d\u00ab\u00bb'
_QUESTION_OPENERS = lx.words(
    "what why how who whom whose where when which is are was were can could will would should "
    "does do did has have"
)
_CREDIT_RE = re.compile(
    r"^\s*(?:[-\u2013\u2014]\s*(?:with|by|from|additional|reporting)\b"
    r"|(?:additional\s+)?(?:reporting|writing|editing|research|compiled|produced|translated)"
    r"\s+by\b|(?:photo(?:graph)?s?|image|picture|video|graphic|illustration|credit|source)"
    r"(?:\s+(?:by|credit))?\s*[:/|]|\((?:ap|afp|reuters|nzpa|bloomberg|pa|aap)\)\s*$"
    r"|this (?:story|article|report) (?:was|has been) (?:updated|corrected|amended)"
    r"|(?:sign up|subscribe|get (?:our|the)|follow us|click here|read more|watch:|listen:)\b"
    r"|follow\s+(?:\S+\s+){1,3}?on\s+(?:twitter|facebook|instagram|threads|bluesky)\b"
    r"|advertisement|advertise with\b"
    r"|.{0,80}\bnewsletters?\b.{0,80}$)",
    re.IGNORECASE,
)


# A paragraph of a few capitalised words and a period: a letter's signature (``Ernie
# Helton.``) or a section label (``The Facts.``)
_SIGNATURE_RE = re.compile(r"^(?:[A-Z][\w'\u2019-]*\.?\s+){1,3}[A-Z][\w'\u2019-]*\.$")


def _is_heading(text: str, words: int) -> bool:
    """A paragraph that is a heading: short and without a sentence's final mark, a short
    label ending in a colon (``Labour Party statement:``), a short question that reads as a
    subheading (title case, or a question word heading a section), or a signature."""
    body = text.rstrip().rstrip(_CLOSERS)
    if not body:
        return True
    if words <= 4 and _SIGNATURE_RE.match(body):
        return True
    if body.endswith(":"):
        return words <= 6
    if body.endswith("?"):
        if words > 10 or any(c in text for c in _QUOTE_MARKS):
            return False
        toks = WORD_RE.findall(text)
        long = [t for t in toks if len(t) > 3]
        title = long and sum(t[0].isupper() for t in long) >= 0.6 * len(long)
        return bool(title) or (words <= 6 and toks[0].lower() in _QUESTION_OPENERS)
    return not body.endswith(_TERMINAL) and words <= 14


# An author's biography at the foot of a piece ("Joel B. Pollak is Senior Editor-at-Large at
# Breitbart News."; "His new book, ..., is available from ...").
_BIO_RE = re.compile(
    r"^(?:(?:[A-Z][\w.'\u2019-]*\s+){1,4}(?:is|was)\s+(?:a|an|the)?\s*[\w\s,-]{0,50}?"
    r"(?:editor|writer|columnist|correspondent|reporter|contributor|author|fellow|professor)"
    r"|(?:his|her|their) (?:new |latest )?book\b.{0,200}\bis (?:available|out|published)\b)",
    re.IGNORECASE,
)
FOOT_PARAGRAPHS = 3  # where a biography can stand: the piece's last paragraphs


def _is_credit(text: str, at_foot: bool = False) -> bool:
    if len(text) > 240:
        return False
    return _CREDIT_RE.match(text) is not None or (at_foot and _BIO_RE.match(text) is not None)


# ---------------------------------------------------------------------------------------------
# Segmenting


# What the attribution mask holds at each character of an article
_CONTENT, _SOURCE, _CUE = 1, 2, 3
_NO_CAST = Cast([], [])  # the mask needs no speakers: reading without them is faster


def _attribution_mask(paragraphs: Sequence[str]) -> tuple[bytearray, list[int]]:
    """For each character of the joined article (:func:`stance.entities.join_paragraphs`):
    attributed content, its source, its cue, or 0 (the author's); and each paragraph's start.
    The author's own "I think ..." is not someone else's (:func:`by_others`); a nested
    attribution's source and cue stay the content around them. Paragraphs
    that all come as :class:`Attributed` (:func:`attributed_article`) are not read again:
    their spans are the mask."""
    joined, starts = join_paragraphs(paragraphs)
    mask = bytearray(len(joined))
    if paragraphs and all(isinstance(p, Attributed) for p in paragraphs):
        for p, base in zip(paragraphs, starts, strict=True):
            for value, spans in ((_SOURCE, p.sources), (_CUE, p.cues), (_CONTENT, p.spans)):
                for s, e in spans:
                    mask[base + s : base + e] = bytes([value]) * (e - s)
        return mask, starts
    for a in by_others(joined, attribute(paragraphs, cast=_NO_CAST)):
        # a nested attribution's source and cue are words of the content around it
        around = () if a.nested else ((_SOURCE, a.source), (_CUE, a.cue))
        for value, spans in (*around, (_CONTENT, a.content)):
            for s, e in spans:
                mask[s:e] = bytes([value]) * (e - s)
    return mask, starts


def attributed_article(paragraphs: Sequence[str]) -> list[Attributed]:
    """Each paragraph with the content, cues and sources that :mod:`stance.attribution`
    finds attributed in it, read over the whole article once."""
    mask, starts = _attribution_mask(paragraphs)
    out = []
    for text, base in zip(paragraphs, starts, strict=True):
        window = mask[base : base + len(text)]
        runs = (_runs(window, v) for v in (_CONTENT, _CUE, _SOURCE))
        out.append(Attributed(text, *runs))
    return out


def attributed(text: str) -> Attributed:
    """``text`` (a sentence or a paragraph) read as an article of its own, with what
    :mod:`stance.attribution` finds attributed in it: how the classifier reads a text that
    comes without its article (training rows, :func:`stance.pipeline.predict`)."""
    return attributed_article([text])[0]


def segment(paragraphs: Sequence[str]) -> list[list[Segment]]:
    """Each paragraph's sentences with their roles and the attributed spans inside them."""
    mask, starts = _attribution_mask(paragraphs)
    out: list[list[Segment]] = []
    for i, (text, base) in enumerate(zip(paragraphs, starts, strict=True)):
        spans = sentence_spans(text)
        segs: list[Segment] = []
        heading = len(spans) == 1 and _is_heading(text, word_count(text))
        for s, e in spans:
            words = word_count(text[s:e])
            if not words:
                continue
            if heading or _is_credit(text[s:e], i >= len(paragraphs) - FOOT_PARAGRAPHS):
                segs.append(Segment(i, s, e, words, STRUCTURE))
                continue
            window = mask[base + s : base + e]
            content = window.count(_CONTENT)
            covered = content + window.count(_SOURCE) + window.count(_CUE)
            if (
                content
                and covered >= ATTRIBUTED_SHARE * (e - s)
                and _free_words(text, s, e, window) < AUTHOR_WORDS
            ):
                segs.append(Segment(i, s, e, words, ATTRIBUTED))
            elif content:
                runs = (_runs(window, v) for v in (_CONTENT, _CUE, _SOURCE))
                segs.append(Segment(i, s, e, words, AUTHOR, *runs))
            else:
                segs.append(Segment(i, s, e, words, AUTHOR))
        out.append(segs)
    return out


def _free_words(text: str, s: int, e: int, window: bytearray) -> int:
    """Words of text[s:e] that no attribution covers (``window`` is its mask)."""
    return sum(1 for m in WORD_RE.finditer(text, s, e) if not window[m.start() - s])


_RUN_RES = {v: re.compile(re.escape(bytes([v])) + b"+") for v in (_CONTENT, _SOURCE, _CUE)}


def _runs(window: bytearray, value: int) -> tuple[Span, ...]:
    """(start, end) of each run of ``value`` in ``window``."""
    return tuple(m.span() for m in _RUN_RES[value].finditer(window))


# ---------------------------------------------------------------------------------------------
# Reading


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    ez = math.exp(z)
    return ez / (1.0 + ez)


def _logit(p: float) -> float:
    p = min(max(float(p), 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def read(
    paragraphs: Sequence[str], proba: Proba, *, calibration: Calibration = DEFAULT_CALIBRATION
) -> list[ParagraphVoice]:
    """The voice of each paragraph of one article. ``proba(texts)`` returns the classifier's
    p(opinion) of each text (``stance.pipeline.predict_proba``)."""
    return read_many([paragraphs], proba, calibration=calibration)[0]


def read_many(
    articles: Sequence[Sequence[str]],
    proba: Proba,
    *,
    calibration: Calibration = DEFAULT_CALIBRATION,
    features: list | None = None,
) -> list[list[ParagraphVoice]]:
    """:func:`read` for several articles with one classifier call. ``features``, when given a
    list, receives one ``(article, paragraph, sentence, words, zs, zp, zn, za)`` row per author
    sentence (the calibration's inputs, for fitting it; zp is zs unless the calibration
    weighs the paragraph)."""
    segmented = [segment(list(paragraphs)) for paragraphs in articles]
    texts: list[str] = []
    # per article, per paragraph: (index of the paragraph text or -1, [index of each sentence])
    plan = []
    for paragraphs, segs in zip(articles, segmented, strict=True):
        article_plan = []
        for text, psegs in zip(paragraphs, segs, strict=True):
            authors = [g for g in psegs if g.role == AUTHOR]
            sent_idx = []
            for g in psegs:
                if g.role != AUTHOR:
                    sent_idx.append(-1)
                    continue
                sent_idx.append(len(texts))
                texts.append(Attributed(text[g.start : g.end], g.masked, g.cues, g.sources))
            para_idx = -1
            if len(authors) > 1 and calibration.paragraph:
                para_idx = len(texts)
                shifted = [(g.start + s, g.start + e) for g in psegs for s, e in g.masked]
                # the paragraph with the attributed sentences masked whole, too
                shifted += [(g.start, g.end) for g in psegs if g.role != AUTHOR]
                cues = [(g.start + s, g.start + e) for g in psegs for s, e in g.cues]
                texts.append(Attributed(text, shifted, cues))  # (sources: not needed here)
            article_plan.append((para_idx, sent_idx))
        plan.append(article_plan)
    probs = list(proba(texts)) if texts else []
    z = [_logit(p) for p in probs]

    out = []
    for a_i, (segs, article_plan) in enumerate(zip(segmented, plan, strict=True)):
        # the article's author sentences in reading order: (paragraph, position, zs, words)
        order = [
            (p_i, k, z[idx], psegs[k].words)
            for p_i, (psegs, (_, sent_idx)) in enumerate(zip(segs, article_plan, strict=True))
            for k, idx in enumerate(sent_idx)
            if idx >= 0
        ]
        total_words = sum(w for *_, w in order)
        za = sum(zs * w for _, _, zs, w in order) / total_words if total_words else 0.0
        ps: dict[tuple[int, int], float] = {}
        for n, (p_i, k, zs, w) in enumerate(order):
            para_idx = article_plan[p_i][0]
            zp = z[para_idx] if para_idx >= 0 else zs
            near = [order[m][2] for m in (n - 1, n + 1) if 0 <= m < len(order)]
            zn = sum(near) / len(near) if near else zs
            ps[(p_i, k)] = calibration.p(zs, zp, zn, za)
            if features is not None:
                features.append((a_i, p_i, k, w, zs, zp, zn, za))
        voices = []
        for p_i, psegs in enumerate(segs):
            sentences = []
            for k, g in enumerate(psegs):
                p = ps.get((p_i, k), 0.0)
                label = "opinion" if g.role == AUTHOR and p >= calibration.threshold else "news"
                sentences.append(Sentence(g.start, g.end, g.words, g.role, p, label))
            voices.append(paragraph_verdict(sentences, calibration.threshold))
        out.append(voices)
    return out


def read_rows(texts: Sequence[str], proba: Proba, **kw) -> list[ParagraphVoice]:
    """Each text read on its own as a piece of one paragraph (a sentence or a paragraph: the
    ``classify`` command's rows), with one classifier call."""
    return [voices[0] for voices in read_many([[t] for t in texts], proba, **kw)]


# ---------------------------------------------------------------------------------------------
# From sentences to paragraphs and articles


def paragraph_verdict(
    sentences: Sequence[Sentence], threshold: float = DEFAULT_CALIBRATION.threshold
) -> ParagraphVoice:
    """A paragraph's label and probability from its sentences.

    * Words count only in sentences that are not structure.
    * The label is opinion when the words of its opinion sentences are at least half of its
      words; a paragraph with no counted words (a heading) is news with probability 0.
    * ``p_opinion`` is the word-weighted mean of the sentences' probabilities moved so that
      the threshold sits at 0.5 (logit p - logit threshold; attributed sentences count as 0):
      a one-sentence paragraph is opinion exactly when it is at least 0.5, and the paragraphs
      nearest 0.5 are the nearest to the decision (the review queue's order).
    * ``p_calibrated`` is the plain word-weighted mean (the expected share of opinion words).
    """
    counted = [s for s in sentences if s.counted]
    words = sum(s.words for s in counted)
    if not words:
        return ParagraphVoice(tuple(sentences), "news", 0.0, 0, 0)
    opinion_words = sum(s.words for s in counted if s.is_opinion)
    shift = _logit(threshold)
    centred = sum(s.words * _centred(s, shift) for s in counted) / words
    calibrated = sum(s.words * s.p_opinion for s in counted) / words
    label = "opinion" if 2 * opinion_words >= words else "news"
    return ParagraphVoice(
        tuple(sentences),
        label,
        min(max(centred, 0.0), 1.0),
        words,
        opinion_words,
        min(max(calibrated, 0.0), 1.0),
    )


def _centred(sentence: Sentence, shift: float) -> float:
    if sentence.role != AUTHOR:
        return 0.0
    return _sigmoid(_logit(sentence.p_opinion) - shift)


def opinion_share(voices: Sequence[ParagraphVoice]) -> float | None:
    """Words of opinion sentences over the words of all counted sentences; None without any."""
    words = sum(v.words for v in voices)
    return sum(v.opinion_words for v in voices) / words if words else None


def few_sentences(sentences: int) -> bool:
    """Whether a share rests on too few sentences to be quoted as is."""
    return sentences < FEW_SENTENCES


# ---------------------------------------------------------------------------------------------
# Fitting a calibration

# The sentence's own weight is chosen on this grid (see fit_calibration)
SENTENCE_WEIGHTS = tuple(round(0.1 * i, 1) for i in range(11))
THRESHOLDS = tuple(round(0.3 + 0.025 * i, 3) for i in range(17))


def fit_calibration(x, y, w, *, tolerance: float = 0.02) -> Calibration:
    """The calibration that fits cross-validated rows best: ``x`` rows of (zs, zp, zn, za)
    (:func:`read_many`'s features, each logit from a model that never saw the sentence),
    ``y`` whether each sentence is opinion, ``w`` their weights.

    A weighted logistic fit of the context weights (at least 0) and the bias; the paragraph's
    weight stays 0 (cross-validation gave it none: the neighbours and the article carry the
    context). The sentence's own weight is the largest on SENTENCE_WEIGHTS whose log loss stays
    within ``tolerance`` (relative) of the best: the article's voice predicts a sentence's
    label better than the sentence does (pieces keep one voice), but a page that marks where
    the author's voice enters needs the sentence to count. The threshold maximises the
    weighted macro-F1 of the fitted probabilities.
    """
    import numpy as np
    from scipy.optimize import minimize
    from sklearn.metrics import f1_score

    x, y, w = np.asarray(x, dtype=float), np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    w = w / w.sum()
    context = x[:, 2:4]  # zn, za

    def fit(a: float):
        def loss(theta):
            z = a * x[:, 0] + context @ theta[:2] + theta[2]
            p = np.clip(1 / (1 + np.exp(-z)), 1e-6, 1 - 1e-6)
            return -(w * (y * np.log(p) + (1 - y) * np.log(1 - p))).sum()

        bounds = [(0, None), (0, None), (None, None)]
        r = minimize(loss, [0.1, 0.5, -1.0], method="L-BFGS-B", bounds=bounds)
        return r.fun, r.x

    fits = {a: fit(a) for a in SENTENCE_WEIGHTS}
    best = min(f for f, _ in fits.values())
    a = max(a for a, (f, _) in fits.items() if f <= best * (1 + tolerance))
    c, e, d = (float(v) for v in fits[a][1])
    p = 1 / (1 + np.exp(-(a * x[:, 0] + context @ np.array([c, e]) + d)))
    if len(set(y)) > 1:
        t = max(THRESHOLDS, key=lambda t: f1_score(y, p >= t, average="macro", sample_weight=w))
    else:
        t = DEFAULT_CALIBRATION.threshold
    return Calibration(
        sentence=a,
        neighbours=round(c, 3),
        article=round(e, 3),
        bias=round(d, 3),
        threshold=t,
    )
