import io
import json

import pytest
from django.core.management import CommandError, call_command

from stance.models import ModelVersion

pytestmark = pytest.mark.django_db

TEXTS = [
    ("Critics praised Ana Roe for her brave and honest leadership.", "positive"),
    ("Ana Roe was widely admired for her generous work.", "positive"),
    ("Supporters said Ana Roe had done a wonderful job.", "positive"),
    ("Ana Roe was accused of lying and corruption.", "negative"),
    ("Ana Roe was condemned for a disgraceful and cruel decision.", "negative"),
    ("Ana Roe faced angry criticism over the failure.", "negative"),
    ("Ana Roe will speak at the meeting on Tuesday.", "neutral"),
    ("Ana Roe arrived in Wellington on Monday.", "neutral"),
    ("Ana Roe said the report would be published in June.", "neutral"),
]


def write_jsonl(path, rows, labelled=True):
    with open(path, "w", encoding="utf-8") as sink:
        for i, (text, polarity) in enumerate(rows):
            record = {
                "id": f"r{i}",
                "text": text,
                "target": "Ana Roe",
                "target_start": text.index("Ana Roe"),
                "target_end": text.index("Ana Roe") + 7,
            }
            if labelled:
                record["polarity"] = polarity
            sink.write(json.dumps(record) + "\n")
    return path


def score(tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", TEXTS, labelled=False)
    target = tmp_path / "out.jsonl"
    err = io.StringIO()
    call_command("actor_sentiment", "--input", str(source), "--output", str(target), stderr=err)
    return [json.loads(line) for line in target.read_text().splitlines()], err.getvalue()


def test_the_rule_based_default_scores_without_a_trained_model(tmp_path):
    rows, log = score(tmp_path)
    assert "rule-based default" in log
    assert [r["id"] for r in rows] == [f"r{i}" for i in range(len(TEXTS))]
    assert all(r["polarity"] in {"negative", "neutral", "positive"} for r in rows)
    assert all(-1 <= r["score"] <= 1 for r in rows)
    assert rows[0]["score"] > 0 > rows[4]["score"]


def test_a_trained_and_activated_model_takes_over(tmp_path):
    data = write_jsonl(tmp_path / "train.jsonl", TEXTS * 3)
    out = io.StringIO()
    call_command("train_actor_sentiment", "--jsonl", str(data), "--activate", stdout=out)
    assert "is now active" in out.getvalue()
    version = ModelVersion.objects.get(kind="actor_sentiment")
    assert version.is_active and version.training_summary["n"] == 27
    rows, log = score(tmp_path)
    assert "Actor sentiment v1" in log
    assert {r["polarity"] for r in rows} <= {"negative", "neutral", "positive"}


def test_training_without_activate_leaves_the_rules_in_charge(tmp_path):
    data = write_jsonl(tmp_path / "train.jsonl", TEXTS * 3)
    call_command("train_actor_sentiment", "--jsonl", str(data), stdout=io.StringIO())
    assert "rule-based default" in score(tmp_path)[1]


def test_bad_lines_are_refused_with_their_line_number(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "x"}\n', encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad.jsonl:1: missing field"):
        call_command("actor_sentiment", "--input", str(bad), "--output", str(tmp_path / "o"))
    with pytest.raises(CommandError):
        call_command("train_actor_sentiment", "--jsonl", str(bad))
    assert not ModelVersion.objects.filter(status="ready").exists()
