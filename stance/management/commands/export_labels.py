import json

from django.core.management.base import BaseCommand

from stance import selectors


class Command(BaseCommand):
    help = (
        "Write every editor label as JSON Lines, with the model's verdict at the time, and "
        'every speaker correction ("record": "speaker", with the quote and what the '
        "analysis said)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, metavar="FILE.jsonl")

    def handle(self, *args, output, **options):
        counts = {"label": 0, "speaker": 0}
        with open(output, "w", encoding="utf-8") as sink:
            for row in selectors.editorial_export_rows():
                # the CSV's columns, less a speaker correction's own on a label's line
                fields = (
                    selectors.EDITORIAL_EXPORT_FIELDS
                    if row["record"] == "speaker"
                    else [*selectors.EXPORT_FIELDS, "record"]
                )
                sink.write(json.dumps({f: row[f] for f in fields}, ensure_ascii=False) + "\n")
                counts[row["record"]] += 1
        self.stderr.write(
            f"{counts['label']} labels and {counts['speaker']} speaker corrections -> {output}"
        )
