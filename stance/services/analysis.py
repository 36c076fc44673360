"""The framing analysis stored per paragraph, and the scorer of sentiment toward actors."""

import hashlib
import json
from collections.abc import Iterable, Sequence
from functools import partial

from django.db import transaction
from django.db.models import Count

from newsroom.models import Actor, Article, Paragraph
from stance import actor_sentiment, framing, registry, treatment
from stance.models import Frame, ParagraphAnalysis

# Bump when stance.framing changes what it finds, so stored analyses are recomputed.
# 3: speakers from attribution; 4-6: author-voice treatment, loaded terms; 7: attribution tags;
# 8: attribution sources behind asides, relative clauses and poll shares; 9: position cues,
# according-to in mid-sentence, tags over inner cues, questions and their tags; 10: quotations
# inside quotations, clause-bounded content, tag tails; 11: clauses with their own cue end content;
# 12: as X put it, several asides, abbreviations and possessives as tokens, question tags;
# 13: the author's own "I think" / "we believe" is the author's voice (attribution.by_others);
# 14: "according to" a norm ("according to plan", "... their doctrine") attributes nothing;
# 15: a trained actor-sentiment model scores a mention it reads as neutral 0;
# 16: reports headed by a noun nested in someone's content ("Goff rejected Carter's claims
# the party was petty": Carter's), its words counted once in share of voice, for its speaker;
# 17: "it"/"they" naming no entity is the document or organisation named before it ("the
# leaked testimony ... it states"); a pronoun speaker is never shown as a name;
# 18: a word beyond another actor's mention weighs half in the default treatment ("the
# council at which he failed": his failure); 19: a possessive 's before an -ing cue is not a
# contracted "is" ("Labour's ruling council", "the court's ruling said"); 20: a cue with a
# subject of its own inside reported content is nested there ("X said that Y believes Z": Y's),
# and a quotation's tag keeps its speaker with a long tail ('"...," she said of the plan to ...');
# 21: a sentence's subject is read past a dateline and an opening phrase set off by a comma
# ("Speaking to farmers, Ms Tane ... and promised": Ms Tane's promise, not "Speaking");
# 22: "X's statement that P" ends before its sentence's own verb ("... that P was withdrawn");
# 23: a document issued speaks for its issuer ("X issued a statement saying"), and "saying"
# takes a clause without "that" ("figures saying the pool should reopen"); 24: a quotation's
# tag with a verb that is no known cue names its speaker ('"...," beamed Mayor Riley', '"...,"
# it read'), as does a tag in a sentence of its own ('"... May." Ms Hale said.'); 25: an
# object relative is spoken by its own subject ("Cole, who critics called a liability":
# the critics', not Cole's)
ANALYSIS_VERSION = 25


def framing_inputs(story_id: int) -> tuple[list[framing.ActorSpec], list[framing.FrameSpec], str]:
    """The story's actors and the active frames as framing specs, and their fingerprint."""
    actors = [
        framing.ActorSpec(
            key=str(actor.pk),
            name=actor.name,
            aliases=tuple(actor.alias_list),
            kind=actor.kind,
            pronoun=actor.pronoun,
        )
        for actor in Actor.objects.filter(story_id=story_id).analysed().order_by("pk")
    ]
    frames = [
        framing.FrameSpec(key=frame.key, name=frame.name, cues=tuple(frame.cue_list))
        for frame in Frame.objects.filter(is_active=True)
    ]
    fingerprint = hashlib.sha256(
        json.dumps(
            [
                [vars(a) for a in actors],
                [vars(f) for f in frames],
                ANALYSIS_VERSION,
                actor_sentiment_scorer()[0],
            ],
            sort_keys=True,
            default=list,
        ).encode()
    ).hexdigest()
    return actors, frames, fingerprint


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
        actors, frames, signature = framing_inputs(story_id)
        _name, scorer = actor_sentiment_scorer()
        scorer = None if scorer is _rule_scores else scorer  # the rules score in place
        for article in story_articles:
            paragraphs = list(article.paragraphs.order_by("position").select_related("analysis"))
            stale = [p for p in paragraphs if not analysis_fresh(p, signature)]
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


def analysis_fresh(paragraph: Paragraph, signature: str) -> bool:
    """Whether the paragraph's stored analysis (select_related("analysis")) is current."""
    try:
        return paragraph.analysis.signature == signature
    except ParagraphAnalysis.DoesNotExist:
        return False


def articles_analysis_stale(*, articles: Iterable[Article]) -> dict[int, str]:
    """{article id: the signature its analysis needs} for the articles with a paragraph whose
    stored analysis is missing or stale: two counts per story, reading no analysis data."""
    by_story: dict[int, list[int]] = {}
    for article in articles:
        by_story.setdefault(article.story_id, []).append(article.pk)
    stale = {}
    for story_id, ids in by_story.items():
        signature = framing_inputs(story_id)[2]
        fresh = dict(
            ParagraphAnalysis.objects.filter(paragraph__article_id__in=ids, signature=signature)
            .values("paragraph__article_id")
            .annotate(n=Count("pk"))
            .values_list("paragraph__article_id", "n")
        )
        for article_id, n in (
            Paragraph.objects.filter(article_id__in=ids)
            .values("article_id")
            .annotate(n=Count("pk"))
            .values_list("article_id", "n")
        ):
            if fresh.get(article_id, 0) < n:
                stale[article_id] = signature
    return stale


def actor_sentiment_score(records: Sequence[dict]) -> tuple[str, list[tuple[str, float]]]:
    """Score sentiment toward each record's target with the active model, else the rules.

    Returns (what scored them, [(polarity, score)]).
    """
    name, scorer = actor_sentiment_scorer()
    return name, scorer(list(records))


def actor_sentiment_scorer() -> tuple[str, treatment.Scorer]:
    """The one scorer of sentiment toward an actor: the active trained version if there is
    one, else the rule-based default. `actor_sentiment`, the framing analysis behind the
    compare view and `story_report` all score through it."""
    active = registry.active_actor_sentiment()
    if active is not None:
        version, model = active
        if actor_sentiment.is_current(model):
            return str(version), partial(actor_sentiment.predict, model)
        # trained before the features changed: it cannot read today's; the default scores
        # until it is retrained (the name says so wherever the scorer is shown)
        return f"rule-based default ({version} needs retraining)", _rule_scores
    return "rule-based default", _rule_scores


def _rule_scores(records: list[dict]) -> list[tuple[str, float]]:
    return [
        treatment.target_sentiment(r["text"], r["target_start"], r["target_end"]) for r in records
    ]
