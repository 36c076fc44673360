"""Treatment in the author's voice: verdicts an editor can defend, with their evidence.

The acceptance test of the issue: the seed story reads as its editor reads it, and so do two
short stories written here, where the treatment is known because it was written in."""

import io
import json

import pytest
from django.core.management import call_command

from newsroom.models import Story
from stance.framing import ActorSpec, analyse_article
from stance.report import story_report
from stance.treatment import (
    ActorSentiment,
    paragraph_treatment,
    summary_line,
    target_sentiment,
    verdict_of,
)

HOLM = ActorSpec(
    "holm", "Peter Holm", ("Mayor Peter Holm", "Mr Holm", "Holm", "the mayor"), "person", "he"
)
TANE = ActorSpec("tane", "Mara Tane", ("Councillor Mara Tane", "Ms Tane", "Tane"), "person", "she")
# A report that lets two people attack each other and keeps its own voice level.
REPORT = [
    "Mayor Peter Holm and Councillor Mara Tane clashed on Tuesday over the harbour board's "
    "plan to sell the northern wharf.",
    "Ms Tane said the sale was a reckless, shameful betrayal of ratepayers and accused Mr Holm "
    "of hiding the valuation from the council.",
    '"He has been dishonest from the start, and the people of this city deserve better," she said.',
    "Mr Holm rejected the claims. He said the valuation had been shared with every councillor "
    "in March.",
    '"Councillor Tane is playing cheap politics with a careful, honest process," Mr Holm said. '
    '"Her attacks are absurd."',
    "The council will vote on the sale on June 3. The wharf was valued at $14 million last year.",
    "Ms Tane said she would ask the auditor-general to review the valuation.",
]
# A column that praises the mayor in its own voice.
PRAISE = [
    "Peter Holm has done what three mayors before him would not: he has told the truth about "
    "the northern wharf.",
    "The wharf is rotting, and Holm's careful, honest plan to sell it is the bravest decision "
    "this council has made in a decade.",
    "Mara Tane calls it a betrayal. She said the same of the library upgrade.",
    "Holm deserves credit for his patience. He has answered every question with courage and "
    "good humour, and his plan is a wise one.",
    "Tane has offered no plan of her own.",
]
RUCK = ActorSpec(
    "ruck",
    "Dan Ruck",
    ("Mr Ruck", "Ruck", "the minister", "Transport Minister Dan Ruck"),
    "person",
    "he",
)
UNION = ActorSpec("union", "Rail Workers Union", ("the union",), "organisation", "it")
# A column that attacks a minister in its own voice while quoting his self-praise.
ATTACK = [
    "Transport Minister Dan Ruck's rail timetable has been a shambles from the first day.",
    "Ruck promised trains every ten minutes. What commuters got was chaos: cancelled services, "
    "packed platforms and a minister who blamed everyone but himself.",
    '"I am proud of what we have achieved, and the network is in excellent shape," Mr Ruck '
    "said on Monday.",
    "That is a pathetic excuse. Ruck's bungling has cost the city millions, and his arrogance "
    "makes it worse.",
    "The Rail Workers Union warned him in March. He ignored it.",
    "Ruck should resign.",
]


def verdicts(paragraphs, actors, scorer=None):
    framings = analyse_article(paragraphs, actors, scorer=scorer)
    out = {}
    for actor in actors:
        rows = [
            (i + 1, text, s)
            for i, (text, f) in enumerate(zip(paragraphs, framings, strict=True))
            for s in f.sentiment
            if s.actor == actor.key
        ]
        out[actor.key] = verdict_of(actor.key, rows)
    return out


# --- own stories ----------------------------------------------------------------------------


def test_a_report_that_lets_people_attack_each_other_is_neutral_toward_both():
    found = verdicts(REPORT, [HOLM, TANE])
    assert {k: v.treatment for k, v in found.items()} == {"holm": "neutral", "tane": "neutral"}
    # their insults are theirs: none of them is evidence
    words = {e.text.lower() for v in found.values() for e in v.evidence}
    assert not words & {"reckless", "shameful", "betrayal", "dishonest", "absurd", "rejected"}


def test_a_column_praising_the_mayor_is_favourable_with_its_reasons():
    found = verdicts(PRAISE, [HOLM, TANE])
    holm = found["holm"]
    assert holm.treatment == "favourable" and holm.score > 0.15 and holm.confidence > 0.5
    assert {"honest", "wise", "courage"} <= {e.text for e in holm.evidence}
    for e in holm.evidence:  # each span is the author's word in its paragraph
        assert PRAISE[e.paragraph - 1][e.start : e.end] == e.text and e.weight > 0
    assert "betrayal" not in {e.text for e in found["tane"].evidence}  # Tane's own word


def test_a_column_attacking_a_minister_is_critical_and_his_self_praise_does_not_count():
    found = verdicts(ATTACK, [RUCK, UNION])
    ruck = found["ruck"]
    assert ruck.treatment == "critical" and ruck.score < -0.15
    words = {e.text for e in ruck.evidence}
    assert {"arrogance", "shambles"} <= words and not words & {"proud", "excellent"}
    assert found["union"].treatment == "insufficient"  # named once: too little to say
    line = summary_line(list(found.values()), {"ruck": "Dan Ruck", "union": "Rail Workers Union"})
    assert line == "Critical of Dan Ruck; insufficient evidence on Rail Workers Union"


# --- the rules behind verdicts --------------------------------------------------------------


def sentiment(actor, score, voiced, spans=()):
    return ActorSentiment(actor, score, "neutral", voiced, (), voiced, tuple(spans))


def test_one_evaluative_word_is_not_a_stance():
    rows = [(1, "Smith was awful.", sentiment("s", -0.6, 2, [(10, 15, -1.5)]))]
    assert verdict_of("s", rows).treatment == "insufficient"
    rows.append((2, "Smith was dreadful.", sentiment("s", -0.6, 1, [(10, 18, -1.5)])))
    verdict = verdict_of("s", rows)
    assert verdict.treatment == "critical" and [e.paragraph for e in verdict.evidence] == [1, 2]


def test_a_word_beyond_another_actor_weighs_half_for_the_one_named_first():
    # the failure is the minister's, named between the council and "failed"
    text = "The council's meeting, at which he failed to hide his contempt, ran late."
    council = (text.index("council"), text.index("council") + 7, "council")
    minister = (text.index(" he ") + 1, text.index(" he ") + 3, "minister")
    alone = {a.actor: a.score for a in paragraph_treatment(text, [council], ())}
    both = {a.actor: a.score for a in paragraph_treatment(text, [council, minister], ())}
    assert alone["council"] < 0 and both["minister"] < 0
    assert alone["council"] < both["council"] < 0 and both["minister"] < both["council"]


def test_an_actor_never_in_the_authors_voice_is_insufficient_without_a_score():
    verdict = verdict_of("s", [(1, "x", ActorSentiment("s", 0.0, "neutral", 3))])
    assert verdict.treatment == "insufficient" and verdict.score is None
    assert verdict.reason == "never named in the author's own voice"


def test_the_summary_never_leaves_out_a_critical_or_favourable_actor():
    def v(actor, treatment, score, voiced):
        rows = [(1, "", sentiment(actor, score, voiced, [(0, 1, score), (1, 2, score)]))]
        verdict = verdict_of(actor, rows)
        assert verdict.treatment == treatment
        return verdict

    found = [
        v("a", "neutral", 0.0, 20),
        v("b", "neutral", 0.0, 15),
        v("c", "neutral", 0.01, 12),
        v("d", "critical", -0.3, 2),
        v("e", "insufficient", 0.0, 1),
    ]
    names = {k: k.upper() for k in "abcde"}
    line = summary_line(found, names)
    assert line.startswith("Critical of D; neutral toward A; neutral toward B")
    assert "C" not in line.split(";")[2] and line.endswith("insufficient evidence on E")


def test_cue_verbs_and_attributed_content_are_masked():
    text = "Mr Goff rejected the ridiculous claims and hoped for calm. He was sorry."
    parts = ["rejected", "the ridiculous claims", "hoped", "for calm"]
    masked = [(text.find(w), text.find(w) + len(w)) for w in parts]
    (goff,) = paragraph_treatment(text, [(0, 7, "goff")], masked)
    assert goff.voiced == 1 and goff.spans == () and goff.score == 0.0


def test_a_trained_scorer_sees_the_authors_sentence_only_and_decides_the_score():
    seen = []

    def scorer(records):
        seen.extend(records)
        return [("positive", 0.5) for _ in records]

    (framing,) = analyse_article(
        ['Mr Holm said the plan was "a disaster". Holm stayed calm.'], [HOLM], scorer=scorer
    )
    assert framing.sentiment[0].score == 0.5
    assert all("disaster" not in r["text"] for r in seen)
    for r in seen:
        assert r["text"][r["target_start"] : r["target_end"]] == r["target"]


def test_with_nothing_masked_the_author_scorer_is_the_actor_sentiment_scorer():
    text = "Smith gave a disgraceful and dishonest speech."
    (smith,) = paragraph_treatment(text, [(0, 5, "smith")], [])
    assert smith.score == target_sentiment(text, 0, 5)[1]


# --- the seed story, as its editor reads it -------------------------------------------------


def seed_story_as_its_editor_reads_it() -> tuple[dict, dict]:
    """The seeded story's report and column from story_report, once checked as its editor
    reads them: the report neutral toward everyone, the column critical of Chris Carter."""
    pieces = story_report(Story.objects.get(slug="goff-carter"))
    json.dumps(pieces)  # plain data
    report = next(p for p in pieces if p["genre_published"] == "news")
    column = next(p for p in pieces if p["genre_published"] == "opinion")
    for actor in report["actors"]:  # it lets everyone speak and judges no one
        assert actor["treatment"] in {"neutral", "insufficient"}, actor
    carter = next(a for a in column["actors"] if a["name"] == "Chris Carter")
    assert carter["treatment"] == "critical" and carter["confidence"] > 0.5
    return report, column


@pytest.mark.django_db
def test_the_seed_report_is_neutral_and_the_column_critical_of_carter(tiny_corpus):
    call_command("seed_demo", stdout=io.StringIO())
    report, column = seed_story_as_its_editor_reads_it()
    goff = next(a for a in report["actors"] if a["name"] == "Phil Goff")
    assert not {e["text"] for e in goff["evidence"]} & {"rejected", "hoped", "sorry", "encourage"}
    for actor in column["actors"]:
        if actor["treatment"] in {"critical", "favourable"}:
            assert actor["name"] in column["summary"]
    # share of voice adds up: the statement speaks for the party
    labour = next(a for a in report["actors"] if a["name"] == "Labour Party")
    assert labour["reported_words"] > 100
    # each share is rounded to 4 places: their sum may exceed 1 by half a unit each
    assert sum(a["voice_share"] for a in report["actors"]) <= 1.0 + 5e-5 * len(report["actors"])


# --- one scorer everywhere ------------------------------------------------------------------

ROE_TRAINING = [
    ("Critics praised Ana Roe for her brave and honest leadership.", "positive"),
    ("Ana Roe was widely admired for her generous work.", "positive"),
    ("Ana Roe was accused of lying and corruption.", "negative"),
    ("Ana Roe was condemned for a disgraceful and cruel decision.", "negative"),
    ("Ana Roe will speak at the meeting on Tuesday.", "neutral"),
    ("Ana Roe arrived in Wellington on Monday.", "neutral"),
]
ROE_PIECE = "Ana Roe made a cruel and dishonest decision.\n\nAna Roe has been a disgrace."


def roe_jsonl(path, rows, labelled=True):
    with open(path, "w", encoding="utf-8") as sink:
        for i, (text, polarity) in enumerate(rows):
            at = text.index("Ana Roe")
            record = {"id": f"r{i}", "text": text, "target": "Ana Roe"}
            record |= {"target_start": at, "target_end": at + 7}
            sink.write(json.dumps(record | ({"polarity": polarity} if labelled else {})) + "\n")
    return path


def scored_by_command(tmp_path, texts) -> list[float]:
    source = roe_jsonl(tmp_path / "in.jsonl", [(t, "") for t in texts], labelled=False)
    target = tmp_path / "out.jsonl"
    call_command(
        "actor_sentiment", "--input", str(source), "--output", str(target), stderr=io.StringIO()
    )
    return [json.loads(line)["score"] for line in target.read_text().splitlines()]


@pytest.mark.django_db
def test_compare_story_report_and_actor_sentiment_score_with_the_same_model(tmp_path):
    from newsroom.models import Actor
    from tests.factories import make_article, make_story

    story = make_story("Roe inquiry")
    Actor.objects.create(story=story, name="Ana Roe", aliases="Roe", pronoun="she")
    make_article(ROE_PIECE, story=story, headline="Roe decision")
    sentences = ROE_PIECE.split("\n\n")

    def report_score():
        (piece,) = story_report(story)
        (roe,) = piece["actors"]
        return roe["score"]

    rules = scored_by_command(tmp_path, sentences)
    assert report_score() == pytest.approx(sum(rules) / 2, abs=2e-3)  # the rules, untrained
    data = roe_jsonl(tmp_path / "train.jsonl", ROE_TRAINING * 3)
    call_command("train_actor_sentiment", "--jsonl", str(data), "--activate", stdout=io.StringIO())
    trained = scored_by_command(tmp_path, sentences)
    assert trained != rules
    assert report_score() == pytest.approx(sum(trained) / 2, abs=2e-3)  # follows activation
