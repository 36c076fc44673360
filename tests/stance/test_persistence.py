"""skops persistence of both models: round trips, and what load() refuses (pure, no Django)."""

import io
import json
import zipfile

import numpy as np
import pytest
import skops.io as sio
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from stance import actor_sentiment, persistence, pipeline

TEXTS = [
    "Mr Carter said the party had been petty.",
    "The council voted 9-4 to approve the rates increase on Tuesday night.",
    '"It is ridiculous," he said.',
    "Surely we must ask why this matters?",
    "I think this is a disgrace and it is time to act.",
    "The minister has made a terrible, shameful decision.",
]
LABELS = ["news", "news", "news", "opinion", "opinion", "opinion"]

SENTENCES = {
    "positive": ["{} was praised for a brilliant speech.", "Voters admire {} for her honesty."],
    "negative": ["{} was accused of lying and fraud.", "Critics slammed {} for a bad campaign."],
    "neutral": ["{} arrived in Wellington on Tuesday.", "The meeting with {} lasted an hour."],
}


def records():
    out = []
    for polarity, templates in SENTENCES.items():
        for i, template in enumerate(templates):
            text = template.format("Ms Ardern")
            start = text.index("Ms Ardern")
            out.append(
                {
                    "id": f"{polarity}-{i}",
                    "text": text,
                    "target": "Ms Ardern",
                    "target_start": start,
                    "target_end": start + len("Ms Ardern"),
                    "polarity": polarity,
                }
            )
    return out


@pytest.fixture(scope="module")
def classifier():
    return pipeline.build_pipeline(features__words__tfidf__min_df=1).fit(TEXTS, LABELS)


@pytest.fixture(scope="module")
def sentiment_model():
    recs = records()
    return actor_sentiment.build_pipeline(n_features=2**10).fit(recs, [r["polarity"] for r in recs])


def test_classifier_round_trip_gives_identical_probabilities_and_explanations(classifier):
    data = persistence.dump(classifier)
    assert isinstance(data, bytes)
    loaded = persistence.load(data)
    probe = [*TEXTS, "", "A sentence nobody has seen before, perhaps?"]
    np.testing.assert_array_equal(classifier.predict_proba(probe), loaded.predict_proba(probe))
    assert pipeline.explain(loaded, TEXTS[2]) == pipeline.explain(classifier, TEXTS[2])


def test_actor_sentiment_round_trip_gives_identical_predictions(sentiment_model):
    loaded = persistence.load(persistence.dump(sentiment_model))
    assert actor_sentiment.predict(loaded, records()) == actor_sentiment.predict(
        sentiment_model, records()
    )


def test_artifacts_are_compressed(classifier):
    with zipfile.ZipFile(io.BytesIO(persistence.dump(classifier))) as z:
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in z.infolist())


def test_the_trusted_list_is_what_fresh_pipelines_need(classifier, sentiment_model):
    needed = set()
    for model in (classifier, sentiment_model):
        needed.update(sio.get_untrusted_types(data=persistence.dump(model)))
    assert needed == persistence.TRUSTED_TYPES


def not_ours(x):
    return x


class Sneaky(FunctionTransformer):
    pass


@pytest.mark.parametrize(
    ("step", "named"),
    [
        (FunctionTransformer(not_ours), "test_persistence.not_ours"),
        (FunctionTransformer(json.loads), "json.loads"),
        (Sneaky(), "test_persistence.Sneaky"),
    ],
)
def test_load_refuses_an_artifact_with_an_untrusted_type(step, named):
    evil = Pipeline([("prep", step), ("clf", LogisticRegression())])  # unfitted will do
    with pytest.raises(persistence.UntrustedArtifactError, match=named):
        persistence.load(sio.dumps(evil))


def test_load_refuses_a_model_the_app_never_builds():
    other = Pipeline([("clf", DummyClassifier())]).fit([[0], [1]], ["news", "opinion"])
    with pytest.raises(persistence.UntrustedArtifactError, match="DummyClassifier"):
        persistence.load(sio.dumps(other))


def test_load_refuses_garbage_and_non_pipelines():
    with pytest.raises(persistence.UntrustedArtifactError, match="not a skops artifact"):
        persistence.load(b"definitely not a zip file")
    with pytest.raises(persistence.UntrustedArtifactError, match="not a Pipeline"):
        persistence.load(sio.dumps({"a": [1, 2]}))
    with pytest.raises(TypeError):
        persistence.load("a string")
    with pytest.raises(TypeError):
        persistence.dump(LogisticRegression())
