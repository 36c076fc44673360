"""Build / train / predict / explain on tiny inline data (pure, no Django)."""

import copy
import io
import math
import time
from functools import partial

import numpy as np
import pytest

from stance import persistence, voice
from stance import pipeline as sp
from stance.text import CUE_NAMES, Attributed, analyse
from stance.voice import attributed
from tests.cost import linear

NEWS = [
    "The council voted 9-4 to approve the rates increase on Tuesday night.",
    "Police said the death was not being treated as suspicious.",
    "The minister announced the new funding at a press conference in Wellington.",
    "Mr Carter was expelled from the party after a six-hour meeting yesterday.",
    "Volunteers planted 12,000 native seedlings along the river on Sunday.",
    '"This is a disgrace and an insult to every family," the mayor said.',
    '"It is utterly absurd, frankly ridiculous," Ms Rewiti told reporters.',
    "The opposition leader said the budget was a cynical and shameful betrayal.",
    '"We are furious, absolutely furious," said the union secretary.',
    "According to the report, the scheme cost $42 million in 2021.",
    "Both leaders are expected to hold a joint press conference on Friday.",
    'He said: "I think the decision is a terrible mistake and I am angry."',
    "The company reported a 4 per cent rise in quarterly profit.",
    '"Frankly, it is a ridiculous over reaction," Mr Carter said.',
    "Residents were evacuated from 40 homes after the river burst its banks.",
]
OPINION = [
    "This budget is a cynical betrayal, and we should all be ashamed of it.",
    "Surely it is time the council admitted its mistake?",
    "I think the minister has made a terrible, shameful decision.",
    "Carter certainly has a funny way of displaying loyalty to the party.",
    "What other interpretation can there be? The plan is absurd.",
    "We must stop pretending that this scheme will ever work.",
    "The timing is hardly propitious, and the excuses are frankly ridiculous.",
    "Let us be honest: the so-called reform is a disgrace.",
    "Perhaps the mayor should spend less time on slogans and more on pipes.",
    "It is hard to see how anyone could defend such a reckless policy.",
    "Our politicians are utterly out of touch, and it shows.",
    "Nobody should be fooled by this shameless publicity stunt.",
    "The government would be wise to listen, but of course it will not.",
    "This is, quite simply, the worst decision the council has ever made.",
    "Why should ordinary families pay for the minister's blunder?",
]
TEXTS = NEWS + OPINION
LABELS = ["news"] * len(NEWS) + ["opinion"] * len(OPINION)


@pytest.fixture(scope="module")
def trained():
    return sp.train(TEXTS, LABELS, sources={"inline": len(TEXTS)}, cv=3)


@pytest.fixture(scope="module")
def model(trained):
    return trained.pipeline


def p_opinion(model, text):
    return sp.predict(model, [text])[0].p_opinion


# --- train / predict ------------------------------------------------------------------------


def test_pipeline_has_named_steps():
    pipe = sp.build_pipeline()
    assert [name for name, _ in pipe.steps] == ["prep", "features", "clf"]
    assert pipe.get_params()["clf__class_weight"] == "balanced"
    assert sp.build_pipeline(clf__C=0.5).get_params()["clf__C"] == 0.5


def test_train_result_shape(trained):
    m = trained.metrics
    assert m["n"] == len(TEXTS)
    assert set(m["per_class"]) == set(sp.LABELS)
    assert len(m["confusion"]) == 2 and sum(map(sum, m["confusion"])) == len(TEXTS)
    # Cross-validated predictions of every text: the macro F1 is the confusion matrix's.
    (nn, no), (on, oo) = m["confusion"]
    f1_news, f1_opinion = 2 * nn / (2 * nn + no + on), 2 * oo / (2 * oo + on + no)
    assert m["macro_f1"] == pytest.approx((f1_news + f1_opinion) / 2)
    assert m["per_class"]["news"]["f1"] == pytest.approx(f1_news)
    assert "sklearn_version" in m
    s = trained.training_summary
    assert s["n"] == 30 and s["per_class"] == {"news": 15, "opinion": 15}
    assert s["sources"] == {"inline": 30}
    assert trained.params["clf__class_weight"] == "balanced"
    import json

    json.dumps(trained.params)  # plain JSON


def test_train_reports_its_own_wall_time():
    started = time.perf_counter()
    result = sp.train(TEXTS, LABELS, cv=2)
    elapsed = time.perf_counter() - started
    # The whole fit (cross-validation included), not a part of it, nor another unit.
    assert elapsed / 2 < result.seconds <= elapsed


def test_news_paragraphs_lend_their_sentences_as_news_examples():
    texts = [
        "The council met on Monday. It voted 7-2 to raise rates. Mr. Smith abstained.",
        "The pool shut.",  # one sentence: nothing to add
        "This is absurd. I think it is shameful.",  # opinion: its sentences are not all opinion
        "The bridge opened in 1932. It carries 20,000 cars a day.",
    ]
    labels = ["news", "news", "opinion", "news"]
    extra, origin = sp.sentence_examples(texts, labels)
    assert extra == [
        "The council met on Monday.",
        "It voted 7-2 to raise rates.",
        "Mr. Smith abstained.",
        "The bridge opened in 1932.",
        "It carries 20,000 cars a day.",
    ]
    assert origin == [0, 0, 0, 3, 3]
    assert sp.sentence_examples(texts, labels, limit=2)[0] == extra[:2]


def test_cross_validation_scores_the_rows_given_not_their_sentences(trained):
    # the training texts have several sentences each; the metrics count the texts only
    assert trained.metrics["n"] == len(TEXTS)
    assert trained.training_summary["sentence_examples"] == len(
        sp.sentence_examples(TEXTS, LABELS)[0]
    )


def test_predicts_obvious_cases(model):
    preds = sp.predict(
        model,
        [
            "The council voted on Tuesday to approve the new library budget.",
            "Surely we must admit this shameful policy is absurd?",
        ],
    )
    assert [p.label for p in preds] == ["news", "opinion"]
    assert preds[0].p_opinion < 0.5 < preds[1].p_opinion
    assert sp.predict(model, []) == []


def test_analyse_texts_rows_are_the_analyses():
    texts = [*TEXTS, "", 'He said: "No."', 42]
    rows = sp.analyse_texts(iter(texts))  # any iterable; non-strings are str()-ed
    assert rows.shape == (len(texts), 5) and rows.dtype == object
    for row, text in zip(rows, texts, strict=True):
        a = analyse(attributed(str(text)))  # a plain text is read on its own
        assert list(row) == [a.text, a.author, a.author_tokens, a.tokens, a.cues]
        assert isinstance(row[2], list) and isinstance(row[4], tuple)
    assert sp.analyse_texts([]).shape == (0, 5)


def test_a_plain_text_is_masked_as_attribution_reads_it_and_an_attributed_one_as_given():
    text = "Police said the death was not being treated as suspicious."
    (row,) = sp.analyse_texts([text])
    assert "suspicious" not in row[2] and "_reported_" in row[2]
    (row,) = sp.analyse_texts([Attributed(text)])  # attribution read elsewhere: nothing
    assert "suspicious" in row[2]


def test_cue_matrix_is_exactly_the_cue_tuples():
    rows = sp.analyse_texts(TEXTS)
    plain = np.asarray([list(cues) for cues in rows[:, 4]], dtype=np.float64)
    m = sp.cue_matrix(rows)
    assert m.dtype == np.float64 and m.flags.writeable
    assert np.array_equal(m, plain)
    keep = [i for i, n in enumerate(CUE_NAMES) if n not in sp.MODEL_EXCLUDED_CUES]
    m = sp.cue_matrix(rows, exclude=sp.MODEL_EXCLUDED_CUES)
    assert np.array_equal(m, plain[:, keep])
    assert sp.cue_matrix(rows[:0], exclude=sp.MODEL_EXCLUDED_CUES).shape == (0, len(keep))


def test_train_rejects_bad_labels():
    with pytest.raises(ValueError, match="unknown labels"):
        sp.train(["a", "b"], ["news", "editorial"])


# --- whose voice ----------------------------------------------------------------------------

OWN = "This is a shameful, cynical betrayal and we should all be furious."
QUOTED = '"This is a shameful, cynical betrayal and we should all be furious," the mayor said.'


def test_quoted_opinion_scores_lower_than_the_same_words_in_the_authors_voice(model):
    own, quoted = p_opinion(model, OWN), p_opinion(model, QUOTED)
    assert own > 0.5 > quoted
    assert own - quoted > 0.3


def test_the_quote_test_can_fail_without_voice_features():
    """Control: the same data with plain word features on the raw text and no voice cues sees
    the quoted words as opinion words: the gap shrinks, so the test above measures something."""
    control = sp.build_pipeline(
        features__words__select__kw_args={"column": "raw"},
        features__words__tfidf__analyzer="word",
        features__words__tfidf__min_df=1,
        features__cues="drop",
    ).fit(TEXTS, LABELS)
    ours = sp.build_pipeline().fit(TEXTS, LABELS)
    gap_control = p_opinion(control, OWN) - p_opinion(control, QUOTED)
    gap_ours = p_opinion(ours, OWN) - p_opinion(ours, QUOTED)
    assert gap_ours > gap_control + 0.2


# --- cost -----------------------------------------------------------------------------------


@pytest.mark.parametrize("step", ["read", "explain"])
def test_one_long_paragraph_is_read_and_explained_in_time_linear_in_its_length(model, step):
    """Issue 14, finding 1: a paragraph's cost grew with the square of its length. The
    classifier's reading (what a refresh of predictions runs) and its explanation ("Why?")
    of eight times the text must cost about eight times the CPU, not sixty-four."""
    run = {"read": lambda text: sp.read_rows(model, [text]), "explain": partial(sp.explain, model)}
    linear(run[step], 10_000, 80_000)


# --- explain --------------------------------------------------------------------------------


def test_explain_cues_signs_and_quoted_spans(model):
    text = '"It is a disgrace," the mayor said. Surely the council should be ashamed?'
    ex = sp.explain(model, text, top=8)
    assert ex.label in sp.LABELS
    assert ex.quoted_spans == ((0, 19),)
    assert text[slice(*ex.quoted_spans[0])] == '"It is a disgrace,"'
    assert 0 < len(ex.cues) <= 8
    weights = [abs(c.weight) for c in ex.cues]
    assert weights == sorted(weights, reverse=True)
    assert all(c.description for c in ex.cues)
    by_name = {c.name: c for c in sp.explain(model, text, top=200).cues}
    assert by_name["question"].weight > 0  # rhetorical question pushes to opinion
    assert by_name["quote_share"].weight < 0  # share of quoted text pushes to news
    # the whole text's embedding counts as one cue
    assert by_name["meaning"].description == sp.MEANING_DESCRIPTION


def test_explain_contributions_add_up_to_the_logit(model):
    text = "I think the mayor's so-called plan is a shameful mess, Mr Smith said."
    ex = sp.explain(model, text, top=10_000)
    clf = model.named_steps["clf"]
    logit = float(clf.intercept_[0]) + sum(c.weight for c in ex.cues)
    assert math.isclose(1 / (1 + math.exp(-logit)), ex.p_opinion, abs_tol=1e-6)


def test_explain_readable_word_cues(model):
    ex = sp.explain(model, "Surely this policy should be scrapped.", top=200)
    by_description = {c.description: c.weight for c in ex.cues}
    assert by_description["word 'should'"] > 0
    ex = sp.explain(model, "The mayor said the vote was held on Tuesday.", top=200)
    assert any(c.description == "attribution: said" for c in ex.cues)


# --- read_labelled_tsv ----------------------------------------------------------------------


def test_read_labelled_tsv_reads_literal_quotes():
    data = 'id\ttext\tlabel\na1\t"Hi," he said. \'Quoted\'\tnews\na2\tIt is "absurd".\topinion\n'
    rows = sp.read_labelled_tsv(io.StringIO(data))
    assert rows == [
        ("a1", "\"Hi,\" he said. 'Quoted'", "news"),
        ("a2", 'It is "absurd".', "opinion"),
    ]


def test_read_labelled_tsv_undoes_csv_quoting_leftovers():
    data = (
        "id\ttext\tlabel\n"
        'a\t"""I was just drowning."""\tnews\n'
        'b\t"the ""quit rate"" fell"\tnews\n'
        'c\t"It is absurd," she said. "Truly."\tnews\n'
    )
    rows = sp.read_labelled_tsv(io.StringIO(data))
    assert [t for _, t, _ in rows] == [
        '"I was just drowning."',
        'the "quit rate" fell',
        '"It is absurd," she said. "Truly."',  # real quotes, not CSV quoting: untouched
    ]
    raw = sp.read_labelled_tsv(io.StringIO(data), unescape_csv_quotes=False)
    assert raw[0][1] == '"""I was just drowning."""'


def test_read_labelled_tsv_from_path(tmp_path):
    path = tmp_path / "x.tsv"
    path.write_text("id\ttext\tlabel\nx\tSome text.\tnews\n", encoding="utf-8")
    assert sp.read_labelled_tsv(path) == [("x", "Some text.", "news")]
    assert sp.read_labelled_tsv(str(path)) == [("x", "Some text.", "news")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("identifier\ttext\tlabel\n", "line 1"),
        ("", "line 1"),
        ("id\ttext\tlabel\na\tok\tnews\nb\tno label here\n", "line 3"),
        ("id\ttext\tlabel\na\tok\tnews\nb\tx\tnews\textra\n", "line 3"),
        ("id\ttext\tlabel\na\tok\tnews\nb\tfine text\tOBJ\n", "line 3.*OBJ"),
        ("id\ttext\tlabel\n\tmissing id\tnews\n", "line 2"),
    ],
)
def test_read_labelled_tsv_errors_name_the_line(data, message):
    with pytest.raises(ValueError, match=message):
        sp.read_labelled_tsv(io.StringIO(data))


# --- a version's own calibration ------------------------------------------------------------

# straight news articles of several paragraphs: every sentence news
KNOWN_NEWS = [
    [NEWS[i % len(NEWS)], NEWS[(i + 3) % len(NEWS)], NEWS[(i + 7) % len(NEWS)]]
    for i in range(sp.MIN_KNOWN_NEWS_ARTICLES)
]


@pytest.fixture(scope="module")
def calibrated():
    pieces = [f"piece-{i // 3}" for i in range(len(TEXTS))]
    return sp.train(TEXTS, LABELS, pieces=pieces, news_articles=KNOWN_NEWS, cv=3)


def test_a_version_fits_its_own_calibration_on_its_training_data(calibrated):
    own = sp.calibration_of(calibrated.pipeline)
    assert own != voice.DEFAULT_CALIBRATION
    assert calibrated.params["voice_calibration"] == own.as_json()
    assert calibrated.training_summary["known_news_articles"] == len(KNOWN_NEWS)
    # every sentence of the known news and of the cross-validated pieces is a row
    assert calibrated.training_summary["calibration_sentences"] > len(TEXTS)
    assert own.sentence > 0 and 0 < own.threshold < 1


def test_without_known_news_a_version_keeps_the_default_calibration(trained):
    assert sp.calibration_of(trained.pipeline) == voice.DEFAULT_CALIBRATION
    assert trained.params["voice_calibration"] == voice.DEFAULT_CALIBRATION.as_json()


def test_the_calibration_is_stored_in_the_artifact(calibrated):
    loaded = persistence.load(persistence.dump(calibrated.pipeline))
    assert sp.calibration_of(loaded) == sp.calibration_of(calibrated.pipeline)
    assert sp.calibration_of(sp.build_pipeline()) == voice.DEFAULT_CALIBRATION  # none stored


def test_reading_with_a_version_applies_its_calibration(trained):
    model = copy.deepcopy(trained.pipeline)
    text = "The council voted on Monday. We should all be ashamed of this shameful plan."
    model.voice_calibration_ = voice.Calibration(threshold=0.0).as_json()
    (everything,) = sp.read_rows(model, [text])
    assert [s.label for s in everything.sentences] == ["opinion", "opinion"]
    model.voice_calibration_ = voice.Calibration(threshold=1.0).as_json()
    (nothing,) = sp.read_articles(model, [[text]])[0]
    assert [s.label for s in nothing.sentences] == ["news", "news"]


def test_a_calibration_round_trips_and_anything_else_reads_as_the_default():
    cal = voice.Calibration(sentence=0.4, neighbours=0.2, article=0.8, bias=-1.0, threshold=0.3)
    assert voice.Calibration.from_json(cal.as_json()) == cal
    for bad in (None, "x", {"sentence": "many"}, {"unknown": 1.0}, [1, 2]):
        assert voice.Calibration.from_json(bad) == voice.DEFAULT_CALIBRATION


def test_starter_ids_group_rows_into_pieces_and_other_rows_stand_alone():
    assert sp.piece_key("courts-wire-043") == "courts-wire"
    for row_id in ("paragraph-12", "b9e1635a-72aa-467f-86d6-f56ef09f62c3", "x"):
        assert sp.piece_key(row_id) == row_id


def test_a_piece_is_attributed_as_one_article():
    # a statement heading makes the next paragraph someone else's words, in its piece only
    texts = ["Labour Party statement:", "The party has decided to expel him. It was right."]
    together = sp.attributed_rows(texts, [[0, 1]])[1]
    assert together.spans == [(0, len(texts[1]) - 1)]
    assert sp.attributed_rows(texts, [[0], [1]])[1].spans == []
