"""A fixed-seed subset of bench/fuzz_inputs.py: hostile training sets, notes and review posts.

On PostgreSQL too (CI runs both), where a NUL byte is what the database refuses.
"""

import random

import pytest

from newsroom import ingest
from newsroom.services import ArticleDraft, article_upload
from tests.factories import make_outlet, make_story
from tests.stance.inputs_fuzz import FORMULA_PARAGRAPHS, InputsFuzzer, Summary, import_cases

pytestmark = pytest.mark.django_db

CAP = 256 * 1024


@pytest.fixture
def fuzzer(client, data_lead, editor, settings):
    from django.test import Client

    settings.STANCE_TRAINING_SET_MAX_BYTES = CAP
    settings.REQUEST_MAX_BYTES_BY_VIEW = {
        **settings.REQUEST_MAX_BYTES_BY_VIEW,
        "training-set-import": CAP + 1024 * 1024,
    }
    draft = ArticleDraft(
        document=ingest.ingest_text(FORMULA_PARAGRAPHS), source="pasted text", headline="Wharf"
    )
    (article,) = article_upload(story=make_story(), outlet=make_outlet(), drafts=[draft])
    lead = Client()
    lead.force_login(data_lead)
    client.force_login(editor)
    return InputsFuzzer(lead, client, list(article.paragraphs.values_list("pk", flat=True)))


def test_hostile_inputs_get_answers_never_500s_and_the_export_no_formula(fuzzer):
    summary = Summary()
    for case in import_cases(14, 35, cap=CAP):
        summary.add(fuzzer.run_import(case))
    rng = random.Random(14)
    for number in range(90):
        summary.add(fuzzer.run_label(rng, number))
        if number % 3 == 0:
            summary.add(fuzzer.run_review(rng))
    fuzzer.check_export(summary)
    assert summary.server_errors == 0, summary.table()
    assert summary.failed == [], summary.table()
    assert summary.unescaped_formulas == [], summary.unescaped_formulas
    # The cases did reach the app: some accepted, some refused, labels exported.
    assert 0 < sum(o.accepted for o in summary.outcomes) < len(summary.outcomes)
    assert summary.export_cells > 12 * 5
