"""People and organisations found in articles without an actor list."""

from stance.entities import discover, find_cast

ARTICLE = [
    "Wellington Harbour Board chair Rachel Ngata has defended the sale of the northern wharf.",
    "Ms Ngata told reporters the board had no choice. Critics in Wellington disagreed.",
    'Former mayor Peter Hall said the sale was "a betrayal". Mr Hall wants a referendum.',
    "Hall, who led the council for nine years, said he would take the fight to Parliament.",
    "The Harbour Board said in a statement it would publish the contract. The board meets "
    "again in March.",
    "Eventually the matter may reach the courts, Rachel said.",
]


def by_name(entities):
    return {e.name: e for e in entities}


def test_full_names_absorb_surnames_titles_and_first_names():
    cast = find_cast(ARTICLE)
    people = by_name(cast.entities)
    ngata = people["Rachel Ngata"]
    assert ngata.kind == "person" and ngata.pronoun == "she"
    assert {"Ms Ngata", "Rachel"} <= set(ngata.aliases)
    hall = people["Peter Hall"]
    assert {"Mr Hall", "Hall"} <= set(hall.aliases) and hall.pronoun == "he"
    assert hall.mentions == 3


def test_roles_come_from_the_words_before_a_name():
    people = by_name(find_cast(ARTICLE).entities)
    assert people["Rachel Ngata"].role == "Wellington Harbour Board chair"
    assert people["Peter Hall"].role == "Former mayor"


def test_organisations_places_and_sentence_openers():
    entities = by_name(find_cast(ARTICLE).entities)
    assert entities["Wellington Harbour Board"].kind == "organisation"
    assert "Harbour Board" in entities["Wellington Harbour Board"].aliases
    assert "Wellington" not in entities  # "in Wellington": a place
    assert "Eventually" not in entities and "Critics" not in entities


def test_two_people_sharing_a_surname_the_more_named_wins():
    cast = find_cast(
        [
            "Hillary Clinton spoke in Ohio. Chelsea Clinton stayed in New York.",
            "Hillary Clinton said the race was close. Clinton said she would win.",
        ]
    )
    surname = [m for m in cast.mentions if m.via == "surname"]
    assert [m.entity for m in surname] == ["Hillary Clinton"]


def test_role_only_phrases_are_descriptions_not_names():
    cast = find_cast(
        ["Te Atatu MP Chris Carter was expelled. The MP for Te Atatu said he would appeal."]
    )
    names = {e.name for e in cast.entities}
    assert "Chris Carter" in names and not any("Atatu" in n for n in names - {"Chris Carter"})
    carter = by_name(cast.entities)["Chris Carter"]
    assert cast.by_description(["the", "te", "atatu", "mp"]) == carter


def test_a_description_two_entities_fit_is_unresolved():
    cast = find_cast(["Labour MP Ann Lee met National MP Tim Rowe."])
    assert cast.by_description(["the", "mp"]) is None
    assert cast.by_description(["the", "labour", "mp"]).name == "Ann Lee"


def test_discover_credits_attributions_to_their_speakers():
    found = by_name(discover(ARTICLE))
    assert found["Peter Hall"].quotes >= 2
    assert found["Rachel Ngata"].quotes >= 1
    assert found["Wellington Harbour Board"].quotes >= 1


def test_discover_on_empty_and_nameless_text():
    assert discover([]) == []
    assert discover(["", "   "]) == []
    assert discover(["the rain fell all day and nobody came."]) == []


def test_us_news_conventions():
    cast = find_cast(
        [
            "Obama Joins Forces With China On Climate",
            "Republican Donald Trump met President Xi Jinping of China in New York City on "
            "Tuesday. John D. Podesta, a U.S. adviser, said Ava DuVernay would attend.",
            "New York City officials said Mr. Trump left early. Sen. Patrick J. Leahy, "
            "Democrat of Vermont, said the meeting was a mistake.",
        ]
    )
    people = by_name(cast.entities)
    assert people["Donald Trump"].role == "Republican"
    assert "Xi Jinping" in people and "John D. Podesta" in people and "Ava DuVernay" in people
    assert "Patrick J. Leahy" in people
    names = set(people)
    # places, a Title Case headline's capitals and an affiliation are nobody
    assert not names & {"U.S.", "New York City", "China", "York City", "Forces With China"}
    assert not any(n.startswith("Democrat") for n in names)
