"""stance.mentions: where a story's actors are named in a paragraph (find_names over
actor_patterns), longest match first, never overlapping."""

from stance.mentions import ActorSpec, actor_patterns, find_names

GOFF = ActorSpec(key="goff", name="Phil Goff", aliases=["the mayor"], pronoun="He")
CARTER = ActorSpec(key="carter", name="Chris Carter", aliases=["Carter"])
LITTLE = ActorSpec(key="little", name="Andrew Little", aliases=["Little"])


def names(text: str, *actors: ActorSpec) -> list[tuple[str, str, str, bool]]:
    """Each mention as (its text, actor key, how it was found, possessive)."""
    found = find_names(text, actor_patterns(actors))
    return [(text[start:end], actor, via, poss) for start, end, actor, via, poss in found]


def test_a_spec_takes_any_sequence_of_aliases_and_normalises_its_key_and_pronoun():
    spec = ActorSpec(key=7, name="Ann Hale", aliases="Ms Hale", pronoun=" She ")
    assert (spec.key, spec.aliases, spec.pronoun) == ("7", ("Ms Hale",), "she")
    assert ActorSpec(key="x", name="X", aliases=None).aliases == ()


def test_full_names_titles_and_aliases_in_text_order_with_possessives():
    text = "Phil Goff said Mr Goff's plan was fine, the mayor added."
    assert names(text, GOFF) == [
        ("Phil Goff", "goff", "name", False),
        ("Mr Goff's", "goff", "title", True),
        ("the mayor", "goff", "title", False),
    ]
    assert names("Mr. Goff met Dr Carter.", GOFF, CARTER) == [
        ("Mr. Goff", "goff", "title", False),
        ("Dr Carter", "carter", "title", False),
    ]


def test_the_longest_match_wins_and_mentions_never_overlap():
    assert names("Chris Carter's plan", CARTER) == [("Chris Carter's", "carter", "name", True)]
    assert names("Yesterday Carter spoke.", CARTER) == [("Carter", "carter", "surname", False)]


def test_a_bare_surname_beside_another_capitalised_name_is_someone_else():
    assert names("Jimmy Carter spoke.", CARTER) == []
    assert names("They met at the Carter Center.", CARTER) == []


def test_a_surname_that_is_a_common_word_is_doubted_at_a_sentence_start_unless_a_cue_follows():
    assert names("Little has changed.", LITTLE) == []
    assert names("Little said no.", LITTLE) == [("Little", "little", "surname", False)]
    assert names("He said Little has changed.", LITTLE) == [("Little", "little", "surname", False)]


def test_no_actors_find_nothing():
    assert names("Phil Goff said so.") == []
