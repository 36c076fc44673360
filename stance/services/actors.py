"""Actors found in a story's text, and editors' curation of them."""

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from newsroom.models import Actor, Story
from stance.models import SpeakerCorrection
from stance.selectors import name_key, story_entities

if TYPE_CHECKING:
    from stance.entities import Entity

# People and organisations who speak at least once over the story's pieces are proposed as
# its actors; so are people named at least twice, and organisations named at least four
# times (an outlet or a building named in passing, "told Radio New Zealand", is not one).
PROPOSE_MIN_QUOTES = 1
PROPOSE_MIN_MENTIONS = {"person": 2, "organisation": 4}


def _worth_proposing(entity: "Entity") -> bool:
    return entity.kind in Actor.Kind.values and (
        entity.quotes >= PROPOSE_MIN_QUOTES or entity.mentions >= PROPOSE_MIN_MENTIONS[entity.kind]
    )


def _matching_actor(entity: "Entity", actors: Sequence[Actor]) -> Actor | None:
    """The actor an entity is: its name is the actor's name or alias, or the actor's name
    is one of its names. Curated and hidden actors come first: they win over proposals."""
    own = {name_key(n) for n in (entity.name, *entity.aliases)}
    for actor in sorted(actors, key=lambda a: a.status == Actor.Status.PROPOSED):
        if name_key(entity.name) in {name_key(n) for n in actor.names}:
            return actor
        if name_key(actor.name) in own:
            return actor
    return None


def _aliases_text(name: str, *groups: Iterable[str]) -> str:
    out, seen = [], {name_key(name)}
    for alias in (alias.strip()[:200] for group in groups for alias in group):
        if alias and name_key(alias) not in seen:
            seen.add(name_key(alias))
            out.append(alias)
    return "\n".join(out)


@transaction.atomic
def story_actors_propose(*, story: Story) -> list[Actor]:
    """Propose as actors the people and organisations the story's pieces quote or name
    repeatedly, with the names the text uses for them; returns the story's proposals.

    Curated actors win: an entity that is a curated actor (by name or alias) is never
    proposed, nor one an editor hid. A proposal found again is brought up to date (its
    aliases, role, counts); one no longer found is withdrawn. Idempotent.
    """
    Story.objects.select_for_update().filter(pk=story.pk).first()  # one proposer per story
    actors = list(story.actors.all())
    found: dict[int, Entity] = {}
    for entity in story_entities(story):
        if not _worth_proposing(entity):
            continue
        actor = _matching_actor(entity, actors)
        if actor is not None and actor.status != Actor.Status.PROPOSED:
            continue  # curated or hidden: an editor's word stands
        if actor is None:
            actor = Actor(story=story, name=entity.name[:200], status=Actor.Status.PROPOSED)
            actors.append(actor)
        elif actor.pk in found:  # two entities are one proposal: keep the first's counts
            continue
        before = _proposal_fields(actor)
        actor.kind = entity.kind
        actor.role = actor.role or entity.role[:200]
        actor.pronoun = entity.pronoun if entity.pronoun in Actor.Pronoun.values else ""
        actor.aliases = _aliases_text(actor.name, actor.alias_list, entity.aliases)
        actor.mentions, actor.quotes = entity.mentions, entity.quotes
        after = _proposal_fields(actor)
        if actor.pk is None or after[:-2] != before[:-2]:  # unchanged: no write, so
            actor.full_clean()  # cached comparisons stay valid
            actor.save()
        elif after != before:  # only its counts, which no analysis or comparison reads:
            actor.save(update_fields=["mentions", "quotes"])  # `updated` stays
        found[actor.pk] = entity
    story.actors.proposed().exclude(pk__in=found).delete()
    return list(story.actors.proposed().order_by("-quotes", "-mentions", "name"))


def _proposal_fields(actor: Actor) -> tuple:
    """What discovery sets on a proposal; its counts last."""
    return (actor.kind, actor.role, actor.pronoun, actor.aliases, actor.mentions, actor.quotes)


def _story_actor(actor: Actor) -> Actor:
    return Actor.objects.select_for_update().get(pk=actor.pk)


def actor_accept(*, actor: Actor) -> Actor:
    """Make a proposed (or hidden) actor curated: it stays, whatever discovery finds."""
    return _actor_status_set(actor, Actor.Status.CURATED)


def actor_hide(*, actor: Actor) -> Actor:
    """Leave the actor out of the analysis; discovery never proposes it again."""
    return _actor_status_set(actor, Actor.Status.HIDDEN)


@transaction.atomic
def _actor_status_set(actor: Actor, status: str) -> Actor:
    actor = _story_actor(actor)
    actor.status = status
    actor.save()
    return actor


@transaction.atomic
def actor_rename(*, actor: Actor, name: str) -> Actor:
    """Give the actor another name (the old one becomes an alias) and keep it as curated."""
    actor = _story_actor(actor)
    name = " ".join(name.split())
    if not name:
        raise ValidationError("Give the actor a name.")
    clash = actor.story.actors.exclude(pk=actor.pk).filter(name__iexact=name).first()
    if clash is not None:
        raise ValidationError(f"“{clash.name}” is already an actor of this story: merge instead.")
    if name != actor.name:
        actor.aliases = _aliases_text(name, [actor.name], actor.alias_list)
        actor.name = name
    actor.status = Actor.Status.CURATED
    actor.full_clean()
    actor.save()
    return actor


@transaction.atomic
def actor_merge(*, actor: Actor, into: Actor) -> Actor:
    """Fold `actor` into `into`: its names become aliases of `into`, editors' speaker
    corrections that named it now name `into`, and it is deleted."""
    if actor.pk == into.pk:
        raise ValidationError("An actor cannot be merged into itself.")
    actor, into = _story_actor(actor), _story_actor(into)
    if actor.story_id != into.story_id:
        raise ValidationError("Only actors of the same story can be merged.")
    into.aliases = _aliases_text(into.name, into.alias_list, actor.names)
    into.role = into.role or actor.role
    into.pronoun = into.pronoun or actor.pronoun
    into.mentions += actor.mentions
    into.quotes += actor.quotes
    into.full_clean()
    into.save()
    SpeakerCorrection.objects.filter(speaker_actor=actor).update(speaker_actor=into)
    actor.delete()
    return into
