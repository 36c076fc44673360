"""The two seed articles, read once per module."""

import pytest

from newsroom.ingest import (
    Document,
    ingest_file,
)
from tests.newsroom.ingest.support import SEED_DIR


@pytest.fixture(scope="module")
def report() -> Document:
    path = SEED_DIR / "herald-report.txt"
    return ingest_file(path.read_bytes(), path.name)


@pytest.fixture(scope="module")
def column() -> Document:
    path = SEED_DIR / "armstrong-column.txt"
    return ingest_file(path.read_bytes(), path.name)
