"""Pausing Python's cyclic garbage collector around work that makes many objects and no cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_freezing = False
"""True once `cli.program` owns the process: what a paused block leaves alive is then moved
out of the collector's reach (see `paused`)."""


def freeze_after_pauses() -> None:
    """Make every paused block, from now on, freeze what is alive when it ends.

    Called by `cli.program` only: the process is then ms-navigator's own. A library caller
    keeps its collector as it was (a frozen object in a cycle is never collected, and its
    objects are its own business)."""
    global _freezing
    _freezing = True


@contextmanager
def paused() -> Iterator[None]:
    """Run the block with the cyclic collector paused, and leave it as it was afterwards.

    Loading a pack and searching its paths make millions of small objects and no reference
    cycles: each full collection walks every object alive (about 300 MB of them for a pack of
    100,000 nodes) and frees nothing, which cost lint a sixth of its time at that size.
    Reference counting frees everything as usual meanwhile; a cycle made meanwhile is freed
    by the first collection after the block.

    In ms-navigator's own process (`freeze_after_pauses`) what the block leaves alive (the
    pack, the modules imported so far) lives until the process ends, so it is frozen
    (`gc.freeze`): later collections walk only what is made after. Without it, the first
    collections after the block walked all of it again: 1.7 s of linting a pack of 100,000
    nodes, and a 35 ms full collection before `start` showed its first question.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _freezing:
            gc.freeze()
        if was:
            gc.enable()
