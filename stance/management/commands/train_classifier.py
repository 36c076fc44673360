from django.core.management.base import BaseCommand, CommandError

from stance.report import format_metrics
from stance.services.versions import model_train


class Command(BaseCommand):
    help = (
        "Train a news/opinion classifier version on the starter corpus, every editor label "
        "and any extra labelled TSV files; print its cross-validated metrics."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--extra-tsv",
            action="append",
            default=[],
            metavar="FILE",
            help="A labelled TSV (id, text, label) to add; repeatable.",
        )
        parser.add_argument(
            "--activate", action="store_true", help="Make the new version the active one."
        )
        parser.add_argument("--seed", type=int, default=0, help="random_state (default 0).")

    def handle(self, *args, extra_tsv, activate, seed, **options):
        for path in extra_tsv:
            try:
                open(path, encoding="utf-8").close()
            except OSError as error:
                raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        try:
            version = model_train(
                extra_tsv=extra_tsv,
                activate=activate,
                random_state=seed,
                progress=lambda message, fraction: self.stderr.write(f"  {message}"),
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        summary, metrics = version.training_summary, version.metrics
        self.stdout.write(
            f"{version}: trained on {summary['n']} paragraphs in {summary.get('seconds', 0):.1f} s"
        )
        for source, count in summary.get("sources", {}).items():
            self.stdout.write(f"  {source:<28} {count:>6}")
        self.stdout.write(
            format_metrics(metrics, heading=f"cross-validated ({metrics.get('cv_folds')} folds)")
        )
        self.stdout.write(
            f"artifact: {version.artifact_bytes / 1024 / 1024:.1f} MB, "
            f"scikit-learn {version.sklearn_version}"
        )
        if version.is_active:
            self.stdout.write(self.style.SUCCESS(f"{version} is now active."))
        else:
            self.stdout.write(
                "Not activated (pass --activate, or activate it from the models page)."
            )
