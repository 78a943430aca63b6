"""The commands, grouped by what users do; each returns its exit code (contract, section 1).

- `visits`: an officer's visit (`start`, `resume`, `sessions`).
- `training`: a trainer's session (`walk`, `quiz`, `scenarios`, `diagram`).
- `site`: the trainers' static site (`site DIR`), written safely.
- `checks`: a policy lead's checks of a pack (`lint`, `test`, `impact`, `schema`).
- `browse`: looking the pack up (`list`, `show`, `services`, `docs`).

Exit codes: 0 success, 1 lint errors, 2 bad usage or bad input, 130 interrupted. The CLI calls
these functions directly, with keyword arguments; heavy imports stay inside them so that
`--help` and `--version` start quickly.
"""

from __future__ import annotations

import sys

from ms_navigator.errors import Interrupted, NavigatorError, PackError


def report_error(err: NavigatorError) -> int:
    """Print an expected error as plain lines on stderr; return its exit code."""
    if isinstance(err, PackError):
        sys.stderr.write("The pathway files have problems, so ms-navigator cannot run:\n")
        for problem in err.problems[:50]:
            sys.stderr.write(f"{problem}\n")
        sys.stderr.write("Run 'ms-navigator lint' on the folder for the full list.\n")
    elif isinstance(err, Interrupted):
        sys.stderr.write(f"\nInterrupted: {str(err).removeprefix('interrupted; ')}\n")
    else:
        sys.stderr.write(f"Error: {err}\n")
    return err.exit_code
