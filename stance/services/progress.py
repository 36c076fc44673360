"""The progress callback slow services report through."""

from collections.abc import Callable

Progress = Callable[[str, float], None]  # (what is happening, fraction done)


def no_progress(message: str, fraction: float) -> None:
    pass
