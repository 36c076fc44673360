import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection

from newsroom import roles
from tests.factories import NEWS, OPINION, make_user, write_tsv


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    # Rendered comparisons are cached by ids, which a rolled-back test database reuses.
    cache.clear()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def editor(db):
    return make_user("ed", roles.EDITORS)


@pytest.fixture
def data_lead(db):
    return make_user("lead", roles.DATA_LEADS)


@pytest.fixture
def admin_user(db):
    user = make_user("boss", roles.ADMINS)
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def admin_client_(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def role_groups(db):
    roles.sync_roles()
    return {group.name: group for group in Group.objects.all()}


@pytest.fixture
def tiny_corpus(settings, tmp_path):
    """A few dozen inline paragraphs as the starter corpus, so training takes a second."""
    rows = [(t, "news") for t in NEWS] + [(t, "opinion") for t in OPINION]
    settings.STANCE_STARTER_CORPUS = write_tsv(tmp_path / "starter.tsv", rows)
    return settings.STANCE_STARTER_CORPUS


@pytest.fixture
def active_classifier(db, tiny_corpus):
    from stance.services.versions import model_train

    return model_train(activate=True)


@pytest.fixture
def row_locks():
    """Skips a test of concurrent writers on SQLite, which serialises them (the in-memory test
    database locks whole tables): it runs on PostgreSQL, whose row locks it is about. Ask for
    it first, before fixtures that cost time."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL's row locks")
