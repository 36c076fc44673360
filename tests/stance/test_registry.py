"""stance.registry: the active version, loaded once per process per version."""

import pytest

from stance import registry
from stance.models import ModelVersion
from stance.services.versions import model_train

pytestmark = pytest.mark.django_db


def test_each_process_notices_a_newly_activated_version(tiny_corpus):
    v1 = model_train(activate=True)
    assert registry.active_classifier()[0].pk == v1.pk
    v2 = model_train()
    ModelVersion.objects.filter(pk=v1.pk).update(is_active=False)  # as another process would
    ModelVersion.objects.filter(pk=v2.pk).update(is_active=True)
    version, model = registry.active_classifier()
    assert version.pk == v2.pk
    assert model is registry.pipeline_for(v2)
