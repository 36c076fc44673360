from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from stance.services.training_sets import training_set_import, training_set_read


class Command(BaseCommand):
    help = "Keep a labelled TSV (id, text, label) as training data for every later retrain."

    def add_arguments(self, parser):
        parser.add_argument("--tsv", required=True, metavar="FILE")

    def handle(self, *args, tsv, **options):
        name = Path(tsv).name
        try:
            with open(tsv, "rb") as source:
                content = training_set_read(source, name=name)
        except OSError as error:
            raise CommandError(f"Cannot read {tsv}: {error}") from None
        except ValidationError as error:
            raise CommandError(error.messages[0]) from None
        try:
            item = training_set_import(name=name, content=content)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from None
        self.stdout.write(f"Imported {item}: it joins the next retrain.")
