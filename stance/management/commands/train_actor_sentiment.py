from django.core.management.base import BaseCommand, CommandError

from stance.services.versions import actor_sentiment_train


class Command(BaseCommand):
    help = (
        "Train an actor-sentiment model version from NewsMTSC-format JSON Lines "
        "(id, text, target, target_start, target_end, polarity). Without one, the "
        "rule-based default scores."
    )

    def add_arguments(self, parser):
        parser.add_argument("--jsonl", action="append", required=True, metavar="FILE")
        parser.add_argument("--activate", action="store_true")

    def handle(self, *args, jsonl, activate, **options):
        try:
            version = actor_sentiment_train(jsonl=jsonl, activate=activate)
        except OSError as error:
            raise CommandError(f"Cannot read {error.filename}: {error.strerror}") from None
        except ValueError as error:
            raise CommandError(str(error)) from None
        summary, metrics = version.training_summary, version.metrics
        self.stdout.write(f"{version}: trained on {summary['n']} mentions {summary['per_class']}")
        if metrics.get("macro_f1") is not None:
            per_class = ", ".join(f"{k} {v:.3f}" for k, v in metrics["per_class_f1"].items())
            self.stdout.write(
                f"cross-validated ({metrics['cv_folds']} folds): macro-F1 "
                f"{metrics['macro_f1']:.3f} ({per_class})"
            )
        if version.is_active:
            self.stdout.write(self.style.SUCCESS(f"{version} is now active."))
        else:
            self.stdout.write("Not activated: the current model (or the rule-based default) stays.")
