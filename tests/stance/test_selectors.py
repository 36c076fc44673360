"""stance.selectors: the reads (verdicts, training rows, exports, entities, stored quotes,
the framing analysis's inputs and freshness, the scorer of sentiment toward actors)."""

import pytest

from newsroom.models import Paragraph
from newsroom.services import actor_set
from stance import framing, selectors
from stance.models import Frame, Label
from stance.services.actors import actor_hide, story_actors_propose
from stance.services.analysis import articles_analyse
from stance.services.labels import label_create, label_undo
from stance.services.speaker_corrections import speaker_correct
from stance.services.training_sets import training_set_import
from tests.factories import (
    NEWS,
    OPINION,
    make_article,
    make_classified_article,
    make_story,
    make_user,
    write_tsv,
)

pytestmark = pytest.mark.django_db


def stored_quotes(paragraph: Paragraph) -> list[framing.Quote]:
    paragraph.refresh_from_db()
    return framing.ParagraphFraming.from_dict(paragraph.analysis.data).quotes


def verdict(paragraph: Paragraph) -> Paragraph:
    return selectors.with_verdicts(Paragraph.objects.filter(pk=paragraph.pk)).get()


@pytest.fixture
def labelled(active_classifier, editor):
    """Two classified paragraphs (news, then opinion) and the editor who labels them."""
    article = make_classified_article(f"{NEWS[0]}\n\n{OPINION[0]}")
    return list(article.paragraphs.order_by("position")), editor


# ---------------------------------------------------------------------------
# Verdicts


def test_an_adjudication_wins_over_every_plain_label_earlier_or_later(labelled):
    (news, _), editor = labelled
    bob = make_user("bob")
    assert verdict(news).effective_label == verdict(news).model_label == "news"
    label_create(paragraph=news, editor=editor, label="opinion")
    assert (verdict(news).effective_label, verdict(news).label_editor) == ("opinion", "ed")
    label_create(paragraph=news, editor=bob, label="news", action=Label.Action.ADJUDICATE)
    label_create(paragraph=news, editor=editor, label="opinion")  # later, not settled
    settled = verdict(news)
    assert (settled.effective_label, settled.label_action) == ("news", "adjudicate")


def test_an_undone_label_no_longer_counts(labelled):
    (news, _), editor = labelled
    label = label_create(paragraph=news, editor=editor, label="opinion")
    label_undo(label=label, editor=editor)
    assert verdict(news).editor_label is None and verdict(news).effective_label == "news"


# ---------------------------------------------------------------------------
# Training rows


def test_editor_labels_are_training_rows_with_their_latest_label(tiny_corpus):
    article = make_article("A plain sentence about rates.\n\nAnother one about roads.")
    first, second = article.paragraphs.order_by("position")
    editor = make_user("ed")
    Label.objects.create(paragraph=first, editor=editor, label="news")
    Label.objects.create(paragraph=first, editor=editor, label="opinion")
    Label.objects.create(paragraph=second, editor=editor, label="news")
    assert sorted(selectors.training_rows_editor_labels()) == [
        (f"paragraph-{first.pk}", first.text, "opinion"),
        (f"paragraph-{second.pk}", second.text, "news"),
    ]


def test_training_data_joins_every_source_and_counts_each(tiny_corpus, tmp_path):
    training_set_import(
        name="wire.tsv", content="id\ttext\tlabel\nw1\tThe ferry sailed late.\tnews\n"
    )
    extra = write_tsv(tmp_path / "more.tsv", [("I think it is a disgrace.", "opinion")] * 2)
    texts, labels, counts, pieces = selectors.training_data(extra_tsv=[extra])
    assert counts == {
        "starter corpus": 40,
        "editor labels": 0,
        "imported: wire.tsv": 1,
        "extra: more.tsv": 2,
    }
    assert len(texts) == len(labels) == len(pieces) == 43
    assert (texts[40], labels[40]) == ("The ferry sailed late.", "news")
    assert labels[41:] == ["opinion", "opinion"]


def test_a_deactivated_training_set_is_left_out(tiny_corpus):
    item = training_set_import(
        name="old.tsv", content="id\ttext\tlabel\no1\tThe bus was late.\tnews\n"
    )
    assert list(selectors.training_rows_imported()) == ["imported: old.tsv"]
    item.is_active = False
    item.save()
    assert selectors.training_rows_imported() == {}


# ---------------------------------------------------------------------------
# Exports


def test_the_editorial_export_merges_labels_and_speaker_corrections_oldest_first(db, editor):
    story = make_story()
    actor_set(story=story, name="Ann Hale", aliases=["Ms Hale"], pronoun="she")
    article = make_article(
        'The council met.\n\n"We will appeal," Ms Hale said.', story=story, headline="Appeal"
    )
    articles_analyse(articles=[article])
    first, quoted = article.paragraphs.classifiable().order_by("position")
    label = label_create(paragraph=first, editor=editor, label="news")
    (quote,) = stored_quotes(quoted)
    speaker_correct(
        paragraph=quoted, start=quote.start, end=quote.end, editor=editor, choice="nobody"
    )
    label_undo(label=label, editor=editor)
    rows = list(selectors.editorial_export_rows())
    assert [(row["record"], row["action"]) for row in rows] == [
        ("label", "correct"),
        ("speaker", None),
        ("label", "undo"),
    ]
    assert all(list(row) == selectors.EDITORIAL_EXPORT_FIELDS for row in rows)
    speaker = rows[1]
    assert speaker["speaker_choice"] == "nobody" and speaker["speaker"] is None
    assert speaker["model_speaker"] == "Ann Hale" and speaker["label"] is None
    assert rows[2]["undoes"] == label.pk and rows[2]["quote_text"] is None


# ---------------------------------------------------------------------------
# Entities and stored quotes


def test_a_name_key_ignores_case_curly_apostrophes_and_spacing():
    assert selectors.name_key("  O\u2019Brien   SMITH ") == selectors.name_key("o'brien smith")
    assert selectors.name_key("Ann Hale") != selectors.name_key("Anne Hale")


def test_a_story_s_entities_merge_across_its_pieces_under_the_fullest_name(db):
    story = make_story()
    make_article(
        'Mayor Phil Goff said the tolls would stay.\n\n"They stay," Goff said.',
        story=story,
        headline="Report",
    )
    make_article('"Nobody voted for this," Goff told a meeting.', story=story, headline="Column")
    entities = {entity.name: entity for entity in selectors.story_entities(story)}
    assert "Goff" not in entities
    goff = entities["Phil Goff"]
    assert "Goff" in goff.aliases and goff.quotes >= 2


def test_each_piece_is_read_for_entities_once_until_its_text_changes(db, monkeypatch):
    """An upload reads the new piece, not again every piece of the story."""
    from stance import entities

    read = []
    real = entities.discover
    monkeypatch.setattr(entities, "discover", lambda texts: read.append(texts) or real(texts))
    story = make_story()
    make_article('"They stay," Mayor Phil Goff said.', story=story, headline="Report")
    first = selectors.story_entities(story)
    assert len(read) == 1
    assert selectors.story_entities(story) == first and len(read) == 1
    column = make_article('"Nobody voted for this," Goff said.', story=story, headline="Column")
    selectors.story_entities(story)
    assert len(read) == 2 and read[-1] == ['"Nobody voted for this," Goff said.']
    paragraph = column.paragraphs.get()
    paragraph.text = '"Nobody voted for it," Goff said.'
    paragraph.save()
    selectors.story_entities(story)
    assert len(read) == 3 and read[-1] == ['"Nobody voted for it," Goff said.']


def test_the_stored_quote_is_found_only_by_its_exact_bounds(db):
    story = make_story()
    actor_set(story=story, name="Ann Hale", aliases=["Ms Hale"], pronoun="she")
    article = make_article('"We will appeal," Ms Hale said.', story=story, headline="Appeal")
    paragraph = article.paragraphs.classifiable().get()
    assert selectors.quote_in_analysis(paragraph, 0, 18) is None  # not analysed yet
    articles_analyse(articles=[article])
    (quote,) = stored_quotes(paragraph)
    assert "We will appeal" in paragraph.text[quote.start : quote.end]
    assert selectors.quote_in_analysis(paragraph, quote.start, quote.end) == quote
    assert selectors.quote_in_analysis(paragraph, quote.start, quote.end + 1) is None
    assert selectors.quote_in_analysis(paragraph, quote.start + 1, quote.end) is None


def test_the_analysis_uses_proposed_actors_and_drops_hidden_ones(tolls_story):
    before = selectors.framing_inputs(tolls_story.pk)
    proposed = story_actors_propose(story=tolls_story)
    actors, _, fingerprint = selectors.framing_inputs(tolls_story.pk)
    assert {a.name for a in actors} == {"Ann Hale", "Tom Reyes"}
    assert fingerprint != before[2]  # stored analyses are refreshed
    actor_hide(actor=next(a for a in proposed if a.name == "Tom Reyes"))
    actors, _, hidden_fingerprint = selectors.framing_inputs(tolls_story.pk)
    assert {a.name for a in actors} == {"Ann Hale"} and hidden_fingerprint != fingerprint


def test_a_frame_edit_changes_the_fingerprint(tolls_story):
    frame = Frame.objects.create(key="cost", name="Cost", cues="money\nratepayers")
    *_, with_frame = selectors.framing_inputs(tolls_story.pk)
    frame.is_active = False
    frame.save()
    *_, without = selectors.framing_inputs(tolls_story.pk)
    assert with_frame != without


def test_without_a_trained_model_the_rules_score_sentiment_toward_an_actor(db):
    name, scores = selectors.actor_sentiment_score(
        [
            {"text": "Hale's plan is a shameful disgrace.", "target_start": 0, "target_end": 4},
            {
                "text": "Hale won praise for brilliant work.",
                "target_start": 0,
                "target_end": 4,
            },
        ]
    )
    assert name == "rule-based default"
    assert [polarity for polarity, _ in scores] == ["negative", "positive"]
    assert scores[0][1] < 0 < scores[1][1]


def test_an_article_is_stale_until_analysed_and_again_when_its_story_s_actors_change(
    tolls_story, django_assert_num_queries
):
    article = tolls_story.articles.get()
    signature = selectors.framing_inputs(tolls_story.pk)[2]
    assert selectors.articles_analysis_stale(articles=[article]) == {article.pk: signature}
    articles_analyse(articles=[article])
    assert selectors.articles_analysis_stale(articles=[article]) == {}
    paragraph = article.paragraphs.select_related("analysis").first()
    assert selectors.analysis_fresh(paragraph, signature)
    actor_set(story=tolls_story, name="Ann Hale", aliases=["Ms Hale"], pronoun="she")
    new_signature = selectors.framing_inputs(tolls_story.pk)[2]
    assert not selectors.analysis_fresh(paragraph, new_signature)
    # inputs (actors, frames, the active scorer) then two counts, reading no analysis data
    with django_assert_num_queries(5):
        stale = selectors.articles_analysis_stale(articles=[article])
    assert stale == {article.pk: new_signature}


def test_a_paragraph_never_analysed_is_not_fresh(tolls_story):
    paragraph = Paragraph.objects.select_related("analysis").filter(article__story=tolls_story)[0]
    assert not selectors.analysis_fresh(paragraph, selectors.framing_inputs(tolls_story.pk)[2])
