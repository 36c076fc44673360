"""The framing analysis stored per paragraph (what it finds: stance.framing; its inputs and
freshness: stance.selectors)."""

from collections.abc import Iterable

from django.db import transaction

from newsroom.models import Article
from stance import framing, selectors
from stance.models import ParagraphAnalysis


@transaction.atomic
def articles_analyse(*, articles: Iterable[Article], force: bool = False) -> int:
    """Analyse every paragraph of the articles whose stored analysis is missing or stale.

    One analysis of an article at a time: its row is locked first (FOR NO KEY UPDATE, so
    paragraphs and labels can still be written), and a second worker asked for it meanwhile
    (the upload's task and a page's request for the same new article) waits, then finds it
    fresh and skips it, instead of analysing a long article twice on two cores at once."""
    done = 0
    by_story: dict[int, list[Article]] = {}
    articles = list(articles)
    list(  # in id order, so two workers locking overlapping sets cannot deadlock
        Article.objects.select_for_update(no_key=True)
        .filter(pk__in=[article.pk for article in articles])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for article in articles:
        by_story.setdefault(article.story_id, []).append(article)
    for story_id, story_articles in by_story.items():
        actors, frames, signature = selectors.framing_inputs(story_id)
        _name, scorer = selectors.actor_sentiment_scorer()
        scorer = None if scorer is selectors.rule_scores else scorer  # the rules score in place
        for article in story_articles:
            paragraphs = list(article.paragraphs.order_by("position").select_related("analysis"))
            stale = [p for p in paragraphs if not selectors.analysis_fresh(p, signature)]
            if not stale and not force:
                continue
            results = framing.analyse_article(
                [p.text for p in paragraphs], actors, frames, scorer=scorer
            )
            ParagraphAnalysis.objects.bulk_create(
                [
                    ParagraphAnalysis(paragraph=p, signature=signature, data=result.to_dict())
                    for p, result in zip(paragraphs, results, strict=True)
                ],
                update_conflicts=True,
                unique_fields=["paragraph"],
                update_fields=["signature", "data", "created"],
            )
            done += 1
    return done
