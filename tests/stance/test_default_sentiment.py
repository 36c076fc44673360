"""The default scorer: the rule reading, its features, and the calibrated polarity (pure)."""

import pytest

from stance.default_sentiment import (
    CALIBRATION,
    DEFAULT_FEATURES,
    calibration_features,
    default_sentiment,
    target_sentiment,
)
from stance.mention_features import FEATURES, SENTIMENT_READINGS, mention_features
from stance.rule_sentiment import POLARITIES


def at(text: str, name: str) -> tuple[int, int]:
    start = text.index(name)
    return start, start + len(name)


def feature(text: str, name: str, key: str, blocked=()) -> float:
    return mention_features(text, *at(text, name), blocked)[FEATURES.index(key)]


def test_the_calibration_has_one_weight_per_feature_and_polarity():
    assert set(CALIBRATION["coef"]) == set(CALIBRATION["intercept"]) == set(POLARITIES)
    for values in (CALIBRATION["mean"], CALIBRATION["scale"], *CALIBRATION["coef"].values()):
        assert len(values) == len(DEFAULT_FEATURES)
    assert all(s > 0 for s in CALIBRATION["scale"])
    assert set(FEATURES) > SENTIMENT_READINGS
    assert DEFAULT_FEATURES[: len(FEATURES)] == FEATURES  # the trained model's branch, then more
    assert len(set(DEFAULT_FEATURES)) == len(DEFAULT_FEATURES)


@pytest.mark.parametrize(
    ("text", "name", "polarity"),
    [
        (
            "Critics slammed Ana Roe for her disastrous and dishonest handling of the port.",
            "Ana Roe",
            "negative",
        ),
        (
            "Ana Roe was praised for her brave, generous and honest leadership.",
            "Ana Roe",
            "positive",
        ),
        ("Ana Roe will travel to Wellington on Monday for the meeting.", "Ana Roe", "neutral"),
        ("Tom Hale was convicted of fraud and jailed for six years.", "Tom Hale", "negative"),
    ],
)
def test_the_default_reads_plain_sentences_as_a_reader_would(text, name, polarity):
    assert target_sentiment(text, *at(text, name))[0] == polarity


def test_a_mention_with_nothing_evaluative_around_it_scores_zero():
    text = "Ana Roe will travel to Wellington on Monday for the meeting."
    assert target_sentiment(text, *at(text, "Ana Roe")) == ("neutral", 0.0)


def test_blocked_words_count_nowhere():
    text = (
        'Ana Roe gave a speech on Monday that one listener called "a disgraceful, dishonest mess".'
    )
    start, end = at(text, "Ana Roe")
    quote = (text.index('"'), len(text))
    features = mention_features(text, start, end, [quote])
    for key in ("rule_score", "negative_after", "vader_sentence", "vader_5_after"):
        assert features[FEATURES.index(key)] == 0.0, key
    assert feature(text, "Ana Roe", "negative_after") < 0  # unblocked, the words count
    assert default_sentiment(text, start, end, [quote]) == ("neutral", 0.0)


def test_empty_or_out_of_range_mentions_are_neutral():
    assert target_sentiment("", 0, 3) == ("neutral", 0.0)
    assert target_sentiment("   ", 0, 2) == ("neutral", 0.0)
    polarity, score = target_sentiment("Ana Roe lied.", 50, 80)
    assert polarity in POLARITIES and -1.0 <= score <= 1.0


def test_what_the_target_is_and_where_it_stands_are_read_from_its_words():
    text = "Ana Roe praised the council in Ohio on Monday, the AP reported."
    for name, key in (
        ("Ohio", "is_place"),
        ("the council", "is_organisation"),
        ("Monday", "is_time"),
        ("AP", "is_organisation"),
        ("the council", "is_common_noun"),
    ):
        assert calibration_features(text, *at(text, name))[DEFAULT_FEATURES.index(key)] == 1.0
    roe = calibration_features(text, *at(text, "Ana Roe"))
    for key in ("is_place", "is_organisation", "is_time", "is_common_noun", "after_of"):
        assert roe[DEFAULT_FEATURES.index(key)] == 0.0, key
    assert (
        calibration_features(text, *at(text, "Ohio"))[
            DEFAULT_FEATURES.index("after_place_preposition")
        ]
        == 1.0
    )


def test_what_the_mention_s_own_phrase_says_of_it_is_kept_apart():
    def value(text, name, key):
        return calibration_features(text, *at(text, name))[DEFAULT_FEATURES.index(key)]

    assert (
        value(
            "Tom Hale was reckless and dishonest, Ana Roe said.", "Tom Hale", "predicate_negative"
        )
        < 0
    )
    assert (
        value("Tom Hale was reckless and dishonest, Ana Roe said.", "Ana Roe", "predicate_negative")
        == 0
    )
    assert (
        value("Tom Hale, a brave and honest officer, retired.", "Tom Hale", "apposition_positive")
        > 0
    )
    assert value("Critics noted the failure of Tom Hale.", "Tom Hale", "governor_negative") < 0
    assert value("Tom Hale's disastrous plan was dropped.", "Tom Hale", "possessed_negative") < 0
    contrast = "Tom Hale is a fine speaker, but Ana Roe is a liar."
    assert value(contrast, "Ana Roe", "after_contrast") == 1.0
    assert value(contrast, "Ana Roe", "far_side_positive") > 0
    assert value(contrast, "Tom Hale", "far_side_negative") < 0


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Tom Hale admitted on Monday that the figures were wrong.", "concedes"),
        ("Tom Hale has repeatedly denied the report.", "concedes"),
        ("Tom Hale won the seat by 400 votes.", "succeeds"),
        ("Tom Hale resigned from the board.", "fails"),
        ("Tom Hale was elected mayor in 2019.", "is_raised"),
        ("Tom Hale was arrested at his home.", "is_harmed"),
    ],
)
def test_what_the_mention_does_or_undergoes_is_read_from_the_verb_after_it(text, key):
    deeds = ("concedes", "succeeds", "fails", "is_raised", "is_harmed")
    values = calibration_features(text, *at(text, "Tom Hale"))
    assert {k: values[DEFAULT_FEATURES.index(k)] for k in deeds} == {
        k: float(k == key) for k in deeds
    }


def test_the_target_s_own_words_and_the_pronouns_that_refer_back_are_read():
    def values(text, name, *keys):
        got = calibration_features(text, *at(text, name))
        return [got[DEFAULT_FEATURES.index(k)] for k in keys]

    text = '"We will win a wonderful victory," Tom Hale said, thanking Ana Roe.'
    speaks, positive, negative = values(
        text, "Tom Hale", "speaks", "own_words_positive", "own_words_negative"
    )
    assert speaks == 1.0 and positive > 0 and negative == 0
    assert values(text, "Ana Roe", "speaks") == [0.0]
    text = "Tom Hale lost the vote after his disastrous speech, and Ana Roe won."
    again, _positive, negative = values(
        text, "Tom Hale", "referred_again", "referred_positive", "referred_negative"
    )
    assert again == 1.0 and negative < 0
    assert values(text, "Ana Roe", "referred_again") == [0.0]
