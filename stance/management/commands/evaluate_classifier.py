from django.core.management.base import BaseCommand, CommandError

from stance import pipeline, registry
from stance.report import format_metrics


class Command(BaseCommand):
    help = (
        "Score the active classifier on a labelled TSV (id, text, label): "
        "macro-F1, per-class precision/recall/F1 and the confusion matrix."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tsv", required=True, metavar="FILE")

    def handle(self, *args, tsv, **options):
        try:
            rows = pipeline.read_labelled_tsv(tsv)
        except OSError as error:
            raise CommandError(f"Cannot read {tsv}: {error.strerror}") from None
        except ValueError as error:
            raise CommandError(str(error)) from None
        if not rows:
            raise CommandError(f"{tsv} has no rows to score.")
        try:
            version, model = registry.active_classifier()
        except registry.NoActiveModel as error:
            raise CommandError(str(error)) from None
        texts = [text for _, text, _ in rows]
        predicted = [v.label for v in pipeline.read_rows(model, texts)]
        metrics = pipeline.evaluation_metrics([label for _, _, label in rows], predicted)
        self.stdout.write(format_metrics(metrics, heading=f"{version} on {tsv} ({len(rows)} rows)"))
