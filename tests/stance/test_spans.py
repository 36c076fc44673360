"""Which span holds a position."""

from stance.spans import NESTING_LOOK_BACK, containing, disjoint


def test_disjoint_merges_overlapping_and_touching_spans():
    assert disjoint([(10, 20), (0, 5), (15, 30), (5, 8), (40, 41)]) == [(0, 8), (10, 30), (40, 41)]
    assert disjoint([]) == []


def test_containing_finds_the_span_or_minus_one():
    spans = [(0, 5), (10, 20), (30, 31)]
    assert [containing(p, spans) for p in (0, 4, 5, 9, 10, 19, 20, 30, 31)] == [
        0,
        0,
        -1,
        -1,
        1,
        1,
        -1,
        2,
        -1,
    ]
    assert containing(3, []) == -1


def test_nested_spans_need_the_look_back():
    spans = [(0, 100), (10, 20), (30, 40)]  # a long clause holding two shorter ones
    assert containing(50, spans) == -1
    assert containing(50, spans, NESTING_LOOK_BACK) == 0
    assert containing(15, spans, NESTING_LOOK_BACK) == 1
