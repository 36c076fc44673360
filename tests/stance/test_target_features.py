"""stance.target_features: what the target is, where the mention stands, what its own phrase
says of it, what it does or undergoes, what it says and what is said of it again, read from the
rule scorer's reading of its sentence. Sentences written for these tests; the calibrated
features are also read through stance.default_sentiment in test_default_sentiment.py."""

import math

import pytest

from stance.rule_sentiment import read_mention
from stance.target_features import TARGET_FEATURES, target_features


def features(text: str, name: str = "Alan Pike") -> dict[str, float]:
    start = text.index(name)
    end = start + len(name)
    values = target_features(read_mention(text, start, end), text, start, end)
    return dict(zip(TARGET_FEATURES, values, strict=True))


def test_one_value_per_feature_name():
    assert len(set(TARGET_FEATURES)) == len(TARGET_FEATURES)
    assert len(features("Alan Pike spoke.")) == len(TARGET_FEATURES)


# --- what the target is ---------------------------------------------------------------


def test_a_capitalised_name_after_a_place_preposition_is_a_place():
    got = features("The ferry sailed from Waipukurau at dawn.", "Waipukurau")
    assert got["is_place"] == 1.0 and got["after_place_preposition"] == 1.0
    got = features("The ferry left Waipukurau at dawn.", "Waipukurau")  # no preposition
    assert got["is_place"] == 0 and got["after_place_preposition"] == 0


def test_a_day_is_a_time_and_a_person_is_neither_place_nor_time():
    text = "The corrupt Senator Alan Pike spoke in Dunedin on Friday."
    assert features(text, "Friday")["is_time"] == 1.0
    assert features(text, "Dunedin")["is_time"] == 0
    pike = features(text, "Senator Alan Pike")
    assert pike["is_place"] == pike["is_time"] == pike["is_organisation"] == 0


def test_a_title_and_the_words_of_the_name():
    text = "The corrupt Senator Alan Pike spoke in Dunedin on Friday."
    got = features(text, "Senator Alan Pike")
    assert got["has_title"] == 1.0 and got["name_words"] == 3.0
    assert features(text, "Dunedin")["has_title"] == 0
    long_name = "Dr. Ruth Obi, the former chief executive of the Southern District Health Board"
    assert features(long_name + ", spoke.", long_name)["name_words"] == 5.0  # at most five


def test_an_initialism_is_an_organisation_and_a_group_is_a_group():
    assert features("The NZTA closed the road.", "NZTA")["is_organisation"] == 1.0
    assert features("Maori voters backed the levy.", "Maori voters")["is_group"] == 1.0
    assert features("Alan Pike backed the levy.")["is_group"] == 0


def test_it_a_common_noun_and_a_pronoun_are_told_apart():
    it = features("Fishers criticised it at the meeting.", "it")
    assert (it["is_it"], it["is_common_noun"]) == (1.0, 0)
    economy = features("Fishers say the economy is weak.", "the economy")
    assert (economy["is_it"], economy["is_common_noun"]) == (0, 1.0)
    them = features("Fishers blamed them for the closure.", "them")
    assert (them["is_it"], them["is_common_noun"]) == (0, 0)


# --- where the mention stands ---------------------------------------------------------


def test_the_preposition_before_the_mention():
    with_ = features("Voters sided with Alan Pike against the council.")
    assert (with_["after_other_preposition"], with_["after_of"]) == (1.0, 0)
    of = features("The collapse of Alan Pike's campaign surprised nobody.")
    assert (of["after_of"], of["after_other_preposition"]) == (1.0, 0)
    assert features("Alan Pike spoke.")["after_place_preposition"] == 0


def test_a_possessor_is_marked():
    assert features("Alan Pike's reckless gamble failed.")["is_possessive"] == 1.0
    assert features("His reckless plan failed.", "His")["is_possessive"] == 1.0
    assert features("Alan Pike gambled and failed.")["is_possessive"] == 0


def test_how_far_into_the_sentence_and_before_a_comma():
    text = "The corrupt Senator Alan Pike spoke in Dunedin on Friday."
    # tokens: The corrupt Senator Alan Pike spoke in Dunedin on Friday . (0..10)
    assert features(text, "Senator Alan Pike")["relative_position"] == pytest.approx(2 / 10)
    assert features(text, "Friday")["relative_position"] == pytest.approx(9 / 10)
    assert features(text, "Senator Alan Pike")["log_sentence_words"] == pytest.approx(
        math.log1p(10)
    )
    second = "Fishers left. The corrupt Senator Alan Pike spoke in Dunedin on Friday."
    assert features(second, "Senator Alan Pike")["relative_position"] == pytest.approx(2 / 10)
    assert features("Alan Pike, a former mayor, retired.")["before_comma"] == 1.0
    assert features("Alan Pike retired.")["before_comma"] == 0


def test_a_headline_has_no_closing_punctuation_and_mostly_capitals():
    got = features("Port Deal Collapses After Vote", "Port Deal")
    assert got["is_headline"] == 1.0 and got["capitalised_share"] == 1.0
    got = features("The port deal collapsed after the vote.", "port deal")
    assert got["is_headline"] == 0 and got["capitalised_share"] == pytest.approx(1 / 7)


# --- what its own phrase says of it ---------------------------------------------------


def test_a_negated_predicate_turns_around():
    assert features("Alan Pike was honest about the stadium.")["predicate_positive"] > 0
    got = features("Alan Pike was not honest about the stadium.")
    assert got["predicate_negative"] < 0 and got["predicate_positive"] == 0


def test_words_right_before_the_mention_modify_it():
    got = features("The corrupt Senator Alan Pike spoke in Dunedin on Friday.", "Senator Alan Pike")
    assert got["modifier_negative"] < 0 and got["modifier_positive"] == 0
    assert features("The levy was a disaster, Alan Pike said.")["modifier_negative"] == 0
    assert features("It was a disaster for Alan Pike.")["modifier_negative"] == 0


def test_what_the_mention_does_is_its_verb_phrase():
    got = features("Alan Pike wasted millions on the stadium.")
    assert got["verb_phrase_negative"] < 0 and got["verb_phrase_positive"] == 0
    got = features("Alan Pike, sadly, left.")  # a clause edge: no verb phrase of its own
    assert got["verb_phrase_negative"] == 0 and got["apposition_negative"] < 0


def test_a_possessor_takes_what_it_possesses():
    assert features("Alan Pike's reckless gamble failed.")["possessed_negative"] < 0


def test_a_contrast_and_the_sentiment_on_its_far_side():
    got = features("Alan Pike lost his seat, but his brave deputy won.")
    assert got["has_contrast"] == 1.0 and got["after_contrast"] == 0
    assert got["far_side_positive"] > 0
    plain = features("Alan Pike lost his seat and his deputy won.")
    assert plain["has_contrast"] == plain["far_side_positive"] == 0


# --- what it does or undergoes --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Alan Pike apologised to the families.", "concedes"),
        ("Alan Pike has quit the board.", "fails"),
        ("Alan Pike vowed to fight on.", "succeeds"),
        ("Alan Pike was charged with fraud.", "is_harmed"),
        ("Alan Pike has been appointed to the board.", "is_raised"),
        ("Alan Pike visited the board.", None),
    ],
)
def test_the_verb_after_the_mention_says_what_it_does_or_undergoes(text, key):
    deeds = ("concedes", "succeeds", "fails", "is_raised", "is_harmed")
    got = features(text)
    assert {k: got[k] for k in deeds} == {k: float(k == key) for k in deeds}


def test_an_active_verb_of_harm_is_no_harm_undergone():
    assert features("Alan Pike arrested the suspect.")["is_harmed"] == 0


# --- what it says, and what is said of it again ---------------------------------------


def test_the_targets_own_quoted_words():
    got = features('"This is a wonderful day," Alan Pike said.')
    assert got["speaks"] == 1.0 and got["own_words_positive"] > 0
    assert features("Alan Pike had a wonderful day.")["speaks"] == 0


def test_pronouns_after_the_name_refer_back_until_another_name_comes():
    got = features("Alan Pike won, and he thanked his loyal supporters.")
    assert got["referred_again"] == 1.0 and got["referred_positive"] > 0
    other = features("Alan Pike won, and Ruth Obi thanked his loyal supporters.")
    assert other["referred_again"] == other["referred_positive"] == 0
