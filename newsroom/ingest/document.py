"""What ingest produces: a Document of Blocks (kept) and Dropped blocks, or an IngestError."""

from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from newsroom.words import word_count


class IngestError(ValueError):
    """Input that cannot become an article; str(err) is a clear, user-facing sentence."""


class BlockKind(enum.StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    BLOCKQUOTE = "blockquote"
    CREDIT = "credit"


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str


@dataclass(frozen=True)
class Dropped:
    text: str
    reason: str
    kind: BlockKind = BlockKind.PARAGRAPH
    position: int = 0  # its place among all the document's blocks, kept and dropped, from 0


@dataclass(frozen=True)
class Document:
    blocks: tuple[Block, ...]
    dropped: tuple[Dropped, ...]
    title: str = ""
    byline: str = ""
    source_format: str = "text"  # "text" | "markdown" | "html" | "docx"
    encoding: str = "utf-8"
    site_name: str = ""  # the publisher a web page names (og:site_name)
    published: str = ""  # ISO date a web page gives, "" if none
    url: str = ""  # the page's canonical address, "" if none

    @functools.cached_property
    def content_hash(self) -> str:
        """SHA-256 of the text with quote style, dashes, case and whitespace ignored.

        A re-upload of the same piece with curly instead of straight quotes, other line endings
        or a different paragraph split hashes equal.
        """
        joined = "\n".join(block.text for block in self.blocks)
        canonical = unicodedata.normalize("NFKC", joined).casefold().translate(_HASH_FOLDING)
        canonical = " ".join(canonical.split())
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    @functools.cached_property
    def word_count(self) -> int:
        """Words of the kept blocks (newsroom.words)."""
        return sum(word_count(block.text) for block in self.blocks)

    def outline(self) -> list[tuple[Block, str]]:
        """Every block in document order, kept and dropped, with why it was dropped ("" if
        kept): what the preview shows and lets the admin change."""
        dropped = {item.position: item for item in self.dropped}
        kept = iter(self.blocks)
        outline: list[tuple[Block, str]] = []
        for position in range(len(self.blocks) + len(self.dropped)):
            item = dropped.get(position)
            if item is None:
                outline.append((next(kept), ""))
            else:
                outline.append((Block(item.kind, item.text), item.reason))
        return outline

    def choose(self, dropped: Iterable[int]) -> Document:
        """The document with exactly the blocks at these positions dropped (by the admin), the
        rest kept: furniture can be restored and content dropped."""
        chosen = set(dropped)
        blocks: list[Block] = []
        removed: list[Dropped] = []
        for position, (block, reason) in enumerate(self.outline()):
            if position in chosen:
                why = reason or "dropped in the preview"
                removed.append(Dropped(block.text, why, block.kind, position))
            else:
                blocks.append(block)
        if not blocks:
            raise IngestError("Every block was dropped; keep at least one.")
        return dataclasses.replace(self, blocks=tuple(blocks), dropped=tuple(removed))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe form, e.g. to keep a previewed document until it is saved."""
        return {
            "blocks": [{"kind": block.kind.value, "text": block.text} for block in self.blocks],
            "dropped": [
                {"text": item.text, "reason": item.reason, "kind": item.kind.value}
                | {"position": item.position}
                for item in self.dropped
            ],
            "title": self.title,
            "byline": self.byline,
            "source_format": self.source_format,
            "encoding": self.encoding,
            "site_name": self.site_name,
            "published": self.published,
            "url": self.url,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        """Rebuild a Document from ``to_dict()`` output."""
        try:
            return cls(
                blocks=tuple(Block(BlockKind(b["kind"]), str(b["text"])) for b in data["blocks"]),
                dropped=tuple(
                    Dropped(
                        str(d["text"]),
                        str(d["reason"]),
                        BlockKind(d.get("kind", BlockKind.PARAGRAPH)),
                        int(d.get("position", 0)),
                    )
                    for d in data["dropped"]
                ),
                **{
                    name: str(data.get(name, default))
                    for name, default in (
                        ("title", ""),
                        ("byline", ""),
                        ("source_format", "text"),
                        ("encoding", "utf-8"),
                        ("site_name", ""),
                        ("published", ""),
                        ("url", ""),
                    )
                },
            )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise IngestError("The saved preview of this document is damaged.") from error


_HASH_FOLDING = str.maketrans(
    {
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‘’‚‛′", "'"),
        **dict.fromkeys("‐‑‒–—―−", "-"),
        "…": "...",
    }
)
