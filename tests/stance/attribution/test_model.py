"""stance.attribution.model: the tokens, paragraphs and span helpers every attribution module
shares, and the public Attribution record. Sentences written for these tests."""

import pytest

from stance.attribution.model import (
    Attribution,
    Found,
    inside,
    paragraph_spans,
    quote_kind,
    read_paragraph,
    tokenize,
    trim,
    within,
    word_count,
)


def words(text: str) -> list[str]:
    return [t.text for t in tokenize(text, 0)]


def whole(text: str):
    """``text`` read as one paragraph."""
    return read_paragraph(text, 0, 0, len(text))


# --- tokenize -------------------------------------------------------------------------


def test_a_title_and_an_initialism_keep_their_periods():
    text = "Dr. Osei said the U.S. offer was late."
    assert words(text) == ["Dr.", "Osei", "said", "the", "U.S.", "offer", "was", "late", "."]


def test_an_initial_before_a_name_keeps_its_period():
    assert words("Sen. J. Alvarez spoke") == ["Sen.", "J.", "Alvarez", "spoke"]


def test_a_state_abbreviation_in_a_party_tag_is_one_token():
    text = "Rep. Dana Cole (D-Calif.) voted no."
    assert words(text) == ["Rep.", "Dana", "Cole", "(", "D-Calif.", ")", "voted", "no", "."]


def test_apostrophes_stay_inside_words_and_a_plural_possessive_keeps_its_own():
    text = "The teachers' union won't sign it's deal."
    assert words(text) == ["The", "teachers'", "union", "won't", "sign", "it's", "deal", "."]


def test_hyphenated_words_are_one_token():
    assert words("a state-owned port") == ["a", "state-owned", "port"]


def test_tokens_carry_article_offsets_and_a_lowercase_form_with_plain_apostrophes():
    (first, second) = tokenize("Don\u2019t wait", 100)
    assert (first.start, first.end, first.text, first.low) == (100, 105, "Don\u2019t", "don't")
    assert (second.start, second.end) == (106, 110)


# --- paragraph_spans ------------------------------------------------------------------


def test_paragraphs_are_blocks_between_blank_lines_and_blank_ones_are_skipped():
    text = "The port reopened.\n\nShips queued overnight.\n \t\n\n\nTrade resumed.\n\n"
    spans = paragraph_spans(text)
    assert [text[s:e] for s, e in spans] == [
        "The port reopened.",
        "Ships queued overnight.",
        "Trade resumed.",
    ]


def test_a_single_line_break_does_not_end_a_paragraph():
    text = "CHAIR: Order.\nMEMBER: Point of order."
    assert paragraph_spans(text) == [(0, len(text))]


def test_a_text_of_nothing_but_space_has_no_paragraphs():
    assert paragraph_spans("  \n\n \n") == []


# --- read_paragraph -------------------------------------------------------------------


def test_a_paragraph_is_read_with_article_offsets():
    text = "Dateline.\n\n\u201cWe are ready,\u201d the chief said."
    (_, (start, end)) = paragraph_spans(text)
    p = read_paragraph(text, 1, start, end)
    assert (p.index, p.start, p.end, p.text) == (1, 11, len(text), text[11:])
    assert [text[s:e] for s, e in p.quotes] == ["\u201cWe are ready,\u201d"]
    assert p.tokens[0].start == 11 and p.starts == [t.start for t in p.tokens]
    assert p.found == [] and not p.claimed


def test_a_paragraph_is_split_into_sentences():
    text = "The vote passed. Critics were unmoved. The mayor left early."
    p = whole(text)
    assert [text[s:e] for s, e in p.sentences] == [
        "The vote passed.",
        "Critics were unmoved.",
        "The mayor left early.",
    ]


def test_a_question_in_quotation_marks_and_its_tag_are_one_sentence():
    text = '"Who pays for this?" the treasurer asked. The room was silent.'
    p = whole(text)
    assert [text[s:e] for s, e in p.sentences] == [
        '"Who pays for this?" the treasurer asked.',
        "The room was silent.",
    ]
    text = '"Who pays for this?" Councillor Ruth Obi asked.'
    assert [text[s:e] for s, e in whole(text).sentences] == [text]


def test_a_question_in_quotation_marks_before_a_new_sentence_stays_apart():
    text = '"Who pays for this?" The question hung over the meeting.'
    p = whole(text)
    assert [text[s:e] for s, e in p.sentences] == [
        '"Who pays for this?"',
        "The question hung over the meeting.",
    ]


def test_a_sentence_that_only_mentions_a_speech_verb_is_no_tag():
    text = '"Who pays for this?" The treasurer did not answer.'
    p = whole(text)
    assert [text[s:e] for s, e in p.sentences] == [
        '"Who pays for this?"',
        "The treasurer did not answer.",
    ]


def test_a_speech_verb_with_a_clause_of_its_own_is_no_tag():
    for text in (
        '"Is the pool safe?" Engineers said last year that it was not.',
        '"Will the pool reopen?" Nobody asked the council.',
    ):
        first = text[: text.index("?") + 2]
        assert [text[s:e] for s, e in whole(text).sentences] == [first, text[len(first) + 1 :]]


def test_a_speaker_and_a_tag_verb_heading_a_sentence_are_the_tag():
    for text in (
        '"Why not?" Mr Lee asked reporters.',
        '"Is the pool safe?" Ms Okafor asked as she left the meeting.',
    ):
        assert [text[s:e] for s, e in whole(text).sentences] == [text]


def test_doubled_apostrophes_are_read_as_quotation_marks_without_moving_offsets():
    text = "''It is finished,'' the coach said after the loss."
    p = whole(text)
    assert len(p.text) == len(text)
    ((s, e),) = p.quotes
    assert p.text[s:e] == '"It is finished,"'
    assert text[p.tokens[-3].start : p.tokens[-3].end] == "the"


# --- trim, inside ---------------------------------------------------------------------


def test_trim_drops_surrounding_space_and_closing_punctuation_outside_a_quotation():
    text = "  the levy would be scrapped.  "
    s, e = trim(text, (0, len(text)))
    assert text[s:e] == "the levy would be scrapped"
    text = "We will not pay, " + '"Enough."'
    assert trim(text, (0, 17)) == (0, 15)
    assert trim(text, (17, len(text))) == (17, len(text))  # the quotation keeps its marks


def test_trim_of_nothing_but_space_is_empty():
    s, e = trim("   ", (0, 3))
    assert s == e


def test_inside_finds_the_span_holding_a_position():
    spans = [(0, 5), (10, 20), (30, 31)]
    assert inside(0, spans) == (0, 5)
    assert inside(19, spans) == (10, 20)
    assert inside(30, spans) == (30, 31)
    for pos in (5, 9, 20, 31, -1):
        assert inside(pos, spans) is None, pos
    assert inside(3, []) is None


# --- quote_kind, within, word_count ---------------------------------------------------


TAGGED = '"The budget is balanced," the treasurer said on Friday.'


def test_content_that_is_mostly_quotation_is_direct_and_otherwise_reported():
    p = whole(TAGGED)
    ((qs, qe),) = p.quotes
    assert quote_kind(p, [(qs, qe)]) == "direct"
    assert quote_kind(p, [(qe + 1, len(TAGGED))]) == "reported"
    assert quote_kind(p, []) == "reported"


def test_content_exactly_half_quoted_is_direct():
    p = whole(TAGGED)
    ((qs, qe),) = p.quotes
    n = qe - qs
    assert quote_kind(p, [(qs, qe), (qe, qe + n)]) == "direct"
    assert quote_kind(p, [(qs, qe), (qe, qe + n + 1)]) == "reported"


def test_word_count_counts_words_not_punctuation():
    p = whole(TAGGED)
    ((qs, qe),) = p.quotes
    assert word_count(p, (qs, qe)) == 4  # The budget is balanced
    assert word_count(p, (0, len(TAGGED))) == 9


def found(content, source):
    return Found("reported", content, source, None)


def test_an_attribution_is_within_another_when_its_source_and_content_lie_in_its_content():
    outer = found([(10, 80)], (0, 5))
    assert within(found([(40, 70)], (20, 30)), outer)
    assert not within(found([(40, 90)], (20, 30)), outer)  # content runs past it
    assert not within(found([(40, 70)], (0, 5)), outer)  # the source is outside


def test_an_attribution_without_a_source_or_content_is_within_nothing():
    outer = found([(10, 80)], (0, 5))
    assert not within(found([(40, 70)], None), outer)
    assert not within(found([], (20, 30)), outer)
    assert not within(found([(40, 70)], (20, 30)), found([], (0, 5)))


def test_content_split_in_two_holds_what_lies_in_either_half():
    outer = found([(10, 30), (50, 80)], (0, 5))
    assert within(found([(60, 70)], (52, 58)), outer)
    assert not within(found([(25, 60)], (12, 20)), outer)  # spans the gap


# --- Attribution ----------------------------------------------------------------------


def test_an_attribution_as_json_lists_its_spans_and_kind():
    a = Attribution("direct", ((0, 25),), ((26, 39),), ((40, 44),), speaker="Ana Ruiz")
    assert a.as_json() == {
        "content": [[0, 25]],
        "source": [[26, 39]],
        "cue": [[40, 44]],
        "kind": "direct",
        "speaker": "Ana Ruiz",
    }


def test_an_unsourced_attribution_has_empty_lists_and_is_not_nested():
    a = Attribution("reported", ((0, 10),))
    assert a.as_json()["source"] == a.as_json()["cue"] == []
    assert a.speaker is None and a.nested is False
    with pytest.raises(AttributeError):
        a.kind = "direct"  # frozen: records are shared
