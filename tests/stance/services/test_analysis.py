"""stance.services.analysis: the framing analysis stored per paragraph, kept fresh by a
fingerprint of its inputs, and the one scorer of sentiment toward actors."""

import threading
import time

import pytest
from django.db import connection

from newsroom.services import actor_set
from stance import framing, services
from stance.models import Frame, ParagraphAnalysis

pytestmark = pytest.mark.django_db


def signatures(tolls_story) -> set[str]:
    return set(
        ParagraphAnalysis.objects.filter(paragraph__article__story=tolls_story).values_list(
            "signature", flat=True
        )
    )


def test_the_analysis_uses_proposed_actors_and_drops_hidden_ones(tolls_story):
    before = services.framing_inputs(tolls_story.pk)
    proposed = services.story_actors_propose(story=tolls_story)
    actors, _, fingerprint = services.framing_inputs(tolls_story.pk)
    assert {a.name for a in actors} == {"Ann Hale", "Tom Reyes"}
    assert fingerprint != before[2]  # stored analyses are refreshed
    services.actor_hide(actor=next(a for a in proposed if a.name == "Tom Reyes"))
    actors, _, hidden_fingerprint = services.framing_inputs(tolls_story.pk)
    assert {a.name for a in actors} == {"Ann Hale"} and hidden_fingerprint != fingerprint


def test_an_article_is_analysed_once_until_its_inputs_change(tolls_story):
    articles = list(tolls_story.articles.all())
    assert services.articles_analyse(articles=articles) == 1
    first = signatures(tolls_story)
    assert len(first) == 1
    assert services.articles_analyse(articles=articles) == 0  # fresh: nothing to do
    assert services.articles_analyse(articles=articles, force=True) == 1
    actor_set(story=tolls_story, name="Ann Hale", aliases=["Ms Hale"], pronoun="she")
    assert services.articles_analyse(articles=articles) == 1  # a new actor: stale
    assert signatures(tolls_story) == {services.framing_inputs(tolls_story.pk)[2]} != first


def test_a_frame_edit_changes_the_fingerprint(tolls_story):
    frame = Frame.objects.create(key="cost", name="Cost", cues="money\nratepayers")
    *_, with_frame = services.framing_inputs(tolls_story.pk)
    frame.is_active = False
    frame.save()
    *_, without = services.framing_inputs(tolls_story.pk)
    assert with_frame != without


def test_the_stored_analysis_names_the_story_s_actors_as_speakers(tolls_story):
    services.story_actors_propose(story=tolls_story)
    (article,) = tolls_story.articles.all()
    services.articles_analyse(articles=[article])
    hale = tolls_story.actors.get(name="Ann Hale")
    quoted = article.paragraphs.get(text__startswith='"We will not back down')
    speakers = {quote["speaker"] for quote in quoted.analysis.data["quotes"]}
    assert speakers == {str(hale.pk)}


def test_without_a_trained_model_the_rules_score_sentiment_toward_an_actor(db):
    name, scores = services.actor_sentiment_score(
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


@pytest.mark.django_db(transaction=True)
def test_two_workers_asked_for_the_same_article_analyse_it_once(
    row_locks, tolls_story, monkeypatch
):
    """The upload's task and a page's request for one new article: the second waits for the
    first (the article's row lock), then finds the analysis fresh."""
    article = tolls_story.articles.first()
    analysing = threading.Event()
    runs = []
    real = framing.analyse_article

    def slow(*args, **kwargs):
        runs.append(1)
        analysing.set()
        time.sleep(0.5)  # the second worker arrives meanwhile
        return real(*args, **kwargs)

    monkeypatch.setattr(framing, "analyse_article", slow)
    done = []

    def worker():
        try:
            done.append(services.articles_analyse(articles=[article]))
        finally:
            connection.close()

    first = threading.Thread(target=worker)
    first.start()
    assert analysing.wait(10)
    second = threading.Thread(target=worker)
    second.start()
    first.join(), second.join()
    assert sorted(done) == [0, 1] and len(runs) == 1
