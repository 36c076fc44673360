"""Writes that span newsroom models. Each runs in one transaction: all or nothing.

Uploading, shared by the upload page and ``manage.py import_articles``:

1. ``article_upload_preview(files=[SourceFile(name, data)], text=..., defaults=...)``
   ingests every document and returns one ``ArticleDraft`` each, with metadata guessed from the
   document (headline, outlet, byline, date, URL) or the defaults; a bad file refuses the batch
   (``UploadRefused`` naming each file). Nothing is written.
2. The page keeps the drafts on the server between preview and save: ``upload_stage()``,
   ``upload_staged()``; stale batches expire (``staged_uploads_purge()``).
3. ``draft.revised(headline=..., outlet=..., dropped={positions})`` applies the admin's (or a
   manifest's) metadata and block choices.
4. ``article_upload(drafts=..., story=... or story_title=...)`` stores them all or none
   (``article_upload_staged()`` also discards the staged batch).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import hashlib
import json
import uuid
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from newsroom import ingest
from newsroom.cleaning import single_line
from newsroom.ingest import Document
from newsroom.models import (
    Actor,
    Article,
    Outlet,
    Paragraph,
    StagedDocument,
    StagedUpload,
    Story,
)


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
    """One document of an upload with its metadata: what ``article_upload`` stores.

    ``outlet`` is the outlet's name (found case-insensitively, else created); empty means the
    ``outlet`` given to ``article_upload``.
    """

    document: Document
    source: str  # file name, or "pasted text"
    headline: str
    byline: str = ""
    genre: str = Article.Genre.UNKNOWN
    published: datetime.date | None = None
    source_url: str = ""
    attribution: str = ""
    outlet: str = ""

    def revised(self, *, dropped: Iterable[int] | None = None, **metadata: Any) -> ArticleDraft:
        """The draft with new metadata and, given ``dropped``, exactly the blocks at those
        positions of ``document.outline()`` dropped (furniture restored, content dropped).
        Raises ValidationError naming the document when nothing would be left."""
        document = self.document
        if dropped is not None:
            try:
                document = document.choose(dropped)
            except ingest.IngestError as error:
                raise ValidationError(f"“{self.source}”: {error}") from None
        return dataclasses.replace(self, document=document, **metadata)


@dataclass(frozen=True)
class SourceFile:
    """An uploaded file: its name as the user's computer had it, and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class UploadDefaults:
    """What a batch gives every document that does not say otherwise."""

    outlet: str = ""
    genre: str = Article.Genre.UNKNOWN
    published: datetime.date | None = None
    source_url: str = ""


@dataclass(frozen=True)
class Problem:
    """Why a batch was refused; ``article`` is the stored piece a duplicate repeats."""

    message: str
    article: Article | None = None


class UploadRefused(ValidationError):
    """A batch with one or more bad documents; ``problems`` name each one."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__([problem.message for problem in self.problems], code="refused")


PASTED = "pasted text"
UPLOAD_STAGE_MAX_AGE = datetime.timedelta(hours=24)
_HEADLINE_WORDS = 14


def article_upload_preview(
    *,
    files: Sequence[SourceFile] = (),
    text: str = "",
    defaults: UploadDefaults = UploadDefaults(),  # noqa: B008 - frozen, so safe to share
) -> list[ArticleDraft]:
    """Ingest every file and the pasted text, and guess each document's metadata.

    The guesses come from the document first (headline: its title or og:title, first
    heading, docx title, else its first line; outlet: the page's site name, matched to a
    stored outlet; byline; date; canonical URL), else from ``defaults``. Writes nothing.
    Raises ``UploadRefused`` naming every file that cannot be read and every piece that
    is already stored or repeated in the batch: a batch is taken whole or not at all.
    """
    documents: list[tuple[str, Document]] = []
    problems: list[Problem] = []
    for upload in files:
        name = PurePath(upload.name.replace("\\", "/")).name or "unnamed file"
        try:
            documents.append((name, ingest.ingest_file(upload.data, name)))
        except ingest.IngestError as error:
            problems.append(Problem(f"“{name}”: {error}"))
    if text.strip():
        try:
            documents.append((PASTED, ingest.ingest_text(text)))
        except ingest.IngestError as error:
            problems.append(Problem(f"Pasted text: {error}"))
    if not documents and not problems:
        problems.append(Problem("Nothing to upload: choose one or more files or paste some text."))
    drafts = [_guess(source, document, defaults) for source, document in documents]
    if not problems:
        problems += [Problem(e.messages[0], e.existing) for e in duplicates_in(drafts)]
    if problems:
        raise UploadRefused(problems)
    return drafts


def _guess(source: str, document: Document, defaults: UploadDefaults) -> ArticleDraft:
    published = defaults.published
    if document.published:
        with contextlib.suppress(ValueError):
            published = datetime.date.fromisoformat(document.published)
    outlet = defaults.outlet
    if document.site_name:
        stored = Outlet.objects.filter(name__iexact=document.site_name).first()
        outlet = stored.name if stored is not None else document.site_name
    return ArticleDraft(
        document=document,
        source=source,
        headline=_headline(source, document),
        byline=document.byline,
        genre=defaults.genre,
        published=published,
        source_url=document.url or defaults.source_url,
        outlet=outlet,
    )


def _headline(source: str, document: Document) -> str:
    """The document's title (a page's og:title or <title>, its <h1>, a .docx title or first
    heading, a text's heading first line), else its first line cut at a word, else the
    file's name."""
    headline = document.title
    if not headline and document.blocks:
        words = document.blocks[0].text.split()
        headline = " ".join(words[:_HEADLINE_WORDS]) + ("…" if len(words) > _HEADLINE_WORDS else "")
    if not headline and source != PASTED:
        headline = PurePath(source).stem.replace("_", " ").replace("-", " ").strip()
    return headline[:500]


@dataclass(frozen=True)
class StagedBatch:
    """A previewed batch read back from the server: its id, the pasted text's fingerprint
    and its drafts (documents with the metadata guessed at preview)."""

    id: uuid.UUID
    text_hash: str
    drafts: list[ArticleDraft]


def text_fingerprint(text: str) -> str:
    return hashlib.sha256(text.strip().encode()).hexdigest()


@transaction.atomic
def upload_stage(
    *, user: AbstractBaseUser, drafts: Sequence[ArticleDraft], text: str = ""
) -> StagedBatch:
    """Keep a previewed batch on the server until it is saved (each document compressed);
    batches older than ``UPLOAD_STAGE_MAX_AGE`` are swept away on the way."""
    staged_uploads_purge()
    upload = StagedUpload.objects.create(user=user, text_hash=text_fingerprint(text))
    StagedDocument.objects.bulk_create(
        StagedDocument(
            upload=upload,
            position=position,
            source=draft.source[:255],
            data=zlib.compress(json.dumps(_draft_to_dict(draft)).encode(), 6),
        )
        for position, draft in enumerate(drafts)
    )
    return StagedBatch(upload.pk, upload.text_hash, list(drafts))


def upload_staged(*, stage_id: uuid.UUID | str, user: AbstractBaseUser) -> StagedBatch:
    """A batch this user staged, if it has not expired; else ValidationError."""
    expired = ValidationError("The preview has expired or was already saved; preview again.")
    try:
        upload = StagedUpload.objects.get(pk=stage_id, user=user)
    except (StagedUpload.DoesNotExist, ValidationError, ValueError):
        raise expired from None
    if upload.created < timezone.now() - UPLOAD_STAGE_MAX_AGE:
        raise expired
    drafts = [
        _draft_from_dict(json.loads(zlib.decompress(bytes(item.data))))
        for item in upload.documents.order_by("position")
    ]
    return StagedBatch(upload.pk, upload.text_hash, drafts)


def staged_uploads_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete staged batches past ``UPLOAD_STAGE_MAX_AGE``; returns how many."""
    stale = StagedUpload.objects.stale(now=now or timezone.now(), max_age=UPLOAD_STAGE_MAX_AGE)
    deleted, by_model = stale.delete()
    return by_model.get(StagedUpload._meta.label, 0)


@transaction.atomic
def article_upload_staged(
    *,
    stage_id: uuid.UUID,
    drafts: Sequence[ArticleDraft],
    story: Story | None = None,
    story_title: str = "",
    uploaded_by: AbstractBaseUser | None = None,
) -> list[Article]:
    """``article_upload`` of a staged batch's (revised) drafts, then the batch is gone."""
    articles = article_upload(
        story=story, story_title=story_title, drafts=drafts, uploaded_by=uploaded_by
    )
    StagedUpload.objects.filter(pk=stage_id).delete()
    return articles


class UploadTextChanged(ValidationError):
    """The pasted text is not the one previewed: its split must be previewed again."""


def article_upload_save(
    *,
    stage_id: uuid.UUID | str,
    user: AbstractBaseUser,
    text: str,
    revisions: Callable[[StagedBatch], Sequence[dict[str, Any]] | None],
    story: Story | None = None,
    story_title: str = "",
) -> list[Article] | None:
    """Save the batch this user previewed (the upload page's save): its drafts revised as
    the editor chose, stored all or nothing, then the batch is gone.

    ``revisions(batch)`` gives each staged draft's ``ArticleDraft.revised`` arguments, in
    order, or None when some choices are invalid: then nothing is stored and None is
    returned. Raises ValidationError when the batch expired or is not this user's,
    UploadTextChanged when ``text`` is not the previewed text (nothing is revised), and
    DuplicateArticleError or ValidationError when a document cannot be stored."""
    batch = upload_staged(stage_id=stage_id, user=user)
    if batch.text_hash != text_fingerprint(text):
        raise UploadTextChanged("The text changed since the preview: check the new split.")
    chosen = revisions(batch)
    if chosen is None:
        return None
    drafts = [
        draft.revised(**revision) for draft, revision in zip(batch.drafts, chosen, strict=True)
    ]
    return article_upload_staged(
        stage_id=batch.id, drafts=drafts, story=story, story_title=story_title, uploaded_by=user
    )


def _draft_to_dict(draft: ArticleDraft) -> dict[str, Any]:
    return {
        "document": draft.document.to_dict(),
        "source": draft.source,
        "headline": draft.headline,
        "byline": draft.byline,
        "genre": draft.genre,
        "published": draft.published.isoformat() if draft.published else "",
        "source_url": draft.source_url,
        "outlet": draft.outlet,
    }


def _draft_from_dict(data: dict[str, Any]) -> ArticleDraft:
    published = data.get("published") or ""
    return ArticleDraft(
        document=Document.from_dict(data["document"]),
        source=data["source"],
        headline=data["headline"],
        byline=data.get("byline", ""),
        genre=data.get("genre", Article.Genre.UNKNOWN),
        published=datetime.date.fromisoformat(published) if published else None,
        source_url=data.get("source_url", ""),
        outlet=data.get("outlet", ""),
    )


def outlet_get_or_create(*, name: str) -> Outlet:
    name = single_line(name)
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
    """The story with this slug (when given) or this title, else a new one.

    A new title whose slug an existing story already has ("Goff–Carter row" after
    "Goff Carter row") gets the next free slug ("goff-carter-row-2"), never that story.
    """
    title = single_line(title)
    if slug:
        story = Story.objects.filter(slug=slug).first()
    else:
        story = Story.objects.filter(title__iexact=title).order_by("pk").first()
        slug = _free_story_slug(Story.slug_for(title)) if story is None else story.slug
    if story is not None:
        return story
    if not slug:
        raise ValidationError("A story needs a title with at least one letter or digit.")
    story = Story(title=title, slug=slug, summary=summary)
    story.full_clean()
    story.save()
    return story


def _free_story_slug(base: str) -> str:
    if not base:
        return ""
    number, slug = 1, base
    while Story.objects.filter(slug=slug).exists():
        number += 1
        suffix = f"-{number}"
        slug = base[: 100 - len(suffix)] + suffix
    return slug


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
    drafts: Sequence[ArticleDraft],
    story: Story | None = None,
    story_title: str = "",
    outlet: Outlet | None = None,
    uploaded_by: AbstractBaseUser | None = None,
) -> list[Article]:
    """Store every draft with its paragraphs, or none of them.

    The story is ``story``, else the one titled ``story_title`` (created if new). Each
    draft's outlet is its ``outlet`` name (created if new), else ``outlet``. Raises
    ValidationError (DuplicateArticleError for a piece already stored) naming the document
    at fault; the transaction is rolled back, so nothing of the batch remains, not even a
    new story or outlet.
    """
    if not drafts:
        raise ValidationError("Nothing to upload: add at least one file or paste some text.")
    duplicates = duplicates_in(drafts)
    if duplicates:
        raise duplicates[0]
    if story is None:
        story = story_get_or_create(title=story_title)
    outlets: dict[str, Outlet] = {}

    articles = []
    for draft in drafts:
        name = " ".join(draft.outlet.split())
        if name:
            key = name.casefold()
            if key not in outlets:
                outlets[key] = outlet_get_or_create(name=name)
            draft_outlet = outlets[key]
        elif outlet is not None:
            draft_outlet = outlet
        else:
            raise ValidationError(f"“{draft.source}”: choose an outlet or name a new one.")
        article = Article(
            story=story,
            outlet=draft_outlet,
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
