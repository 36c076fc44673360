"""Whose voice, sentence by sentence (stance.voice, pure): roles, context, paragraph verdicts,
shares and calibration."""

from pathlib import Path

import pytest
from django.conf import settings

from stance import pipeline as sp
from stance import voice
from stance.voice import ATTRIBUTED, AUTHOR, STRUCTURE, Calibration, Sentence

SEED = Path(__file__).resolve().parents[2] / "newsroom" / "seed" / "goff-carter"
# the identity: a sentence's probability is the classifier's score of the sentence alone
PLAIN = Calibration(sentence=1.0, threshold=0.5)


def seed(name: str) -> list[str]:
    return [p for p in (SEED / f"{name}.txt").read_text().split("\n") if p.strip()]


def always(p: float):
    return lambda texts: [p] * len(texts)


def by_word(word: str):
    """A stand-in classifier: opinion exactly when the text contains ``word``."""
    return lambda texts: [0.95 if word in t.lower() else 0.05 for t in texts]


def roles(paragraphs, **kw):
    return [
        [(p[s.start : s.end], s.role) for s in v.sentences]
        for p, v in zip(paragraphs, voice.read(paragraphs, always(0.9), **kw), strict=True)
    ]


def test_attributed_words_are_news_whatever_their_tone():
    paragraphs = [
        '"It is a ridiculous, shameful overreaction," Mr Carter said.',
        "Mr Goff said the decision was utterly unacceptable and petty.",
        "The council met on Monday.",
    ]
    # a classifier that calls everything opinion: only the author's own sentence can be
    got = voice.read(paragraphs, always(0.99), calibration=PLAIN)
    assert [v.sentences[0].role for v in got] == [ATTRIBUTED, ATTRIBUTED, AUTHOR]
    assert [v.label for v in got] == ["news", "news", "opinion"]
    assert got[0].sentences[0].p_opinion == 0.0


def test_the_seed_reports_statement_and_reported_speech_are_attributed():
    paragraphs = seed("herald-report")
    got = voice.read(paragraphs, always(0.99), calibration=PLAIN)
    start = paragraphs.index("Labour Party statement:")
    statement = got[start + 1 :]
    assert statement and all(s.role != AUTHOR for v in statement for s in v.sentences)
    reported = paragraphs.index(
        'He said Mr Carter had never shown any contrition for his "utterly unacceptable" actions.'
    )
    assert [s.role for s in got[reported].sentences] == [ATTRIBUTED]


def test_headings_question_subheads_and_credit_lines_are_structure():
    paragraphs = [
        "Key: Labour not happy team",
        "The council met on Monday and voted to close the pool.",
        "What Happens To The Pool Now?",
        "Why does it matter?",
        "The pool will close in June, and a new one will open in 2028.",
        "- With NZPA",
        "Reporting by Jane Smith; editing by Tom Jones",
        "Sign up for our morning newsletter to get the news in your inbox.",
        "Follow her on Twitter at @janesmith.",
        "Ernie Helton.",  # a letter's signature
        "The Facts.",  # a section label
        "It failed.",  # a sentence, not a label
    ]
    got = voice.read(paragraphs, always(0.99), calibration=PLAIN)
    assert [v.sentences[0].role for v in got] == [
        STRUCTURE,
        AUTHOR,
        STRUCTURE,
        STRUCTURE,
        AUTHOR,
        STRUCTURE,
        STRUCTURE,
        STRUCTURE,
        STRUCTURE,
        STRUCTURE,
        STRUCTURE,
        AUTHOR,
    ]
    # structure counts no words and is never opinion
    assert got[0].words == 0 and got[0].label == "news" and got[0].p_opinion == 0.0
    assert voice.opinion_share(got) == 1.0  # the three author sentences, and nothing else


def test_an_authors_biography_at_the_foot_is_structure():
    paragraphs = [
        "The council met on Monday and voted to close the pool.",
        "Jane Smith is a senior writer at the Gazette.",
        "Her new book, Pools, is available from Penguin.",
    ]
    assert [r for p in roles(paragraphs) for _, r in p] == [AUTHOR, STRUCTURE, STRUCTURE]
    # the same sentence at the top of a report is the report's
    top = ["Jane Smith is a senior writer at the Gazette.", "x.", "y.", "z."]
    assert roles(top)[0][0][1] == AUTHOR


def test_the_authors_own_beliefs_are_not_attributed():
    paragraphs = [
        "Frankly, I think this is an absurd and shameful decision.",
        "We believe the council is wrong.",
        "Critics believe the council is wrong.",
    ]
    assert [r for p in roles(paragraphs) for _, r in p] == [AUTHOR, AUTHOR, ATTRIBUTED]


def test_a_rhetorical_question_inside_a_paragraph_is_the_authors():
    paragraphs = ["What other interpretation can be given to this than a coup? None at all."]
    assert [r for _, r in roles(paragraphs)[0]] == [AUTHOR, AUTHOR]


def test_a_paragraph_takes_its_label_and_probability_from_its_sentences():
    s = [
        Sentence(0, 10, 6, AUTHOR, 0.9, "opinion"),
        Sentence(11, 20, 4, AUTHOR, 0.2, "news"),
        Sentence(21, 30, 5, STRUCTURE, 0.0, "news"),
    ]
    v = voice.paragraph_verdict(s, 0.5)
    assert (v.words, v.opinion_words, v.label) == (10, 6, "opinion")  # 6 of 10 words
    assert v.p_opinion == pytest.approx((6 * 0.9 + 4 * 0.2) / 10)
    assert v.p_calibrated == pytest.approx(v.p_opinion)
    # with a lower threshold the probability is centred on it; the calibrated mean stays
    low = voice.paragraph_verdict([Sentence(0, 10, 6, AUTHOR, 0.3, "news")], 0.3)
    assert low.p_opinion == pytest.approx(0.5) and low.p_calibrated == pytest.approx(0.3)
    v = voice.paragraph_verdict([s[0], Sentence(11, 40, 7, ATTRIBUTED, 0.0)], 0.5)
    assert (v.opinion_words, v.label) == (6, "news")  # 6 of 13 words: under half
    v = voice.paragraph_verdict([s[2]])
    assert (v.words, v.label, v.p_opinion) == (0, "news", 0.0)


def test_one_long_block_gets_a_share_from_its_sentences():
    block = " ".join(
        [
            "The council voted on Monday to close the pool.",
            "It will shut in June.",
            "Frankly, this is a disgrace.",
            "Staff will be redeployed.",
        ]
    )
    (v,) = voice.read([block], by_word("disgrace"), calibration=PLAIN)
    assert len(v.sentences) == 4
    assert voice.opinion_share([v]) == pytest.approx(5 / 23)
    assert v.label == "news"


def test_context_moves_a_sentence_toward_its_articles_voice():
    calibration = Calibration(sentence=0.5, neighbours=0.2, article=0.6, bias=-1.0)
    column = ["It is a disgrace.", "It is a disgrace.", "It is a disgrace. The pool shut."]
    report = ["The pool shut.", "The pool shut.", "The pool shut. It is a disgrace."]
    col = voice.read(column, by_word("disgrace"), calibration=calibration)
    rep = voice.read(report, by_word("disgrace"), calibration=calibration)
    # the same sentences, read in opposite contexts
    assert col[2].sentences[1].p_opinion > rep[0].sentences[0].p_opinion
    assert col[0].sentences[0].p_opinion > rep[2].sentences[1].p_opinion


def test_calibration_combines_logits():
    cal = Calibration(sentence=1.0, paragraph=0.5, neighbours=0.25, article=0.5, bias=-1.0)
    assert cal.p(0.0, 0.0, 0.0, 0.0) == pytest.approx(1 / (1 + 2.718281828459045))
    assert cal.p(2.0, 0.0, 0.0, 0.0) > cal.p(1.0, 0.0, 0.0, 0.0)
    assert cal.p(0.0, 0.0, 0.0, 4.0) == pytest.approx(cal.p(2.0, 0.0, 0.0, 0.0))
    # a one-sentence piece: every logit is the sentence's own
    (v,) = voice.read_rows(["The pool shut."], always(0.5), calibration=cal)
    assert v.sentences[0].p_opinion == pytest.approx(cal.p(0.0, 0.0, 0.0, 0.0))


def test_the_default_calibration_is_a_probability_with_a_threshold_below_even():
    cal = voice.DEFAULT_CALIBRATION
    assert 0 < cal.threshold <= 0.5
    assert cal.sentence > 0 and cal.bias < 0  # hard news is the common case
    for z in (-8.0, 0.0, 8.0):
        assert 0.0 < cal.p(z, z, z, z) < 1.0


def test_sentences_round_trip_through_json_and_bad_rows_are_skipped():
    v = voice.read(["The pool shut. It is a disgrace."], by_word("disgrace"))[0]
    rows = v.as_json()
    assert voice.sentences_from_json(rows) == tuple(
        Sentence(s.start, s.end, s.words, s.role, round(s.p_opinion, 4), s.label)
        for s in v.sentences
    )
    assert voice.sentences_from_json([[1, 2], "x", None, [0, 5, 1, AUTHOR, 0.5, "news"]]) == (
        Sentence(0, 5, 1, AUTHOR, 0.5, "news"),
    )
    assert voice.sentences_from_json(None) == ()


def test_few_sentences_are_flagged():
    assert voice.few_sentences(3) and not voice.few_sentences(voice.FEW_SENTENCES)


@pytest.fixture(scope="module")
def default_model():
    rows = sp.read_labelled_tsv(settings.STANCE_STARTER_CORPUS)
    return sp.build_pipeline().fit([r[1] for r in rows], [r[2] for r in rows])


def test_the_seed_pieces_come_out_as_their_genres(default_model):
    def proba(texts):
        return sp.predict_proba(default_model, texts)

    report = voice.read(seed("herald-report"), proba)
    column = voice.read(seed("armstrong-column"), proba)
    assert voice.opinion_share(report) <= 0.10
    assert voice.opinion_share(column) >= 0.80
    # the column's rhetorical question and its judgements are the author's opinion
    paragraphs = seed("armstrong-column")
    opinion = {
        p[s.start : s.end]
        for p, v in zip(paragraphs, column, strict=True)
        for s in v.sentences
        if s.is_opinion
    }
    assert any(s.startswith("What other interpretation can be given") for s in opinion)
    assert any(s.startswith("It is hard to see how Goff stood to benefit") for s in opinion)


def test_an_impersonal_generalisation_is_the_authors_own_claim():
    paragraphs = [
        "Everyone knows the scheme is doomed.",
        "Nobody believes the minister any more.",
        "The minister said the scheme is doomed.",
    ]
    got = roles(paragraphs)
    assert [r[0][1] for r in got] == [AUTHOR, AUTHOR, ATTRIBUTED]
