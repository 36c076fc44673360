"""Writes that span newsroom models. Each runs in one transaction: all or nothing."""

import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from newsroom import ingest
from newsroom.ingest import Document
from newsroom.models import Actor, Article, Outlet, Paragraph, Story


class DuplicateArticleError(ValidationError):
    """The upload holds a piece that is already stored; `existing` is the stored article."""

    def __init__(self, *, source: str, existing: Article | None):
        self.source = source
        self.existing = existing
        if existing is not None:
            message = f"“{source}” is already stored as “{existing.headline}”."
        else:
            message = f"“{source}” appears twice in this upload."
        super().__init__(message, code="duplicate")


@dataclass(frozen=True)
class ArticleDraft:
    """One document of an upload with the metadata the admin gave it."""

    document: Document
    source: str  # file name, or "pasted text"
    headline: str
    byline: str = ""
    genre: str = Article.Genre.UNKNOWN
    published: datetime.date | None = None
    source_url: str = ""
    attribution: str = ""


def outlet_get_or_create(*, name: str) -> Outlet:
    name = " ".join(name.split())
    if not name:
        raise ValidationError("An outlet needs a name.")
    existing = Outlet.objects.filter(name__iexact=name).first()
    if existing is not None:
        return existing
    outlet = Outlet(name=name)
    outlet.full_clean()
    outlet.save()
    return outlet


def story_get_or_create(*, title: str, summary: str = "", slug: str = "") -> Story:
    title = " ".join(title.split())
    slug = slug or Story.slug_for(title)
    if not slug:
        raise ValidationError("A story needs a title with at least one letter or digit.")
    story = Story.objects.filter(slug=slug).first()
    if story is not None:
        return story
    story = Story(title=title, slug=slug, summary=summary)
    story.full_clean()
    story.save()
    return story


def duplicates_in(drafts: Sequence[ArticleDraft]) -> list[DuplicateArticleError]:
    """Drafts that repeat a stored article or another draft of the same upload."""
    hashes = [draft.document.content_hash for draft in drafts]
    stored = {a.content_hash: a for a in Article.objects.filter(content_hash__in=hashes)}
    seen: set[str] = set()
    errors = []
    for draft, content_hash in zip(drafts, hashes, strict=True):
        if content_hash in stored:
            errors.append(DuplicateArticleError(source=draft.source, existing=stored[content_hash]))
        elif content_hash in seen:
            errors.append(DuplicateArticleError(source=draft.source, existing=None))
        seen.add(content_hash)
    return errors


@transaction.atomic
def article_upload(
    *,
    story: Story,
    outlet: Outlet,
    drafts: Sequence[ArticleDraft],
    uploaded_by: AbstractBaseUser | None = None,
) -> list[Article]:
    """Store every draft with its paragraphs, or none of them.

    Raises ValidationError (DuplicateArticleError for a piece already stored) naming the
    document at fault; the transaction is rolled back so nothing of the batch remains.
    """
    if not drafts:
        raise ValidationError("Nothing to upload: add at least one file or paste some text.")
    duplicates = duplicates_in(drafts)
    if duplicates:
        raise duplicates[0]

    articles = []
    for draft in drafts:
        article = Article(
            story=story,
            outlet=outlet,
            headline=" ".join(draft.headline.split()),
            byline=draft.byline.strip(),
            genre=draft.genre,
            published=draft.published,
            source_url=draft.source_url,
            attribution=draft.attribution,
            source_filename=draft.source[:255],
            source_format=draft.document.source_format,
            content_hash=draft.document.content_hash,
            word_count=draft.document.word_count,
            uploaded_by=uploaded_by,
        )
        try:
            article.full_clean()
        except ValidationError as error:
            raise ValidationError(f"“{draft.source}”: {_first_message(error)}") from error
        try:
            # A concurrent upload of the same piece can pass the check above.
            with transaction.atomic():
                article.save()
        except IntegrityError:
            existing = Article.objects.filter(content_hash=article.content_hash).first()
            raise DuplicateArticleError(source=draft.source, existing=existing) from None
        Paragraph.objects.bulk_create(
            Paragraph(article=article, position=position, kind=block.kind, text=block.text)
            for position, block in enumerate(draft.document.blocks, start=1)
        )
        articles.append(article)
    return articles


@transaction.atomic
def actor_set(
    *,
    story: Story,
    name: str,
    role: str = "",
    kind: str = "person",
    pronoun: str = "",
    aliases: Sequence[str] = (),
) -> Actor:
    """Create or update a story's actor by name."""
    actor = Actor.objects.filter(story=story, name=name).first() or Actor(story=story, name=name)
    actor.role = role
    actor.kind = kind
    actor.pronoun = pronoun
    actor.aliases = "\n".join(alias.strip() for alias in aliases if alias.strip())
    actor.status = Actor.Status.CURATED  # set by hand: it wins over what discovery proposes
    actor.full_clean()
    actor.save()
    return actor


def _first_message(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        field, messages = next(iter(error.message_dict.items()))
        return f"{field.replace('_', ' ')}: {messages[0]}"
    return error.messages[0]


SEED_DIR = Path(__file__).resolve().parent / "seed"


@dataclass(frozen=True)
class SeedResult:
    story: Story
    created: list[Article]
    existing: list[Article]


@transaction.atomic
def story_seed(*, directory: Path) -> SeedResult:
    """Load a story, its actors and its articles from a seed folder (story.json + texts).

    Idempotent: actors are brought in line, articles already stored are left alone.
    """
    spec = json.loads((directory / "story.json").read_text(encoding="utf-8"))
    story = story_get_or_create(**spec["story"])
    for actor in spec.get("actors", []):
        actor_set(story=story, **actor)
    created, existing = [], []
    for item in spec["articles"]:
        document = ingest.ingest_file((directory / item["file"]).read_bytes(), item["file"])
        stored = Article.objects.filter(content_hash=document.content_hash).first()
        if stored is not None:
            existing.append(stored)
            continue
        draft = ArticleDraft(
            document=document,
            source=item["file"],
            headline=item["headline"],
            byline=item.get("byline", ""),
            genre=item.get("genre", Article.Genre.UNKNOWN),
            attribution=item.get("attribution", ""),
        )
        outlet = outlet_get_or_create(name=item["outlet"])
        created.extend(article_upload(story=story, outlet=outlet, drafts=[draft]))
    return SeedResult(story=story, created=created, existing=existing)
