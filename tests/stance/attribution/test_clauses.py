"""stance.attribution.clauses: sources that are not a bare name before the cue (appositions
and asides set off by commas, dashes or brackets, relative clauses, poll shares, initialisms).
Texts written for these tests in several outlets' styles (wire, broadsheet, regional)."""

from tests.stance.attribution_rows import found


def test_a_role_in_apposition_before_the_verb_is_part_of_the_source():
    text = (
        "Maria Lopez, dean of the Westfield School of Law, said the court had changed its tone "
        "since the spring."
    )
    ((speaker, source, content),) = found(text)
    assert speaker == "Maria Lopez"
    assert source == "Maria Lopez, dean of the Westfield School of Law"
    assert content == "the court had changed its tone since the spring"


def test_an_aside_between_subject_and_verb_does_not_hide_the_subject():
    texts = [
        "Councillor Ben Hart, though, said he would vote against the levy.",
        "Mr. Okafor, 69, said he had received hundreds of angry letters.",
        "Senator Jane Reed (D-Ore.), said after lunch that she had not read the plan.",
        "Ms. Tran -- in Dayton on Friday -- said the plant would stay open.",
        "Paul Meyer, the party's treasurer, has repeatedly said the accounts are in order.",
    ]
    for text in texts:
        ((speaker, source, _),) = found(text)
        assert speaker is not None and speaker.split()[-1] in source, text


def test_a_description_in_apposition_resolves_to_the_name_beside_it():
    text = (
        "Grace Wu chairs the board. The chairwoman, Grace Wu, told reporters the vote would be "
        "held again."
    )
    assert found(text)[-1][0] == "Grace Wu"


def test_a_tag_after_the_content_with_an_apposition():
    text = '"Nobody expected the turnout," Tom Ellis, the county clerk, told the Gazette on Monday.'
    ((speaker, source, content),) = found(text)
    assert (speaker, content) == ("Tom Ellis", '"Nobody expected the turnout,"')
    assert source.startswith("Tom Ellis")


def test_a_name_ending_in_ly_is_not_an_adverb():
    text = "The levy would cost families dearly, Kelly said."
    assert found(text) == [("Kelly", "Kelly", "The levy would cost families dearly")]


def test_a_relative_clause_between_the_subject_and_the_verb():
    text = "Former officials who spoke with the Courier said the agency had been gutted."
    ((_, source, content),) = found(text)
    assert source.startswith("Former officials")
    assert content == "the agency had been gutted"


def test_who_is_the_source_of_a_relative_clause():
    text = "Clinton leads among the 40 percent of voters who say the economy matters most."
    assert ("who", "the economy matters most") in [(s, c) for _, s, c in found(text)]


def test_poll_shares_speak():
    texts = [
        ("Sixty-four percent of registered voters say they back the plan.", "percent"),
        ("About 4 in 10 say they want the next president to be more liberal.", "10"),
        ("A majority of the members said the strike should go ahead.", "majority"),
    ]
    for text, word in texts:
        ((_, source, _),) = found(text)
        assert word in source, text


def test_a_source_that_is_an_initialism_is_not_cut_off_by_its_periods():
    text = "The F.B.I. has said it had no information about the suspect."
    ((_, source, content),) = found(text)
    assert source == "The F.B.I."
    assert content == "it had no information about the suspect"


def test_a_noun_phrase_after_said_ends_at_punctuation_not_in_a_clause():
    text = (
        "Congressman Dan Cole, a supporter of the mayor, said campaign strategists plan to win "
        "enough delegates in the first round of the convention."
    )
    ((speaker, _, content),) = found(text)
    assert speaker == "Dan Cole"
    assert content.startswith("campaign strategists plan")


def test_a_tag_at_the_end_takes_a_sentence_whose_content_had_a_cue_of_its_own():
    text = (
        "The province did not complain when Ottawa's spending helped growth, a senior "
        "provincial official said."
    )
    rows = found(text)
    assert rows[0][1] == "a senior provincial official"
    assert rows[0][2] == "The province did not complain when Ottawa's spending helped growth"


def test_a_participle_after_a_tag_shares_the_tags_source():
    text = "Prices will keep rising, the minister said on Friday, adding that wages would follow."
    sources = {source for _, source, _ in found(text)}
    assert sources == {"the minister"}


def test_said_in_an_interview_is_not_an_inverted_tag():
    text = '"It is exhausting," Rosa Lind, the mayor\'s chief of staff, said in an interview.'
    ((speaker, _, _),) = found(text)
    assert speaker == "Rosa Lind"


def test_weak_cues_with_an_infinitive_an_indirect_question_or_a_particle():
    rows = found(
        "Ms. Sato wants to run for the council again. A reporter asked the senator whether "
        "he would resign. The lawyers pointed to two earlier rulings."
    )
    assert [(s, c) for _, s, c in rows] == [
        ("Ms. Sato", "to run for the council again"),
        ("A reporter", "whether he would resign"),
        ("The lawyers", "two earlier rulings"),
    ]
    assert found("Voters want change.") == []  # no marker: not read as an attribution


def test_a_poll_speaks_through_any_word_of_its_noun_phrase():
    text = "A Herald-Ipsos survey conducted last week found that most residents oppose the toll."
    (_, source, content), nested = found(text)
    assert source.startswith("A Herald-Ipsos survey")
    assert content == "most residents oppose the toll"
    assert nested[1:] == ("most residents", "the toll")  # the position it found, nested


def test_positions_taken_by_acts_are_attributed():
    rows = found(
        "The union endorsed the mayor's rival on Monday. Councillor Ames declined to comment. "
        "The board supported the new zoning rules."
    )
    assert [(s, c) for _, s, c in rows] == [
        ("The union", "the mayor's rival on Monday"),
        ("Councillor Ames", "to comment"),
        ("The board", "the new zoning rules"),
    ]


def test_according_to_after_an_opener_and_in_mid_sentence():
    rows = found(
        "In addition, according to the ministry, nine thousand more nurses will be hired.\n\n"
        "Among the projects at risk, according to Ms. Park, are two new bridges."
    )
    assert rows[0][1:] == ("the ministry", "nine thousand more nurses will be hired")
    assert rows[1][0] == "Park"
    assert rows[1][2] == "Among the projects at risk | are two new bridges"


def test_according_to_a_long_source_and_over_a_cue_in_the_content():
    rows = found(
        "According to early results of exit polls conducted by Edison Research for the wire "
        "services and television networks, voters see the senator as honest.\n\n"
        "Most residents say they prefer lower fares, according to a survey released Thursday."
    )
    assert rows[0][1].startswith("early results of exit polls")
    assert rows[1][1:] == (
        "a survey released Thursday",
        "Most residents say they prefer lower fares",
    )


def test_a_participle_shares_the_subject_of_its_sentence():
    text = (
        "At a rally in Leeds on Friday, both candidates sharpened their attacks on the "
        "incumbent, saying that she had lost touch with the north."
    )
    ((_, source, content),) = found(text)
    assert source == "both candidates"
    assert content == "she had lost touch with the north"


def test_a_participle_with_a_clause_of_its_own_needs_no_comma():
    text = "The share of members saying they would strike has doubled since May."
    ((_, source, content),) = found(text)
    assert source == "The share of members"
    assert content.startswith("they would strike")


def test_a_question_and_its_tag_are_one_sentence():
    text = '"Who pays for it?" asked Councillor Reid. "Why now?" she asked. "We were never told."'
    rows = found(text)
    assert rows[0][0] == "Reid"
    assert rows[1][1:] == ("she", '"Why now?" | "We were never told."')


def test_a_quotation_after_a_colon_is_the_subjects():
    text = 'Ms. Adeyemi then turned to the crowd: "We are not going anywhere."'
    assert found(text) == [("Adeyemi", "Ms. Adeyemi", '"We are not going anywhere."')]
    assert found('The sign read: "Closed until further notice."')[0][1] == ""


def test_a_cue_in_a_relative_or_subordinate_clause_ends_with_its_clause():
    rows = found(
        "Mayor Lee Chan, who on Tuesday endorsed the levy, said Wednesday he would campaign "
        "for it.\n\nWhen the treasurer said the budget was balanced, the council laughed."
    )
    assert ("Lee Chan", "Mayor Lee Chan, who", "the levy") in rows
    assert any(s.startswith("Mayor Lee Chan") and "campaign for it" in c for _, s, c in rows)
    assert ("the treasurer", "the budget was balanced") in [(s, c) for _, s, c in rows]


def test_an_object_after_the_verb_makes_it_no_tag():
    text = "As the crowd cheered the result, new footage showed the candidate leaving early."
    assert all(
        source != "new footage" or "crowd" not in content for _, source, content in found(text)
    )


def test_said_and_a_weekday_before_a_clause_is_no_inverted_tag():
    text = "The plan was sound, said Thursday she would back it."
    assert all(source != "Thursday she" for _, source, _ in found(text))


def test_subjects_with_a_prepositional_phrase_or_a_count():
    rows = found(
        "Some delegates at the convention in Leeds said they welcomed the debate. "
        "Six in 10 say the council is doing well. "
        "Still, Tad Moore, an adviser to the mayor, said the plan would pass."
    )
    assert [s for _, s, _ in rows] == [
        "Some delegates at the convention in Leeds",
        "Six in 10",
        "Tad Moore, an adviser to the mayor",
    ]


def test_a_tag_after_a_partial_quotation_takes_the_whole_clause():
    text = (
        "His first segment on the station involved ''a painful chest-waxing incident,'' "
        "Ms. Okoro noted."
    )
    ((_, _, content),) = found(text)
    assert content.startswith("His first segment")


def test_a_speaker_line_is_one_line_and_the_lines_after_it_are_read():
    text = "HOST: Welcome back to the show.\nThe mayor said the bridge would reopen in May."
    rows = found(text)
    assert rows[0][1:] == ("HOST", "Welcome back to the show")
    assert rows[1][1:] == ("The mayor", "the bridge would reopen in May")


def test_a_new_clause_with_its_own_cue_ends_the_content_before_it():
    rows = found(
        "Ms. Ito again criticized the regional paper, though she added that the coverage had "
        "helped her raise money.\n\n"
        "Many councillors have said they will skip the vote and others have said they will "
        "abstain.\n\n"
        "Judge Moss put off ruling on the request but said the parties could return in June."
    )
    pairs = [(s, c) for _, s, c in rows]
    assert ("Ms. Ito", "the regional paper") in pairs
    assert ("she", "the coverage had helped her raise money") in pairs
    assert ("Many councillors", "they will skip the vote") in pairs
    assert ("others", "they will abstain") in pairs
    assert ("Judge Moss", "the parties could return in June") in pairs


def test_a_contracted_be_before_a_participle():
    text = "She's hoping the vote on Saturday will settle the matter."
    ((_, source, content),) = found(text)
    assert (source, content) == ("She's", "the vote on Saturday will settle the matter")


def test_a_question_with_a_longer_tag_and_shouted_words():
    rows = found(
        '"You think I am going to change?" Mayor Ruiz asked reporters rhetorically.\n\n'
        'Ben Otto shouted, "All the way!"\n\n'
        'The union issued a statement saying, "Members have spoken."'
    )
    assert [r[0] for r in rows[:2]] == ["Ruiz", "Ben Otto"]
    assert rows[2][1].startswith("The union") and rows[2][2] == '"Members have spoken."'


def test_as_someone_put_it():
    rows = found(
        'As the Courier\'s Ana Diaz puts it, "The council has run out of road."\n\n'
        "The levy is a mess, as one shopkeeper put it.\n\n"
        "Ms. Hall put it this way: the council has run out of money."
    )
    assert [(s, c) for _, s, c in rows] == [
        ("the Courier's Ana Diaz", '"The council has run out of road."'),
        ("one shopkeeper", "The levy is a mess"),
        ("Ms. Hall", "the council has run out of money"),
    ]


def test_a_relative_that_speaks_but_a_statement_that_is_a_content_clause():
    rows = found(
        'The page was replaced by a message that said, "The item is no longer available."\n\n'
        "The council's statement that the bridge is safe was disputed."
    )
    assert rows[0][1:] == ("that", '"The item is no longer available."')
    # the statement's clause ends where its sentence's own verb starts
    assert rows[1][1:] == ("council's", "the bridge is safe")


def test_several_asides_and_abbreviations_before_the_verb():
    rows = found(
        "Rosa Lima, 41, of Dayton, Ohio, says the plant must stay open.\n\n"
        "Sen. Amy Ford, D-Calif., a member of the panel, said the report was late.\n\n"
        "Kim Ode, whose degree was paid for by the Officers' Training Corps (OTC) program, "
        "said more students should get the chance."
    )
    assert [r[0] for r in rows] == ["Rosa Lima", "Amy Ford", "Kim Ode"]


def test_a_participle_after_the_subject_does_not_hide_its_head():
    text = "Democrats trying to regain the Senate say they have a new weapon."
    ((_, source, content),) = found(text)
    assert source.startswith("Democrats") and content == "they have a new weapon"


def test_a_short_clause_before_a_tag_is_content():
    text = "Sales were great, he said, wiping his face."
    ((_, _, content),) = found(text)
    assert content.startswith("Sales were great")
