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
    "score_mention",
    "target_sentiment",
]

# what the calibration weighs: the rule reading's parts, then where the target stands and what
# its own phrase says of it
DEFAULT_FEATURES = FEATURES + TARGET_FEATURES

# bench/actor_sentiment.py --calibrate (NewsMTSC train.jsonl, C=0.1, balanced classes, the
# positive intercept lowered by 0.2 where cross-validation on train put the best macro-F1):
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
    ),
    "scale": (
        0.312393, 0.463384, 0.477586, 0.544707, 0.846155, 0.943914, 0.483168, 0.384305,
        0.331447, 0.311704, 0.482419, 0.375066, 0.560149, 0.88681, 1.0077, 0.398652, 0.459322,
        0.0818887, 0.155959, 0.0666546, 0.0852635, 0.188241, 0.244886, 0.424023, 0.774828,
        0.375371, 0.421142, 0.227781, 0.262085, 0.319456, 0.33571, 0.246307, 0.284905, 0.271154,
        0.330131, 0.785176, 0.837431, 0.319851, 0.246115, 0.377769, 0.429193, 0.204198, 0.15745,
        0.229394, 0.183239, 0.107404, 0.0845996, 0.167668, 0.0731387, 0.34847, 0.870681,
        0.212437, 0.181486, 0.28708, 0.343939, 0.303244, 0.282456, 0.537444, 0.0832555,
        0.0958274, 0.0489617, 0.050111, 0.0818887,
    ),
    "coef": {
        "negative": (
            -0.309248, -0.388979, 0.153725, 0.0352852, 0.191179, -0.0258727, -0.154139,
            -0.0521892, -0.311123, 0.0112744, 0.046939, -0.124466, -0.127412, 0.247568,
            -0.0216962, 0.0392278, 0.0362748, -0.0206997, 0.214469, -0.0771034, -0.0918452,
            0.0228381, -0.0412221, -0.202267, -0.0465949, 0.0670532, -0.0373822, -0.026611,
            -0.0728493, -0.0168632, -0.0481097, 0.00571088, -0.139363, -0.0506508, -0.0234301,
            -0.0224076, -0.0102381, 0.068053, -0.0318903, 0.017303, -0.0160513, 0.0894344,
            -0.0766057, -0.0896715, -0.0470999, -0.0914929, 0.00100104, -0.053197, 0.0129061,
            -0.00243996, -0.0027576, 0.0197039, 0.00161569, 0.0400494, 0.0783736, -0.0639799,
            -0.0278743, 0.217765, 0.14437, -0.0718344, 0.0317415, -0.00273115, -0.0135085,
        ),
        "neutral": (
            0.182632, 0.14769, -0.149359, -0.054198, -0.203956, 0.0671968, -0.150454,
            -0.0248586, 0.262219, -0.149568, 0.00658471, -0.00270525, -0.067646, -0.25656,
            0.0406998, -0.0411144, -0.0154736, 0.0408454, -0.118917, 0.0727156, 0.0387939,
            -0.000949768, 0.0460597, 0.173296, 0.191469, -0.142638, 0.0271524, -0.0212079,
            0.0455078, -0.0265879, -0.0594095, -0.0338941, -0.108767, -0.0272254, 0.044603,
            -0.0497628, -0.00550141, 0.052871, -0.0293444, -0.0384303, -0.00118862, -0.0578582,
            0.123982, 0.149544, 0.134004, 0.146904, -0.000823554, 0.0509067, 0.00101115,
            -0.0199132, -0.0556787, 0.103857, 0.0619413, 0.0245862, -0.0801538, 0.176877,
            -0.00187753, -0.171166, 0.00469711, -0.0739942, -0.0130207, 0.00680375, 0.0689618,
        ),
        "positive": (
            0.126617, 0.241289, -0.00436508, 0.0189128, 0.0127767, -0.0413241, 0.304593,
            0.0770478, 0.0489043, 0.138294, -0.0535237, 0.127171, 0.195058, 0.00899212,
            -0.0190036, 0.00188662, -0.0208012, -0.0201457, -0.0955521, 0.00438787, 0.0530513,
            -0.0218884, -0.00483756, 0.0289718, -0.144874, 0.0755844, 0.0102298, 0.0478189,
            0.0273415, 0.0434511, 0.107519, 0.0281832, 0.248129, 0.0778762, -0.0211729,
            0.0721704, 0.0157396, -0.120924, 0.0612347, 0.0211273, 0.0172399, -0.0315762,
            -0.0473765, -0.0598724, -0.0869042, -0.0554107, -0.00017749, 0.00229032, -0.0139173,
            0.0223532, 0.0584363, -0.123561, -0.063557, -0.0646356, 0.00178024, -0.112897,
            0.0297518, -0.0465997, -0.149067, 0.145829, -0.0187208, -0.00407261, -0.0554534,
        ),
    },
    "intercept": {"negative": 0.106768, "neutral": 0.0252766, "positive": -0.332045},
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
