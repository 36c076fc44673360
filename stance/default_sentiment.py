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

from stance.mention_features import FEATURES, features_of
from stance.rule_sentiment import POLARITIES, Reading, Span, read_mention
from stance.target_features import TARGET_FEATURES, target_features

__all__ = [
    "CALIBRATION",
    "DEFAULT_FEATURES",
    "calibration_features",
    "default_sentiment",
    "score_mention",
    "target_sentiment",
]

# what the calibration weighs: the rule reading's parts, then where the target stands and what
# its own phrase says of it
DEFAULT_FEATURES = FEATURES + TARGET_FEATURES

# bench/actor_sentiment.py --calibrate (NewsMTSC train.jsonl, C=0.1, balanced classes, the
# intercepts offset (negative +0.1, positive -0.2) where cross-validation on train put the best
# macro-F1): the standardisation (mean, scale) and the coefficients per polarity, in the order
# of DEFAULT_FEATURES
# fmt: off
CALIBRATION: dict = {
    "mean": (
        -0.0257613, -0.0385219, 0.15449, -0.189783, 0.399142, -0.490051, 0.0293508, 0.0170588,
        0.125644, 0.109051, 0.368578, 0.169356, 3.20065, 0.402525, -0.501771, 0.151107,
        -0.178063, 0.00675134, 0.0249456, 0.00446275, 0.00732349, 0.00292348, 0.00429415,
        0.235038, 1.11968, 0.0526612, -0.0638352, 0.0213617, -0.028826, 0.051884, -0.0631457,
        0.0264387, -0.03584, 0.0350891, -0.0476695, 0.28077, -0.319864, 0.115688, 0.0647671,
        0.0467253, -0.0551361, 0.0435977, 0.232926, 0.0557272, 0.0347866, 0.0116718, 0.00720906,
        0.0289507, 0.00537819, 0.141435, 1.43964, 0.0473738, 0.0341, 0.0906282, 0.137087,
        0.319715, 0.0874242, 3.23287,
    ),
    "scale": (
        0.312393, 0.463384, 0.477586, 0.544707, 0.846155, 0.943914, 0.483168, 0.384305,
        0.331447, 0.311704, 0.482419, 0.375066, 0.560149, 0.88681, 1.0077, 0.398652, 0.459322,
        0.0818887, 0.155959, 0.0666546, 0.0852635, 0.188241, 0.244886, 0.424023, 0.774828,
        0.375371, 0.421142, 0.227781, 0.262085, 0.319456, 0.33571, 0.246307, 0.284905, 0.271154,
        0.330131, 0.785176, 0.837431, 0.319851, 0.246115, 0.377769, 0.429193, 0.204198, 0.15745,
        0.229394, 0.183239, 0.107404, 0.0845996, 0.167668, 0.0731387, 0.34847, 0.870681,
        0.212437, 0.181486, 0.28708, 0.343939, 0.303244, 0.282456, 0.537444,
    ),
    "coef": {
        "negative": (
            -0.300664, -0.388854, 0.153098, 0.0295467, 0.176596, -0.0328092, -0.148358,
            -0.049349, -0.297728, 0.0112724, 0.0489685, -0.122411, -0.126715, 0.234758,
            -0.0293751, 0.03602, 0.0320616, -0.023215, 0.209801, -0.0722989, -0.0910085,
            0.020224, -0.0313426, -0.205829, -0.043424, 0.0683473, -0.0305975, -0.0267433,
            -0.0764871, -0.0133614, -0.0471199, 0.00799149, -0.140238, -0.0489214, -0.0196866,
            -0.0191288, -0.0171526, 0.0741238, -0.0348297, 0.0174975, -0.015597, 0.0933885,
            -0.0864729, -0.0877796, -0.0441342, -0.0923723, -0.000159499, -0.0537931, 0.0124741,
            -0.0045731, 0.00429424, 0.0192041, 0.00248672, 0.0426429, 0.0801492, -0.071592,
            -0.0291483, 0.212364,
        ),
        "neutral": (
            0.202536, 0.15492, -0.155034, -0.0606318, -0.216245, 0.0609805, -0.154308,
            -0.0226299, 0.256623, -0.1493, 0.00816842, -0.00293294, -0.074382, -0.270544,
            0.0341097, -0.042888, -0.02142, 0.0449043, -0.0975412, 0.0647518, 0.0414365,
            -0.00152966, 0.0372459, 0.173866, 0.191399, -0.137616, 0.0158268, -0.023188,
            0.0448317, -0.0218364, -0.0563451, -0.0273181, -0.109077, -0.025708, 0.044769,
            -0.0455137, 0.00164546, 0.0516424, -0.0296149, -0.0386084, -0.0016732, -0.058243,
            0.122376, 0.149183, 0.133231, 0.147626, -0.00195716, 0.0508097, 0.00120929,
            -0.0221456, -0.0564488, 0.10583, 0.0633467, 0.026715, -0.082491, 0.178115,
            -0.00175092, -0.163433,
        ),
        "positive": (
            0.0981282, 0.233934, 0.00193643, 0.0310851, 0.0396484, -0.0281713, 0.302667,
            0.0719789, 0.0411049, 0.138028, -0.0571369, 0.125344, 0.201097, 0.0357863,
            -0.00473461, 0.00686796, -0.0106416, -0.0216893, -0.11226, 0.00754709, 0.049572,
            -0.0186944, -0.00590334, 0.0319632, -0.147975, 0.0692684, 0.0147706, 0.0499312,
            0.0316554, 0.0351978, 0.103465, 0.0193266, 0.249315, 0.0746293, -0.0250825,
            0.0646425, 0.0155072, -0.125766, 0.0644446, 0.0211109, 0.0172702, -0.0351454,
            -0.0359029, -0.061403, -0.0890966, -0.0552539, 0.00211666, 0.00298342, -0.0136834,
            0.0267187, 0.0521545, -0.125034, -0.0658334, -0.0693579, 0.00234172, -0.106523,
            0.0308993, -0.048931,
        ),
    },
    "intercept": {"negative": 0.207853, "neutral": 0.0214072, "positive": -0.32926},
}
# fmt: on


def _features(reading: Reading, text: str, start: int, end: int) -> list[float]:
    return features_of(reading, text, start, end) + target_features(reading, text, start, end)


def calibration_features(
    text: str, start: int, end: int, blocked: Sequence[Span] = (), sentence: Span | None = None
) -> list[float]:
    """One value per name in :data:`DEFAULT_FEATURES` for the mention at ``text[start:end]``
    (what ``bench/actor_sentiment.py --calibrate`` fits :data:`CALIBRATION` on)."""
    reading = read_mention(text, start, end, blocked, sentence)
    if reading is None:
        return [0.0] * len(DEFAULT_FEATURES)
    return _features(reading, text, start, end)


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
    return _polarity(_features(reading, text, start, end)), reading.score


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
