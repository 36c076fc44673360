"""stance.attribution.reports: reports headed by a noun (``X's claims that ...``, ``his
accusation that ...``) nested in the reported speech that carries them. News sentences written
for these tests."""

from stance import voice
from stance.attribution import attribute_text
from stance.framing import ActorSpec, analyse_article, voice_share
from tests.stance.attribution_rows import said


def _nested_in(text: str, outer, inner) -> bool:
    (o_s, o_e), (i_s, i_e) = outer.content[0], inner.content[0]
    return o_s <= inner.source[0][0] and i_e <= o_e and o_s < i_s


def test_a_possessor_and_his_claims_inside_reported_speech_are_the_possessors():
    text = (
        "Senator Ruth Okafor has rejected former aide Mark Bell's criticism and his claims the "
        "office was chaotic under her leadership."
    )
    outer, inner = attribute_text(text)
    assert outer.speaker == "Ruth Okafor"
    # the whole object stays Okafor's reported speech (PolNeAR's convention) ...
    assert text[slice(*outer.content[0])].startswith("former aide Mark Bell's criticism")
    # ... and the claim inside it is Bell's, nested in it
    assert inner.speaker == "Mark Bell"
    assert (text[slice(*inner.source[0])], text[slice(*inner.cue[0])]) == ("his", "claims")
    assert text[slice(*inner.content[0])] == "the office was chaotic under her leadership"
    assert _nested_in(text, outer, inner)


def test_a_named_possessors_allegation_that():
    rows = said(
        "Mayor Dana Whitfield dismissed councillor Tom Reyes's allegation that the budget had "
        "been padded."
    )
    assert rows[1] == (
        "reported",
        "Tom Reyes",
        "councillor Tom Reyes's",
        "allegation",
        "the budget had been padded",
    )


def test_an_organisations_statement_inside_someones_words():
    rows = said("Ms Hale said she had read the council's statement that the pool would close.")
    assert [r[2:] for r in rows] == [
        ("Ms Hale", "said", "she had read the council's statement that the pool would close"),
        ("the council's", "statement", "the pool would close"),
    ]


def test_a_report_that_is_the_subject_ends_before_the_sentences_verb():
    rows = said("The senator said the governor's claim that the state was broke was false.")
    assert rows[1][2:] == ("the governor's", "claim", "the state was broke")


def test_a_report_ends_before_a_participle_or_a_conjunction():
    rows = said(
        "Mr Diaz blamed reporters for Tom Reyes's claim that the audit was rigged, saying they "
        "had twisted his words."
    )
    assert [r[2:] for r in rows if r[3] == "claim"] == [
        ("Tom Reyes's", "claim", "the audit was rigged")
    ]


def test_the_speakers_own_claim_adds_nothing():
    rows = said("Gov. Jane Ortiz repeated her claim that the bridge was safe.")
    assert [(r[1], r[3]) for r in rows] == [("Jane Ortiz", "repeated")]


def test_a_pronoun_with_nobody_named_before_it_adds_nothing():
    rows = said("Tom Reyes spoke first. Ms Whitfield rejected his accusation that it was rushed.")
    assert [r[3] for r in rows] == ["rejected"]


def test_her_warning_is_the_woman_named_before_it():
    rows = said(
        "Mayor Dana Whitfield said councillor Amy Cole had misled voters with her warning that "
        "rates would double."
    )
    assert rows[1] == ("reported", "Amy Cole", "her", "warning", "rates would double")


def test_nouns_that_report_nothing_nest_nothing():
    for text in (
        "Mr Diaz said Monday's statement that the pool would close surprised nobody.",
        "Mr Diaz said the claims that were made at the hearing went unanswered.",
        "Mr Diaz said her claims adjuster arrived late.",
        "Mr Diaz said Tom Reyes repeated his warning that night and left.",
        "Mr Diaz said Tom Reyes's claims were wrong.",
    ):
        assert [r[3] for r in said(text)] == ["said"], text


COLE = ActorSpec("cole", "Ann Cole", ("Ms Cole",), "person", "she")
REYES = ActorSpec("reyes", "Tom Reyes", ("Mr Reyes",), "person", "he")


def test_share_of_voice_counts_a_nested_claim_for_its_speaker_once():
    text = (
        "Labour leader Ann Cole has rejected former MP Tom Reyes's criticism and his claims the "
        "party was petty toward him."
    )
    (f,) = analyse_article([text], [COLE, REYES])
    by_speaker = {q.speaker: q for q in f.quotes}
    assert set(by_speaker) == {"cole", "reyes"}
    share = voice_share([f])
    assert share["reyes"] == {"direct": 0, "reported": 6}  # "the party was petty toward him"
    assert share["cole"]["reported"] == by_speaker["cole"].words - 6
    assert sum(d["reported"] + d["direct"] for d in share.values()) == by_speaker["cole"].words


def test_the_authors_voice_excludes_a_nested_report_and_keeps_its_words_content():
    text = (
        "Mayor Dana Whitfield dismissed councillor Tom Reyes's allegation that the budget had "
        "been padded. The budget is a disgrace."
    )
    read = voice.attributed(text)
    start = text.index("councillor")
    end = text.index("padded") + len("padded")
    assert read.spans[0] == (start, end)  # the nested source and cue are content too
    assert [text[s:e] for s, e in read.cues] == ["dismissed"]
    (f,) = analyse_article([text], [REYES])
    assert all(q.end <= end for q in f.quotes)  # the author's last sentence is nobody else's
