"""Which model version is active, and its loaded pipeline, cached per process.

The artifact lives in the database so every app server and worker loads the same
version. Each process keeps the pipelines it has loaded, keyed by version id (an
artifact never changes once stored), and asks the database which version is active
on every use, so activating a version elsewhere is noticed by the next request.
"""

from functools import lru_cache

from sklearn.pipeline import Pipeline

from stance import persistence
from stance.models import ModelVersion


class NoActiveModel(LookupError):
    """No version of this kind is active yet (run `manage.py train_classifier --activate`)."""


def active_version(kind: str = ModelVersion.Kind.CLASSIFIER) -> ModelVersion:
    version = ModelVersion.objects.without_artifact().active(kind)
    if version is None:
        raise NoActiveModel(f"No active {kind} model: run `manage.py train_classifier --activate`.")
    return version


def active_classifier() -> tuple[ModelVersion, Pipeline]:
    version = active_version(ModelVersion.Kind.CLASSIFIER)
    return version, pipeline_for(version)


def active_actor_sentiment() -> tuple[ModelVersion, Pipeline] | None:
    """The active trained actor-sentiment model, or None: then the rule-based default scores."""
    version = ModelVersion.objects.without_artifact().active(ModelVersion.Kind.ACTOR_SENTIMENT)
    return None if version is None else (version, pipeline_for(version))


def pipeline_for(version: ModelVersion) -> Pipeline:
    return _load(version.pk, version.artifact_sha256)


@lru_cache(maxsize=4)
def _load(version_id: int, sha256: str) -> Pipeline:
    artifact = ModelVersion.objects.values_list("artifact", flat=True).get(pk=version_id)
    return persistence.load(bytes(artifact))
