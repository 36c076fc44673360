"""Echoes by meaning: paragraphs written for these tests, where we know which retell which."""

import socket

import numpy as np
import pytest

from stance import align, embedding

REPORT = [
    "The harbour board voted six to three on Tuesday night to close the northern wharf to "
    "fishing boats from March.",
    "Board chair Tom Hale said engineers had found the wharf's piles rotten and that repairs "
    "would cost about $14 million.",
    "Mayor Ana Roe called the decision a disgrace and said she would ask the transport "
    "minister to step in.",
    "About forty boats now moor at the wharf, according to the fishing co-operative.",
    "The board will meet again in April to consider tenders for the repair work.",
    "Police are investigating a burglary at the marina office over the weekend.",
]
# The column retells report paragraphs 0-3 in other words, then says two things the report
# does not.
COLUMN = [
    "On Tuesday the board decided, by a vote of 6-3, to shut the northern wharf to the "
    "fishing fleet from March.",
    "Hale blames rotten piles, and puts the bill for fixing them at $14m.",
    "Roe, for her part, has branded the vote disgraceful and wants the minister to intervene.",
    "Some forty vessels will need a new berth.",
    "The city's rugby team lost again on Saturday, and the coach is under pressure.",
    "Nobody asked the families who have fished from this coast for four generations what "
    "they think.",
]


def test_paraphrases_match_their_original_and_unrelated_paragraphs_match_nothing():
    matches = align.align([REPORT, COLUMN])
    found = [[m.paragraph for m in row] for row in matches[1]]
    assert found == [[0], [1], [2], [3], [], []]
    # symmetric: the report's paragraph on the vote points at the column's retelling
    assert [m.paragraph for m in matches[0][0]] == [0]
    assert matches[0][4] == [] and matches[0][5] == []


def test_sharing_the_names_is_not_enough_to_match():
    same_names = "Tom Hale and Ana Roe were both at the rugby on Saturday."
    row = align.align([[REPORT[1]], [same_names, COLUMN[1]]], threshold=-1.0)[1]
    names_only, paraphrase = row[0][0].similarity, row[1][0].similarity
    assert names_only < align.DEFAULT_THRESHOLD <= paraphrase


def test_names_are_cut_out_before_embedding_even_when_only_one_piece_gives_the_full_name():
    masked = align.mask_names([["Board chair Tom Hale said the piles were rotten."], COLUMN[1:2]])
    assert "Hale" not in masked[0][0] and "Tom" not in masked[0][0]
    assert "Hale" not in masked[1][0]  # the column's bare surname is known from the report
    assert "rotten piles" in masked[1][0]


def test_empty_paragraphs_and_single_pieces_have_no_counterparts():
    assert align.align([REPORT]) == [[[] for _ in REPORT]]
    assert align.align([["", REPORT[0]], ["", COLUMN[0]]])[0][0] == []
    assert np.all(
        embedding.embed(["", "  ... ", "Little on expulsion"], min_words=align.MIN_WORDS) == 0
    )


def test_the_model_loads_from_its_package_without_the_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the embedding model tried to reach the network")

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    embedding.model.cache_clear()
    try:
        vectors = embedding.embed([REPORT[0], COLUMN[0]])
    finally:
        embedding.model.cache_clear()
    assert vectors.shape == (2, embedding.MODEL_DIM)
    assert float(vectors[0] @ vectors[1]) > align.DEFAULT_THRESHOLD


def test_a_wordllama_without_its_bundled_files_is_refused_not_downloaded(monkeypatch, tmp_path):
    import wordllama

    monkeypatch.setattr(wordllama, "__file__", str(tmp_path / "__init__.py"))
    embedding.model.cache_clear()
    try:
        with pytest.raises(embedding.ModelMissingError):
            embedding.model()
    finally:
        embedding.model.cache_clear()
