import json

from django.core.management.base import BaseCommand

from stance import selectors

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
                line = {field: row[field] for field in CONTRACT_FIELDS}
                line.update(action=row["action"], undoes=row["undoes"], record=row["record"])
                if row["record"] == "speaker":
                    line.update({field: row[field] for field in selectors.SPEAKER_EXPORT_FIELDS})
                sink.write(json.dumps(line, ensure_ascii=False) + "\n")
                counts[row["record"]] += 1
        self.stderr.write(
            f"{counts['label']} labels and {counts['speaker']} speaker corrections -> {output}"
        )
