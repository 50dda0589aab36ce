"""The per-piece kernels behind the normalizers, compiled where possible.

Each kernel is written here in pure Python, and in C in ``_speedups.c``, which
``pip install .`` builds into the top-level module ``_cleantext_speedups`` where a C compiler
and the Python headers are present.  The two give the same result on every input
(``tests/test_kernels.py`` compares them on drawn and real text); the compiled one is used
when it is there, unless the environment variable ``CLEANTEXT_PURE_PYTHON`` is set (to
anything but ``0`` or an empty string).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from itertools import pairwise
from typing import Any

__all__ = ["py_repeat_pairs", "repeat_pairs", "speedups"]

#: Pieces whose pairs the pure-Python ``repeat_pairs`` remembers at once: a long text's
#: distinct pairs would cost a hundred bytes each.
PAIR_WINDOW = 1 << 16


def py_repeat_pairs(pieces: list[str], first: int, stop: int, max_distance: int) -> list[int]:
    """For each index ``i`` from ``first`` to ``stop - 2``, the nearest ``j`` at most
    ``max_distance`` before it, and not before ``first``, whose pair of pieces
    (``pieces[j]``, ``pieces[j + 1]``) is equal to ``i``'s; ``j`` and ``i`` for each ``i``
    that has one, flat, in order of ``i``.

    >>> py_repeat_pairs(["a", "b", "c", "a", "b", "a", "b"], 0, 7, 30)
    [0, 3, 3, 5]
    >>> py_repeat_pairs(["a", "b", "c", "a", "b"], 0, 5, 2)
    []
    """
    first, stop = max(first, 0), min(stop, len(pieces))
    found: list[int] = []
    # Pairs are remembered a window at a time; each window first sees again the pairs of the
    # ``max_distance`` pieces before it, the only ones its pieces can repeat.
    for window in range(first, stop, PAIR_WINDOW):
        seen_from = max(first, window - max_distance)
        segment = pieces[seen_from : min(stop, window + PAIR_WINDOW + 1)]
        last_seen: dict[tuple[str, str], int] = {}
        for index, pair in enumerate(pairwise(segment), seen_from):
            before = last_seen.get(pair, -max_distance - 1)
            last_seen[pair] = index
            if index - before <= max_distance and index >= window:
                found += (before, index)
    return found


def _compiled() -> Any:
    if os.environ.get("CLEANTEXT_PURE_PYTHON", "") not in ("", "0"):
        return None
    try:
        import _cleantext_speedups  # type: ignore[import-not-found]
    except ImportError:
        return None
    return _cleantext_speedups


_SPEEDUPS = _compiled()
repeat_pairs: Callable[[list[str], int, int, int], list[int]] = (
    _SPEEDUPS.repeat_pairs if _SPEEDUPS is not None else py_repeat_pairs
)


def speedups() -> str | None:
    """Where the compiled kernels come from (the extension's file), or None when the pure
    Python ones run (no compiler at install time, or ``CLEANTEXT_PURE_PYTHON`` set)."""
    return None if _SPEEDUPS is None else str(_SPEEDUPS.__file__)
