import datetime
import json
from collections import defaultdict
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from newsroom import ingest
from newsroom.models import Article
from newsroom.services import (
    ArticleDraft,
    article_upload,
    duplicates_in,
    outlet_get_or_create,
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
        parser.add_argument("--outlet", default="", help="The outlet of every document.")
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
        drafts: list[tuple[str, ArticleDraft]] = []
        for spec in specs:
            outlet_name = spec.get("outlet") or outlet
            if not outlet_name:
                raise CommandError(f"“{spec['path']}”: no outlet (give --outlet or “outlet”).")
            drafts.append((outlet_name, _draft(spec, default_genre=genre)))

        duplicates = duplicates_in([draft for _, draft in drafts])
        if duplicates:
            raise CommandError(duplicates[0].messages[0])
        try:
            with transaction.atomic():
                found = story_get_or_create(
                    title=title or story.replace("-", " ").capitalize(), slug=story
                )
                by_outlet: dict[str, list[ArticleDraft]] = defaultdict(list)
                for outlet_name, draft in drafts:
                    by_outlet[" ".join(outlet_name.split()).casefold()].append(draft)
                names = {" ".join(n.split()).casefold(): n for n, _ in drafts}
                articles = []
                for key, group in by_outlet.items():
                    articles += article_upload(
                        story=found, outlet=outlet_get_or_create(name=names[key]), drafts=group
                    )
                ids = [article.pk for article in articles]
                # As the upload page does: classified, analysed and actors proposed once stored.
                transaction.on_commit(lambda: analyse_articles.enqueue(ids))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None

        for article in Article.objects.filter(pk__in=ids).select_related("outlet"):
            self.stdout.write(
                f"{article.pk}\t{article.headline}\t{article.outlet}\t{article.genre}\t"
                f"{article.paragraphs.count()} paragraphs\t{article.get_absolute_url()}"
            )
        proposed = list(found.actors.proposed().values_list("name", flat=True))
        self.stdout.write(
            self.style.SUCCESS(
                f"Stored {len(ids)} article{'s' if len(ids) != 1 else ''} in “{found}” "
                f"({found.get_absolute_url()})."
            )
        )
        if proposed:
            self.stdout.write(f"Proposed actors: {', '.join(proposed)}")


def _read_manifest(path: Path) -> list[dict]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise CommandError(f"Cannot read the manifest: {error}") from None
    specs = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            spec = json.loads(line)
        except json.JSONDecodeError as error:
            raise CommandError(f"{path.name} line {number}: not JSON ({error.msg}).") from None
        if not isinstance(spec, dict) or not isinstance(spec.get("path"), str):
            raise CommandError(f"{path.name} line {number}: an object with a “path” is needed.")
        unknown = set(spec) - MANIFEST_FIELDS
        if unknown:
            raise CommandError(
                f"{path.name} line {number}: unknown field(s) {', '.join(sorted(unknown))}."
            )
        spec = {key: "" if value is None else str(value) for key, value in spec.items()}
        spec["path"] = str(path.parent / spec["path"])
        specs.append(spec)
    return specs


def _draft(spec: dict, *, default_genre: str) -> ArticleDraft:
    path = Path(spec["path"])
    try:
        document = ingest.ingest_file(path.read_bytes(), path.name)
    except OSError as error:
        raise CommandError(f"“{path}”: {error.strerror or error}") from None
    except ingest.IngestError as error:
        raise CommandError(f"“{path.name}”: {error}") from None
    genre = spec.get("genre") or default_genre
    if genre not in Article.Genre.values:
        raise CommandError(f"“{path.name}”: genre must be one of {', '.join(Article.Genre)}.")
    try:
        published = datetime.date.fromisoformat(spec["date"]) if spec.get("date") else None
    except ValueError:
        raise CommandError(f"“{path.name}”: date must be YYYY-MM-DD.") from None
    return ArticleDraft(
        document=document,
        source=path.name,
        headline=spec.get("headline") or _headline(document, path),
        byline=spec.get("byline") or document.byline,
        genre=genre,
        published=published,
        source_url=spec.get("url", ""),
    )


def _headline(document: ingest.Document, path: Path) -> str:
    """What the upload page proposes: the document's title, else its first heading, else
    the file's name."""
    headings = [b.text for b in document.blocks if b.kind == ingest.BlockKind.HEADING]
    headline = document.title or (headings[0] if headings else "")
    return (headline or path.stem.replace("_", " ").replace("-", " ").strip())[:500]
