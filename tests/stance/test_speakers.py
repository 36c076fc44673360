"""stance.speakers: editors' speaker corrections applied to a paragraph's stored analysis,
each finding its quote by text, else by overlap, the latest winning."""

from dataclasses import dataclass

from stance import framing, speakers
from stance.models import SpeakerCorrection

TEXT = 'Ms Hale said: "We will appeal." Mr Reyes said: "We will not."'
FIRST = TEXT.index('"We will appeal')
SECOND = TEXT.index('"We will not')


@dataclass
class Correction:
    """A correction as speakers reads one (stance.models.SpeakerCorrection has these)."""

    start: int
    end: int
    quote_text: str
    choice: str
    speaker_key: str = ""
    speaker_name: str = ""


def quote(start: int, end: int, speaker: str | None, speaker_text: str) -> framing.Quote:
    return framing.Quote(start, end, TEXT[start:end], "direct", speaker, speaker_text, "", 3)


HALE = quote(FIRST, FIRST + 17, "hale", "Ms Hale")
REYES = quote(SECOND, SECOND + 14, "reyes", "Mr Reyes")
ANALYSIS = framing.ParagraphFraming(quotes=(HALE, REYES))


def correction(of: framing.Quote, choice: str, key: str = "", name: str = "") -> Correction:
    return Correction(of.start, of.end, of.text, choice, key, name)


def test_a_correction_finds_its_quote_by_text_when_the_bounds_move():
    text = 'Then he said: "We will not back down." Nobody believed it.'
    inner = text.index("We")
    moved = framing.Quote(inner, inner + 23, text[inner : inner + 23], "direct", "1", "he", "", 5)
    wider = SpeakerCorrection(
        start=inner - 1, end=inner + 24, quote_text=text[inner - 1 : inner + 24], choice="other"
    )
    wider.speaker_name = "Tom Reyes"
    analysis = framing.ParagraphFraming(quotes=(moved,))
    (quote,) = speakers.apply_corrections(analysis, text, [wider]).quotes
    assert quote.speaker is None and quote.speaker_text == "Tom Reyes"
    elsewhere = framing.Quote(0, 4, "Then", "direct", "1", "he", "", 1)
    analysis = framing.ParagraphFraming(quotes=(elsewhere,))
    assert speakers.apply_corrections(analysis, text, [wider]).quotes == (elsewhere,)


def test_an_actor_chosen_replaces_the_speaker_and_the_latest_correction_wins():
    earlier = correction(REYES, speakers.OTHER, name="A council aide")
    later = correction(REYES, speakers.ACTOR, "hale", "Ann Hale")
    corrected = speakers.apply_corrections(ANALYSIS, TEXT, [earlier, later])
    assert corrected.quotes == (
        HALE,
        framing.Quote(REYES.start, REYES.end, REYES.text, "direct", "hale", "Ann Hale", "", 3),
    )
    items = speakers.corrected_quotes(ANALYSIS, TEXT, [earlier, later])
    assert [item.correction for item in items] == [None, later]
    assert [item.speaker_key for item in items] == ["hale", "hale"]


def test_nobody_s_words_are_dropped_from_the_quotes():
    nobody = correction(HALE, speakers.NOBODY)
    (item, _) = speakers.corrected_quotes(ANALYSIS, TEXT, [nobody])
    assert not item.is_speech and item.speaker_text == "" and item.speaker_key is None
    assert speakers.apply_corrections(ANALYSIS, TEXT, [nobody]).quotes == (REYES,)


def test_a_correction_whose_words_are_gone_matches_nothing():
    gone = Correction(FIRST, FIRST + 10, "Words no longer there", speakers.OTHER, "", "X")
    assert speakers.match_quote(ANALYSIS.quotes, TEXT, gone) is None
    assert speakers.apply_corrections(ANALYSIS, TEXT, [gone]) == ANALYSIS
    assert speakers.apply_corrections(ANALYSIS, TEXT, []) is ANALYSIS
