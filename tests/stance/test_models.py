"""stance.models: the rules on the models and their querysets (the active version of a kind,
live labels, a correction's speaker) and the constraints the database enforces. One active
version per kind and stale jobs are pinned in services/test_versions.py and test_jobs.py."""

import pytest
from django.db import IntegrityError, transaction

from newsroom.models import Actor
from stance.models import (
    Frame,
    Job,
    Label,
    ModelVersion,
    Prediction,
    SentenceLabel,
    SpeakerCorrection,
)
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

READY = ModelVersion.Status.READY
SENTIMENT = ModelVersion.Kind.ACTOR_SENTIMENT


def refused(model, **fields) -> None:
    """The database refuses the row (in a savepoint, so the test's transaction lives on)."""
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**fields)


@pytest.fixture
def paragraph():
    return make_article("Dockers walked out at dawn.").paragraphs.get()


@pytest.fixture
def editor():
    return make_user("ed")


# --- ModelVersion ---------------------------------------------------------------------


def test_the_active_version_is_looked_up_per_kind():
    classifier = ModelVersion.objects.create(number=1, status=READY, is_active=True)
    ModelVersion.objects.create(number=2, status=READY)
    assert ModelVersion.objects.active(ModelVersion.Kind.CLASSIFIER) == classifier
    assert ModelVersion.objects.active(SENTIMENT) is None
    sentiment = ModelVersion.objects.create(kind=SENTIMENT, number=1, status=READY, is_active=True)
    assert ModelVersion.objects.active(SENTIMENT) == sentiment
    assert set(ModelVersion.objects.classifiers()) == set(
        ModelVersion.objects.exclude(pk=sentiment.pk)
    )


def test_a_version_is_named_by_its_kind_and_number_and_reads_its_macro_f1():
    version = ModelVersion(kind=SENTIMENT, number=3, metrics={"macro_f1": 0.71})
    assert str(version) == "Actor sentiment v3"
    assert version.macro_f1 == 0.71
    assert ModelVersion(number=1).macro_f1 is None


def test_a_number_is_unique_within_its_kind_only():
    ModelVersion.objects.create(number=1)
    ModelVersion.objects.create(kind=SENTIMENT, number=1)
    refused(ModelVersion, number=1)


def test_only_a_ready_version_can_be_active():
    refused(ModelVersion, number=1, status=ModelVersion.Status.TRAINING, is_active=True)
    refused(ModelVersion, number=2, status=ModelVersion.Status.FAILED, is_active=True)
    ModelVersion.objects.create(number=3, status=READY, is_active=True)


# --- Prediction -----------------------------------------------------------------------


def test_a_probability_of_opinion_lies_in_zero_to_one(paragraph):
    version = ModelVersion.objects.create(number=1, status=READY)
    for p in (-0.01, 1.01):
        refused(Prediction, paragraph=paragraph, version=version, label="news", p_opinion=p)
    Prediction.objects.create(paragraph=paragraph, version=version, label="news", p_opinion=1.0)


def test_a_version_predicts_a_paragraph_once(paragraph):
    version = ModelVersion.objects.create(number=1, status=READY)
    Prediction.objects.create(paragraph=paragraph, version=version, label="news", p_opinion=0.2)
    refused(Prediction, paragraph=paragraph, version=version, label="opinion", p_opinion=0.8)


def test_predictions_of_the_active_classifier_only(paragraph):
    active = ModelVersion.objects.create(number=1, status=READY, is_active=True)
    older = ModelVersion.objects.create(number=2, status=READY)
    sentiment = ModelVersion.objects.create(kind=SENTIMENT, number=1, status=READY, is_active=True)
    mine = Prediction.objects.create(paragraph=paragraph, version=active, label="news", p_opinion=0)
    for version in (older, sentiment):
        Prediction.objects.create(paragraph=paragraph, version=version, label="news", p_opinion=0)
    assert list(Prediction.objects.of_active()) == [mine]


# --- Label ----------------------------------------------------------------------------


def test_live_labels_are_verdicts_nobody_undid(paragraph, editor):
    undone = Label.objects.create(paragraph=paragraph, editor=editor, label="opinion")
    undo = Label.objects.create(
        paragraph=paragraph, editor=editor, label="opinion", action=Label.Action.UNDO, undoes=undone
    )
    kept = Label.objects.create(paragraph=paragraph, editor=editor, label="news")
    confirmed = Label.objects.create(
        paragraph=paragraph, editor=editor, label="news", action=Label.Action.CONFIRM
    )
    settled = Label.objects.create(
        paragraph=paragraph, editor=editor, label="news", action=Label.Action.ADJUDICATE
    )
    assert set(Label.objects.live()) == {kept, confirmed, settled}
    assert undo not in Label.objects.live()


def test_an_undo_and_only_an_undo_points_at_a_label(paragraph, editor):
    label = Label.objects.create(paragraph=paragraph, editor=editor, label="news")
    refused(Label, paragraph=paragraph, editor=editor, label="news", action=Label.Action.UNDO)
    refused(Label, paragraph=paragraph, editor=editor, label="news", undoes=label)


def test_a_label_disagrees_with_the_model_only_when_the_model_said_something_else():
    assert Label(label="opinion", model_label="news").model_disagreed
    assert not Label(label="news", model_label="news").model_disagreed
    assert not Label(label="news", model_label="").model_disagreed  # no model at the time


# --- SentenceLabel, Frame, Job --------------------------------------------------------


def test_a_sentence_label_spans_at_least_one_character(paragraph, editor):
    fields = {"paragraph": paragraph, "sentence_text": "x", "label": "news", "editor": editor}
    refused(SentenceLabel, start=5, end=5, **fields)
    refused(SentenceLabel, start=6, end=5, **fields)
    SentenceLabel.objects.create(start=5, end=6, **fields)


def test_a_frames_cues_are_its_non_blank_lines():
    frame = Frame(cues="cost of living\n\n  rent  \n \nwages\n")
    assert frame.cue_list == ["cost of living", "rent", "wages"]


def test_a_jobs_percent_and_whether_it_finished():
    assert Job(progress=0.426).percent == 43
    assert Job(progress=1.0).percent == 100
    finished = {s for s in Job.Status if Job(status=s).is_finished}
    assert finished == {Job.Status.DONE, Job.Status.FAILED}


def test_a_jobs_progress_lies_in_zero_to_one():
    refused(Job, kind=Job.Kind.TRAIN, progress=1.5)
    refused(Job, kind=Job.Kind.TRAIN, progress=-0.1)


# --- SpeakerCorrection ----------------------------------------------------------------


@pytest.fixture
def correction(paragraph, editor):
    def make(choice, **fields):
        span = {"start": 0, "end": 7, **fields}
        return SpeakerCorrection(
            paragraph=paragraph, quote_text="Dockers", choice=choice, editor=editor, **span
        )

    return make


def test_a_correction_to_someone_else_must_name_them(correction):
    with pytest.raises(IntegrityError), transaction.atomic():
        correction(SpeakerCorrection.Choice.OTHER).save()
    correction(SpeakerCorrection.Choice.OTHER, speaker_name="a docker").save()


def test_a_correction_to_nobody_names_nobody(correction, paragraph):
    actor = Actor.objects.create(story=paragraph.article.story, name="Ruth Obi")
    for named in ({"speaker_name": "Ruth Obi"}, {"speaker_actor": actor}):
        with pytest.raises(IntegrityError), transaction.atomic():
            correction(SpeakerCorrection.Choice.NOBODY, **named).save()
    correction(SpeakerCorrection.Choice.NOBODY).save()


def test_a_correction_spans_at_least_one_character(correction):
    with pytest.raises(IntegrityError), transaction.atomic():
        correction(SpeakerCorrection.Choice.NOBODY, start=7, end=7).save()
    correction(SpeakerCorrection.Choice.NOBODY, start=6, end=7).save()


def test_a_corrections_speaker_key_and_label(correction, paragraph):
    actor = Actor.objects.create(story=paragraph.article.story, name="Ruth Obi")
    to_actor = correction(SpeakerCorrection.Choice.ACTOR, speaker_actor=actor)
    assert (to_actor.speaker_key, to_actor.speaker_label) == (str(actor.pk), "Ruth Obi")
    other = correction(SpeakerCorrection.Choice.OTHER, speaker_name="a docker")
    assert (other.speaker_key, other.speaker_label) == ("", "a docker")
    other.speaker_actor = actor  # only a correction to an actor names the actor's key
    assert other.speaker_key == ""
    nobody = correction(SpeakerCorrection.Choice.NOBODY)
    assert (nobody.speaker_key, nobody.speaker_label) == ("", "nobody")
    assert str(nobody) == "nobody said “Dockers” (ed)"
