"""Quotation spans, attribution and author-voice masking (pure, no Django)."""

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stance import text as text_module
from stance.pipeline import default_data_paths, read_labelled_tsv
from stance.text import (
    CUE_NAMES,
    QUOTE_TOKEN,
    REPORTED_TOKEN,
    analyse,
    attributions,
    author_voice,
    cue_vector,
    quoted_spans,
    reported_spans,
    sentence_spans,
)


def spans_text(text):
    return [text[s:e] for s, e in quoted_spans(text)]


def cue(text, name):
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


# --- attribution and reported speech --------------------------------------------------------


def test_told_then_said_reported_clause_is_masked():
    text = (
        "Today the Te Atatu MP told Radio New Zealand said the party had been "
        "unprofessional and petty in its handling of the situation."
    )
    verbs = [a.verb for a in attributions(text)]
    assert "told" in verbs
    voice = author_voice(text)
    assert "unprofessional" not in voice and "petty" not in voice
    assert REPORTED_TOKEN in voice
    assert voice.startswith("Today the Te Atatu MP told")


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
    assert any(a.verb == "according to" for a in attributions(text))


def test_first_person_verbs_are_not_attribution():
    text = "I think this decision is a disgrace, and we say so plainly."
    assert attributions(text) == []
    assert "disgrace" in author_voice(text)


def test_needless_to_say_and_infinitives_are_not_attribution():
    assert attributions("Needless to say, the plan failed.") == []
    assert attributions("The minister wants to cut taxes.") == []


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


def test_reported_spans_offsets_cover_the_clause():
    text = "Mr Little said the council had acted properly."
    (span,) = reported_spans(text)
    assert text[span[0] : span[1]] == "the council had acted properly."


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


# --- fast paths -----------------------------------------------------------------------------
# analyse() and the span functions skip stages that cannot find anything and tokenise on the
# text's bytes where no regex is needed (stance.text._FAST_PATHS); with the shortcuts off every
# stage runs in full, with the original regexes. Both must give exactly the same results.

STARTER = [text for path in default_data_paths() for _, text, _ in read_labelled_tsv(path)]

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
    "the spokesman said",
    "went on to say",
    "so-called",
    "don't",
    "Carter's",
    "dogs'",
    "rock'n'roll",
    "1990's",
    "it’s",
    "the ‘reform’",
    "3.5",
    "1,000",
    "10:30",
    "3am",
    "2020",
    "45%",
    "U.S.",
    "Dr.",
    "e.g.",
    "Prof.",
    "Sept.",
    "J.",
    "vs.",
    "etc.",
    "ministers.",
    "café",
    "Élan",
    "straße",
    "ΣΟΣ",
    "٣٤",
    "\u212a",
    "\u0130stanbul",
    "ſ",
    "ı",
    "_quote_",
    "_REPORTED_",
    "x_y",
    *[" ", " ", " ", ", ", ". ", "? ", "! ", ": ", "; ", " - ", " — ", "\n", "\t", "(", ")"],
    *['"', "'", "\u2018", "\u2019", "\u201a", "\u201c", "\u201d", "\u201e", "«", "»"],
    *["\u00a0", "…", "£", "€", "ª", "²", "\u2071", "\U0001f600", "\ud800"],
]
generated_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=40
).map("".join)


@contextlib.contextmanager
def full_analysis():
    text_module._FAST_PATHS = False
    try:
        yield
    finally:
        text_module._FAST_PATHS = True


def everything(text):
    return (
        analyse(text),
        quoted_spans(text),
        sentence_spans(text),
        attributions(text),
        reported_spans(text),
    )


def assert_fast_paths_change_nothing(text):
    fast = everything(text)
    with full_analysis():
        full = everything(text)
    assert fast == full, text


def test_fast_paths_change_nothing_on_the_starter_corpus():
    assert len(STARTER) > 500
    for text in STARTER:
        assert_fast_paths_change_nothing(text)


@settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck))
@given(generated_text)
def test_fast_paths_change_nothing_on_generated_text(text):
    assert_fast_paths_change_nothing(text)


def test_fast_paths_change_nothing_at_the_edges():
    # each quotation mark alone, at either end, inside and outside a word
    marks = "\"'\u2018\u2019\u201a\u201c\u201d\u201e\u00ab\u00bb"
    shapes = ("{m}", "{m}word", "word{m}", "a {m}b", "a{m} b", "a{m}b", "x {m}y z.", "x y{m}, z")
    for mark in marks:
        for shape in shapes:
            assert_fast_paths_change_nothing("He said " + shape.format(m=mark))
            assert_fast_paths_change_nothing(shape.format(m=mark))
    # speech verbs against word boundaries, sentence ends after abbreviations and numbers
    for text in (
        "x_said that it was wrong.",
        "It was said_x that.",
        "3said the minister.",
        "It was unsaid, saidx.",
        "Critics say: the plan is a mess.",
        "Mr. Carter said the plan had failed. Mrs. Goff disagreed.",
        "The U.S. said it would act. Prof. Jones said no. In Sept. the rate rose 3.5%.",
        "He wrote to the Co. and the No. 4 team said yes. J. Smith said 10:30.",
        "Critics have also previously publicly say the plan failed.",
        "They have also previously publicly repeatedly say it failed.",
        *(f"The minister said{' ' * n}: it failed." for n in range(38, 43)),
        "The minister said 3.5 per cent: it failed.",
        "The minister said so! really: it failed.",
    ):
        assert_fast_paths_change_nothing(text)


@settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck))
@given(generated_text)
def test_byte_tokeniser_agrees_with_the_regex(text):
    scanned = text_module._scan_bytes(text.encode("utf-8", "surrogatepass"))
    low = text_module._lower(text)
    if scanned is not None:
        tokens, numbers, may_quote = scanned
        assert tokens == text_module._TOKEN_RE.findall(low)
        assert numbers == sum(1 for t in tokens if t[0].isdigit())
        if not may_quote:
            with full_analysis():
                assert quoted_spans(text) == []
    if "_" not in text:
        author = f"{text} {QUOTE_TOKEN} {text} {REPORTED_TOKEN}"
        scanned = text_module._scan_bytes(author.encode("utf-8", "surrogatepass"), author=True)
        if scanned is not None:
            assert scanned[0] == text_module._ALPHA_WORD_RE.findall(text_module._lower(author))
    assert text_module._TOKEN_SCAN(low) == text_module._TOKEN_RE.findall(low)
    assert text_module._ALPHA_WORD_SCAN(low) == text_module._ALPHA_WORD_RE.findall(low)


def test_byte_tokeniser_hands_over_to_the_regex_when_it_must():
    for text in ("café society", "K\u212a", "\u0130stanbul", "٣٤ items", "lone \ud800"):
        assert text_module._scan_bytes(text.encode("utf-8", "surrogatepass")) is None, text
    tokens, numbers, may_quote = text_module._scan_bytes(
        "Don’t say “never”: 3.5 per cent, 3am.".encode()
    )
    assert tokens == ["don't", "say", "never", "3.5", "per", "cent", "3", "am"]
    assert numbers == 2 and may_quote
