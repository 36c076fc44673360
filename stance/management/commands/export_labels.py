import json

from django.core.management.base import BaseCommand

from stance import services

CONTRACT_FIELDS = [
    "paragraph_id",
    "article_id",
    "text",
    "label",
    "editor",
    "created",
    "note",
    "model_version",
    "model_label",
    "p_opinion",
]


class Command(BaseCommand):
    help = "Write every editor label as JSON Lines, with the model's verdict at the time."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, metavar="FILE.jsonl")

    def handle(self, *args, output, **options):
        count = 0
        with open(output, "w", encoding="utf-8") as sink:
            for row in services.labels_export_rows():
                line = {field: row[field] for field in CONTRACT_FIELDS}
                line.update(action=row["action"], undoes=row["undoes"])
                sink.write(json.dumps(line, ensure_ascii=False) + "\n")
                count += 1
        self.stderr.write(f"{count} labels -> {output}")
