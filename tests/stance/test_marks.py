"""Marks over a paragraph's text, cut into runs (stance.marks, pure)."""

from stance.marks import Mark, runs, spans


def test_runs_carry_every_mark_covering_them_and_the_marks_ending_after_them():
    text = 'He said "the mayor lied" today.'
    quote = Mark(8, 24, "quote", "quoted speech: Ann", "Ann")
    mention = Mark(13, 18, "mention", "Mayor")
    cut = runs(text, [quote, mention])
    assert "".join(run.text for run in cut) == text
    assert [(run.text, run.kinds) for run in cut] == [
        ("He said ", ""),
        ('"the ', "quote"),
        ("mayor", "mention quote"),
        (' lied"', "quote"),
        (" today.", ""),
    ]
    assert cut[2].title == "quoted speech: Ann; Mayor"
    assert cut[3].ending == (quote,) and cut[2].ending == (mention,)


def test_the_innermost_of_nested_marks_is_the_shortest():
    outer, inner = Mark(0, 20, "quote", data="outer"), Mark(5, 10, "quote", data="inner")
    cut = runs("x" * 20, [outer, inner])
    assert cut[1].innermost("quote") is inner and cut[0].innermost("quote") is outer
    assert cut[1].covering("loaded") is None


def test_marks_past_the_text_are_clipped_and_empty_ones_dropped():
    cut = runs("short", [Mark(-3, 2, "quote"), Mark(3, 99, "loaded"), Mark(4, 4, "mention")])
    assert [(run.text, run.kinds) for run in cut] == [("sh", "quote"), ("o", ""), ("rt", "loaded")]
    assert runs("", [Mark(0, 5, "quote")]) == []


def test_spans_mark_overlapping_spans_once_each_run():
    cut = spans("abcdefgh", [(1, 4), (3, 6)], "quote")
    assert [(run.text, bool(run.marks)) for run in cut] == [
        ("a", False),
        ("bc", True),
        ("d", True),
        ("ef", True),
        ("gh", False),
    ]
