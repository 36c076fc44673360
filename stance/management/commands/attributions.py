import json

from django.core.management.base import BaseCommand, CommandError

from newsroom.jsonl import json_lines
from stance.attribution import attribute_text


class Command(BaseCommand):
    help = (
        "Who said what in each article: JSON lines {id, text} -> {id, attributions: [{content, "
        "source, cue, kind, speaker}]}, character offsets into text, end exclusive. No actor "
        "list is needed: speakers are the people and organisations the text names."
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, metavar="IN.jsonl")
        parser.add_argument("--output", required=True, metavar="OUT.jsonl")

    def handle(self, *args, input, output, **options):
        records = list(_read(input))
        with open(output, "w", encoding="utf-8") as sink:
            for record in records:
                found = attribute_text(record["text"])
                line = {"id": record["id"], "attributions": [a.as_json() for a in found]}
                sink.write(json.dumps(line, ensure_ascii=False) + "\n")
        self.stderr.write(f"{len(records)} articles attributed -> {output}")


def _read(path: str):
    try:
        with open(path, encoding="utf-8") as source:
            for where, record in json_lines(source, path, CommandError):
                valid = isinstance(record, dict) and "id" in record
                if not valid or not isinstance(record.get("text"), str):
                    raise CommandError(f'{where}: needs "id" and a "text" string')
                yield record
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise CommandError(f"{path} is not UTF-8 text") from None
