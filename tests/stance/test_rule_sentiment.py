"""stance.rule_sentiment: the rule scorer's reading of the sentence around one mention
(VADER valences and a news lexicon weighted by distance, negation, boosters, attack and praise
verbs, scare quotes, irony, the target's own words) and the polarity of its score. Sentences
written for these tests."""

import pytest

from stance.rule_sentiment import PARAMS, POLARITIES, polarity_of, read_mention


def at(text: str, name: str) -> tuple[int, int]:
    start = text.index(name)
    return start, start + len(name)


def score(text: str, name: str = "Rua Moana", **kwargs) -> float:
    return read_mention(text, *at(text, name), **kwargs).score


def evidence(text: str, name: str = "Rua Moana", **kwargs) -> dict[str, float]:
    """Each word that moved the score (a negator included) and its weight."""
    reading = read_mention(text, *at(text, name), **kwargs)
    return {text[s:e]: w for s, e, w in reading.evidence()}


# --- polarity_of ----------------------------------------------------------------------


def test_polarity_has_a_neutral_band_tuned_apart_on_each_side():
    assert polarity_of(PARAMS["pos"]) == "positive"
    assert polarity_of(PARAMS["pos"] - 0.001) == "neutral"
    assert polarity_of(0.0) == "neutral"
    assert polarity_of(-PARAMS["neg"] + 0.001) == "neutral"
    assert polarity_of(-PARAMS["neg"]) == "negative"
    assert polarity_of(1.0) == "positive" and polarity_of(-1.0) == "negative"
    assert {polarity_of(s) for s in (-1, 0, 1)} == set(POLARITIES)


def test_polarity_reads_the_band_from_the_params_given():
    assert polarity_of(0.2, {**PARAMS, "pos": 0.3}) == "neutral"
    assert polarity_of(-0.2, {**PARAMS, "neg": 0.3}) == "neutral"


# --- read_mention ---------------------------------------------------------------------


def test_a_mention_that_holds_no_word_has_no_reading():
    assert read_mention("Rua Moana won.", 30, 40) is None
    assert read_mention("   ", 0, 2) is None


def test_a_sentence_with_nothing_evaluative_scores_zero():
    reading = read_mention("Rua Moana opened the new library on Friday.", 0, 9)
    assert reading.score == 0.0 and reading.evidence() == []


def test_praise_and_criticism_around_a_mention_set_the_sign():
    assert score("The inspectors praised Rua Moana for her honest report.") > PARAMS["pos"]
    assert score("The inspectors attacked Rua Moana over the report.") < -PARAMS["neg"]
    assert score("Rua Moana was dishonest.") < 0 < score("Rua Moana was honest.")


def test_a_score_is_normalised_into_minus_one_to_one():
    many = "A dishonest, reckless, cruel, corrupt and disgraceful liar, Rua Moana resigned."
    assert -1.0 < score(many) < score("Rua Moana was dishonest.") < 0


def test_a_negator_flips_the_word_after_it_and_the_evidence_starts_at_it():
    assert score("Rua Moana is not honest.") < 0
    words = evidence("Rua Moana is not honest.")
    assert list(words) == ["not honest"] and words["not honest"] < 0


def test_a_negated_attack_verb_is_no_attack():
    text = "The inspectors did not attack Rua Moana over the report."
    assert score(text) > 0
    assert list(evidence(text)) == ["not attack"]


def test_an_attack_verb_with_the_mention_as_object_or_passive_subject_counts():
    assert evidence("The inspectors attacked Rua Moana over the report.")["attacked"] < 0
    assert evidence("Rua Moana was expelled from the club.")["expelled"] < 0


def test_an_attack_verb_with_no_valence_of_its_own_counts_only_next_to_the_mention():
    # "censured" has no VADER valence: only its place next to the mention makes it count
    assert evidence("Rua Moana was censured by the board.")["censured"] < 0
    assert evidence("The board censured Rua Moana.")["censured"] < 0
    assert evidence("Rua Moana censured the board.")["censured"] < 0
    assert "censured" not in evidence(
        "Rua Moana left the room before the board censured its chair."
    )


def test_a_booster_strengthens_the_word_after_it():
    boosted = evidence("Rua Moana is extremely honest.")["honest"]
    plain = evidence("Rua Moana is also honest.")["honest"]
    assert boosted > plain > 0


def test_nearer_words_weigh_more():
    near = evidence("Rua Moana was dishonest.")["dishonest"]
    far = evidence("Rua Moana was, by most accounts in the town, dishonest.")["dishonest"]
    assert near < far < 0


def test_only_the_mentions_sentence_counts_unless_a_wider_one_is_given():
    text = "Rua Moana won. The disgraceful result stunned the town."
    assert "disgraceful" not in evidence(text)
    assert evidence(text, sentence=(0, len(text)))["disgraceful"] < 0
    assert score(text, sentence=(0, len(text))) < score(text)


def test_blocked_words_never_count():
    text = "The council praised Rua Moana."
    assert score(text) > 0
    assert score(text, blocked=[(0, 19)]) == 0.0


def test_a_word_with_another_actor_between_it_and_the_mention_counts_half():
    text = "The brave Ana Roe at which Tom Hale failed."
    alone = evidence(text, "Ana Roe")
    shared = evidence(text, "Ana Roe", others=[at(text, "Tom Hale")])
    assert shared["failed"] == pytest.approx(alone["failed"] / 2)
    assert shared["brave"] == alone["brave"]  # nobody between


def test_so_called_right_before_a_mention_is_a_scare_quote():
    assert evidence("Critics mocked the so-called reformers.", "reformers")["so-called"] < 0
    assert "so-called" not in evidence("The so-called reform group met Rua Moana.")


def test_irony_turns_the_praise_after_it_around():
    words = evidence("Rua Moana has a funny way of showing respect.")
    assert words["funny"] < 0 and words["respect"] < 0
    assert evidence("Rua Moana has shown respect.")["respect"] > 0


def test_the_targets_own_quoted_words_are_left_out(monkeypatch):
    text = '"This is a shameful waste," Rua Moana said.'
    assert score(text) == 0.0  # PARAMS["own_speech"] is 0: what a speaker says is not of them
    monkeypatch.setitem(PARAMS, "own_speech", 1.0)
    assert score(text) < 0


def test_the_targets_own_reported_words_are_left_out_but_not_for_what_they_name():
    text = "Rua Moana said the plan was a shameful waste."
    assert score(text) == 0.0
    assert score(text, "the plan") < 0
