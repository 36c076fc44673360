"""Quotation spans, author-voice masking of what stance.attribution attributes, and the cues
(pure, no Django)."""

import math

from django.conf import settings as django_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stance.pipeline import read_labelled_tsv
from stance.text import (
    CUE_NAMES,
    QUOTE_TOKEN,
    REPORTED_TOKEN,
    Attributed,
    analyse,
    cue_vector,
    quoted_spans,
)
from stance.voice import attributed


def author_voice(text):
    """The author's own text of ``text`` read on its own, as the classifier reads it."""
    return analyse(attributed(text)).author


def spans_text(text):
    return [text[s:e] for s, e in quoted_spans(text)]


def cue(text, name):
    """A cue of ``text``, read on its own unless it comes as an Attributed."""
    text = text if isinstance(text, Attributed) else attributed(text)
    return cue_vector(text)[CUE_NAMES.index(name)]


# --- quoted_spans --------------------------------------------------------------------------


def test_straight_double_quotes():
    text = '"I think it\'s a ridiculous over reaction," Mr Carter said.'
    assert quoted_spans(text) == [(0, 42)]
    assert spans_text(text) == ['"I think it\'s a ridiculous over reaction,"']


def test_curly_double_quotes_and_two_spans():
    text = "\u201cNo,\u201d she said. \u201cAbsolutely not.\u201d"
    assert spans_text(text) == ["\u201cNo,\u201d", "\u201cAbsolutely not.\u201d"]


def test_nested_single_inside_double_is_one_outer_span():
    text = "\"He's saying 'I support the Labour Party but not the leader'.\""
    assert quoted_spans(text) == [(0, len(text))]


def test_apostrophes_are_not_quotes():
    assert quoted_spans("Carter's letter didn't help the party's chances.") == []
    assert quoted_spans("Carter\u2019s letter didn\u2019t help.") == []


def test_single_scare_quotes_found():
    text = "Expulsion 'petty' - Carter"
    assert spans_text(text) == ["'petty'"]
    text = "Ministers call it \u2018levelling up\u2019, whatever that means."
    assert spans_text(text) == ["\u2018levelling up\u2019"]


def test_double_inside_single_british_style():
    text = "\u2018They said \u201cno\u201d to me,\u2019 she said."
    assert spans_text(text) == ["\u2018They said \u201cno\u201d to me,\u2019"]


def test_unterminated_quote_runs_to_end_of_paragraph():
    text = 'He said: "We will fight this all the way. We will not back down.'
    (span,) = quoted_spans(text)
    assert span == (text.index('"'), len(text))


def test_closing_quote_without_opener_starts_mid_quotation():
    text = "I'm past Chris Carter now.\u201d Goff then left."
    assert spans_text(text) == ["I'm past Chris Carter now.\u201d"]


def test_no_quotes_fast_path():
    assert quoted_spans("The council voted 9-4 on Tuesday.") == []
    assert quoted_spans("") == []


# --- what stance.attribution attributes is masked as reported speech ------------------------


def test_told_then_said_reported_clause_is_masked():
    text = (
        "Today the Te Atatu MP told Radio New Zealand said the party had been "
        "unprofessional and petty in its handling of the situation."
    )
    voice = author_voice(text)
    assert "unprofessional" not in voice and "petty" not in voice
    assert REPORTED_TOKEN in voice
    assert voice.startswith("Today the Te Atatu MP told")
    assert cue(text, "attribution") >= 1


def test_colon_introduced_quote():
    text = 'He said: "The last two years has been a disaster and a sideshow."'
    voice = author_voice(text)
    assert "disaster" not in voice and "sideshow" not in voice
    assert voice.strip().startswith("He said")


def test_trailing_attribution_masks_the_clause_before():
    text = "The decision was petty and vindictive, Mr Carter said."
    voice = author_voice(text)
    assert "petty" not in voice
    assert "Mr Carter said" in voice


def test_said_x_and_according_to():
    text = "The budget is a disgrace, said the opposition leader."
    assert "disgrace" not in author_voice(text)
    text = "According to the minister, the scheme is a triumph."
    assert "triumph" not in author_voice(text)
    assert cue(text, "according_to") == 1


def test_first_person_verbs_are_not_attribution():
    text = "I think this decision is a disgrace, and we say so plainly."
    assert attributed(text).spans == []
    assert "disgrace" in author_voice(text)
    assert cue(text, "attribution") == 0


def test_needless_to_say_is_not_attribution():
    assert attributed("Needless to say, the plan failed.").spans == []


def test_quote_within_quote_paragraph_from_seed():
    text = (
        '"The position Chris was advocating was untenable," he said. '
        "\"He's saying 'I support the Labour Party but not the leader'.\""
    )
    spans = quoted_spans(text)
    assert len(spans) == 2
    assert text[spans[1][0] : spans[1][1]].startswith("\"He's saying")
    voice = author_voice(text)
    assert "untenable" not in voice and "support" not in voice
    assert "he said" in voice


def test_attributed_spans_cover_the_clause():
    text = "Mr Little said the council had acted properly."
    (span,) = attributed(text).spans
    assert text[span[0] : span[1]] == "the council had acted properly"


def test_a_plain_text_has_only_its_quotations_masked():
    text = 'Mr Little said the council had acted "properly".'
    a = analyse(text)
    assert a.reported == [] and a.attribution_cues == []
    assert "council" in a.author_tokens and "properly" not in a.author_tokens


def test_part_keeps_the_spans_inside_it_shifted():
    text = attributed("The council met. Mr Little said the council had acted properly.")
    second = text.part(17, len(text))
    assert str(second) == "Mr Little said the council had acted properly."
    assert [second[s:e] for s, e in second.spans] == ["the council had acted properly"]
    assert [second[s:e] for s, e in second.cues] == ["said"]
    assert text.part(0, 16).spans == []


# --- author voice and cues ------------------------------------------------------------------


def test_author_voice_replaces_quotes_with_placeholder():
    text = 'Mr Goff said the row had become "a side show".'
    assert "side show" not in author_voice(text)
    text = '"It was a disgrace," she said.'
    voice = author_voice(text)
    assert QUOTE_TOKEN in voice and "disgrace" not in voice


def test_author_voice_untouched_without_quotes_or_attribution():
    text = "Carter certainly has a funny way of displaying loyalty."
    assert author_voice(text) == text


def test_cues_are_computed_on_the_author_text_only():
    quoted = '"I think we should be ashamed, frankly, it is utterly absurd," she said.'
    own = "I think we should be ashamed, frankly, it is utterly absurd."
    for name in ("first_person_sg", "first_person_pl", "deontic", "evaluatives", "intensifiers"):
        assert cue(own, name) > 0, name
        assert cue(quoted, name) == 0, name
    assert cue(quoted, "quote_share") > 0.8
    assert cue(quoted, "attribution") == 1


def test_rhetorical_question_only_outside_quotes():
    assert cue("What other interpretation can be given to this?", "question") == 1
    assert cue('"Why should we pay?" the mayor asked.', "question") == 0


def test_irony_exhortation_and_scare_quotes():
    assert cue("The so-called reform is, of course, nothing of the kind.", "irony") >= 1
    assert cue("It is time we stopped pretending.", "exhortation") == 1
    assert cue("Let us be clear about this.", "imperative") == 1
    assert cue("The minister's 'reform' changes nothing.", "scare_quotes") == 1


def test_analysis_is_consistent():
    text = 'Mr Carter said: "I did a stupid thing."'
    a = analyse(text)
    assert a.text == text
    assert len(a.cues) == len(CUE_NAMES)
    assert a.quotes == quoted_spans(text)
    assert "_quote_" in a.author_tokens or "_reported_" in a.author_tokens


# --- robustness and the article-level mask --------------------------------------------------

STARTER = [text for _, text, _ in read_labelled_tsv(django_settings.STANCE_STARTER_CORPUS)]

# pieces that reach every stage: quotation marks of each kind, apostrophes inside and outside
# words, speech verbs and their subjects, abbreviations before a full stop, numbers, accented
# letters, characters that lower-case to ASCII letters, the placeholders spelt out
WORDS = (
    "the minister Mr Carter critics they we I you it is time of course no wonder hard clear "
    "said says say told tells asked warned called for on to that claims report reports "
    "Let us Consider more better than surely very not united states his"
)
FRAGMENTS = [
    *WORDS.split(" "),
    "according to",
    "in a statement",
    "don't",
    "Carter's",
    "dogs'",
    "1990's",
    "it\u2019s",
    "the \u2018reform\u2019",
    "3.5",
    "U.S.",
    "café",
    "\u212a",
    "\u0130stanbul",
    "_quote_",
    "_REPORTED_",
    *[" ", ", ", ". ", "? ", "! ", ": ", " - ", " \u2014 ", "\n", "(", ")"],
    *['"', "'", "\u2018", "\u2019", "\u201a", "\u201c", "\u201d", "\u201e", "«", "»"],
    *["\u00a0", "…", "£", "\U0001f600", "\ud800"],
]
generated_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=40
).map("".join)


def assert_well_formed(text):
    a = analyse(attributed(text))
    assert len(a.cues) == len(CUE_NAMES) and all(math.isfinite(c) for c in a.cues), text
    for spans in (a.quotes, a.reported):
        assert all(0 <= s < e <= len(text) for s, e in spans), text
        assert spans == sorted(spans), text
    # every word of the text is either the author's or inside a masked span
    assert len(a.author_tokens) <= len(a.tokens) + len(a.quotes) + len(a.reported) + 1, text


def test_analysis_is_well_formed_on_the_starter_corpus():
    assert len(STARTER) > 500
    for text in STARTER:
        assert_well_formed(text)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(generated_text)
def test_analysis_is_well_formed_on_generated_text(text):
    assert_well_formed(text)


def test_tokens_keep_apostrophes_numbers_and_accents():
    assert analyse("Don\u2019t say \u201cnever\u201d: 3.5 per cent, 3am.").tokens == [
        "don't", "say", "never", "3.5", "per", "cent", "3", "am"
    ]  # fmt: skip
    assert analyse("Café society in \u0130stanbul").tokens[0] == "café"


def test_attributed_spans_are_masked_as_reported_speech_whatever_their_tone():
    text = "The decision was petty and vindictive and a disgrace."
    plain = analyse(text)
    assert "petty" in plain.author_tokens
    masked = analyse(Attributed(text, [(17, len(text) - 1)]))
    assert "petty" not in masked.author_tokens
    assert "_reported_" in masked.author_tokens
    assert "petty" in masked.others
    assert cue(Attributed(text, [(17, len(text) - 1)]), "reported_share") > 0.5
    # spans outside the text are clipped, empty ones ignored
    assert analyse(Attributed(text, [(-5, 3), (40, 40), (50, 90)])).text == text
