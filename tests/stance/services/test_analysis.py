"""stance.services.analysis: the framing analysis stored per paragraph, kept fresh by a
fingerprint of its inputs (stance.selectors.framing_inputs)."""

import threading
import time

import pytest
from django.db import connection

from newsroom.services import actor_set
from stance import framing
from stance.models import ParagraphAnalysis
from stance.selectors import framing_inputs
from stance.services.actors import story_actors_propose
from stance.services.analysis import articles_analyse

pytestmark = pytest.mark.django_db


def signatures(tolls_story) -> set[str]:
    return set(
        ParagraphAnalysis.objects.filter(paragraph__article__story=tolls_story).values_list(
            "signature", flat=True
        )
    )


def test_an_article_is_analysed_once_until_its_inputs_change(tolls_story):
    articles = list(tolls_story.articles.all())
    assert articles_analyse(articles=articles) == 1
    first = signatures(tolls_story)
    assert len(first) == 1
    assert articles_analyse(articles=articles) == 0  # fresh: nothing to do
    assert articles_analyse(articles=articles, force=True) == 1
    actor_set(story=tolls_story, name="Ann Hale", aliases=["Ms Hale"], pronoun="she")
    assert articles_analyse(articles=articles) == 1  # a new actor: stale
    assert signatures(tolls_story) == {framing_inputs(tolls_story.pk)[2]} != first


def test_the_stored_analysis_names_the_story_s_actors_as_speakers(tolls_story):
    story_actors_propose(story=tolls_story)
    (article,) = tolls_story.articles.all()
    articles_analyse(articles=[article])
    hale = tolls_story.actors.get(name="Ann Hale")
    quoted = article.paragraphs.get(text__startswith='"We will not back down')
    speakers = {quote["speaker"] for quote in quoted.analysis.data["quotes"]}
    assert speakers == {str(hale.pk)}


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
            done.append(articles_analyse(articles=[article]))
        finally:
            connection.close()

    first = threading.Thread(target=worker)
    first.start()
    assert analysing.wait(10)
    second = threading.Thread(target=worker)
    second.start()
    first.join(), second.join()
    assert sorted(done) == [0, 1] and len(runs) == 1
