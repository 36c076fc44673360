import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from newsroom.jsonl import json_lines
from newsroom.models import Article
from newsroom.services import (
    ArticleDraft,
    SourceFile,
    UploadDefaults,
    UploadRefused,
    article_upload,
    article_upload_preview,
    story_get_or_create,
)
from stance.tasks import analyse_articles

MANIFEST_FIELDS = {"path", "headline", "outlet", "byline", "date", "url", "genre"}


class Command(BaseCommand):
    help = (
        "Store articles from files as the upload page does, all or nothing: creates the "
        "story and outlets if missing, then classifies and analyses them and proposes the "
        "story's actors. Files are .txt, .md, .html or .docx; a JSON Lines manifest gives "
        "per-document path, headline, outlet, byline, date, url and genre."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", metavar="FILE")
        parser.add_argument("--story", required=True, help="The story's slug (created if new).")
        parser.add_argument("--title", default="", help="The story's title, if it is new.")
        parser.add_argument(
            "--outlet", default="", help="The outlet of the documents that do not name theirs."
        )
        parser.add_argument(
            "--genre",
            default=Article.Genre.UNKNOWN,
            choices=Article.Genre.values,
            help="The genre the outlet published them under.",
        )
        parser.add_argument(
            "--manifest",
            help="JSON Lines, one document a line: path (relative to the manifest), "
            "headline, outlet, byline, date (YYYY-MM-DD), url, genre.",
        )

    def handle(self, *args, files, story, title, outlet, genre, manifest, **options):
        specs = [{"path": path} for path in files]
        if manifest:
            specs += _read_manifest(Path(manifest))
        if not specs:
            raise CommandError("Nothing to import: give files or --manifest.")
        sources = [_source(spec) for spec in specs]
        try:
            # What the upload page's preview does: ingest, guess the metadata, refuse the
            # whole batch for any bad or already-stored document.
            drafts = article_upload_preview(
                files=sources, defaults=UploadDefaults(outlet=outlet, genre=genre)
            )
            drafts = [_revised(draft, spec) for draft, spec in zip(drafts, specs, strict=True)]
            with transaction.atomic():  # a refused batch leaves no new story or outlet
                found = story_get_or_create(
                    title=title or story.replace("-", " ").capitalize(), slug=story
                )
                articles = article_upload(story=found, drafts=drafts)
                ids = [article.pk for article in articles]
                # As after an upload: classified, analysed and actors proposed once stored.
                transaction.on_commit(lambda: analyse_articles.enqueue(ids))
        except UploadRefused as error:
            raise CommandError("\n".join(problem.message for problem in error.problems)) from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None

        for article in Article.objects.filter(pk__in=ids).select_related("outlet"):
            self.stdout.write(
                f"{article.pk}\t{article.headline}\t{article.outlet}\t{article.genre}\t"
                f"{article.paragraphs.count()} paragraphs\t{article.get_absolute_url()}"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Stored {len(ids)} article{'s' if len(ids) != 1 else ''} in “{found}” "
                f"({found.get_absolute_url()})."
            )
        )
        proposed = list(found.actors.proposed().values_list("name", flat=True))
        if proposed:
            self.stdout.write(f"Proposed actors: {', '.join(proposed)}")


def _read_manifest(path: Path) -> list[dict]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise CommandError(f"Cannot read the manifest: {error}") from None
    specs = []
    for where, spec in json_lines(lines, path.name, CommandError):
        if not isinstance(spec, dict) or not isinstance(spec.get("path"), str):
            raise CommandError(f"{where}: an object with a “path” is needed.")
        unknown = set(spec) - MANIFEST_FIELDS
        if unknown:
            raise CommandError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}.")
        spec = {key: "" if value is None else str(value) for key, value in spec.items()}
        spec["path"] = str(path.parent / spec["path"])
        specs.append(spec)
    return specs


def _source(spec: dict) -> SourceFile:
    path = Path(spec["path"])
    try:
        return SourceFile(path.name, path.read_bytes())
    except OSError as error:
        raise CommandError(f"“{path}”: {error.strerror or error}") from None


def _revised(draft: ArticleDraft, spec: dict) -> ArticleDraft:
    """The previewed draft with what the manifest says about it."""
    metadata = {}
    for field, key in [("headline", "headline"), ("outlet", "outlet"), ("byline", "byline")]:
        if spec.get(key):
            metadata[field] = spec[key]
    if spec.get("url"):
        metadata["source_url"] = spec["url"]
    if spec.get("genre"):
        if spec["genre"] not in Article.Genre.values:
            raise CommandError(
                f"“{draft.source}”: genre must be one of {', '.join(Article.Genre.values)}."
            )
        metadata["genre"] = spec["genre"]
    if spec.get("date"):
        try:
            metadata["published"] = datetime.date.fromisoformat(spec["date"])
        except ValueError:
            raise CommandError(f"“{draft.source}”: date must be YYYY-MM-DD.") from None
    return draft.revised(**metadata)
