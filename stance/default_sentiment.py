"""The default scorer of sentiment toward a mention: the rules, calibrated (pure, no Django).

The rule scorer (:mod:`stance.rule_sentiment`) reads the sentence around a mention. Its
**polarity** comes from that reading's parts (:data:`stance.mention_features.FEATURES`: the
sentiment mass before and after the mention, in and outside its clause, attack or praise verbs
around it, VADER's compound on each side, where the mention stands) and from what a
target-aware reader looks at (:data:`stance.target_features.TARGET_FEATURES`: whether the
target is a person or a place, a date, an institution; what its own phrase says of it; what it
does or undergoes), weighed by a three-class logistic regression whose few coefficients are
written below, so the default needs no model file and no training at run time. Its **score**
is the rule's own reading, the weighted valence of the evaluative words around the mention in
[-1, 1]: 0 when nothing evaluative is said, so a piece's verdict on an actor (the mean score
over the mentions in the author's voice, :mod:`stance.treatment`) rests on the words shown as
its evidence. The calibrated polarity weighs what NewsMTSC's annotators weigh, news events
included ("X was expelled" is negative for X there); an author who reports an expulsion has
not judged anyone.

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
    "target_sentiment",
]

# what the calibration weighs: the rule reading's parts, then where the target stands and what
# its own phrase says of it
DEFAULT_FEATURES = FEATURES + TARGET_FEATURES

# bench/actor_sentiment.py --calibrate (NewsMTSC train.jsonl, C=0.1, balanced classes, the
# negative intercept raised by 0.1 where cross-validation on train put the best macro-F1):
# the standardisation (mean, scale) and the coefficients per polarity, in the order of
# DEFAULT_FEATURES
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
        0.319715, 0.0874242, 3.23287, 0.0069802, 0.0092688, 0.00240302, 0.00251745, 0.00675134,
        0.112828, 0.0995848, -0.090027, 0.17645, 0.0764598, -0.0803966,
    ),
    "scale": (
        0.312393, 0.463384, 0.477586, 0.544707, 0.846155, 0.943914, 0.483168, 0.384305,
        0.331447, 0.311704, 0.482419, 0.375066, 0.560149, 0.88681, 1.0077, 0.398652, 0.459322,
        0.0818887, 0.155959, 0.0666546, 0.0852635, 0.188241, 0.244886, 0.424023, 0.774828,
        0.375371, 0.421142, 0.227781, 0.262085, 0.319456, 0.33571, 0.246307, 0.284905, 0.271154,
        0.330131, 0.785176, 0.837431, 0.319851, 0.246115, 0.377769, 0.429193, 0.204198, 0.15745,
        0.229394, 0.183239, 0.107404, 0.0845996, 0.167668, 0.0731387, 0.34847, 0.870681,
        0.212437, 0.181486, 0.28708, 0.343939, 0.303244, 0.282456, 0.537444, 0.0832555,
        0.0958274, 0.0489617, 0.050111, 0.0818887, 0.316382, 0.553328, 0.589085, 0.381203,
        0.448808, 0.473292,
    ),
    "coef": {
        "negative": (
            -0.326191, -0.388747, 0.153301, 0.0407252, 0.17082, -0.0295236, -0.12907,
            -0.0494608, -0.058459, 0.00889963, 0.0598281, -0.0971302, -0.138879, 0.229719,
            -0.0210829, 0.0352124, 0.0338779, -0.0206027, 0.216921, -0.0684607, -0.0915634,
            0.022055, -0.0442468, -0.185378, -0.0248644, 0.0634648, -0.0324238, -0.0230259,
            -0.0729714, -0.0136271, -0.0494719, 0.0152865, -0.143718, -0.0480062, -0.024246,
            -0.0158323, 0.00751801, 0.0713334, -0.0325386, 0.0205099, -0.0125193, 0.0913271,
            -0.0789213, -0.0871732, -0.0469845, -0.0892615, -0.000161111, -0.048254, 0.00948765,
            -0.00428131, -0.00312181, 0.016726, 0.00374019, 0.0370977, 0.0710668, -0.0347586,
            -0.0344061, 0.206423, 0.156075, -0.0687809, 0.031402, -0.00134529, -0.00739655,
            -0.335227, -0.0871278, -0.0661735, 0.0884466, 0.0488896, -0.00427176,
        ),
        "neutral": (
            0.171016, 0.131309, -0.153625, -0.0584227, -0.19982, 0.0579783, -0.12471,
            -0.0189559, 0.00179001, -0.152138, -0.00475429, -0.0347223, -0.0577793, -0.255996,
            0.0300932, -0.0387016, -0.016158, 0.0354998, -0.122958, 0.0690026, 0.0446214,
            0.00509779, 0.0500874, 0.152391, 0.161292, -0.140536, 0.0163525, -0.0191742,
            0.0492604, -0.0208742, -0.0542859, -0.0441378, -0.10111, -0.023281, 0.0467285,
            -0.00603451, -0.0113681, 0.0454858, -0.0270765, -0.0352257, -0.0130444, -0.0597798,
            0.128216, 0.145891, 0.134627, 0.148501, 0.00110745, 0.0447759, 0.00535379,
            -0.0208964, -0.0542027, 0.106489, 0.0594711, 0.0277026, -0.0695914, 0.140419,
            0.00783008, -0.15004, -0.00933364, -0.0767512, -0.0120706, 0.00650151, 0.0649767,
            0.366207, -0.0323857, 0.0344352, -0.102901, -0.0861239, 0.0332674,
        ),
        "positive": (
            0.155175, 0.257438, 0.000323278, 0.0176975, 0.0290001, -0.0284547, 0.25378,
            0.0684167, 0.056669, 0.143238, -0.0550738, 0.131853, 0.196658, 0.0262763,
            -0.00901031, 0.00348914, -0.0177199, -0.0148971, -0.0939626, -0.000541854, 0.046942,
            -0.0271528, -0.00584063, 0.0329865, -0.136428, 0.0770712, 0.0160713, 0.0422002,
            0.023711, 0.0345013, 0.103758, 0.0288512, 0.244828, 0.0712872, -0.0224824,
            0.0218668, 0.00385014, -0.116819, 0.0596151, 0.0147158, 0.0255637, -0.0315473,
            -0.0492943, -0.0587176, -0.0876428, -0.0592397, -0.000946338, 0.003478, -0.0148414,
            0.0251777, 0.0573245, -0.123215, -0.0632112, -0.0648003, -0.00147538, -0.105661,
            0.026576, -0.0563827, -0.146741, 0.145532, -0.0193314, -0.00515622, -0.0575801,
            -0.0309796, 0.119514, 0.0317383, 0.0144539, 0.0372343, -0.0289956,
        ),
    },
    "intercept": {"negative": 0.185925, "neutral": 0.0329969, "positive": -0.118922},
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
