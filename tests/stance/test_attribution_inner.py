"""Reports inside someone's reported speech headed by a verb with its own subject, and tags
with a long tail after a quotation. News sentences written for these tests."""

from stance.attribution import attribute_text
from tests.stance.attribution_rows import said


def test_a_verb_report_inside_reported_speech_is_nested_with_its_own_source():
    text = (
        "Councillor Anna Marsh said that the treasurer believes the levy will have to rise "
        "next year."
    )
    outer, inner = attribute_text(text)
    assert outer.speaker == "Anna Marsh" and not outer.nested
    assert text[slice(*outer.content[0])].startswith("the treasurer believes")
    assert inner.nested
    assert text[slice(*inner.source[0])] == "the treasurer"
    assert text[slice(*inner.cue[0])] == "believes"
    assert text[slice(*inner.content[0])] == "the levy will have to rise next year"


def test_a_second_clause_of_the_same_speaker_is_nested_too():
    rows = said("Mr Ruiz said the port deal was a mistake, although he supports keeping the ferry.")
    assert rows[0][2:4] == ("Mr Ruiz", "said")
    assert rows[1][2:] == ("he", "supports", "keeping the ferry")


def test_a_participle_after_a_tag_adds_no_nested_report():
    rows = said("Rents will keep climbing, the agency said on Monday, warning that supply lags.")
    assert [r[2] for r in rows] == ["the agency"]


def test_a_sentence_without_a_report_inside_has_nothing_nested():
    assert len(attribute_text("The mayor said the bridge would reopen in May.")) == 1


def test_a_quotation_tagged_with_a_long_tail_keeps_its_speaker():
    rows = said(
        '"We will not pay for airtime," Ms Okoro said during a panel on Thursday with '
        "regional broadcasters and the chair of the press council."
    )
    assert rows == [
        ("direct", "Okoro", "Ms Okoro", "said", '"We will not pay for airtime,"'),
    ]


def test_a_quotation_tagged_with_said_of_keeps_its_speaker():
    rows = said(
        '"There are going to be riots over there," he said of the minister\'s plan to admit '
        "as many as 8000 seasonal workers."
    )
    assert [(r[2], r[3], r[4]) for r in rows] == [
        ("he", "said", '"There are going to be riots over there,"')
    ]


def test_a_long_tail_with_a_clause_of_its_own_is_no_tag():
    rows = said('"It is over," Ms Okoro said the committee had decided on Thursday.')
    assert ("Ms Okoro", "said", "the committee had decided on Thursday") in [r[2:] for r in rows]


def test_an_opening_participle_phrase_is_not_the_source():
    rows = said(
        "Speaking to farmers in Ashburton on Friday, Ms Tane praised the water scheme and "
        "promised that it would be finished by 2027."
    )
    assert [r[2] for r in rows] == ["Ms Tane", "Ms Tane"]


def test_an_opening_subordinate_clause_is_not_the_source():
    rows = said(
        "When the minister defended the closures, the union leader was blunt: "
        '"This will cost 300 jobs."'
    )
    assert ("the union leader", ":", '"This will cost 300 jobs."') in [r[2:] for r in rows]


def test_a_dateline_is_not_the_source():
    rows = said(
        "WELLINGTON \u2014 The Prime Minister visited the flooded towns on Tuesday and said "
        "the Government would pay for the repairs."
    )
    assert [r[2:4] for r in rows] == [("The Prime Minister", "said")]


def test_a_statement_issued_speaks_for_its_issuer():
    rows = said(
        "The Harbour Board issued a statement saying that the wharf would stay closed until March."
    )
    assert ("The Harbour Board", "saying", "the wharf would stay closed until March") in [
        r[2:] for r in rows
    ]


def test_saying_with_a_clause_and_no_that():
    rows = said("The council released figures on Monday saying the pool should reopen in May.")
    assert [r[3:] for r in rows] == [("saying", "the pool should reopen in May")]


def test_saying_before_a_plain_object_is_no_report():
    assert said("The crowd kept saying the names of the victims.") == []


def test_a_quotation_tagged_with_any_verb_has_its_source():
    rows = said(
        'The council voted on Tuesday. "This is a great day for the town," beamed Mayor Ann Riley.'
    )
    assert [r[2:] for r in rows] == [
        ("Mayor Ann Riley", "beamed", '"This is a great day for the town,"')
    ]


def test_a_sign_or_a_document_read_in_a_tag():
    rows = said('She lifted a sign of her own. "Still standing," it read.')
    assert [r[2:4] for r in rows] == [("it", "read")]


def test_a_quotation_followed_by_a_clause_is_no_tag():
    rows = said('"Enough is enough." The minister walked out of the meeting.')
    assert all(r[3] != "walked" for r in rows)


def test_a_question_is_not_credited_to_who_did_not_answer_it():
    for text in (
        '"Who pays for this?" The treasurer did not answer.',
        '"Will the pool reopen?" The council would not say.',
    ):
        assert [row[1:3] for row in said(text)] == [(None, "")], text


def test_a_tag_in_a_sentence_of_its_own_after_a_quotation():
    rows = said('"We will reopen the pool in May." Ms Hale said.')
    assert [r[2:] for r in rows] == [("Ms Hale", "said", '"We will reopen the pool in May."')]


def test_an_object_relative_is_spoken_by_its_own_subject():
    rows = said("Mr Cole, who critics have called a liability, will stand again.")
    assert [r[1:] for r in rows] == [(None, "critics", "called", "a liability")]


def test_an_object_relative_with_a_pronoun_subject():
    rows = said("The party stood by Mr Cole, who opponents say should resign.")
    assert [r[2:] for r in rows] == [("opponents", "say", "should resign")]
    rows = said("Residents backed Ms Ford, whom the mayor described as tireless.")
    assert ("the mayor", "described", "as tireless") in [r[2:] for r in rows]


def test_a_subject_relative_still_speaks_for_its_antecedent():
    rows = said("The law was drafted by Labour, which said it would cut costs.")
    assert [r[2:] for r in rows] == [("which", "said", "it would cut costs")]
