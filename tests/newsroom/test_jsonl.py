import pytest

from newsroom.jsonl import json_lines


def test_each_line_comes_with_where_it_stands_and_blank_lines_are_skipped():
    lines = ['{"id": 1}\n', "\n", "   \n", '[2, "two"]\n', "3"]
    assert list(json_lines(lines, "in.jsonl")) == [
        ("in.jsonl:1", {"id": 1}),
        ("in.jsonl:4", [2, "two"]),
        ("in.jsonl:5", 3),
    ]


def test_a_line_that_is_not_json_raises_the_callers_error_naming_the_line():
    class Refused(Exception):
        pass

    read = json_lines(['{"id": 1}\n', '{"id": 2\n', "not read"], "in.jsonl", Refused)
    assert next(read) == ("in.jsonl:1", {"id": 1})
    with pytest.raises(Refused, match=r"^in\.jsonl:2: not valid JSON \(Expecting"):
        next(read)


def test_the_error_is_a_value_error_unless_the_caller_names_one():
    with pytest.raises(ValueError, match="manifest.jsonl:1: not valid JSON"):
        list(json_lines(["{"], "manifest.jsonl"))
