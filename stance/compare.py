"""Everything the compare view shows, read in a fixed number of queries.

`compare_story()` loads the chosen pieces, their paragraphs with verdicts and stored
framing analyses, and derives per piece: opinion share, share of voice, sentiment toward
each actor, frames, loaded terms, where the opinion sits, a one-line stance summary and
the alignment of paragraphs across pieces.
"""

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from newsroom.models import Actor, Article, Outlet, Paragraph, Story
from stance import align, framing, speakers
from stance.models import (
    Frame,
    Label,
    ModelVersion,
    ParagraphAnalysis,
    Prediction,
    SpeakerCorrection,
)
from stance.selectors import paragraph_words, speaker_corrections_by_paragraph, with_verdicts
from stance.services.analysis import ANALYSIS_VERSION
from stance.treatment import ActorSentiment, Evidence, Verdict, summary_line, verdict_of
from stance.verdicts import Viewer, verdict_html


@dataclass
class Filters:
    only_opinion: bool = False
    actor: int | None = None
    frame: str = ""

    @property
    def active(self) -> bool:
        return self.only_opinion or self.actor is not None or bool(self.frame)


@dataclass
class Segment:
    text: str
    classes: str = ""
    title: str = ""

    @property
    def html(self) -> str:
        if not self.classes:
            return escape(self.text)
        title = f' title="{escape(self.title)}"' if self.title else ""
        return f'<span class="seg {escape(self.classes)}"{title}>{escape(self.text)}</span>'


@dataclass
class Row:
    """One paragraph in a column."""

    paragraph: Paragraph
    analysis: framing.ParagraphFraming
    segments: list[Segment]
    matches: list["Match"] = field(default_factory=list)
    visible: bool = True

    @property
    def anchor(self) -> str:
        return anchor_of(self.paragraph)

    @property
    def explain_url(self) -> str:
        return reverse("paragraph-explain", args=[self.paragraph.pk])

    @property
    def html(self) -> str:
        """The paragraph with its marks, escaped: built here, not in a template loop,
        because a 240-paragraph comparison has thousands of segments."""
        return mark_safe("".join(segment.html for segment in self.segments))

    @property
    def links_html(self) -> str:
        """Links to the closest paragraphs of the other pieces (scroll to and highlight)."""
        return mark_safe(
            "".join(
                f'<a class="align-link" href="#{m.anchor}" title="{m.percent}% similar">'
                f"≈ ¶{m.paragraph.position} in {escape(m.piece.short_headline)}</a> "
                for m in self.matches
            )
        )

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
class Share:
    """How much of a piece is opinion: paragraphs by effective label, words by opinion sentence.

    The one part of a piece's summary that a label changes, so it is computed from
    `with_verdicts()` paragraphs alone and filled into the cached columns.
    """

    index: int
    paragraphs: list[Paragraph]  # the piece's classifiable paragraphs, in order
    classified: int = 0
    opinion: int = 0
    words: int = 0
    opinion_words: int = 0

    def __post_init__(self) -> None:
        for paragraph in self.paragraphs:
            # words of opinion sentences (stance.voice), or the editor's paragraph label
            words, opinion_words, _ = paragraph_words(
                paragraph.text,
                paragraph.effective_label,
                paragraph.editor_label,
                getattr(paragraph, "model_sentences", None),
            )
            self.words += words
            self.opinion_words += opinion_words
            if paragraph.effective_label is not None:
                self.classified += 1
            if paragraph.effective_label == "opinion":
                self.opinion += 1

    @property
    def opinion_percent(self) -> int | None:
        return round(100 * self.opinion / self.classified) if self.classified else None

    @property
    def opinion_word_percent(self) -> int | None:
        return (
            round(100 * self.opinion_words / self.words) if self.classified and self.words else None
        )

    @property
    def strip_svg(self) -> str:
        """'Where the opinion sits': one linked cell per paragraph, in order."""
        rects = "".join(
            f'<a href="#{anchor_of(p)}"><rect x="{i}" width="1" height="1" '
            f'class="cell-{p.effective_label or "none"}">'
            f"<title>¶{p.position}: {p.effective_label or 'none'}</title></rect></a>"
            for i, p in enumerate(self.paragraphs)
        )
        return mark_safe(
            f'<svg class="strip" viewBox="0 0 {len(self.paragraphs)} 1" '
            f'preserveAspectRatio="none" role="img" '
            f'aria-labelledby="where-{self.index} where-text-{self.index}">{rects}</svg>'
        )

    @property
    def opinion_positions(self) -> list[int]:
        return [p.position for p in self.paragraphs if p.effective_label == "opinion"]


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

    @property
    def short_headline(self) -> str:
        headline = self.article.headline
        return headline if len(headline) <= 24 else headline[:23].rstrip() + "…"

    @property
    def share(self) -> Share:
        paragraphs = [row.paragraph for row in self.rows if row.paragraph.is_classifiable]
        return Share(self.index, paragraphs)

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
    # speaker corrections, stored analyses
    labels: str  # every label and undo on the story's paragraphs


def compare_state(slug: str) -> CompareState | None:
    """The story's fingerprints in one query, or None when there is no such story.

    Any change an editor could see moves one of them: a label or an undo (labels are
    append-only, so the newest id and the count move); an activation or a finished
    prediction refresh; an added, edited or removed piece, outlet, actor or frame (their
    `updated` stamps and counts); a speaker correction (append-only: newest id); an
    analysis stored (count and newest `created`), so a comparison rendered while one was
    pending is never served once it is done.
    Rendered comparisons are cached under them, so a busy compare view is computed once
    per change, not per request, and a label only costs refilling the verdicts
    (`fill_columns()`).
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
        content=_digest([story_id, title, *content, ANALYSIS_VERSION]),
        labels=_digest([last_label, labels]),
    )


def _digest(parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


@dataclass
class Skeleton:
    """Rendered columns with a placeholder where each label-dependent part goes."""

    html: str
    treatments: dict[int, str]  # piece index -> treatment_line()
    quoted_percent: dict[int, int]


PLACEHOLDER = re.compile(r"<!--(verdict|share|opinion-evidence|stance):(\d+)-->")


def fill_columns(skeleton: Skeleton, chosen: list[Article], viewer: Viewer) -> str:
    """Put the verdicts, opinion shares and stance lines of now into a skeleton.

    One query. User text is escaped in the skeleton, so `<!--` cannot come from it.
    """
    paragraphs = with_verdicts(
        Paragraph.objects.filter(article__in=chosen, kind__in=Paragraph.CLASSIFIABLE_KINDS)
    ).order_by("article_id", "position")
    by_article: dict[int, list[Paragraph]] = defaultdict(list)
    for paragraph in paragraphs:
        by_article[paragraph.article_id].append(paragraph)
    shares = {i: Share(i, by_article[article.pk]) for i, article in enumerate(chosen)}
    verdicts = {p.pk: p for p in paragraphs}

    def fill(match: re.Match) -> str:
        kind, number = match.group(1), int(match.group(2))
        if kind == "verdict":
            return verdict_html(verdicts[number], viewer) if number in verdicts else ""
        share = shares[number]
        if kind == "stance":
            return escape(
                stance_line(skeleton.treatments[number], share, skeleton.quoted_percent[number])
            )
        return render_to_string(f"stance/compare.html#{kind}", {"share": share})

    return PLACEHOLDER.sub(fill, skeleton.html)


def anchor_of(paragraph: Paragraph) -> str:
    return f"a{paragraph.article_id}-p{paragraph.position}"


def compare_story(
    story: Story, article_ids: list[int], filters: Filters, pending: Collection[int] = ()
) -> list[Piece]:
    """The chosen pieces with every figure; the articles in `pending` (their analysis is
    missing or stale, see tasks.articles_analysis_request) show their text and labels without it."""
    articles = {a.pk: a for a in story.articles.select_related("outlet").filter(pk__in=article_ids)}
    chosen = [articles[pk] for pk in article_ids if pk in articles]
    if not chosen:
        return []
    actors = {str(actor.pk): actor for actor in story.actors.analysed()}
    frames = {frame.key: frame for frame in Frame.objects.filter(is_active=True)}
    paragraphs = with_verdicts(
        Paragraph.objects.filter(article__in=chosen).select_related("analysis")
    ).order_by("article_id", "position")
    corrections = speaker_corrections_by_paragraph(p.pk for p in paragraphs)
    by_article: dict[int, list[Paragraph]] = defaultdict(list)
    for paragraph in paragraphs:
        by_article[paragraph.article_id].append(paragraph)

    pieces = [
        Piece(index=i, article=article, pending=article.pk in pending)
        for i, article in enumerate(chosen)
    ]
    for piece in pieces:
        for paragraph in by_article[piece.article.pk]:
            analysis = (
                framing.ParagraphFraming()
                if piece.pending
                else speakers.apply_corrections(
                    _analysis_of(paragraph), paragraph.text, corrections.get(paragraph.pk, [])
                )
            )
            piece.rows.append(Row(paragraph, analysis, segments(paragraph.text, analysis, actors)))
        _summarise(piece, actors, frames)
    _align(pieces)
    for piece in pieces:
        piece.unique = sum(1 for row in piece.rows if row.is_unique)
        piece.treatment = "" if piece.pending else treatment_line(piece)
        for row in piece.rows:
            row.visible = _passes(row, filters)
    return pieces


def _analysis_of(paragraph: Paragraph) -> framing.ParagraphFraming:
    try:
        return framing.ParagraphFraming.from_dict(paragraph.analysis.data)
    except ParagraphAnalysis.DoesNotExist:
        return framing.ParagraphFraming()


def _passes(row: Row, filters: Filters) -> bool:
    if not row.paragraph.is_classifiable:
        return not filters.active
    if filters.only_opinion and row.paragraph.effective_label != "opinion":
        return False
    if filters.actor is not None and str(filters.actor) not in {
        m.actor for m in row.analysis.mentions
    } | {q.speaker for q in row.analysis.quotes}:
        return False
    return not (filters.frame and filters.frame not in row.analysis.frames)


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


def _align(pieces: list[Piece]) -> None:
    texts = [
        [row.paragraph.text if row.paragraph.is_classifiable else "" for row in piece.rows]
        for piece in pieces
    ]
    # Derived only from the pieces' (immutable) text, so any process may cache it.
    key = "align:" + ":".join(f"{p.article.pk}-{p.article.content_hash[:16]}" for p in pieces)
    alignment = cache.get(key)
    if alignment is None:
        alignment = align.align(texts)
        cache.set(key, alignment, timeout=24 * 3600)
    for piece, matches in zip(pieces, alignment, strict=True):
        for row, row_matches in zip(piece.rows, matches, strict=True):
            if not row.paragraph.is_classifiable:
                continue
            row.matches = [
                Match(pieces[m.piece], pieces[m.piece].rows[m.paragraph].paragraph, m.similarity)
                for m in row_matches
            ]


def treatment_line(piece: Piece) -> str:
    """How the piece treats its actors: every critical or favourable verdict, the most
    mentioned neutral ones, and who there is too little to judge (stance.treatment.summary_line)."""
    verdicts = [who.verdict for who in piece.actors if who.verdict is not None]
    names = {str(who.actor.pk): who.actor.name for who in piece.actors}
    return summary_line(verdicts, names)


def stance_line(treatment: str, share: Share, quoted_percent: int) -> str:
    """One line for an editor: the treatment, then whose voice the piece is in."""
    if not share.classified:
        return treatment
    opinion = f"{share.opinion} of {share.classified} paragraphs"
    if share.opinion / share.classified >= 0.5:
        voice = f"the author's own voice in {opinion}"
    elif quoted_percent >= 30:
        voice = (
            f"mostly reporting: {quoted_percent}% of the words are quoted or "
            f"reported speech, opinion in {opinion}"
        )
    else:
        voice = f"mostly reporting: opinion in {opinion}"
    return f"{treatment}; {voice}." if treatment else f"{voice[0].upper()}{voice[1:]}."


def segments(
    text: str, analysis: framing.ParagraphFraming, actors: dict[str, Actor]
) -> list[Segment]:
    """Cut a paragraph into runs that share marks (quote, mention, loaded word).

    Marks may nest (a mention inside a quote); each run carries every mark covering it,
    and a quote's speaker is shown right after the quote ends.
    """
    marks: list[tuple[int, int, str, str]] = []
    for quote in analysis.quotes:
        speaker = actors.get(quote.speaker or "")
        who = speaker.name if speaker else (quote.speaker_text or "unattributed")
        kind = "quote" if quote.kind == "direct" else "reported"
        marks.append((quote.start, quote.end, kind, f"{kind} speech: {who}"))
    for mention in analysis.mentions:
        actor = actors.get(mention.actor)
        title = f"{actor.name}" if actor else mention.text
        marks.append((mention.start, mention.end, "mention", title))
    for term in analysis.loaded:
        marks.append((term.start, term.end, "loaded", "loaded language (author's voice)"))
    speaker_after = {
        quote.end: (actors[quote.speaker].name if quote.speaker in actors else "")
        for quote in analysis.quotes
        if quote.kind == "direct" and quote.speaker in actors
    }
    bounds = sorted({0, len(text), *(b for m in marks for b in m[:2] if 0 <= b <= len(text))})
    out: list[Segment] = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        covering = [m for m in marks if m[0] <= start and end <= m[1]]
        classes = " ".join(sorted({m[2] for m in covering}))
        title = "; ".join(m[3] for m in covering)
        out.append(Segment(text[start:end], classes, title))
        if end in speaker_after and speaker_after[end]:
            out.append(Segment(speaker_after[end], "speaker", "speaker of the quote"))
    return out
