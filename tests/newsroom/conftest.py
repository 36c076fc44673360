import pytest

from tests.factories import make_outlet, make_story


@pytest.fixture
def story(db):
    return make_story()


@pytest.fixture
def outlet(db):
    return make_outlet()
