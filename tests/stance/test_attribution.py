"""Open attribution on texts written for these tests, in several outlets' styles.

None of them is the seed story: the rules are about news writing, not about Goff and Carter.
"""

import json

import pytest
from django.core.management import CommandError, call_command

from stance.attribution import attribute, attribute_text, by_others
from tests.stance.attribution_rows import said


def speakers(text: str) -> list[str | None]:
    return [row[1] for row in said(text)]


# --- direct quotations --------------------------------------------------------------------


def test_tag_after_the_quote_us_style():
    text = '"We will rebuild the bridge by spring," Mayor Anna Ruiz said on Tuesday.'
    ((kind, speaker, source, cue, content),) = said(text)
    assert (kind, speaker, source, cue) == ("direct", "Anna Ruiz", "Mayor Anna Ruiz", "said")
    assert content == '"We will rebuild the bridge by spring,"'


def test_inverted_tag_with_a_role_in_apposition():
    text = (
        'Council leaders met on Monday. "The budget is simply not there," said Tom Baker, '
        "the council's finance chair."
    )
    assert said(text)[0][:4] == ("direct", "Tom Baker", "Tom Baker", "said")


def test_british_single_quotes_and_a_pronoun_tag():
    text = (
        "Sarah Connolly has led the union since 2019.\n\n"
        "'Members have had enough of broken promises,' she said."
    )
    ((kind, speaker, source, cue, _),) = said(text)
    assert (kind, speaker, source, cue) == ("direct", "Sarah Connolly", "she", "said")


def test_split_quotation_belongs_to_one_speaker():
    text = '"It was a mistake," Mr Patel said, "and I take full responsibility for it."'
    ((kind, speaker, _source, _cue, content),) = said(text)
    assert kind == "direct" and speaker == "Patel"
    assert "mistake" in content and "responsibility" in content


def test_colon_introduces_the_quotation():
    text = 'Ms Okafor told the hearing: "Nobody warned us about the flooding."'
    ((kind, speaker, source, cue, content),) = said(text)
    assert (kind, speaker, source, cue) == ("direct", "Okafor", "Ms Okafor", "told")
    assert content.startswith('"Nobody warned us')


def test_colon_at_the_end_of_a_paragraph_introduces_the_next():
    text = (
        "Asked whether she would resign, Health Minister Jo Reid said:\n\n"
        '"I have no intention of going anywhere. The work is not finished."'
    )
    rows = said(text)
    assert [(r[0], r[1]) for r in rows] == [("direct", "Jo Reid")]
    assert "no intention" in rows[0][4]


def test_quotation_continued_across_paragraphs():
    text = (
        '"The river rose faster than anyone expected," said fire chief Dan Moore.\n\n'
        '"We had crews on the bank within minutes, but the water was already in the houses.\n\n'
        '"Nobody could have held it back."'
    )
    assert speakers(text) == ["Dan Moore", "Dan Moore", "Dan Moore"]


def test_open_quotation_takes_the_speaker_of_the_next_paragraph():
    text = (
        '"The deal is a betrayal of every worker in this plant.\n\n'
        '"We will fight it," union organiser Lena Park said.'
    )
    assert speakers(text) == ["Lena Park", "Lena Park"]


def test_quote_after_a_named_sentence_goes_on_with_that_speaker():
    text = 'Ms Ito said the school would stay open. "Closing it was never on the table."'
    rows = said(text)
    assert [(r[0], r[1]) for r in rows] == [("reported", "Ito"), ("direct", "Ito")]


def test_a_scare_quote_is_not_speech_but_a_long_unsigned_quotation_is():
    assert said("The so-called 'efficiency review' cut 40 jobs.") == []
    rows = said('A banner read "hands off our hospital, now and forever" at the gates.')
    assert [(r[0], r[1]) for r in rows] == [("direct", None)]


# --- reported speech, statements, beliefs -------------------------------------------------


def test_reported_speech_with_and_without_that():
    rows = said("The minister said the road would reopen next week.")
    assert rows == [("reported", None, "The minister", "said", "the road would reopen next week")]
    rows = said("Police said on Friday that two men had been arrested.")
    assert rows[0][1:] == (None, "Police", "said", "two men had been arrested")


def test_told_skips_the_addressee():
    rows = said("Ms Reid told reporters the hospital had run out of beds.")
    assert rows[0][1:4] == ("Reid", "Ms Reid", "told")
    assert rows[0][4] == "the hospital had run out of beds"


def test_according_to_before_and_after():
    rows = said("The plant will close in March, according to a company memo.")
    assert rows[0][:4] == ("reported", None, "a company memo", "according to")
    assert rows[0][4] == "The plant will close in March"
    rows = said("According to Ms Ruiz, the bridge is safe.")
    assert rows[0][1:] == ("Ruiz", "Ms Ruiz", "According to", "the bridge is safe")


def test_according_to_a_norm_is_not_a_source():
    # "according to" also means "in a manner conforming to": a plan, a doctrine, a measure
    assert said("According to legend, the bridge is cursed.") == []
    assert said("Things went according to plan at the depot.") == []
    assert said("Benefits would be paid according to the economic status of each family.") == []
    assert said("The cuts, according to their doctrine, will pay for themselves.") == []
    # ... while people, groups and what states something stay sources
    rows = said("According to people familiar with the network's plans, the show will end.")
    assert rows[0][2:4] == ("people familiar with the network's plans", "According to")
    rows = said("Turnout rose 4%, according to the Pew Research Group.")
    assert rows[0][2] == "the Pew Research Group"


def test_beliefs_and_intentions_are_attributed():
    rows = said("Dr Amir Haddad believes the vaccine will be ready by winter.")
    assert rows[0][1:] == (
        "Amir Haddad",
        "Dr Amir Haddad",
        "believes",
        "the vaccine will be ready by winter",
    )


def test_a_statement_heading_takes_the_document_below_it():
    text = (
        "The board met late into the night.\n\n"
        "Harbour Board statement:\n\n"
        "The board has decided to sell the northern wharf.\n\n"
        "a) The wharf has lost money for six years;\n\n"
        "b) No buyer has been found for the southern site."
    )
    rows = said(text)
    assert [(r[0], r[1], r[2]) for r in rows] == [("statement", "Harbour Board", "Harbour Board")]
    assert "northern wharf" in rows[0][4] and "southern site" in rows[0][4]


def test_a_transcript_credits_each_speaker():
    text = (
        "HOST: Do you regret the vote?\n\n"
        "MARSH: Not for a second. It was the right call.\n\n"
        "HOST: Even now?"
    )
    assert speakers(text) == ["HOST", "MARSH", "HOST"]


def test_a_signed_subheading_is_the_signers():
    text = (
        "Tom Baker has run the council's budget for a decade.\n\n"
        "Budget 'a disgrace' - Baker\n\n"
        "Mr Baker spoke after the vote."
    )
    rows = said(text)
    assert rows[0][:3] == ("direct", "Tom Baker", "Baker")


@pytest.mark.parametrize(
    "text",
    [
        "Ms Obi was expelled by Unison's ruling council on Friday after a long meeting.",
        "Mr Lee's telling of the affair left out the loan.",
    ],
)
def test_a_possessive_before_a_cue_in_ing_is_not_a_contracted_is(text):
    # "Unison's ruling council": a possessive and an adjective, not "Unison is ruling"
    assert said(text) == []


def test_a_ruling_that_says_is_the_source_not_the_cue():
    rows = said("The court's ruling said the 2019 law was void.")
    assert rows[0][2:] == ("The court's ruling", "said", "the 2019 law was void")


def test_a_contracted_is_before_a_cue_in_ing_still_reads_as_speech():
    rows = said("She's saying that the deal is dead, and the ministry's insisting it is alive.")
    assert [row[3:] for row in rows] == [
        ("saying", "the deal is dead"),
        ("insisting", "it is alive"),
    ]


def test_a_statement_heading_its_sentence_ends_before_the_sentences_own_verb():
    rows = said(
        "The ministry's statement that the line would be finished by June was withdrawn on "
        "Friday. The board's announcement that fares would rise has angered commuters."
    )
    assert [row[2:] for row in rows] == [
        ("ministry's", "statement", "the line would be finished by June"),
        ("board's", "announcement", "fares would rise"),
    ]


# --- speakers: pronouns and descriptions --------------------------------------------------


def test_pronoun_follows_the_subject_of_the_previous_sentence():
    text = (
        "Opposition leader Maria Lopez met Mr Grant on Friday.\n\n"
        '"We agreed on nothing," she said.\n\n'
        "He said the talks had been useful."
    )
    # "she" is Lopez (Mr Grant is a he); "He" is Grant, the only compatible person
    assert speakers(text) == ["Maria Lopez", "Grant"]


def test_pronoun_chains_keep_the_speaker():
    text = (
        "Mr Grant said the talks had failed. He said Ms Lopez had walked out. "
        "He had offered a compromise."
    )
    assert speakers(text)[:2] == ["Grant", "Grant"]


def test_pronoun_with_two_people_named_together_stays_unresolved():
    text = "Mr Grant and Mr Hale met on Friday. He said the talks had failed."
    assert speakers(text) == [None]


def test_a_description_resolves_to_the_one_entity_whose_role_fits():
    text = (
        "Auckland mayor Wayne Brown opened the tunnel on Monday.\n\n"
        "The mayor said the project had come in under budget."
    )
    assert speakers(text) == ["Wayne Brown"]


def test_pronoun_never_points_into_a_quotation():
    text = (
        'Ms Ito said: "Tom Baker has done nothing for this school."\n\n'
        "She said parents would protest."
    )
    assert speakers(text) == ["Ito", "Ito"]


# --- the API ------------------------------------------------------------------------------


def test_paragraph_list_and_text_give_the_same_attributions():
    paragraphs = ['"We are ready," Ms Ruiz said.', "She said the vote would pass."]
    text = "\n\n".join(paragraphs)
    assert attribute(paragraphs) == attribute_text(text)


def test_offsets_are_into_the_text_end_exclusive():
    text = "  \n\nThe mayor said the bridge was safe.\n\n\n"
    (a,) = attribute_text(text)
    (s, e) = a.content[0]
    assert text[s:e] == "the bridge was safe"
    assert text[a.cue[0][0] : a.cue[0][1]] == "said"


@pytest.mark.parametrize("text", ["", "   ", "\n\n\n", "No one said anything", '"', "\u201c"])
def test_degenerate_texts(text):
    assert isinstance(attribute_text(text), list)


def test_cost_stays_linear_on_one_huge_paragraph():
    # not a timing test: the work must not blow up (one pass per token, bisect look-ups)
    sentence = '"We will not revisit it," Mr Smith told reporters. The council said it was final. '
    found = attribute_text(sentence * 3000)
    assert len(found) == 6000


# --- the command --------------------------------------------------------------------------


def test_attributions_command_writes_offsets_per_article(tmp_path):
    text = 'Mr Patel said the plan was dead.\n\n"It is over," said Ms Ito.'
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "a1", "text": text}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    call_command("attributions", input=str(source), output=str(out))
    (line,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert line["id"] == "a1"
    rows = line["attributions"]
    assert [(r["kind"], r["speaker"]) for r in rows] == [("reported", "Patel"), ("direct", "Ito")]
    ((s, e),) = rows[0]["content"]
    assert text[s:e] == "the plan was dead"
    assert all(set(r) == {"content", "source", "cue", "kind", "speaker"} for r in rows)


def test_attributions_command_refuses_bad_lines(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": 1}\n', encoding="utf-8")
    with pytest.raises(CommandError, match=r'in\.jsonl:1: needs "id" and a "text" string'):
        call_command("attributions", input=str(source), output=str(tmp_path / "o.jsonl"))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("attributions", input=str(tmp_path / "nope"), output="x")


def test_a_column_credits_each_quote_to_its_own_speaker():
    # the user's report: a column's partial quote of one politician went to another, and a
    # pronoun tag was left with no speaker
    text = (
        "Chris Carter has made his point, and Labour is poorer for it.\n\n"
        "John Key could not resist. The Prime Minister told reporters he did not think "
        'Carter would "speak solely for himself" for long.\n\n'
        'Phil Goff was having none of it. "I\'m past Chris Carter now," he said.\n\n'
        "It is hard to imagine a worse week for a party that wants to be taken seriously."
    )
    rows = said(text)
    assert [(r[0], r[1]) for r in rows] == [("reported", "John Key"), ("direct", "Phil Goff")]
    assert '"speak solely for himself"' in rows[0][4]
    assert rows[0][2] == "The Prime Minister"


def test_by_others_keeps_everyone_but_the_author():
    """The author's "I think", "we believe" and an impersonal "everyone knows" are the
    author's claims; the same words inside someone's quotation, and a named source, are not."""
    for own in (
        "I think the plan is a disgrace.",
        "We believe the council got this wrong.",
        "I hope the minister resigns before the summer is out.",
    ):
        found = attribute_text(own)
        assert found and by_others(own, found) == []
    for theirs in (
        "Critics say the plan is a disgrace.",
        '"I think the plan is a disgrace," Ms Hale said.',
        "The mayor believes the plan will pass.",
    ):
        found = attribute_text(theirs)
        assert found and by_others(theirs, found) == found
