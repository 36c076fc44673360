"""stance.attribution.nested: quotations inside quotations, the inner words an attribution of
their own, nested in the outer content. Texts written for these tests in several outlets'
styles."""

from stance.attribution import attribute_text
from tests.stance.attribution_rows import found


def test_a_quotation_quoting_someone_named_in_it():
    text = (
        "Dana Whitfield chairs the inquiry. "
        "\"He told me, 'I will not resign over this,'\" Ms. Whitfield said."
    )
    outer, inner = attribute_text(text)
    assert outer.speaker == "Dana Whitfield"
    assert text[slice(*inner.source[0])] == "He"
    assert text[slice(*inner.content[0])] == "'I will not resign over this,'"
    assert inner.speaker is None  # "he" is not the speaker, and nobody else is named
    (o_s, o_e), (i_s, i_e) = outer.content[0], inner.content[0]
    assert o_s < i_s and i_e < o_e  # nested inside the outer content


def test_a_quotation_inside_a_british_quotation_names_its_own_speaker():
    text = (
        "Tom Reyes and Priya Nair met on Monday. "
        "'Mr Reyes wrote to me: \"The deal is off, and it stays off,\" which settled it,' "
        "Ms Nair said."
    )
    rows = found(text)
    assert rows[0][0] == "Priya Nair"
    assert rows[1][:2] == ("Tom Reyes", "Mr Reyes")
    assert rows[1][2].startswith('"The deal is off, and it stays off,"')


def test_i_inside_a_quotation_is_its_speaker():
    text = "\u201cI said, \u2018not on my watch,\u2019 and I meant it,\u201d Mayor Joan Hale said."
    rows = found(text)
    assert [f[0] for f in rows] == ["Joan Hale", "Joan Hale"]
    assert rows[1][1] == "I"


def test_an_inner_quotation_naming_nobody_stays_unresolved():
    text = (
        "The letter from the board read: \"As the saying goes, 'nobody is above the rules of "
        "this council.'\""
    )
    inner = [f for f in found(text) if f[2].startswith("'nobody")]
    assert inner == [(None, "", "'nobody is above the rules of this council.'")]


def test_a_quotation_without_an_inner_one_adds_nothing():
    text = '"We will not resign," she said.'
    assert len(attribute_text(text)) == 1
