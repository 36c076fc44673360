"""Attributions as rows of readable text, for the attribution tests."""

from stance.attribution import attribute_text


def said(text: str) -> list[tuple[str, str | None, str, str, str]]:
    """(kind, speaker, source, cue, content) of each attribution, in text order."""
    return [
        (
            a.kind,
            a.speaker,
            " ".join(text[s:e] for s, e in a.source),
            " ".join(text[s:e] for s, e in a.cue),
            " | ".join(text[s:e] for s, e in a.content),
        )
        for a in attribute_text(text)
    ]


def found(text: str) -> list[tuple[str | None, str, str]]:
    """(speaker, source, content) of each attribution, in text order."""
    return [(speaker, source, content) for _kind, speaker, source, _cue, content in said(text)]
