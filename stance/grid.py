"""The treatment grid of a story: actors down the side, pieces across the top.

Built from the compare view's own figures (`compare_story`), so a cell always says what the
compare view and `story_report` say: the treatment, the mentions and the share of voice of
one actor in one piece, and the evidence behind the verdict.
"""

from collections.abc import Collection
from dataclasses import dataclass

from django.urls import reverse

from newsroom.models import Actor, Story
from stance.compare import ActorFigures, Filters, Piece, anchor_of, compare_story
from stance.treatment import Evidence

CONTEXT_CHARS = 70  # characters of the paragraph shown either side of an evidence span


@dataclass
class Cell:
    piece: Piece
    actor: Actor
    figures: ActorFigures | None  # None: the piece never names the actor

    @property
    def treatment(self) -> str:
        return "absent" if self.figures is None else self.figures.treatment

    @property
    def label(self) -> str:
        if self.figures is None:
            return "not named"
        figures = self.figures
        return f"{self.treatment}, {figures.mentions} mentions, {figures.voice_percent}% of voice"


@dataclass
class Line:
    actor: Actor
    cells: list[Cell]


@dataclass
class Grid:
    story: Story
    pieces: list[Piece]
    lines: list[Line]

    def as_text(self) -> str:
        """The grid as a plain-text table (one row per actor, one column per piece)."""
        heads = ["Actor"] + [f"{i + 1}. {p.article.outlet.name}" for i, p in enumerate(self.pieces)]
        rows = [
            [line.actor.name]
            + [
                "—"
                if c.figures is None
                else f"{c.treatment} ({c.figures.mentions}m, {c.figures.voice_percent}%v)"
                for c in line.cells
            ]
            for line in self.lines
        ]
        widths = [max(len(r[k]) for r in [heads, *rows]) for k in range(len(heads))]
        fmt = "  ".join(f"{{:<{w}}}" for w in widths)
        key = [f"{i + 1}. {p.article.headline}" for i, p in enumerate(self.pieces)]
        return "\n".join([fmt.format(*heads), *(fmt.format(*r) for r in rows), "", *key])


@dataclass
class Shown:
    """One evidence span with its paragraph around it, linked to its place in compare."""

    evidence: Evidence
    before: str
    after: str
    url: str


def story_grid(story: Story, actor_id: int | None = None, pending: Collection[int] = ()) -> Grid:
    """Every piece of the story (no limit) against every actor any piece names; pieces
    whose analysis is `pending` name nobody yet."""
    ids = list(story.articles.order_by("published", "created").values_list("pk", flat=True))
    pieces = compare_story(story, ids, Filters(), pending)
    actors = {}
    for piece in pieces:
        for who in piece.actors:
            actors.setdefault(who.actor.pk, who.actor)
    if actor_id is not None:
        actors = {pk: a for pk, a in actors.items() if pk == actor_id}
    lines = []
    for actor in sorted(actors.values(), key=lambda a: a.name):
        cells = []
        for piece in pieces:
            figures = next((f for f in piece.actors if f.actor.pk == actor.pk), None)
            cells.append(Cell(piece, actor, figures))
        lines.append(Line(actor, cells))
    return Grid(story, pieces, lines)


def cell_evidence(grid: Grid, actor_id: int, article_id: int) -> tuple[Cell, list[Shown]] | None:
    """The cell of one actor in one piece, and its evidence in context."""
    line = next((ln for ln in grid.lines if ln.actor.pk == actor_id), None)
    cell = line and next((c for c in line.cells if c.piece.article.pk == article_id), None)
    if cell is None:
        return None
    if cell.figures is None:
        return cell, []
    paragraphs = {row.paragraph.position: row.paragraph for row in cell.piece.rows}
    compare = reverse("story-compare", args=[grid.story.slug]) + f"?pieces={article_id}"
    shown = []
    for e in cell.figures.evidence:
        paragraph = paragraphs.get(e.paragraph)
        if paragraph is None:
            continue
        text = paragraph.text
        shown.append(
            Shown(
                e,
                text[max(0, e.start - CONTEXT_CHARS) : e.start],
                text[e.end : e.end + CONTEXT_CHARS],
                f"{compare}#{anchor_of(paragraph)}",
            )
        )
    return cell, shown
