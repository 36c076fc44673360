"""stance.loaded: loaded language in the author's voice (loaded_terms), idioms before their
words, and nothing inside masked spans (others' words)."""

from stance.loaded import LOADED_PHRASES, LOADED_WORDS, LoadedTerm, loaded_terms

TEXT = 'The council\'s disastrous plan was damage control, "a shameful farce" critics said.'
QUOTED = (TEXT.index('"'), TEXT.rindex('"') + 1)


def test_evaluative_words_and_idioms_in_text_order_with_their_valence():
    found = loaded_terms(TEXT, [])
    assert [t.text for t in found] == ["disastrous", "damage control", "shameful", "farce"]
    assert all(TEXT[t.start : t.end] == t.text and t.valence < 0 for t in found)
    assert found[1] == LoadedTerm(
        TEXT.index("damage"), TEXT.index(","), "damage control", LOADED_PHRASES["damage control"]
    )


def test_masked_words_are_someone_else_s_and_never_loaded():
    assert [t.text for t in loaded_terms(TEXT, [QUOTED])] == ["disastrous", "damage control"]
    assert loaded_terms(TEXT, [(0, len(TEXT))]) == ()


def test_an_idiom_is_found_across_spacing_and_case_and_its_words_are_not_counted_again():
    (term,) = loaded_terms("Damage   Control again", [])
    assert (term.text, term.valence) == ("Damage   Control", LOADED_PHRASES["damage control"])


def test_the_curated_words_count_and_factual_or_everyday_ones_do_not():
    assert [t.valence for t in loaded_terms("A petty move.", [])] == [LOADED_WORDS["petty"]]
    assert loaded_terms("He was convicted of fraud and won an award.", []) == ()
    assert loaded_terms("The council met on Monday.", []) == ()
