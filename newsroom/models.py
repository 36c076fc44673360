"""The newsroom domain: outlets publish articles about stories; articles are paragraphs."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.text import slugify

from newsroom.cleaning import single_line
from newsroom.words import word_count


class Outlet(models.Model):
    name = models.CharField(max_length=200, unique=True)
    url = models.URLField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    # Cached pages (the compare view) are keyed on it, so an edit shows at once.
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.name = single_line(self.name)


class StoryQuerySet(models.QuerySet):
    def with_article_counts(self) -> "StoryQuerySet":
        return self.annotate(article_count=Count("articles", distinct=True))


class Story(models.Model):
    """A dispute or event that several articles cover."""

    title = models.CharField(max_length=300)
    # Any script: a Cyrillic title has a Cyrillic slug (URLs carry it percent-encoded).
    slug = models.SlugField(max_length=100, unique=True, allow_unicode=True)
    summary = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    # Cached pages (the compare view) are keyed on it, so an edit shows at once.
    updated = models.DateTimeField(auto_now=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("story-detail", args=[self.slug])

    def clean(self) -> None:
        self.title = single_line(self.title)

    @staticmethod
    def slug_for(title: str) -> str:
        return slugify(single_line(title), allow_unicode=True)[:100].strip("-_")


class ActorQuerySet(models.QuerySet):
    def analysed(self) -> "ActorQuerySet":
        """The actors the analysis tracks: curated and proposed, never hidden."""
        return self.exclude(status=Actor.Status.HIDDEN)

    def proposed(self) -> "ActorQuerySet":
        return self.filter(status=Actor.Status.PROPOSED)


class Actor(models.Model):
    """A person or institution in a story, with the names the text may use for them.

    Curated actors were typed or accepted by someone; proposed ones were found in the
    story's text (stance.services.actors.story_actors_propose) and are analysed like curated
    ones until an editor accepts, merges, renames or hides them. Hidden ones are never
    analysed and never proposed again.
    """

    class Status(models.TextChoices):
        CURATED = "curated", "Curated"
        PROPOSED = "proposed", "Proposed"
        HIDDEN = "hidden", "Hidden"

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANISATION = "organisation", "Organisation"

    class Pronoun(models.TextChoices):
        HE = "he", "he"
        SHE = "she", "she"
        THEY = "they", "they"
        IT = "it", "it"

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="actors")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PERSON)
    pronoun = models.CharField(
        max_length=4,
        choices=Pronoun.choices,
        blank=True,
        help_text="How the text refers back to this actor; blank means pronouns are never "
        "resolved to them.",
    )
    role = models.CharField(max_length=200, blank=True)
    aliases = models.TextField(
        blank=True, help_text="Other names the text uses for this actor, one per line."
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.CURATED,
        help_text="Proposed actors were found in the text; hidden ones are never analysed.",
    )
    # What discovery counted over the story's pieces when it last proposed or saw them.
    mentions = models.PositiveIntegerField(default=0)
    quotes = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)
    # Cached pages (the compare view) are keyed on it, so an edit shows at once; discovery
    # updating the counts above alone leaves it (no cached page shows them).
    updated = models.DateTimeField(auto_now=True)

    objects = ActorQuerySet.as_manager()

    class Meta:
        ordering = ["story", "name"]
        constraints = [
            models.UniqueConstraint(fields=["story", "name"], name="actor_unique_name_per_story"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.name = single_line(self.name)

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    @property
    def names(self) -> list[str]:
        """The name and every alias."""
        return [self.name, *self.alias_list]


class ArticleQuerySet(models.QuerySet):
    def with_paragraph_counts(self) -> "ArticleQuerySet":
        return self.annotate(
            paragraph_count=Count(
                "paragraphs", filter=~Q(paragraphs__kind=Paragraph.Kind.HEADING), distinct=True
            )
        )


class Article(models.Model):
    class Genre(models.TextChoices):
        """The genre the outlet published the piece under (not the model's verdict)."""

        NEWS = "news", "News"
        OPINION = "opinion", "Opinion"
        ANALYSIS = "analysis", "Analysis"
        UNKNOWN = "unknown", "Unknown"

    story = models.ForeignKey(Story, on_delete=models.PROTECT, related_name="articles")
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="articles")
    headline = models.CharField(max_length=500)
    byline = models.CharField(max_length=300, blank=True)
    published = models.DateField(null=True, blank=True)
    source_url = models.URLField(max_length=1000, blank=True)
    genre = models.CharField(max_length=20, choices=Genre.choices, default=Genre.UNKNOWN)
    attribution = models.CharField(
        max_length=500, blank=True, help_text="Copyright or licence line shown with the text."
    )
    source_filename = models.CharField(max_length=255, blank=True)
    source_format = models.CharField(max_length=20, blank=True)
    content_hash = models.CharField(
        max_length=64, help_text="SHA-256 of the normalised text; the same piece is stored once."
    )
    word_count = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created = models.DateTimeField(auto_now_add=True)
    # Cached pages (the compare view) are keyed on it, so an edit shows at once.
    updated = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["story", "published", "created"]
        constraints = [
            models.UniqueConstraint(fields=["content_hash"], name="article_unique_content"),
        ]

    def __str__(self) -> str:
        return self.headline

    def get_absolute_url(self) -> str:
        return reverse("article-detail", args=[self.pk])

    def clean(self) -> None:
        self.headline = single_line(self.headline)
        self.byline = single_line(self.byline)


class ParagraphQuerySet(models.QuerySet):
    def classifiable(self) -> "ParagraphQuerySet":
        """Paragraphs in someone's voice: not headings or credit lines."""
        return self.filter(kind__in=Paragraph.CLASSIFIABLE_KINDS)


class Paragraph(models.Model):
    class Kind(models.TextChoices):
        # Values match newsroom.ingest.BlockKind.
        HEADING = "heading", "Heading"
        PARAGRAPH = "paragraph", "Paragraph"
        LIST_ITEM = "list_item", "List item"
        BLOCKQUOTE = "blockquote", "Block quote"
        CREDIT = "credit", "Credit line"

    CLASSIFIABLE_KINDS = (Kind.PARAGRAPH, Kind.LIST_ITEM, Kind.BLOCKQUOTE)

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="paragraphs")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PARAGRAPH)
    text = models.TextField()

    objects = ParagraphQuerySet.as_manager()

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"], name="paragraph_unique_position"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="paragraph_text_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id}:{self.position} {self.text[:60]}"

    @property
    def word_count(self) -> int:
        return word_count(self.text)

    @property
    def is_classifiable(self) -> bool:
        return self.kind in self.CLASSIFIABLE_KINDS


class StagedUploadQuerySet(models.QuerySet):
    def stale(self, *, now, max_age) -> "StagedUploadQuerySet":
        return self.filter(created__lt=now - max_age)


class StagedUpload(models.Model):
    """A previewed upload batch, kept on the server until it is saved or expires.

    The documents stay here, not in the page, so a batch of 20 large files is not sent
    back and forth; any app server can read it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text_hash = models.CharField(max_length=64, blank=True)  # the pasted text previewed
    created = models.DateTimeField(auto_now_add=True)

    objects = StagedUploadQuerySet.as_manager()

    class Meta:
        # StagedUploadQuerySet.stale(): the sweep of expired batches.
        indexes = [models.Index(fields=["created"], name="stagedupload_created_idx")]

    def __str__(self) -> str:
        return f"Upload {self.id} by {self.user_id}"


class StagedDocument(models.Model):
    """One document of a staged batch: the ingested Document as compressed JSON."""

    upload = models.ForeignKey(StagedUpload, on_delete=models.CASCADE, related_name="documents")
    position = models.PositiveIntegerField()
    source = models.CharField(max_length=255)
    data = models.BinaryField()

    class Meta:
        ordering = ["upload", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["upload", "position"], name="stageddocument_unique_position"
            )
        ]

    def __str__(self) -> str:
        return self.source
