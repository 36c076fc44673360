import io

import pytest
from django.core.management import CommandError, call_command

from stance.models import ModelVersion
from tests.factories import write_tsv

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_train_classifier_prints_metrics_and_activates_when_asked(tiny_corpus, tmp_path):
    extra = write_tsv(tmp_path / "extra.tsv", [("The vote was 5-4.", "news")])
    out = run("train_classifier", "--extra-tsv", str(extra), "--activate")
    assert "trained on 41 paragraphs" in out
    assert "starter corpus" in out and "editor labels" in out and "extra: extra.tsv" in out
    assert "macro-F1" in out and "confusion" in out
    assert "is now active" in out
    assert ModelVersion.objects.get().is_active


def test_train_classifier_without_activate_leaves_the_active_version(tiny_corpus):
    run("train_classifier", "--activate")
    out = run("train_classifier")
    assert "Not activated" in out
    assert ModelVersion.objects.get(is_active=True).number == 1


def test_train_classifier_refuses_an_unreadable_extra_file(tiny_corpus, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run("train_classifier", "--extra-tsv", str(tmp_path / "missing.tsv"))
    assert not ModelVersion.objects.exists()


def test_classify_writes_id_label_and_probability(active_classifier, tmp_path):
    source = tmp_path / "in.tsv"
    source.write_text(
        "id\ttext\na\tThe council voted 7-2 on Tuesday.\nb\tThis is frankly a disgrace, surely?\n"
        'c\t"It is a disgrace," the mayor said.\n',
        encoding="utf-8",
    )
    target = tmp_path / "out.tsv"
    call_command("classify", "--input", str(source), "--output", str(target), stderr=io.StringIO())
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "id\tlabel\tp_opinion"
    rows = [line.split("\t") for line in lines[1:]]
    assert [row[0] for row in rows] == ["a", "b", "c"]
    assert all(row[1] in {"news", "opinion"} and 0 <= float(row[2]) <= 1 for row in rows)
    assert rows[0][1] == "news" and rows[1][1] == "opinion"


def test_classify_refuses_a_file_without_the_header(active_classifier, tmp_path):
    source = tmp_path / "in.tsv"
    source.write_text("a\tno header here\n", encoding="utf-8")
    with pytest.raises(CommandError, match="header"):
        call_command("classify", "--input", str(source), "--output", str(tmp_path / "o.tsv"))


def test_classify_needs_an_active_version(db, tmp_path):
    source = write_tsv(tmp_path / "in.tsv", [("x", "news")])
    with pytest.raises(CommandError, match="No active"):
        call_command("classify", "--input", str(source), "--output", str(tmp_path / "o.tsv"))


def test_evaluate_classifier_prints_macro_f1_per_class_and_confusion(active_classifier, tmp_path):
    gold = write_tsv(
        tmp_path / "gold.tsv",
        [("The council voted 7-2 on Tuesday.", "news"), ("This is frankly absurd.", "opinion")],
    )
    out = run("evaluate_classifier", "--tsv", str(gold))
    assert "macro-F1" in out
    assert "news" in out and "opinion" in out and "precision" in out
    assert "confusion" in out


def test_evaluate_classifier_names_the_bad_line(active_classifier, tmp_path):
    gold = tmp_path / "gold.tsv"
    gold.write_text("id\ttext\tlabel\na\tfine\tnews\nb\tbad\tmaybe\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 3"):
        run("evaluate_classifier", "--tsv", str(gold))
