import csv
import sys

from django.core.management.base import BaseCommand, CommandError

from stance import pipeline, registry

BATCH = 5000


class Command(BaseCommand):
    help = "Classify a TSV (id, text) with the active version; write id, label, p_opinion."

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, metavar="IN.tsv")
        parser.add_argument("--output", required=True, metavar="OUT.tsv")

    def handle(self, *args, input, output, **options):
        try:
            version, model = registry.active_classifier()
        except registry.NoActiveModel as error:
            raise CommandError(str(error)) from None
        csv.field_size_limit(sys.maxsize)
        try:
            source = open(input, encoding="utf-8", newline="")  # noqa: SIM115 (closed below)
        except OSError as error:
            raise CommandError(f"Cannot read {input}: {error.strerror}") from None
        count = 0
        with source, open(output, "w", encoding="utf-8", newline="") as sink:
            reader = csv.reader(source, delimiter="\t", quoting=csv.QUOTE_NONE)
            header = next(reader, None)
            if header is None or header[:2] != ["id", "text"]:
                raise CommandError(f"{input}: the header must start with id<TAB>text.")
            sink.write("id\tlabel\tp_opinion\n")
            batch: list[tuple[str, str]] = []
            for line_number, row in enumerate(reader, start=2):
                if len(row) < 2:
                    raise CommandError(f"{input}, line {line_number}: expected id<TAB>text.")
                batch.append((row[0], row[1]))
                if len(batch) == BATCH:
                    count += _write(sink, model, batch)
                    batch = []
            count += _write(sink, model, batch)
        self.stderr.write(f"{count} rows classified by {version} -> {output}")


def _write(sink, model, batch: list[tuple[str, str]]) -> int:
    # each row (a sentence or a paragraph) read sentence by sentence, as the pages read it
    predictions = pipeline.read_rows(model, [text for _, text in batch])
    sink.writelines(
        f"{row_id}\t{p.label}\t{p.p_opinion:.4f}\n"
        for (row_id, _), p in zip(batch, predictions, strict=True)
    )
    return len(batch)
