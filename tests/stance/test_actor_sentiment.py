"""The trainable actor-sentiment model: records, train / predict (pure)."""

import copy
import json

import numpy as np
import pytest

from stance import actor_sentiment as asent
from stance import embedding

POS = [
    "{} was praised for a brilliant and courageous speech.",
    "Voters admire {} for her honesty and hard work.",
    "{} won the award, earning warm praise from colleagues.",
    "Supporters cheered as {} delivered a wonderful victory.",
    "{} was thanked for outstanding leadership during the crisis.",
    "Colleagues hailed {} as a hero and a great friend.",
    "{} earned respect for a generous, thoughtful response.",
    "Critics and allies alike applauded {} for the excellent result.",
]
NEG = [
    "{} was accused of lying and fraud.",
    "Critics slammed {} for a disgraceful, dishonest campaign.",
    "{} was expelled after a bitter scandal.",
    "Prosecutors charged {} with corruption and abuse of power.",
    "{} faced furious criticism over the failed, reckless plan.",
    "Voters blamed {} for the disastrous collapse.",
    "{} was mocked as a pathetic liar.",
    "The inquiry condemned {} for shameful misconduct.",
]
NEU = [
    "{} arrived in Wellington on Tuesday.",
    "{} will speak at the conference next week.",
    "The meeting with {} lasted two hours.",
    "{} was born in Auckland in 1962.",
    "A spokesman for {} confirmed the schedule.",
    "{} travelled to Sydney for the talks.",
    "The report was sent to {} on Friday.",
    "{} lives in Te Atatu with his family.",
]
NAMES = ["Mr Goff", "Chris Carter", "Ms Ardern", "John Key"]


def make_records():
    out = []
    for label, templates in (("positive", POS), ("negative", NEG), ("neutral", NEU)):
        for i, t in enumerate(templates):
            name = NAMES[i % len(NAMES)]
            text = t.format(name)
            start = text.index(name)
            out.append(
                {
                    "id": f"{label}-{i}",
                    "text": text,
                    "target": name,
                    "target_start": start,
                    "target_end": start + len(name),
                    "polarity": label,
                }
            )
    return out


@pytest.fixture(scope="module")
def trained():
    return asent.train(make_records(), cv=3)


def test_train_predict_and_metrics(trained):
    pipe, metrics = trained
    assert metrics["n"] == 24 and metrics["cv_folds"] == 3
    assert set(metrics["cv_f1"]) == set(asent.POLARITIES)
    # Macro-F1 is the mean of the per-class F1s (each rounded to 4 places, hence the tolerance).
    per_class = metrics["cv_f1"].values()
    assert metrics["cv_macro_f1"] == pytest.approx(sum(per_class) / len(per_class), abs=2e-4)
    # ...and it clearly beats chance (the better of always answering the largest class and
    # guessing uniformly, from the class counts: 1/3 here); these templates are separable.
    counts = metrics["class_counts"]
    largest = max(counts.values())
    constant = 2 * largest / (largest + metrics["n"]) / len(counts)
    assert metrics["cv_macro_f1"] > max(constant, 1 / len(counts)) + 0.3
    records = make_records()
    preds = asent.predict(pipe, records)
    assert len(preds) == len(records)
    for polarity, score in preds:
        assert polarity in asent.POLARITIES and -1.0 <= score <= 1.0
    right = sum(p == r["polarity"] for (p, _), r in zip(preds, records, strict=True))
    assert right >= 20  # it fits what it was trained on
    pos = next(s for (p, s), r in zip(preds, records, strict=True) if r["polarity"] == "positive")
    neg = next(s for (p, s), r in zip(preds, records, strict=True) if r["polarity"] == "negative")
    assert pos > neg  # score = P(positive) - P(negative), 0 when read as neutral


def test_predict_needs_no_polarity_and_handles_empty(trained):
    pipe, _ = trained
    rec = {
        "id": 1,
        "text": "Mr Goff left.",
        "target": "Mr Goff",
        "target_start": 0,
        "target_end": 7,
    }
    assert len(asent.predict(pipe, [rec])) == 1
    assert asent.predict(pipe, []) == []


def test_a_model_trained_on_an_older_feature_layout_is_refused_with_a_clear_message(trained):
    pipe, _ = trained
    assert asent.is_current(pipe)
    stale = copy.deepcopy(pipe)
    rules = stale.named_steps["vote"].named_estimators_["rules"]
    rules.named_steps["scale"].n_features_in_ = 13  # the default scorer gave fewer before
    assert not asent.is_current(stale)
    with pytest.raises(asent.StaleModelError, match="retrain"):
        asent.predict(stale, make_records()[:1])
    stamp = pipe.named_steps["prepare"].kw_args
    renamed = [*stamp["rules_features"][:-1], "a feature the default no longer gives"]
    changes = (
        {"features_version": asent.FEATURES_VERSION - 1},
        {"rules_features": renamed},
        {"encoder_sha256": "0" * 64},  # fitted through other encoder weights
    )
    for changed in changes:
        older = copy.deepcopy(pipe)
        older.named_steps["prepare"].kw_args = {**stamp, **changed}
        assert not asent.is_current(older)
        with pytest.raises(asent.StaleModelError, match="retrain"):
            asent.predict(older, make_records()[:1])


def test_the_context_vectors_never_see_the_target_s_name():
    text = "Critics slammed Chris Carter for a disgraceful campaign."
    start = text.index("Chris Carter")
    end = start + len("Chris Carter")
    vectors = asent.context_vectors(text, start, end)
    assert vectors.shape == (3 * embedding.MODEL_DIM,)
    renamed = text.replace("Chris Carter", "Jacinda Ardern")
    np.testing.assert_allclose(
        asent.context_vectors(renamed, start, start + len("Jacinda Ardern")), vectors, atol=1e-6
    )
    # the words before and after the mention are pooled apart: swapping them changes both
    swapped = "For a disgraceful campaign critics slammed Chris Carter."
    s2 = swapped.index("Chris Carter")
    other = asent.context_vectors(swapped, s2, s2 + len("Chris Carter"))
    dim = embedding.MODEL_DIM
    assert not np.allclose(other[:dim], vectors[:dim])
    # nor another person's name: what is said of the mention, whoever the others are
    with_other = "Critics led by Helen Clark slammed Chris Carter for a disgraceful campaign."
    recast = with_other.replace("Helen Clark", "Winston Peters")
    s3, s4 = with_other.index("Chris Carter"), recast.index("Chris Carter")
    np.testing.assert_allclose(
        asent.context_vectors(recast, s4, s4 + len("Chris Carter")),
        asent.context_vectors(with_other, s3, s3 + len("Chris Carter")),
        atol=1e-6,
    )
    # a sentence that is only the mention, or the mention and masks, has no context at all
    assert np.isnan(asent.context_vectors("Chris Carter", 0, 12)).all()
    assert np.isnan(asent.context_vectors("Chris Carter \u2026 \u2026:", 0, 12)).all()


def test_the_masked_view_keeps_what_is_said_and_hides_who_the_others_are():
    text = "Critics, led by Senator John Smith, slammed Chris Carter, and Labour said so."
    start = text.index("Chris Carter")
    masked = asent.masked_sentence(text, start, start + len("Chris Carter"))
    assert " ".join(masked.split()) == "Critics, led by ENT, slammed TGT , and ENT said so."
    # another cast, the same view: the words learnt are not the training sentences' names
    other = text.replace("Senator John Smith", "Dr Mary Jones").replace("Labour", "National")
    s2 = other.index("Chris Carter")
    assert asent.masked_sentence(other, s2, s2 + len("Chris Carter")) == masked
    # the sentence's first word is no name to hide
    assert asent.masked_sentence("Voters blamed Key.", 14, 17).split()[:2] == ["Voters", "blamed"]


@pytest.mark.parametrize(
    ("text", "clause"),
    [
        ("Critics slammed Chris Carter for a rash plan", "Critics slammed TGT for a rash plan"),
        ("Key was praised, but Chris Carter was mocked as a liar.", "TGT was mocked as a liar."),
        ("Voters, who blamed Chris Carter, said so.", "blamed TGT"),
        ("The party said that Chris Carter (an MP) had gone", "TGT"),
    ],
)
def test_the_clause_view_is_the_mention_s_own_clause(text, clause):
    start = text.index("Chris Carter")
    got = asent.target_clause(text, start, start + len("Chris Carter"))
    assert got.split() == clause.split()


def test_a_mention_among_masks_alone_reads_as_no_evidence(trained):
    # the author's voice in the app: others' words masked as "..."; with no word around the
    # mention, the context model adds nothing and the vote stays where the others put it
    pipe, _ = trained
    rec = {"id": "m", "text": "Chris Carter \u2026 \u2026:", "target": "Chris Carter"}
    rec |= {"target_start": 0, "target_end": 12}
    context = pipe.named_steps["vote"].named_estimators_["context"]
    proba = context.predict_proba(asent.prepare([rec]))[0]
    fallback = context.named_steps["clf"].predict_proba(np.zeros((1, 3 * embedding.MODEL_DIM)))[0]
    np.testing.assert_allclose(proba, fallback, atol=1e-9)
    # the encoder reads the mention's own tokens among the masks: a row, never empty
    enc = pipe.named_steps["vote"].named_estimators_["encoder"]
    assert np.isfinite(enc.predict_proba(asent.prepare([rec]))).all()
    assert len(asent.predict(pipe, [rec])) == 1


def test_train_needs_two_classes_and_valid_records():
    recs = [r for r in make_records() if r["polarity"] == "neutral"]
    with pytest.raises(ValueError, match="two polarity classes"):
        asent.train(recs)
    bad = make_records()
    bad[0] = {**bad[0], "polarity": "angry"}
    with pytest.raises(asent.RecordError, match="record 0"):
        asent.train(bad)


# --- read_jsonl -----------------------------------------------------------------------------

GOOD = {
    "id": "a",
    "text": "Mr Goff left.",
    "target": "Mr Goff",
    "target_start": 0,
    "target_end": 7,
    "polarity": "neutral",
}


def write(tmp_path, *lines):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_read_jsonl_reads_valid_lines_and_skips_blank_ones(tmp_path):
    path = write(tmp_path, json.dumps(GOOD), "", json.dumps({**GOOD, "id": 2}))
    recs = asent.read_jsonl(path)
    assert [r["id"] for r in recs] == ["a", "2"]
    assert recs[0]["target_start"] == 0 and recs[0]["polarity"] == "neutral"


@pytest.mark.parametrize(
    "record,message",
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ({k: v for k, v in GOOD.items() if k != "target"}, "missing field.*target"),
        ({**GOOD, "polarity": "happy"}, "'polarity' must be one of"),
        ({**GOOD, "target_start": "zero"}, "must be integers"),
        ({**GOOD, "target_end": 99}, "outside the text"),
        ({**GOOD, "target_start": 3}, "not the target"),
        ({**GOOD, "text": ""}, "non-empty string"),
    ],
)
def test_read_jsonl_errors_name_the_line(tmp_path, record, message):
    line = record if isinstance(record, str) else json.dumps(record)
    path = write(tmp_path, json.dumps(GOOD), line)
    with pytest.raises(asent.RecordError, match=message) as err:
        asent.read_jsonl(path)
    assert "in.jsonl:2" in str(err.value)


def test_read_jsonl_duplicate_ids_and_unlabelled_input(tmp_path):
    path = write(tmp_path, json.dumps(GOOD), json.dumps(GOOD))
    with pytest.raises(asent.RecordError, match="in.jsonl:2: duplicate id"):
        asent.read_jsonl(path)
    unlabelled = {k: v for k, v in GOOD.items() if k != "polarity"}
    path = write(tmp_path, json.dumps(unlabelled))
    with pytest.raises(asent.RecordError, match="missing field.*polarity"):
        asent.read_jsonl(path)
    assert asent.read_jsonl(path, labelled=False)[0]["id"] == "a"
