"""Everything the compare view shows, split by what changes it.

`comparison()` is what labels do not change: per piece its marked text, the alignment of
paragraphs across pieces, share of voice, sentiment toward each actor, frames, loaded terms
and a one-line treatment summary. It is computed in a fixed number of queries once per
state of the story's content (`compare_state()`), with its text fragments rendered once,
and kept in Django's cache: data and fragments only, nothing of a viewer or a request.
`labelled()` is what labels change (verdicts, opinion shares, where the opinion sits),
read in one query per request. stance/compare.html puts the two together.
"""

from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max, OuterRef, Subquery, Value
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from newsroom.models import Actor, Article, Outlet, Paragraph, Story
from stance import align, caching, framing, marks, speakers, tasks
from stance.models import (
    Frame,
    Label,
    ModelVersion,
    ParagraphAnalysis,
    Prediction,
    SentenceLabel,
    SpeakerCorrection,
)
from stance.quotes import analysis_of
from stance.selectors import (
    ANALYSIS_VERSION,
    OpinionShare,
    speaker_corrections_by_paragraph,
    with_verdicts,
)
from stance.treatment import ActorSentiment, Evidence, Verdict, summary_line, verdict_of


@dataclass
class Filters:
    only_opinion: bool = False
    actor: int | None = None
    frame: str = ""

    @property
    def active(self) -> bool:
        return self.only_opinion or self.actor is not None or bool(self.frame)


@dataclass
class Row:
    """One paragraph in a column. Its label is not here: it comes per request (labelled())."""

    paragraph: Paragraph
    analysis: framing.ParagraphFraming
    runs: list[marks.Run]
    matches: list["Match"] = field(default_factory=list)
    visible: bool = True  # under the actor and frame filters
    # the actors it mentions or quotes and its frames, for those filters
    mentioned: frozenset[str] = frozenset()
    framed: frozenset[str] = frozenset()
    # Rendered once per content state (comparison()): the marked text, and what follows
    # the verdict (alignment links, the slot "Why?" fills)
    text_html: str = ""
    after_html: str = ""

    @property
    def anchor(self) -> str:
        return anchor_of(self.paragraph)

    @property
    def marked_text(self) -> SafeString:
        return marked_text(self.runs)

    @property
    def p_bucket(self) -> int | None:
        p = self.paragraph.p_opinion
        return None if p is None else min(9, int(p * 10))

    @property
    def is_unique(self) -> bool:
        return self.paragraph.is_classifiable and not self.matches


@dataclass
class Match:
    """The closest paragraph of another piece."""

    piece: "Piece"
    paragraph: Paragraph
    similarity: float

    @property
    def anchor(self) -> str:
        return anchor_of(self.paragraph)

    @property
    def percent(self) -> int:
        return round(100 * self.similarity)


@dataclass
class ActorFigures:
    actor: Actor
    quoted_words: int = 0  # direct and reported, each word once (framing.voice_share)
    direct_words: int = 0
    reported_words: int = 0
    direct_quotes: int = 0
    reported: int = 0
    paragraphs: int = 0
    mentions: int = 0
    # (paragraph position, paragraph text, the author's treatment there), for the verdict
    treated: list[tuple[int, str, ActorSentiment]] = field(default_factory=list)
    verdict: Verdict | None = None
    voice_share: float = 0.0

    @property
    def sentiment(self) -> float | None:
        return None if self.verdict is None else self.verdict.score

    @property
    def treatment(self) -> str:
        return "insufficient" if self.verdict is None else self.verdict.treatment

    @property
    def confidence(self) -> float:
        return 0.0 if self.verdict is None else self.verdict.confidence

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        return () if self.verdict is None else self.verdict.evidence

    @property
    def voice_percent(self) -> int:
        return round(100 * self.voice_share)

    @property
    def sentiment_x(self) -> float:
        """Where the sentiment marker sits on a 0..200 axis (-1..1)."""
        return 100 + 100 * (self.sentiment or 0.0)

    @property
    def top_evidence(self) -> list[str]:
        return [] if self.verdict is None else self.verdict.words[:5]


@dataclass
class Piece:
    index: int
    article: Article
    rows: list[Row] = field(default_factory=list)
    actors: list[ActorFigures] = field(default_factory=list)
    frames: list[tuple[Frame, int]] = field(default_factory=list)
    loaded: list[tuple[str, int, str]] = field(default_factory=list)  # term, count, anchor
    words: int = 0
    quoted_words: int = 0
    unique: int = 0
    treatment: str = ""
    pending: bool = False  # its analysis is queued: no voice, treatment, frames or marks yet
    aligning: bool = False  # its alignment is queued: no counterparts yet
    figures_html: str = ""  # voice, treatment, frames, loaded terms: rendered once
    fingerprint: str = ""  # of what it shows of itself (_piece_keys), when cached

    @property
    def short_headline(self) -> str:
        headline = self.article.headline
        return headline if len(headline) <= 24 else headline[:23].rstrip() + "…"

    @property
    def share(self) -> OpinionShare:
        """The share as computed (labels as they were then; pages use labelled())."""
        return OpinionShare.of_paragraphs(
            row.paragraph for row in self.rows if row.paragraph.is_classifiable
        )

    @property
    def quoted_percent(self) -> int:
        return round(100 * self.quoted_words / self.words) if self.words else 0

    @property
    def stance(self) -> str:
        return stance_line(self.treatment, self.share, self.quoted_percent)

    @property
    def visible_rows(self) -> list[Row]:
        return [row for row in self.rows if row.visible]


@dataclass(frozen=True)
class CompareState:
    """What a comparison of a story depends on, as two fingerprints (see compare_state)."""

    story_id: int
    title: str
    content: str  # texts, pieces, outlets, actors, frames, active versions, predictions,
    # speaker corrections, stored analyses, the analysis and alignment methods
    labels: str  # every label and undo on the story's paragraphs


def compare_state(slug: str) -> CompareState | None:
    """The story's fingerprints in one query, or None when there is no such story.

    Any change an editor could see moves one of them: a label or an undo (labels are
    append-only, so the newest id and the count move); an activation or a finished
    prediction refresh; an added, edited or removed piece, outlet, actor or frame (their
    `updated` stamps and counts); a speaker correction (append-only: newest id); an
    analysis stored (count and newest `created`), so a comparison rendered while one was
    pending is never served once it is done.
    Comparisons are cached under the content one, so a busy compare view is computed once
    per change, not per request, and a label only costs reading the verdicts again
    (`labelled()`).
    """
    t = {
        model: connection.ops.quote_name(model._meta.db_table)
        for model in (
            Story,
            Article,
            Outlet,
            Actor,
            Frame,
            Paragraph,
            Label,
            Prediction,
            SpeakerCorrection,
            ParagraphAnalysis,
        )
    }
    t[ModelVersion] = connection.ops.quote_name(ModelVersion._meta.db_table)
    of_story = f"FROM {t[Article]} a WHERE a.story_id = s.id"
    story_paragraphs = (
        f"JOIN {t[Paragraph]} p ON p.id = x.paragraph_id "
        f"JOIN {t[Article]} a ON a.id = p.article_id WHERE a.story_id = s.id"
    )
    active = f"SELECT MAX(id) FROM {t[ModelVersion]} WHERE is_active AND kind = %s"
    sql = f"""
        SELECT s.id, s.title, s.updated,
          (SELECT COUNT(*) {of_story}), (SELECT MAX(a.id) {of_story}),
          (SELECT MAX(a.updated) {of_story}),
          (SELECT MAX(o.updated) FROM {t[Article]} a JOIN {t[Outlet]} o ON o.id = a.outlet_id
             WHERE a.story_id = s.id),
          (SELECT COUNT(*) FROM {t[Actor]} r WHERE r.story_id = s.id),
          (SELECT MAX(r.updated) FROM {t[Actor]} r WHERE r.story_id = s.id),
          (SELECT COUNT(*) FROM {t[Frame]}), (SELECT MAX(updated) FROM {t[Frame]}),
          ({active}), ({active}),
          (SELECT COUNT(*) FROM {t[Prediction]} x {story_paragraphs}
             AND x.version_id = ({active})),
          (SELECT MAX(x.id) FROM {t[SpeakerCorrection]} x {story_paragraphs}),
          (SELECT COUNT(*) FROM {t[ParagraphAnalysis]} x {story_paragraphs}),
          (SELECT MAX(x.created) FROM {t[ParagraphAnalysis]} x {story_paragraphs}),
          (SELECT MAX(x.id) FROM {t[Label]} x {story_paragraphs}),
          (SELECT COUNT(*) FROM {t[Label]} x {story_paragraphs})
        FROM {t[Story]} s WHERE s.slug = %s
    """
    classifier, actor_sentiment = ModelVersion.Kind.CLASSIFIER, ModelVersion.Kind.ACTOR_SENTIMENT
    with connection.cursor() as cursor:
        cursor.execute(sql, [classifier, actor_sentiment, classifier, slug])
        row = cursor.fetchone()
    if row is None:
        return None
    story_id, title, *content, last_label, labels = row
    return CompareState(
        story_id=story_id,
        title=title,
        content=caching.digest([story_id, title, *content, ANALYSIS_VERSION, align.METHOD]),
        labels=caching.digest([last_label, labels]),
    )


def piece_label_states(article_ids: Collection[int]) -> dict[int, str]:
    """{article id: a fingerprint of its paragraphs' labels and sentence labels}, in one
    query: a label or an undo moves its own article's only (both are append-only)."""
    ids = list(article_ids)
    grouped = [
        model.objects.filter(paragraph__article_id__in=ids)
        .values_list("paragraph__article_id")
        .annotate(kind=Value(kind), last=Max("id"), count=Count("id"))
        .order_by()
        for kind, model in (("label", Label), ("sentence", SentenceLabel))
    ]
    states: dict[int, dict] = {pk: {} for pk in ids}
    for article_id, kind, last, count in grouped[0].union(grouped[1], all=True):
        states[article_id][kind] = (last, count)
    return {pk: caching.digest(sorted(state.items())) for pk, state in states.items()}


MAX_PIECES = 4
COMPARISON_SECONDS = 3600
# A comparison with a pending analysis is kept briefly: the state moves when the analysis
# is stored, and a task lost with its worker is queued again (tasks.articles_analysis_request).
PENDING_SECONDS = 5


@dataclass
class Comparison:
    """What the compare page shows that labels do not change (cached per content state)."""

    story: Story
    articles: list[Article]  # every piece of the story, for the chooser
    pieces: list[Piece]
    filters: Filters
    pending: set[int]  # ids of the chosen articles whose analysis is queued
    actors: list[Actor]
    frames: list[Frame]
    digest: str  # the content state it was computed in (the poll of a pending one sends it)
    left_out: list[Article] = field(default_factory=list)  # chosen past MAX_PIECES, not shown

    @property
    def chosen(self) -> list[int]:
        return [piece.article.pk for piece in self.pieces]

    @property
    def waiting(self) -> bool:
        """Something of it is still being worked out by a task (the page asks again)."""
        return bool(self.pending) or any(piece.aligning for piece in self.pieces)


def comparison(state: CompareState, wanted: Sequence[int], filters: Filters) -> Comparison:
    """The comparison of the wanted pieces (all when none) under the actor and frame
    filters, from the cache when this content state has been compared so before.

    On a miss, the analysis of any chosen piece that lacks a fresh one is queued, never run
    here (tasks.articles_analysis_request), and the piece shows as pending until it is stored.
    """
    by_filters = Filters(actor=filters.actor, frame=filters.frame)  # not the label filter
    # "v2": comparisons cached by code before pieces had a fingerprint are not read back
    key = "comparison-v2:" + caching.digest([state.content, list(wanted), by_filters])
    return _COMPARISONS(key, lambda: _compare(state, wanted, by_filters))


_COMPARISONS = caching.ComputedOnce()


def _compare(
    state: CompareState, wanted: Sequence[int], by_filters: Filters
) -> tuple[Comparison, int]:
    """The comparison, and how long to keep it (briefly while a piece is pending)."""
    story = Story.objects.get(pk=state.story_id)
    articles = list(story.articles.select_related("outlet").order_by("published", "created"))
    by_pk = {article.pk: article for article in articles}
    chosen = [by_pk[pk] for pk in (wanted or by_pk) if pk in by_pk]
    chosen, left_out = chosen[:MAX_PIECES], chosen[MAX_PIECES:]
    pending = set(tasks.articles_analysis_request(chosen)) if chosen else set()
    ids = [article.pk for article in chosen]
    pieces = compare_story(story, ids, by_filters, pending, cached=True)
    found = Comparison(
        story=story,
        articles=articles,
        pieces=pieces,
        filters=by_filters,
        pending=pending,
        actors=list(story.actors.analysed()),
        frames=list(Frame.objects.filter(is_active=True)),
        digest=state.content[:16],
        left_out=left_out,
    )
    _render_fragments(found)
    return found, PENDING_SECONDS if found.waiting else COMPARISON_SECONDS


def _render_fragments(found: Comparison) -> None:
    """Render once what every request shows as is: each paragraph's marked text and each
    piece's figures. Nothing of a viewer or a request goes in (no token, no path). What
    only they needed (marks, analyses, the evidence behind verdicts) is then dropped, so
    the cached comparison stays small."""
    for piece in found.pieces:
        for row in piece.rows:
            context = {"row": row, "pieces": found.pieces, "aligning": piece.aligning}
            if not row.text_html:  # a piece's body from the cache has it
                row.text_html = render_to_string("stance/compare.html#row-text", context)
            row.after_html = render_to_string("stance/compare.html#row-after", context)
            row.runs, row.analysis = [], framing.ParagraphFraming()
        piece.figures_html = render_to_string(
            "stance/compare.html#piece-figures",
            {"piece": piece, "story": found.story, "chosen": found.chosen, "pieces": found.pieces},
        )
        for who in piece.actors:
            who.treated = []
    # Then each row keeps of its paragraph only what the columns show around the fragments
    # (not its text, analysis or sentences), and no links to other rows' paragraphs: a
    # cached comparison of long pieces loads in milliseconds, not a tenth of a second.
    for piece in found.pieces:
        for row in piece.rows:
            row.paragraph, row.matches = _slim(row.paragraph), []


def _slim(paragraph: Paragraph) -> Paragraph:
    slim = Paragraph(
        pk=paragraph.pk,
        article_id=paragraph.article_id,
        position=paragraph.position,
        kind=paragraph.kind,
    )
    slim.p_opinion = paragraph.p_opinion
    return slim


@dataclass
class Column:
    """A piece as labels have it now: its paragraphs' verdicts and its opinion share."""

    piece: Piece
    paragraphs: list[Paragraph]  # classifiable, with_verdicts(), in order
    rows: list[tuple[Row, Paragraph | None]]  # the rows shown, each with its verdict

    @cached_property
    def share(self) -> OpinionShare:
        return OpinionShare.of_paragraphs(self.paragraphs)

    @property
    def stance(self) -> str:
        return stance_line(self.piece.treatment, self.share, self.piece.quoted_percent)

    @property
    def opinion_positions(self) -> list[int]:
        return [p.position for p in self.paragraphs if p.effective_label == "opinion"]


def labelled(
    found: Comparison, *, only_opinion: bool = False, pieces: Collection[int] | None = None
) -> list[Column]:
    """The comparison's pieces (those whose article ids are in `pieces`, or all) with every
    paragraph's verdict of now (one query); with `only_opinion`, only the rows whose
    effective label is opinion."""
    chosen = [pk for pk in found.chosen if pieces is None or pk in pieces]
    paragraphs = with_verdicts(
        Paragraph.objects.classifiable().filter(article_id__in=chosen)
    ).order_by("article_id", "position")
    verdicts = {p.pk: p for p in paragraphs}
    by_article: dict[int, list[Paragraph]] = defaultdict(list)
    for paragraph in verdicts.values():
        by_article[paragraph.article_id].append(paragraph)
    columns = []
    for piece in found.pieces:
        if piece.article.pk not in chosen:
            continue
        rows = [(row, verdicts.get(row.paragraph.pk)) for row in piece.rows if row.visible]
        if only_opinion:
            rows = [(row, v) for row, v in rows if v is not None and v.effective_label == "opinion"]
        columns.append(Column(piece, by_article[piece.article.pk], rows))
    return columns


def anchor_of(paragraph: Paragraph) -> str:
    return f"a{paragraph.article_id}-p{paragraph.position}"


def compare_story(
    story: Story,
    article_ids: list[int],
    filters: Filters,
    pending: Collection[int] = (),
    *,
    align_inline: bool = False,
    cached: bool = False,
) -> list[Piece]:
    """The chosen pieces with every figure; the articles in `pending` (their analysis is
    missing or stale, see tasks.articles_analysis_request) show their text and labels
    without it. With `cached`, what each piece shows of itself (its rows' marked text and
    its figures) comes from the cache under that piece's own fingerprint (_piece_keys),
    rows keeping no text or analysis: a new piece or a stored analysis computes its own
    piece alone."""
    articles = {a.pk: a for a in story.articles.select_related("outlet").filter(pk__in=article_ids)}
    chosen = [articles[pk] for pk in article_ids if pk in articles]
    if not chosen:
        return []
    actors = {str(actor.pk): actor for actor in story.actors.analysed()}
    frames = {frame.key: frame for frame in Frame.objects.filter(is_active=True)}
    pieces = [
        Piece(index=i, article=article, pending=article.pk in pending)
        for i, article in enumerate(chosen)
    ]
    keys = _piece_keys(story, pieces) if cached else {}
    bodies = cache.get_many(list(keys.values())) if keys else {}
    for piece in pieces:
        piece.fingerprint = keys.get(piece.article.pk, "")
        if piece.fingerprint in bodies:
            _body_apply(piece, bodies[piece.fingerprint])
    missing = [piece for piece in pieces if keys.get(piece.article.pk) not in bodies]
    if missing:
        _pieces_compute(missing, actors, frames)
    if keys and missing:
        cache.set_many(
            {keys[piece.article.pk]: _body_of(piece) for piece in missing}, COMPARISON_SECONDS
        )
    _align(pieces, inline=align_inline)
    for piece in pieces:
        piece.unique = sum(1 for row in piece.rows if row.is_unique)
        for row in piece.rows:
            row.visible = _passes(row, filters)
    return pieces


def _pieces_compute(pieces: list[Piece], actors: dict, frames: dict) -> None:
    """Each piece's rows (marks from its analysis) and figures, in a fixed number of queries."""
    paragraphs = with_verdicts(
        Paragraph.objects.filter(article__in=[piece.article for piece in pieces]).select_related(
            "analysis"
        )
    ).order_by("article_id", "position")
    corrections = speaker_corrections_by_paragraph(p.pk for p in paragraphs)
    by_article: dict[int, list[Paragraph]] = defaultdict(list)
    for paragraph in paragraphs:
        by_article[paragraph.article_id].append(paragraph)
    for piece in pieces:
        for paragraph in by_article[piece.article.pk]:
            analysis = (
                framing.ParagraphFraming()
                if piece.pending
                else speakers.apply_corrections(
                    analysis_of(paragraph), paragraph.text, corrections.get(paragraph.pk, [])
                )
            )
            runs = marks.runs(paragraph.text, analysis_marks(analysis, actors))
            mentioned = frozenset(
                {m.actor for m in analysis.mentions} | {q.speaker for q in analysis.quotes}
            )
            row = Row(
                paragraph, analysis, runs, mentioned=mentioned, framed=frozenset(analysis.frames)
            )
            piece.rows.append(row)
        _summarise(piece, actors, frames)
        piece.treatment = "" if piece.pending else treatment_line(piece)


def _body_of(piece: Piece) -> dict:
    """What a piece shows of itself, to cache: its rows with their marked text rendered
    (and of each paragraph only what the columns read), and its figures."""
    for who in piece.actors:
        who.treated = []  # the paragraphs behind its verdict, which the page does not show
    rows = []
    for row in piece.rows:
        # rendered once: the comparison being computed keeps it too (_render_fragments)
        row.text_html = text_html = render_to_string("stance/compare.html#row-text", {"row": row})
        rows.append(
            Row(
                _slim(row.paragraph),
                framing.ParagraphFraming(),
                [],
                mentioned=row.mentioned,
                framed=row.framed,
                text_html=text_html,
            )
        )
    figures = {name: getattr(piece, name) for name in _BODY_FIGURES}
    figures["loaded"] = [
        (t, n, None if a == f"col-{piece.index}" else a) for t, n, a in piece.loaded
    ]
    return {"rows": rows, **figures}


def _body_apply(piece: Piece, body: dict) -> None:
    piece.rows = body["rows"]
    for name in _BODY_FIGURES:
        setattr(piece, name, body[name])
    piece.loaded = [(t, n, a or f"col-{piece.index}") for t, n, a in body["loaded"]]


_BODY_FIGURES = ["actors", "frames", "loaded", "words", "quoted_words", "treatment"]


def article_fingerprint(article: Article) -> str:
    """A fingerprint of what the article's own page shows of it, but its labels: as a
    piece's (_piece_keys), so a change to another piece of its story leaves it as it is."""
    return _piece_keys(article.story, [Piece(index=0, article=article)])[article.pk]


def _piece_keys(story: Story, pieces: list[Piece]) -> dict[int, str]:
    """{article id: the cache key of what that piece shows of itself}: a fingerprint of its
    text, outlet, stored analyses, active predictions and speaker corrections, and of the
    story's actors and frames, the active versions and the analysis method (two queries)."""

    def of_article(queryset, **aggregate):
        return Subquery(
            queryset.filter(paragraph__article=OuterRef("pk"))
            .order_by()
            .values("paragraph__article")
            .annotate(**aggregate)
            .values(*aggregate)[:1]
        )

    active = ModelVersion.objects.filter(is_active=True)
    rows = (
        Article.objects.filter(pk__in=[piece.article.pk for piece in pieces])
        .annotate(
            analyses=of_article(ParagraphAnalysis.objects, n=Count("pk")),
            analysed=of_article(ParagraphAnalysis.objects, last=Max("created")),
            predictions=of_article(
                Prediction.objects.filter(
                    version__in=active.filter(kind=ModelVersion.Kind.CLASSIFIER)
                ),
                n=Count("pk"),
            ),
            corrected=of_article(SpeakerCorrection.objects, last=Max("pk")),
            paragraph_count=Count("paragraphs"),
        )
        .values_list(
            "pk",
            "content_hash",
            "updated",
            "outlet__updated",
            "analyses",
            "analysed",
            "predictions",
            "corrected",
            "paragraph_count",
        )
    )
    shared = [
        ANALYSIS_VERSION,
        sorted(active.values_list("kind", "pk")),
        story.actors.aggregate(n=Count("pk"), last=Max("updated")),
        Frame.objects.aggregate(n=Count("pk"), last=Max("updated")),
    ]
    pending = {piece.article.pk: piece.pending for piece in pieces}
    return {
        row[0]: "compare-piece-body:" + caching.digest([*shared, *row, pending[row[0]]])
        for row in rows
    }


def _passes(row: Row, filters: Filters) -> bool:
    """Whether the row shows under the actor and frame filters (the opinion filter depends
    on labels, so labelled() applies it)."""
    if not row.paragraph.is_classifiable:
        return not filters.active
    if filters.actor is not None and str(filters.actor) not in row.mentioned:
        return False
    return not (filters.frame and filters.frame not in row.framed)


def _summarise(piece: Piece, actors: dict[str, Actor], frames: dict[str, Frame]) -> None:
    figures = {key: ActorFigures(actor) for key, actor in actors.items()}
    frame_counts: Counter = Counter()
    loaded: Counter = Counter()
    first_at: dict[str, str] = {}  # where each loaded term first appears
    for term in framing.headline_loaded(piece.article.headline):
        loaded[term.text.lower()] += 1
        first_at.setdefault(term.text.lower(), f"col-{piece.index}")
    total_quoted = 0
    for row in piece.rows:
        paragraph, analysis = row.paragraph, row.analysis
        if not paragraph.is_classifiable:
            continue
        piece.words += paragraph.word_count
        frame_counts.update(analysis.frames)
        for term in analysis.loaded:
            loaded[term.text.lower()] += 1
            first_at.setdefault(term.text.lower(), row.anchor)
        spoke_here = set()
        # Each quoted word counts once, for the outermost speaker (framing.voice_share).
        for speaker, words in framing.voice_share([analysis]).items():
            quoted = words["direct"] + words["reported"]
            total_quoted += quoted
            if speaker in figures and quoted:
                figures[speaker].quoted_words += quoted
                figures[speaker].direct_words += words["direct"]
                figures[speaker].reported_words += words["reported"]
                spoke_here.add(speaker)
        for quote in analysis.quotes:
            if quote.speaker in figures:
                who = figures[quote.speaker]
                if quote.kind == "direct":
                    who.direct_quotes += 1
                else:
                    who.reported += 1
        for key in spoke_here:
            figures[key].paragraphs += 1
        for mention in analysis.mentions:
            if mention.actor in figures:
                figures[mention.actor].mentions += 1
        for sentiment in analysis.sentiment:
            if sentiment.actor in figures:
                figures[sentiment.actor].treated.append(
                    (paragraph.position, paragraph.text, sentiment)
                )
    piece.quoted_words = min(total_quoted, piece.words)
    for key, who in figures.items():
        who.voice_share = who.quoted_words / total_quoted if total_quoted else 0.0
        who.verdict = verdict_of(key, who.treated)
    piece.actors = sorted(
        (f for f in figures.values() if f.mentions or f.quoted_words),
        key=lambda f: (-f.quoted_words, -f.mentions, f.actor.name),
    )
    piece.frames = [(frames[key], n) for key, n in frame_counts.most_common() if key in frames]
    piece.loaded = [(term, n, first_at[term]) for term, n in loaded.most_common(12)]


# Pieces of up to this many characters in all are aligned in the request (the seed story
# takes 60 ms); longer ones by a task (one 300,000-character piece: about 100 s), the
# columns showing no counterparts until it is done.
ALIGN_INLINE_CHARS = 50_000


def _align(pieces: list[Piece], *, inline: bool = False) -> None:
    """Link each paragraph to its counterparts in the other pieces (stance.align), from the
    cache; or queue the alignment and mark the pieces `aligning`."""
    key = _alignment_key([piece.article for piece in pieces])
    alignment = cache.get(key)
    if alignment is None:  # the texts, read again: a cached piece's rows keep none
        texts = _alignment_texts(_paragraphs_of([piece.article for piece in pieces]))
        if inline or sum(map(len, chain(*texts))) <= ALIGN_INLINE_CHARS:
            alignment = align.align(texts)
            cache.set(key, alignment, ALIGNMENT_SECONDS)
    if alignment is None:
        if cache.add(f"{key}:queued", 1, tasks.ANALYSIS_REQUEST_SECONDS):
            tasks.align_pieces.enqueue([piece.article.pk for piece in pieces])
        alignment = cache.get(key)  # the immediate backend ran it
    if alignment is None:
        for piece in pieces:
            piece.aligning = True
        return
    for piece, matches in zip(pieces, alignment, strict=True):
        for row, row_matches in zip(piece.rows, matches, strict=True):
            if not row.paragraph.is_classifiable:
                continue
            row.matches = [
                Match(pieces[m.piece], pieces[m.piece].rows[m.paragraph].paragraph, m.similarity)
                for m in row_matches
            ]


ALIGNMENT_SECONDS = 24 * 3600


def _alignment_texts(pieces: Sequence[Sequence[Paragraph]]) -> list[list[str]]:
    return [[p.text if p.is_classifiable else "" for p in piece] for piece in pieces]


def _alignment_key(articles: Sequence[Article]) -> str:
    # Derived only from the pieces' (immutable) text and the method that aligned them (the
    # names it cuts out come from stance.entities, which ANALYSIS_VERSION follows), so any
    # process may cache it and a new method never serves an old one's matches.
    pieces = ":".join(f"{a.pk}-{a.content_hash[:16]}" for a in articles)
    return f"align:{align.METHOD}:{ANALYSIS_VERSION}:{pieces}"


def alignment_store(article_ids: Sequence[int]) -> None:
    """Align the articles' paragraphs (in the order given) into the cache (tasks.align_pieces)."""
    articles = Article.objects.in_bulk(article_ids)
    chosen = [articles[pk] for pk in article_ids if pk in articles]
    texts = _alignment_texts(_paragraphs_of(chosen))
    cache.set(_alignment_key(chosen), align.align(texts), ALIGNMENT_SECONDS)


def _paragraphs_of(articles: Sequence[Article]) -> list[list[Paragraph]]:
    """Each article's paragraphs in order (their kind and text only)."""
    paragraphs: dict[int, list[Paragraph]] = defaultdict(list)
    for paragraph in (
        Paragraph.objects.filter(article__in=articles)
        .only("article_id", "position", "kind", "text")
        .order_by("position")
    ):
        paragraphs[paragraph.article_id].append(paragraph)
    return [paragraphs[article.pk] for article in articles]


def treatment_line(piece: Piece) -> str:
    """How the piece treats its actors: every critical or favourable verdict, the most
    mentioned neutral ones, and who there is too little to judge (stance.treatment.summary_line)."""
    verdicts = [who.verdict for who in piece.actors if who.verdict is not None]
    names = {str(who.actor.pk): who.actor.name for who in piece.actors}
    return summary_line(verdicts, names)


def stance_line(treatment: str, share: OpinionShare, quoted_percent: int) -> str:
    """One line for an editor: the treatment, then whose voice the piece is in."""
    if not share.labelled:
        return treatment
    opinion = f"{share.opinion} of {share.labelled} paragraphs"
    if share.opinion / share.labelled >= 0.5:
        voice = f"the author's own voice in {opinion}"
    elif quoted_percent >= 30:
        voice = (
            f"mostly reporting: {quoted_percent}% of the words are quoted or "
            f"reported speech, opinion in {opinion}"
        )
    else:
        voice = f"mostly reporting: opinion in {opinion}"
    return f"{treatment}; {voice}." if treatment else f"{voice[0].upper()}{voice[1:]}."


def marked_text(runs: Sequence[marks.Run]) -> SafeString:
    """A compare column's paragraph text: each marked run as <span class="seg KINDS"> with
    its marks' titles, and after a direct quote its known speaker. Escaped here, not in a
    template loop: a 300,000-character piece has some 13,000 runs, which the template
    engine took a quarter of a second to render."""
    out = []
    for run in runs:
        text = escape(run.text)
        if run.marks:
            title = run.title
            attribute = f' title="{escape(title)}"' if title else ""
            out.append(f'<span class="seg {escape(run.kinds)}"{attribute}>{text}</span>')
        else:
            out.append(text)
        out.extend(
            f'<span class="seg speaker" title="speaker of the quote">{escape(mark.data)}</span>'
            for mark in run.ending
            if mark.data
        )
    return mark_safe("".join(out))  # every part escaped above


def analysis_marks(
    analysis: framing.ParagraphFraming, actors: dict[str, Actor]
) -> list[marks.Mark]:
    """A paragraph's quotes (with their speakers), mentions and loaded words as marks."""
    out = []
    for quote in analysis.quotes:
        speaker = actors.get(quote.speaker or "")
        who = speaker.name if speaker else (quote.speaker_text or "unattributed")
        kind = "quote" if quote.kind == "direct" else "reported"
        # a direct quote's known speaker is shown right after it
        shown = speaker.name if speaker and kind == "quote" else None
        out.append(marks.Mark(quote.start, quote.end, kind, f"{kind} speech: {who}", shown))
    for mention in analysis.mentions:
        actor = actors.get(mention.actor)
        out.append(
            marks.Mark(mention.start, mention.end, "mention", actor.name if actor else mention.text)
        )
    for term in analysis.loaded:
        out.append(marks.Mark(term.start, term.end, "loaded", "loaded language (author's voice)"))
    return out
