"""stance.mention_features: the rule scorer's reading of a mention split into parts a linear
model can weigh (sentiment mass before and after, inside and outside the mention's clause,
attack and praise roles, VADER compounds) and where the mention stands (speaker, inside a
quotation, pronoun, sentence opener, among other names). Sentences written for these tests."""

import math

import pytest

from stance.mention_features import FEATURES, SENTIMENT_READINGS, features_of, mention_features
from stance.rule_sentiment import read_mention


def at(text: str, name: str) -> tuple[int, int]:
    start = text.index(name)
    return start, start + len(name)


def features(text: str, name: str = "Rua Moana", blocked=()) -> dict[str, float]:
    return dict(zip(FEATURES, mention_features(text, *at(text, name), blocked), strict=True))


def feature(text: str, name: str, key: str, blocked=()) -> float:
    return features(text, name, blocked)[key]


def test_there_is_one_value_per_feature_name_and_the_readings_are_among_them():
    assert len(set(FEATURES)) == len(FEATURES)
    assert set(FEATURES) > SENTIMENT_READINGS
    assert {"is_speaker", "in_quotation", "opens_sentence"}.isdisjoint(SENTIMENT_READINGS)
    assert len(mention_features("Rua Moana won.", 0, 9)) == len(FEATURES)


def test_a_mention_that_holds_no_word_has_all_zero_features():
    assert mention_features("Rua Moana won.", 40, 50) == [0.0] * len(FEATURES)


def test_features_of_a_reading_are_the_mention_features():
    text = "The plan was a disaster, but Rua Moana was honest."
    start, end = at(text, "Rua Moana")
    reading = read_mention(text, start, end)
    assert features_of(reading, text, start, end) == mention_features(text, start, end)


def test_the_rule_score_and_its_signed_square_root():
    got = features("Rua Moana was dishonest.")
    assert got["rule_score"] == read_mention("Rua Moana was dishonest.", 0, 9).score < 0
    assert got["rule_score_sqrt"] == pytest.approx(-math.sqrt(-got["rule_score"]))


def test_sentiment_is_split_by_side_of_the_mention():
    got = features("The plan was a disaster, but Rua Moana was honest.")
    assert got["negative_before"] < 0 and got["positive_before"] == 0
    assert got["positive_after"] > 0 and got["negative_after"] == 0
    assert got["vader_5_before"] < 0 < got["vader_5_after"]


def test_sentiment_is_split_by_the_mentions_clause():
    got = features("The plan was a disaster, but Rua Moana was honest.")
    assert got["positive_in_clause"] > 0 and got["negative_in_clause"] == 0
    assert got["negative_outside_clause"] < 0 and got["positive_outside_clause"] == 0


def test_who_attacks_whom_is_read_from_the_verb_and_the_mention_s_place():
    text = "Ana Roe accused Tom Hale of misleading the council."
    assert (
        feature(text, "Ana Roe", "attacks") == 1.0 and feature(text, "Ana Roe", "is_attacked") == 0
    )
    assert (
        feature(text, "Tom Hale", "is_attacked") == 1.0
        and feature(text, "Tom Hale", "attacks") == 0
    )
    passive = "Tom Hale was expelled from the party on Monday."
    assert feature(passive, "Tom Hale", "is_attacked") == 1.0


def test_who_praises_whom():
    text = "Rua Moana praised Tom Hale."
    roles = ("attacks", "is_attacked", "praises", "is_praised")
    assert [feature(text, "Rua Moana", k) for k in roles] == [0, 0, 1.0, 0]
    assert [feature(text, "Tom Hale", k) for k in roles] == [0, 0, 0, 1.0]


def test_a_praise_verb_far_from_the_mention_gives_it_no_role():
    text = "Rua Moana left early, long before the chair praised the staff."
    assert feature(text, "Rua Moana", "praises") == feature(text, "Rua Moana", "is_praised") == 0


@pytest.mark.parametrize(
    "text",
    [
        '"We have done nothing wrong," Rua Moana said.',
        "Rua Moana said the club had done nothing wrong.",
        "Rua Moana has also told members the club did nothing wrong.",
        '"We have done nothing wrong," said Rua Moana.',
    ],
)
def test_the_speaker_of_a_quotation_or_a_report_is_marked(text):
    assert feature(text, "Rua Moana", "is_speaker") == 1.0


def test_a_mention_that_does_not_speak_is_not_a_speaker():
    assert feature("The board praised Rua Moana on Friday.", "Rua Moana", "is_speaker") == 0


def test_a_mention_inside_a_quotation_and_a_sentence_with_one():
    text = 'Critics called the "brave Rua Moana" a fraud.'
    assert feature(text, "Rua Moana", "in_quotation") == 1.0
    assert feature(text, "Critics", "in_quotation") == 0
    assert feature(text, "Critics", "has_quotation") == 1.0
    assert feature("Critics called Rua Moana a fraud.", "Rua Moana", "has_quotation") == 0


def test_a_pronoun_and_a_sentence_opener():
    got = features("She said nothing more about Rua Moana.", "She")
    assert got["is_pronoun"] == 1.0 and got["opens_sentence"] == 1.0
    got = features("She said nothing more about Rua Moana.")
    assert got["is_pronoun"] == 0 and got["opens_sentence"] == 0


def test_context_words_and_other_names_are_counted_on_a_log_scale():
    got = features("Rua Moana met Tom Hale and Ana Roe on Friday.")
    assert got["log_context_words"] == pytest.approx(math.log1p(9))  # met ... Friday .
    assert got["log_other_names"] == pytest.approx(math.log1p(5))  # Tom Hale Ana Roe Friday
    assert features("Rua Moana left early.")["log_other_names"] == 0
    # the sentence's capitalised first word is no other name
    assert features("Critics called Rua Moana a fraud.")["log_other_names"] == 0


def test_the_capitalised_first_word_of_a_quotation_is_no_other_name():
    assert features('"We have done nothing wrong," Rua Moana said.')["log_other_names"] == 0
    text = "\u2018Nobody asked the town,\u2019 Rua Moana said."
    assert features(text)["log_other_names"] == 0


def test_names_after_a_quotations_first_word_still_count():
    text = '"Our plan works," Rua Moana told Wellington.'
    assert features(text)["log_other_names"] == pytest.approx(math.log1p(1))  # Wellington


def test_blocked_words_count_in_no_reading():
    text = 'The report called Rua Moana "dishonest and reckless" on Friday.'
    quote = (text.index('"'), text.rindex('"') + 1)
    unblocked, blocked = features(text), features(text, blocked=[quote])
    assert unblocked["negative_after"] < 0 and unblocked["vader_sentence"] < 0
    for key in SENTIMENT_READINGS:
        assert blocked[key] == 0, key
