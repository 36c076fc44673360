import json

from django.core.management.base import BaseCommand, CommandError

from stance import actor_sentiment
from stance.selectors import actor_sentiment_score


class Command(BaseCommand):
    help = (
        "Score the sentiment a text expresses toward one named person, per JSON line "
        "(id, text, target, target_start, target_end) -> (id, polarity, score)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, metavar="IN.jsonl")
        parser.add_argument("--output", required=True, metavar="OUT.jsonl")

    def handle(self, *args, input, output, **options):
        try:
            records = actor_sentiment.read_jsonl(input, labelled=False)
        except OSError as error:
            raise CommandError(f"Cannot read {input}: {error.strerror}") from None
        except ValueError as error:
            raise CommandError(str(error)) from None
        scorer, scores = actor_sentiment_score(records)
        with open(output, "w", encoding="utf-8") as sink:
            for record, (polarity, score) in zip(records, scores, strict=True):
                line = {"id": record["id"], "polarity": polarity, "score": round(score, 4)}
                sink.write(json.dumps(line) + "\n")
        self.stderr.write(f"{len(records)} mentions scored by {scorer} -> {output}")
