"""Reports for the command line: model metrics as text, a story's comparison as data."""

from newsroom.models import Story
from stance.compare import Filters, Piece, compare_story
from stance.services.analysis import articles_analyse


def format_metrics(metrics: dict, *, heading: str) -> str:
    if "macro_f1" not in metrics:
        return f"{heading}: {metrics.get('note', 'no metrics')}"
    lines = [f"{heading}: macro-F1 {metrics['macro_f1']:.3f}"]
    lines.append(f"  {'class':<8} {'precision':>9} {'recall':>7} {'F1':>6} {'support':>8}")
    for label, row in metrics["per_class"].items():
        lines.append(
            f"  {label:<8} {row['precision']:>9.3f} {row['recall']:>7.3f} "
            f"{row['f1']:>6.3f} {row['support']:>8}"
        )
    (nn, no), (on, oo) = metrics["confusion"]
    lines.append("  confusion (rows: true, columns: predicted)")
    lines.append(f"  {'':<8} {'news':>7} {'opinion':>8}")
    lines.append(f"  {'news':<8} {nn:>7} {no:>8}")
    lines.append(f"  {'opinion':<8} {on:>7} {oo:>8}")
    return "\n".join(lines)


def story_report(story: Story) -> list[dict]:
    """What the compare view shows for every piece of the story, as plain data.

    Computed by the compare view's own code (stance.compare.compare_story), so the two
    always agree. `opinion_share` and `others_voice_share` are shares of the piece's
    words (headings and credit lines left out); `quoted_words` counts an actor's direct
    quotes and `reported_words` its reported speech (statements included), each word once,
    and `voice_share` is both over every attributed word of the piece. `treatment`, `score`,
    `confidence` and `evidence` are the author's own voice only; each evidence span names
    its paragraph (`paragraph`, its position) and offsets into that paragraph's text.
    """
    articles = list(story.articles.order_by("published", "created"))
    articles_analyse(articles=articles)  # a report is read whole, so it waits for analysis
    pieces = compare_story(story, [a.pk for a in articles], Filters(), align_inline=True)
    return [piece_report(piece) for piece in pieces]


def piece_report(piece: Piece) -> dict:
    share = piece.share
    article = piece.article
    return {
        "article_id": article.pk,
        "headline": article.headline,
        "outlet": article.outlet.name,
        "genre_published": article.genre,
        "words": piece.words,
        "opinion_words": share.opinion_words,
        "opinion_share": _ratio(share.opinion_words, share.words) if share.labelled else None,
        "others_voice_share": _ratio(piece.quoted_words, piece.words),
        "summary": piece.treatment,
        "actors": [
            {
                "name": who.actor.name,
                "mentions": who.mentions,
                "quoted_words": who.direct_words,
                "reported_words": who.reported_words,
                "voice_share": round(who.voice_share, 4),
                "treatment": who.treatment,
                "score": None if who.sentiment is None else round(who.sentiment, 3),
                "confidence": who.confidence,
                "reason": who.verdict.reason if who.verdict else "",
                "evidence": [
                    {
                        "paragraph": e.paragraph,
                        "start": e.start,
                        "end": e.end,
                        "text": e.text,
                        "weight": e.weight,
                    }
                    for e in who.evidence
                ],
            }
            for who in piece.actors
        ],
    }


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0
