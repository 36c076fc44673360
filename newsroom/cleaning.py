"""Text that users send, made safe for where it goes (pure: no Django).

- `single_line`: names and titles (headlines, bylines, story, outlet and actor names)
  without invisible format characters, so "Out\u200blet" is the outlet "Outlet".
- `spreadsheet_cell`: a value bound for a CSV a spreadsheet may open, never read as a
  formula.
"""

import unicodedata

# Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"):
# = + - @, and tab / carriage return, which some spreadsheets skip before looking.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value):
    """`value` as a spreadsheet reads it: as text, never as a formula.

    A string starting with one of FORMULA_STARTS gets a leading single quote (which
    spreadsheets show as "text follows" and do not evaluate); numbers, None and other
    strings are returned unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def is_invisible(char: str) -> bool:
    """Zero-width and bidirectional controls, and every other format character (Cf):
    U+200B..U+200F, U+202A..U+202E, U+2060..U+2069, U+FEFF, soft hyphen..."""
    return unicodedata.category(char) == "Cf"


def single_line(text: str) -> str:
    """A name or title as stored: NFC, no format characters, whitespace runs as one space."""
    text = unicodedata.normalize("NFC", text)
    return " ".join("".join(char for char in text if not is_invisible(char)).split())
