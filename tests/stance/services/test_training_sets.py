"""stance.services.training_sets: labelled TSV files read within a cap, validated whole."""

import io

import pytest
from django.core.exceptions import ValidationError

from stance.models import TrainingSet
from stance.services.training_sets import (
    TRAINING_ROW_MAX_CHARS,
    training_set_import,
    training_set_read,
)

pytestmark = pytest.mark.django_db

HEADER = "id\ttext\tlabel\n"


class Upload(io.BytesIO):
    """An uploaded file: it knows its size before it is read (or it does not)."""

    def __init__(self, data: bytes, *, size_known: bool = True):
        super().__init__(data)
        self.size = len(data) if size_known else None
        self.read_bytes = 0

    def read(self, n: int = -1) -> bytes:
        chunk = super().read(n)
        self.read_bytes += len(chunk)
        return chunk


def test_a_file_within_the_cap_is_read_as_text(settings):
    settings.STANCE_TRAINING_SET_MAX_BYTES = 1000
    text = HEADER + "a\tLe vote était serré.\tnews\n"
    assert training_set_read(Upload(text.encode()), name="ok.tsv") == text


def test_a_file_over_the_cap_is_refused_unread_or_as_soon_as_it_passes_it(settings):
    settings.STANCE_TRAINING_SET_MAX_BYTES = 1000
    body = (HEADER + "a\tThe vote was 5-4.\tnews\n" * 200).encode()
    known = Upload(body)
    with pytest.raises(ValidationError, match="“big.tsv” is larger than"):
        training_set_read(known, name="big.tsv")
    assert known.read_bytes == 0  # its size said so: not read at all
    unknown = Upload(body, size_known=False)
    with pytest.raises(ValidationError, match="larger than"):
        training_set_read(unknown, name="big.tsv")
    assert unknown.read_bytes == 1001  # read only until it passed the cap


def test_a_file_that_is_not_utf8_is_refused(settings):
    with pytest.raises(ValidationError, match="not UTF-8"):
        training_set_read(Upload(b"id\ttext\tlabel\na\t\xff\xfe\tnews\n"), name="x.tsv")


def test_an_import_counts_its_rows_by_label():
    item = training_set_import(
        name="wire.tsv",
        content=HEADER + "a\tThe vote was 5-4.\tnews\nb\tI think it is a disgrace.\topinion\n"
        "c\tThe ferry sailed late.\tnews\n",
    )
    assert (item.rows, item.counts, item.is_active) == (3, {"news": 2, "opinion": 1}, True)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (HEADER + "a\tThe \x00 vote.\tnews\n", "line 2 contains a NUL byte"),
        (HEADER + "a\t" + "x" * TRAINING_ROW_MAX_CHARS + "\tnews\n", "line 2 is 20,"),
        (HEADER + "a\tThe vote.\tnews\nb\tIt is absurd.\tmaybe\n", "maybe"),
        (HEADER, "has no labelled rows"),
        ("text\tlabel\nThe vote.\tnews\n", "“bad.tsv”"),
    ],
    ids=["nul-byte", "row-too-long", "unknown-label", "no-rows", "no-header"],
)
def test_a_bad_row_rejects_the_whole_file_naming_it(content, message):
    with pytest.raises(ValidationError, match=message):
        training_set_import(name="bad.tsv", content=content)
    assert not TrainingSet.objects.exists()
