"""stance.attribution.cues: the cues of one paragraph and the clauses they govern, read by
find_in_paragraph before any speaker is resolved (``X said (that) ...``, ``..., X said``,
``according to X``, ``X's statement that ...``, statement headings, transcripts and signed
lines). News sentences written for these tests."""

from stance.attribution.cues import find_in_paragraph
from stance.attribution.model import paragraph_spans, read_paragraph, trim


def cues(text: str) -> list[tuple[str, str | None, str | None, list[str]]]:
    """(kind, source, cue, content) of what each paragraph of ``text`` holds, in order;
    content trimmed as the public records are."""
    paragraphs = [read_paragraph(text, i, s, e) for i, (s, e) in enumerate(paragraph_spans(text))]
    rows = []
    for i, p in enumerate(paragraphs):
        find_in_paragraph(text, p, paragraphs[i - 1] if i else None)
        for f in p.found:
            rows.append(
                (
                    f.kind,
                    text[f.source[0] : f.source[1]] if f.source else None,
                    text[f.cue[0] : f.cue[1]] if f.cue else None,
                    [text[s:e] for s, e in (trim(text, span) for span in f.content) if e > s],
                )
            )
    return rows


def one(text: str):
    """The only thing ``text`` (one paragraph) attributes, as a Found."""
    p = read_paragraph(text, 0, 0, len(text))
    find_in_paragraph(text, p, None)
    (found,) = p.found
    return found


# --- tags and clauses -----------------------------------------------------------------


def test_a_quotation_with_its_tag_after_it_is_a_direct_quote():
    assert cues('"We will win," Goff said.') == [("direct", "Goff", "said", ['"We will win,"'])]


def test_an_inverted_tag_names_the_source_after_the_verb():
    assert cues('"We will win," said Goff.') == [("direct", "Goff", "said", ['"We will win,"'])]


def test_both_halves_of_a_split_quotation_belong_to_its_tag():
    text = '"The channel is too shallow," Hartley said, "and it has been for years."'
    assert cues(text) == [
        (
            "direct",
            "Hartley",
            "said",
            ['"The channel is too shallow,"', '"and it has been for years."'],
        )
    ]


def test_a_speech_verb_governs_the_rest_of_its_sentence():
    assert cues("The mayor said the budget was balanced.") == [
        ("reported", "The mayor", "said", ["the budget was balanced"])
    ]
    assert cues("The mayor told reporters that the budget was balanced.") == [
        ("reported", "The mayor", "told", ["the budget was balanced"])
    ]


def test_auxiliaries_and_adverbs_between_the_source_and_the_verb_are_skipped():
    for text in (
        "Critics have said the scheme was doomed.",
        "Critics have also said the scheme was doomed.",
        "Critics have repeatedly said the scheme was doomed.",
    ):
        assert cues(text) == [("reported", "Critics", "said", ["the scheme was doomed"])], text


def test_have_long_argued_is_an_attribution():
    assert cues("Critics have long argued the scheme was doomed.") == [
        ("reported", "Critics", "argued", ["the scheme was doomed"])
    ]


def test_adverbs_without_ly_before_a_cue_are_skipped():
    assert cues("Residents have since claimed the water was unsafe.") == [
        ("reported", "Residents", "claimed", ["the water was unsafe"])
    ]
    assert cues("Officials now say the deal is dead.") == [
        ("reported", "Officials", "say", ["the deal is dead"])
    ]


def test_such_an_adverb_inside_the_content_stays_there():
    assert cues("The wait was too long, residents said.") == [
        ("reported", "residents", "said", ["The wait was too long"])
    ]


def test_words_said_inside_a_quotation_are_no_cue():
    assert cues('"They said it could not be done," Rivera said.') == [
        ("direct", "Rivera", "said", ['"They said it could not be done,"'])
    ]


def test_a_tag_after_reported_content_takes_the_content_before_it():
    assert cues("Planning was poor, the report said.") == [
        ("reported", "the report", "said", ["Planning was poor"])
    ]


def test_a_relative_clause_after_a_tag_is_not_the_speakers():
    assert cues('"It is over," the coach said after the match, which his side lost 3-0.') == [
        ("direct", "the coach", "said", ['"It is over,"'])
    ]
    assert cues("The bridge will close in May, the mayor said, which angered residents.") == [
        ("reported", "the mayor", "said", ["The bridge will close in May"])
    ]


def test_a_circumstance_after_a_quotations_tag_is_not_the_speakers():
    assert cues('"We are ready," the captain said, as the crowd booed.') == [
        ("direct", "the captain", "said", ['"We are ready,"'])
    ]


def test_a_speech_participle_after_a_quotations_tag_is_the_speakers_again():
    ((_kind, source, _cue, content),) = cues(
        '"We are ready," the captain said, before adding that the squad was fit.'
    )
    assert source == "the captain"
    assert content == ['"We are ready,"', "before adding that the squad was fit"]


def test_a_circumstance_after_a_tag_in_reported_speech_is_still_the_speakers():
    assert cues("Rents will rise this year, the agency said, while wages will stall.") == [
        ("reported", "the agency", "said", ["Rents will rise this year", "while wages will stall"])
    ]


def test_a_tag_between_subject_and_verb_keeps_both_halves():
    assert cues("The bridge, the mayor said, would reopen in May.") == [
        ("reported", "the mayor", "said", ["The bridge", "would reopen in May"])
    ]


def test_a_name_before_a_tag_is_the_subject_when_its_verb_follows():
    assert cues("Councillor Obi, the mayor said, would resign.") == [
        ("reported", "the mayor", "said", ["Councillor Obi", "would resign"])
    ]
    assert cues("The bridge, according to the mayor, would reopen in May.") == [
        ("reported", "the mayor", "according to", ["The bridge", "would reopen in May"])
    ]


def test_an_opening_adverbial_before_a_tag_is_no_content():
    assert cues("In May, the mayor said, the bridge would reopen.") == [
        ("reported", "the mayor", "said", ["the bridge would reopen"])
    ]


def test_a_tag_in_mid_sentence_governs_both_sides():
    text = "The new bridge will be finished by May, the mayor said, and tolls will start in June."
    assert cues(text) == [
        (
            "reported",
            "the mayor",
            "said",
            ["The new bridge will be finished by May", "and tolls will start in June"],
        )
    ]


# --- according to ---------------------------------------------------------------------


def test_according_to_after_the_content_names_its_source():
    assert cues("The shop will close in March, according to police.") == [
        ("reported", "police", "according to", ["The shop will close in March"])
    ]


def test_according_to_before_the_content_names_its_source():
    assert cues("According to the fire service, the blaze started in a kitchen.") == [
        ("reported", "the fire service", "According to", ["the blaze started in a kitchen"])
    ]


def test_according_to_a_norm_is_no_attribution():
    for text in (
        "The bridge will reopen according to plan.",
        "Seats were allocated according to age groups.",
    ):
        assert cues(text) == [], text


# --- who speaks -----------------------------------------------------------------------


def test_an_apposition_belongs_to_the_source_and_the_name_heads_it():
    found = one("Hartley, a former harbourmaster, said the channel was too shallow.")
    assert found.source_text == "Hartley, a former harbourmaster"
    assert found.head == (0, len("Hartley"))


def test_the_antecedent_of_who_speaks_and_the_relative_clause_ends_at_its_comma():
    text = "Ngata, who said the vote was rigged, left early."
    assert cues(text) == [("reported", "Ngata, who", "said", ["the vote was rigged"])]
    assert one(text).head == (0, len("Ngata"))


def test_a_relative_clause_between_subject_and_verb_is_part_of_the_source():
    text = "Officials who spoke with the Herald said the deal had collapsed."
    found = one(text)
    assert found.source_text == "Officials who spoke with the Herald"
    assert text[found.head[0] : found.head[1]] == "Officials"


def test_a_count_of_people_can_speak():
    assert cues("Six in 10 voters say the levy is too high.") == [
        ("reported", "Six in 10 voters", "say", ["the levy is too high"])
    ]


def test_an_evidence_verb_needs_a_document_or_study_as_its_subject():
    assert cues("A survey released on Monday found support for the levy had fallen.") == [
        ("reported", "A survey released on Monday", "found", ["support for the levy had fallen"])
    ]
    assert cues("The divers found the wreck near the reef.") == []


def test_an_issued_statement_is_its_issuers():
    assert cues("The council issued a statement saying the pool would stay shut.") == [
        ("reported", "The council", "saying", ["the pool would stay shut"])
    ]


# --- what is no attribution -----------------------------------------------------------


def test_a_passive_or_an_infinitive_is_no_attribution_by_the_subject():
    assert cues("The minister was told the figures were wrong.") == []
    assert cues("The mayor is expected to say more on Friday.") == []


def test_ing_nouns_and_adjectives_and_a_bare_participle_are_no_cue():
    assert cues("The more worrying sign is the debt.") == []
    assert cues("His written testimony ran to 40 pages.") == []


def test_a_weak_cue_needs_something_to_mark_its_content():
    assert cues("Residents want a new bridge.") == []
    assert cues("Residents want to keep the old bridge.") == [
        ("reported", "Residents", "want", ["to keep the old bridge"])
    ]


# --- several cues in a sentence -------------------------------------------------------


def test_a_second_speaker_after_but_starts_a_clause_of_their_own():
    assert cues("The mayor said the budget was balanced, but critics said it was not.") == [
        ("reported", "The mayor", "said", ["the budget was balanced"]),
        ("reported", "critics", "said", ["it was not"]),
    ]


def test_though_he_added_cuts_the_first_content():
    text = "The mayor criticised the plan, though he added that he would not block it."
    assert cues(text) == [
        ("reported", "The mayor", "criticised", ["the plan"]),
        ("reported", "he", "added", ["he would not block it"]),
    ]


def test_a_belief_inside_reported_speech_is_nested_in_it():
    found = one("The treasurer said that the auditor believes the accounts are sound.")
    assert found.source_text == "The treasurer"
    (inner,) = found.inner
    assert (inner.source_text, inner.kind) == ("the auditor", "reported")


def test_a_cue_in_a_subordinate_clause_governs_only_up_to_its_comma():
    assert cues("When the mayor said the budget was balanced, critics laughed.") == [
        ("reported", "the mayor", "said", ["the budget was balanced"])
    ]


# --- other forms ----------------------------------------------------------------------


def test_a_quotation_after_a_colon_is_the_subjects():
    assert cues('She then turned to the crowd: "We are not going anywhere."') == [
        ("direct", "She", ":", ['"We are not going anywhere."'])
    ]


def test_as_someone_put_it():
    assert cues("As one fisherman put it, the season is already lost.") == [
        ("reported", "one fisherman", "put it", ["the season is already lost"])
    ]


def test_a_statement_noun_with_that_ends_before_the_sentences_own_verb():
    text = "The council's statement that the pool was safe was rejected by parents."
    assert cues(text) == [("reported", "council's", "statement", ["the pool was safe"])]


def test_a_claim_at_the_top_of_a_sentence_is_left_to_the_reports_inside_others_speech():
    # stance.attribution.reports: at the top of a sentence only statement nouns are read
    assert cues("The company's claim that the plant was safe was rejected by inspectors.") == []


def test_a_title_case_headline_has_capitalised_cues():
    assert cues("Mayor Says Port Will Stay Open") == [
        ("reported", "Mayor", "Says", ["Port Will Stay Open"])
    ]


def test_a_cue_ending_in_a_colon_has_no_content_of_its_own():
    assert cues("The mayor said:") == [("reported", "The mayor", "said", [])]


# --- lines opened by a name -----------------------------------------------------------


def test_a_transcript_turn_in_capitals_is_direct_speech():
    assert cues("CHAIR: Will the member withdraw?") == [
        ("direct", "CHAIR", ":", ["Will the member withdraw?"])
    ]


def test_a_name_and_a_dash_before_a_quotation_is_a_vox_pop():
    ((kind, source, cue, content),) = cues('Aroha Ngata \u2015 "We were never asked."')
    assert (kind, source, cue.strip(), content) == (
        "direct",
        "Aroha Ngata",
        "\u2015",
        ['"We were never asked."'],
    )


def test_a_name_and_a_colon_before_words_not_quoted_is_reported():
    assert cues("Tane Pirini: I think the hall should stay.") == [
        ("reported", "Tane Pirini", ":", ["I think the hall should stay"])
    ]


def test_a_label_or_a_name_with_digits_before_a_colon_is_no_speaker():
    assert cues("Update: the road has reopened.") == []
    assert cues("Covid-19: Cases rise again in Otago") == []


def test_a_subheading_signed_with_a_name_is_that_persons():
    assert cues("Port deal a betrayal - Mahuta") == [
        ("reported", "Mahuta", None, ["Port deal a betrayal"])
    ]
    assert cues("The port is safe - Mahuta.") == []  # a sentence, not a heading


def test_a_statement_heading_introduces_what_follows_it():
    assert cues("Water Board statement:") == [("statement", "Water Board", "statement", [])]
    rows = cues("Water Board statement:\nThe board regrets the outage.")
    assert rows[0] == ("statement", "Water Board", "statement", ["The board regrets the outage"])


def test_the_clause_of_an_indirect_question_is_not_its_subjects_words():
    """``asked if he believed X``: X is the question put to him, not something he said; the
    answer that follows is his."""
    assert cues("Asked if he too believed the count was rigged, he said: no.") == [
        ("reported", "he", "said", ["no"])
    ]
    assert cues("Reporters asked the minister whether she thought the deal was dead.") == [
        ("reported", "Reporters", "asked", ["whether she thought the deal was dead"])
    ]  # the reporters' question, and nothing of hers
    # a belief stated outright, or a clause after another "if", is still reported
    assert cues("He too believed the count was rigged.") == [
        ("reported", "He", "believed", ["the count was rigged"])
    ]
    assert cues("Nobody crossed the bridge even if the mayor said it was safe.") == [
        ("reported", "the mayor", "said", ["it was safe"])
    ]


def test_an_opening_adverb_is_no_name_before_an_apposition():
    """``Later, she said``: the source is "she", not "Later, she" (read as ``Name, apposition``
    like ``Richard Revesz, director of the institute, said``, which still is)."""
    for opener in ("Later", "Meanwhile", "Earlier"):
        assert cues(f"{opener}, she said the council would vote.") == [
            ("reported", "she", "said", ["the council would vote"])
        ]
    assert cues("Richard Revesz, director of the institute, said the rule was sound.") == [
        ("reported", "Richard Revesz, director of the institute", "said", ["the rule was sound"])
    ]
