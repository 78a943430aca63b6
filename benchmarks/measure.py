"""Whole-process timings: medians over repeated runs, after warm-up, of a fresh process each.

A fresh process is what a user waits for (imports included), so every figure that is
compared with an import floor is measured the same way: `subprocess` with output discarded.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent


def tool(name: str) -> str | None:
    """Return the path of a console script installed next to this Python, else on PATH."""
    return shutil.which(name, path=str(BIN)) or shutil.which(name)


def median_ms(run: Callable[[], object], repeats: int, warmup: int = 1) -> float:
    """Return the median wall time of `run()` in milliseconds, after `warmup` untimed runs.

    When `run()` returns a float, that is its own measure in milliseconds (used where tearing
    down the process is not part of what the user waits for).
    """
    for _ in range(warmup):
        run()
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        own = run()
        times.append(own if isinstance(own, float) else (time.perf_counter() - began) * 1000)
    return statistics.median(times)


def interleaved(runs: dict[str, Callable[[], object]], repeats: int,
                warmup: int = 1) -> dict[str, float]:
    """Return the median ms of each run, taking one of each in turn (in a rotating order).

    On a shared machine the load drifts over seconds; timing the things being compared in
    alternation gives each the same conditions, so their ratio stays fair.
    """
    names = list(runs)
    for _ in range(warmup):
        for name in names:
            runs[name]()
    times: dict[str, list[float]] = {name: [] for name in names}
    for i in range(repeats):
        for name in names[i % len(names):] + names[: i % len(names)]:
            times[name].append(median_ms(runs[name], 1, 0))
    return {name: statistics.median(found) for name, found in times.items()}


def process(argv: Sequence[str], ok: Sequence[int] = (0,), cwd: Path | None = None,
            env: dict[str, str] | None = None) -> Callable[[], int]:
    """Return a function that runs argv once (output discarded) and checks its exit code.

    `env` adds to (or overrides) this process's environment.
    """
    environ = {**os.environ, **env} if env is not None else None

    def run() -> int:
        code = subprocess.run(list(argv), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              cwd=cwd, env=environ, check=False).returncode
        if code not in ok:
            raise RuntimeError(f"{' '.join(argv)} exited {code}")
        return code

    return run


def first_question(argv: Sequence[str], text: str, timeout: float = 30,
                   env: dict[str, str] | None = None) -> Callable[[], float]:
    """Return a function that starts argv in a pty and returns the ms until `text` shows.

    `env` adds to (or overrides) this process's environment.
    """
    import pexpect

    env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm", "COLUMNS": "200",
           "LINES": "50", **(env or {})}

    def run() -> float:
        began = time.perf_counter()
        child = pexpect.spawn(argv[0], list(argv[1:]), env=env, encoding="utf-8",
                              timeout=timeout, dimensions=(50, 200))
        try:
            child.expect_exact(text)
            return (time.perf_counter() - began) * 1000
        finally:
            child.terminate(force=True)
            child.close()

    return run


_USAGE = """
import resource, subprocess, sys, time
began = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
wall = time.perf_counter() - began
used = resource.getrusage(resource.RUSAGE_CHILDREN)
print(code, wall, used.ru_utime + used.ru_stime, used.ru_maxrss)
"""
"""Run a command as the only child of a fresh interpreter, then report its exit code, wall
time, CPU time (user and system, its own children included) and peak resident memory."""


@dataclass(frozen=True)
class Usage:
    """What one run of a command cost: wall and CPU seconds, and its peak memory in MiB."""

    wall: float
    cpu: float
    peak_mib: float


def usage(argv: Sequence[str], ok: Sequence[int] = (0,), cwd: Path | None = None,
          env: dict[str, str] | None = None) -> Usage:
    """Run argv once (output discarded) and return what it cost, checking its exit code."""
    done = subprocess.run([sys.executable, "-c", _USAGE, *argv], capture_output=True, text=True,
                          cwd=cwd, env=None if env is None else {**os.environ, **env}, check=True)
    code, wall, cpu, peak = done.stdout.split()
    if int(code) not in ok:
        raise RuntimeError(f"{' '.join(argv)} exited {code}")
    return Usage(float(wall), float(cpu), int(peak) / 1024)  # ru_maxrss is in KiB on Linux


def median_usage(argv: Sequence[str], repeats: int, **kwargs: object) -> Usage:
    """Return the median wall time, CPU time and peak memory of `repeats` runs of argv."""
    runs = [usage(argv, **kwargs) for _ in range(repeats)]  # type: ignore[arg-type]
    return Usage(statistics.median(r.wall for r in runs), statistics.median(r.cpu for r in runs),
                 statistics.median(r.peak_mib for r in runs))
