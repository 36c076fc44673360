"""One word count for the app (newsroom.words)."""

from newsroom.models import Paragraph
from newsroom.words import word_count


def test_dashes_bullets_and_blank_text_are_not_words():
    assert word_count("") == 0
    assert word_count("  \u2014 \u2022 - ") == 0
    assert word_count("The council - finally - met.") == 4


def test_apostrophes_stay_inside_a_word_and_hyphens_split_one():
    assert word_count("Don't say O\u2019Brien's well-known line") == 6


def test_a_paragraph_counts_the_same_way():
    assert Paragraph(text="It is - frankly - absurd.").word_count == 4
