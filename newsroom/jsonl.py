"""JSON Lines, read one way across the app (pure: no Django).

The import manifest (`manage.py import_articles`), `manage.py attributions` and the
actor-sentiment records (stance.actor_sentiment.read_jsonl) all read them here: blank lines
are skipped, and a message about a line names it as ``file:line``.
"""

import json
from collections.abc import Iterable, Iterator
from typing import Any


def json_lines(
    lines: Iterable[str], name: str, error: type[Exception] = ValueError
) -> Iterator[tuple[str, Any]]:
    """``(where, value)`` for each line of ``lines`` that is not blank, ``where`` being
    ``name:number`` for the caller's own messages. Raises ``error`` at the first line that
    is not JSON."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            raise error(f"{where}: not valid JSON ({exc.msg})") from None
        yield where, value
