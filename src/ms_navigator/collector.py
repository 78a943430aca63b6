"""Pausing Python's cyclic garbage collector around work that makes many objects and no cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_own_process = False
"""True once `cli.program` runs: see `own_process`."""

_depth = 0
"""How many paused blocks are running, one inside another."""


def own_process() -> None:
    """Tune the collector for a process that is ms-navigator's own (called by `cli.program`).

    The collector is paused from here until the first paused block ends: starting up imports
    modules and loads the pack, which make long-lived objects and no garbage in cycles, and
    collecting meanwhile only walked them (about 12 ms before `start`'s first question). When
    the outermost paused block ends, what is alive (the modules, the pack, a search's
    results) is frozen out of the collector's reach (`gc.freeze`) and collecting starts:
    later collections walk only what is made after. Without it the first collections after
    a block walked all of it again (1.7 s of linting a pack of 100,000 nodes, and a 35 ms full
    collection before `start` showed its first question). A library caller keeps its
    collector as it was: a frozen object in a cycle is never collected, and its objects are
    its own business."""
    global _own_process
    _own_process = True
    gc.disable()


@contextmanager
def paused() -> Iterator[None]:
    """Run the block with the cyclic collector paused, and leave it as it was afterwards
    (in ms-navigator's own process: frozen and collecting, see `own_process`).

    Loading a pack and searching its paths make millions of small objects and no reference
    cycles: each full collection walks every object alive (about 300 MB of them for a pack of
    100,000 nodes) and frees nothing, which cost lint a sixth of its time at that size.
    Reference counting frees everything as usual meanwhile; a cycle made meanwhile is freed
    by the first collection after the block.
    """
    global _depth
    was = gc.isenabled()
    gc.disable()
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _own_process and _depth == 0:
            gc.freeze()
            gc.enable()
        elif was:
            gc.enable()
