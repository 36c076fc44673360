"""The default scorer of sentiment toward a mention: the rules, calibrated (pure, no Django).

The rule scorer (:mod:`stance.rule_sentiment`) reads the sentence around a mention. Its
**polarity** comes from that reading's parts (:data:`stance.mention_features.FEATURES`: the
sentiment mass before and after the mention, in and outside its clause, attack or praise verbs
around it, VADER's compound on each side, where the mention stands) weighed by a three-class
logistic regression whose few coefficients are written below, so the default needs no model
file and no training at run time. Its **score** is the rule's own reading, the weighted
valence of the evaluative words around the mention in [-1, 1]: 0 when nothing evaluative is
said, so a piece's verdict on an actor (the mean score over the mentions in the author's voice,
:mod:`stance.treatment`) rests on the words shown as its evidence. The calibrated polarity
weighs what NewsMTSC's annotators weigh, news events included ("X was expelled" is negative
for X there); an author who reports an expulsion has not judged anyone.

They were fitted by ``bench/actor_sentiment.py --calibrate`` on NewsMTSC ``train.jsonl`` only
(dev sets never seen; the regularisation chosen by 5-fold cross-validation on train, folds
grouped by sentence). NewsMTSC (Hamborg and Donnay, EACL 2021) is MIT-licensed, "Copyright
2020 Felix Hamborg": permission to use, modify and distribute, with the notice kept, which this
paragraph does. Only these numbers ship; no sentence of the data does.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from stance.mention_features import features_of
from stance.rule_sentiment import POLARITIES, Span, read_mention

__all__ = ["CALIBRATION", "default_sentiment", "score_mention", "target_sentiment"]

# bench/actor_sentiment.py --calibrate (NewsMTSC train.jsonl, C=0.1, balanced classes, the
# negative intercept raised by 0.2 where cross-validation on train put the best macro-F1): the
# standardisation (mean, scale) and the coefficients per polarity, in the order of FEATURES
# fmt: off
CALIBRATION: dict = {
    "mean": (
        -0.0257613, -0.0385219, 0.15449, -0.189783, 0.399142, -0.490051, 0.0293508, 0.0170588,
        0.125644, 0.109051, 0.368578, 0.169356, 3.20065, 0.402525, -0.501771, 0.151107,
        -0.178063, 0.00675134, 0.0249456, 0.00446275, 0.00732349, 0.00292348, 0.00429415,
        0.235038, 1.11968,
    ),
    "scale": (
        0.312393, 0.463384, 0.477586, 0.544707, 0.846155, 0.943914, 0.483168, 0.384305,
        0.331447, 0.311704, 0.482419, 0.375066, 0.560149, 0.88681, 1.0077, 0.398652, 0.459322,
        0.0818887, 0.155959, 0.0666546, 0.0852635, 0.188241, 0.244886, 0.424023, 0.774828,
    ),
    "coef": {
        "negative": (
            -0.351501, -0.370526, 0.11268, 0.0418941, 0.208264, -0.0689204, -0.12252,
            -0.0517865, -0.303574, 0.014686, 0.0419107, -0.0855535, 0.12317, 0.241485,
            -0.0518051, 0.0398516, 0.0217041, -0.0336811, 0.204599, -0.0788881, -0.07239,
            -0.00503539, -0.044806, -0.149535, -0.104832,
        ),
        "neutral": (
            0.203365, 0.151955, -0.109992, -0.135094, -0.292341, 0.103905, -0.151969,
            -0.0195331, 0.246007, -0.166186, 0.0240392, -0.0434522, -0.295989, -0.3191,
            0.0299456, -0.0424336, -0.0123777, 0.046924, -0.096403, 0.0889861, 0.0190484,
            0.0128674, 0.0210389, 0.0190563, 0.274048,
        ),
        "positive": (
            0.148137, 0.218571, -0.00268798, 0.0932002, 0.084077, -0.0349849, 0.274489,
            0.0713196, 0.0575672, 0.1515, -0.0659499, 0.129006, 0.172818, 0.0776143, 0.0218595,
            0.00258198, -0.0093264, -0.0132429, -0.108196, -0.010098, 0.0533416, -0.00783205,
            0.0237671, 0.130479, -0.169216,
        ),
    },
    "intercept": {"negative": 0.281411, "neutral": 0.0283196, "positive": -0.109731},
}
# fmt: on


def _probabilities(features: Sequence[float]) -> dict[str, float]:
    cal = CALIBRATION
    z = [(x - m) / s for x, m, s in zip(features, cal["mean"], cal["scale"], strict=True)]
    logits = {
        p: cal["intercept"][p] + sum(c * v for c, v in zip(cal["coef"][p], z, strict=True))
        for p in POLARITIES
    }
    top = max(logits.values())
    exp = {p: math.exp(v - top) for p, v in logits.items()}
    total = sum(exp.values())
    return {p: v / total for p, v in exp.items()}


def _polarity(features: Sequence[float]) -> str:
    """The likeliest polarity under :data:`CALIBRATION`."""
    proba = _probabilities(features)
    return max(POLARITIES, key=lambda p: proba[p])


def score_mention(
    text: str,
    start: int,
    end: int,
    blocked: Sequence[Span] = (),
    sentence: Span | None = None,
) -> tuple[float, list[tuple[int, int, float]]]:
    """The default score of one mention and its evidence as (start, end, weight).

    Words inside ``blocked`` spans never count; ``sentence`` bounds the context (default: the
    sentence holding the mention). The evidence is the words that moved the score. The
    polarity is not computed: the verdicts read the score alone.
    """
    reading = read_mention(text, start, end, blocked, sentence)
    return (0.0, []) if reading is None else (reading.score, reading.evidence())


def default_sentiment(
    text: str, start: int, end: int, blocked: Sequence[Span] = (), sentence: Span | None = None
) -> tuple[str, float]:
    """(polarity, score) of the default scorer for the mention at ``text[start:end]``."""
    reading = read_mention(text, start, end, blocked, sentence)
    if reading is None:
        return "neutral", 0.0
    return _polarity(features_of(reading, text, start, end)), reading.score


def target_sentiment(text: str, start: int, end: int) -> tuple[str, float]:
    """The default sentiment the sentence around ``text[start:end]`` expresses toward that
    mention: ``(polarity, score)`` with polarity in :data:`POLARITIES` and score in [-1, 1].

    Scores the sentence holding the mention, quotations included (this is the contract of
    ``manage.py actor_sentiment``: what the *text* says about the person), except the target's
    own words (``"...," X said`` / ``X said ...``: what they say is not what is said about
    them). :func:`stance.treatment.paragraph_treatment` uses the same scorer on the author's
    voice only.
    """
    text = text or ""
    n = len(text)
    start = max(0, min(int(start), n))
    end = max(start, min(int(end), n))
    if not text.strip():
        return "neutral", 0.0
    if end == start:
        end = min(n, start + 1)
    return default_sentiment(text, start, end)
