"""stance.attribution.speakers: pronoun speakers that point to a document, an organisation or
a group named before them, and are never shown as a name. News sentences written for these
tests (they were in test_attribution_reports)."""

from stance.attribution import attribute_text
from stance.framing import analyse_article
from tests.stance.attribution_rows import said


def test_it_points_to_a_document_named_before_it():
    text = (
        "The auditor's leaked report reached reporters on Tuesday. Nobody knows who sent it. "
        "It says the council overspent by $2 million."
    )
    (a,) = [a for a in attribute_text(text) if text[slice(*a.source[0])] == "It"]
    assert a.speaker == "The auditor's leaked report"


def test_it_points_to_an_organisation_named_by_a_common_noun():
    text = "The planning committee met for three hours. It said the tower would not be approved."
    (a,) = attribute_text(text)
    assert a.speaker == "The planning committee"


def test_they_points_to_a_group_only_when_the_group_opens_its_sentence():
    rows = said("Senior council officials met for an hour. They said the vote was fair.")
    assert rows[-1][1:3] == ("council officials", "They")
    rows = said("The mayor spoke to voters on the waterfront. They said the vote was fair.")
    assert rows[-1][1:3] == (None, "They")


def test_a_pronoun_speaker_is_never_shown_as_a_name():
    paragraphs = [
        "The hearing went on into the evening.",
        "It said the vote would be delayed until March.",
        "The planning committee met for three hours. It said the tower would not be approved.",
    ]
    framings = analyse_article(paragraphs, [])
    (delayed,) = framings[1].quotes
    assert delayed.speaker is None and delayed.speaker_text == ""
    (tower,) = framings[2].quotes
    assert tower.speaker_text == "The planning committee"
