"""Imported labelled training sets (TSV)."""

import csv
import io

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from stance import pipeline
from stance.models import TrainingSet

# A row (id, text, label) longer than this is not a paragraph; it would also pass
# Python's csv field limit (131,072) and slow every later retrain.
TRAINING_ROW_MAX_CHARS = 20_000


def training_set_read(file, *, name: str) -> str:
    """The text of an uploaded or local labelled TSV, read in chunks and given up as soon
    as it passes settings.STANCE_TRAINING_SET_MAX_BYTES (never read whole beyond that)."""
    limit = settings.STANCE_TRAINING_SET_MAX_BYTES
    size = getattr(file, "size", None)
    chunks, total = [], 0
    if size is None or size <= limit:
        while total <= limit and (chunk := file.read(min(64 * 1024, limit + 1 - total))):
            chunks.append(chunk)
            total += len(chunk)
    if size is not None and size > limit or total > limit:
        raise ValidationError(
            f"“{name}” is larger than {limit / 1024 / 1024:.0f} MB, the limit for a training set; "
            "split it into smaller files."
        )
    try:
        return b"".join(chunks).decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError(f"“{name}” is not UTF-8 text.") from None


def _training_set_check(content: str, name: str) -> None:
    """Refuse what the reader or the database cannot hold, naming the line."""
    for number, line in enumerate(content.split("\n"), start=1):
        if "\x00" in line:
            raise ValidationError(f"“{name}”: line {number} contains a NUL byte; is it text?")
        if len(line) > TRAINING_ROW_MAX_CHARS:
            raise ValidationError(
                f"“{name}”: line {number} is {len(line):,} characters long; "
                f"a row may have at most {TRAINING_ROW_MAX_CHARS:,}."
            )


@transaction.atomic
def training_set_import(
    *, name: str, content: str, uploaded_by: AbstractBaseUser | None = None
) -> TrainingSet:
    """Validate a labelled TSV whole and keep it for training; a bad row rejects the file."""
    _training_set_check(content, name)
    try:
        rows = pipeline.read_labelled_tsv(io.StringIO(content))
    except (ValueError, csv.Error) as error:
        raise ValidationError(f"“{name}”: {error}") from None
    if not rows:
        raise ValidationError(f"“{name}” has no labelled rows.")
    counts = {label: sum(1 for *_, value in rows if value == label) for label in pipeline.LABELS}
    item = TrainingSet(
        name=name[:200], content=content, rows=len(rows), counts=counts, uploaded_by=uploaded_by
    )
    item.full_clean()
    item.save()
    return item
