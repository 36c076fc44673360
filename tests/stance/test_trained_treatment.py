"""The acceptance test with a trained actor-sentiment model: the seed story and the two stories
of test_treatment read as their editor reads them when a model trained on NewsMTSC scores.

The model is fitted once for the run on all of NewsMTSC ``train.jsonl``, as
``manage.py train_actor_sentiment`` fits it, without its cross-validation (three minutes on one
core, most of it the frozen encoder reading 8739 sentences). It used to be every third record
(half a minute), but the seed verdicts sit near the 0.15 threshold: with the encoder member, a
model of every third record read the report at -0.155 toward Carter and the column at -0.197
toward Labour, where the model the app trains reads them at -0.13 and -0.146; and the vote
without the encoder, fitted on all of train, read the column at -0.150 toward Labour (so the
old subset was what kept that assertion). The test checks the model the app would serve. The
data sits beside the repository (``../shared/data/newsmtsc``); the app runs without it, and
these tests are skipped when it is absent."""

import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from stance import actor_sentiment
from tests.stance.test_treatment import (
    ATTACK,
    HOLM,
    PRAISE,
    REPORT,
    RUCK,
    TANE,
    UNION,
    seed_story_as_its_editor_reads_it,
    verdicts,
)

TRAIN = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "newsmtsc" / "train.jsonl"

# CI runs the suite on SQLite and on PostgreSQL; these tests run in the SQLite run only.
# What they check is the verdicts of the model fitted on all of train (3.4 min of CPU), which no
# database changes: three never touch one, and the fourth's database part (a trained version
# stored and activated by train_actor_sentiment, then served to story_report; the seed story's
# report) runs on PostgreSQL too, in test_treatment's
# test_compare_story_report_and_actor_sentiment_score_with_the_same_model and
# test_the_seed_report_is_neutral_and_the_column_critical_of_carter.
ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")

pytestmark = [
    pytest.mark.skipif(not TRAIN.is_file(), reason=f"no NewsMTSC data at {TRAIN}"),
    pytest.mark.skipif(ON_POSTGRESQL, reason="database-independent and slow: the SQLite run"),
]


# Session, not module, scope: pytest-django runs the database test below with the other
# database tests and this module's three others at the end of the run, and a module fixture
# is torn down in between, so the model was fitted twice (3.4 min of CPU each).
@pytest.fixture(scope="session")
def newsmtsc():
    """(records, fitted pipeline) of NewsMTSC train."""
    records = actor_sentiment.read_jsonl(TRAIN)
    pipe, _metrics = actor_sentiment.train(records, cv=0)
    return records, pipe


def scorer_of(pipe):
    return lambda records: actor_sentiment.predict(pipe, records)


def test_a_trained_model_reads_a_report_as_neutral_toward_both_sides(newsmtsc):
    found = verdicts(REPORT, [HOLM, TANE], scorer_of(newsmtsc[1]))
    assert {k: v.treatment for k, v in found.items()} == {"holm": "neutral", "tane": "neutral"}


def test_a_trained_model_reads_the_praise_and_the_attack(newsmtsc):
    pipe = newsmtsc[1]
    praise = verdicts(PRAISE, [HOLM, TANE], scorer_of(pipe))
    assert praise["holm"].treatment == "favourable" and praise["holm"].score > 0.15
    attack = verdicts(ATTACK, [RUCK, UNION], scorer_of(pipe))
    assert attack["ruck"].treatment == "critical" and attack["ruck"].score < -0.15
    assert attack["union"].treatment == "insufficient"


def test_a_mention_the_model_reads_as_neutral_carries_no_lean(newsmtsc):
    records, pipe = newsmtsc
    predicted = actor_sentiment.predict(pipe, records[:300])
    assert {p for p, _s in predicted} == set(actor_sentiment.POLARITIES)
    for polarity, score in predicted:
        sign = {"negative": -1, "neutral": 0, "positive": 1}[polarity]
        assert (score > 0) - (score < 0) == sign, (polarity, score)


@pytest.mark.django_db
def test_with_a_trained_model_active_the_seed_report_is_neutral_and_the_column_critical_of_carter(
    newsmtsc, tiny_corpus, tmp_path, monkeypatch
):
    records, pipe = newsmtsc
    data = tmp_path / "train.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    # the command stores and activates the model fitted once for the run on that file
    monkeypatch.setattr(actor_sentiment, "train", lambda recs: (pipe, _metrics(recs)))
    call_command("seed_demo", stdout=io.StringIO())
    call_command("train_actor_sentiment", "--jsonl", str(data), "--activate", stdout=io.StringIO())
    _report, column = seed_story_as_its_editor_reads_it()
    labour = next(a for a in column["actors"] if a["name"] == "Labour Party")
    assert labour["treatment"] in {"neutral", "insufficient"}  # the damage is Carter's doing


def _metrics(records) -> dict:
    counts = {p: sum(r["polarity"] == p for r in records) for p in actor_sentiment.POLARITIES}
    return {"n": len(records), "class_counts": counts, "params": {}, "cv_folds": 0}
