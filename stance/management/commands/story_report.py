import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsroom.models import Story
from stance.report import story_report


class Command(BaseCommand):
    help = (
        "What the compare view shows for every piece of a story, as JSON: opinion share, "
        "share of others' voice, and each actor's mentions, quoted and reported words and "
        "treatment."
    )

    def add_arguments(self, parser):
        parser.add_argument("--story", required=True, help="The story's slug.")
        parser.add_argument("--output", help="Write the JSON here instead of standard output.")

    def handle(self, *args, story: str, output: str | None, **options):
        found = Story.objects.filter(slug=story).first()
        if found is None:
            raise CommandError(f"No story with the slug “{story}”.")
        report = {"story": found.slug, "title": found.title, "pieces": story_report(found)}
        text = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {len(report['pieces'])} pieces to {output}")
        else:
            self.stdout.write(text, ending="")
