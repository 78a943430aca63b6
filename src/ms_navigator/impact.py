"""What a change to the pathways does to the advice: every answer combination, old plan vs new.

Both packs' paths are enumerated from the start of every pathway. Each combination of answers
found in either pack is run through both, and the steps and services compared, so a policy lead
sees in plain words which people would now be told something different.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ms_navigator import engine, explore, model
from ms_navigator.errors import NavigatorError, StateLimit
from ms_navigator.safeio import escape


@dataclass(frozen=True)
class Change:
    """One answer combination whose plan differs between the old and the new pack."""

    start: str
    answers: tuple[tuple[str, str], ...]
    differences: tuple[str, ...]

    def describe(self) -> str:
        return f"{explore.describe_path(self.start, self.answers)}: {'; '.join(self.differences)}"


@dataclass(frozen=True)
class Report:
    """How many answer combinations were compared, and those whose advice changed."""

    total: int
    changes: tuple[Change, ...]

    EXAMPLES = 3
    """Paths shown for each kind of change in the text report (the JSON has them all)."""

    def render(self) -> str:
        """Return the report in plain language: each kind of change once, with how many
        answer combinations it touches and the shortest of them as examples."""
        if not self.changes:
            return f"No change: all {self.total:,} outcomes give the same steps and services.\n"
        groups: dict[tuple[str, ...], list[Change]] = {}
        for change in self.changes:
            groups.setdefault(change.differences, []).append(change)
        lines = [f"{len(self.changes):,} of {self.total:,} outcomes change:"]
        for differences, members in sorted(groups.items(), key=lambda g: -len(g[1])):
            lines.append(f"- {len(members):,} {'outcome' if len(members) == 1 else 'outcomes'}: "
                         f"{'; '.join(differences)}")
            for change in sorted(members, key=lambda c: len(c.answers))[:self.EXAMPLES]:
                lines.append(f"    {explore.describe_path(change.start, change.answers)}")
            if len(members) > self.EXAMPLES:
                lines.append(f"    ... and {len(members) - self.EXAMPLES:,} more")
        return "\n".join(lines) + "\n"

    def as_json(self) -> dict[str, object]:
        """Return every change, for scripts: start, answers and differences of each."""
        return {"total": self.total, "changed": len(self.changes),
                "changes": [{"start": c.start, "answers": dict(c.answers),
                             "differences": list(c.differences)} for c in self.changes]}


Key = tuple[str, frozenset[tuple[str, str]]]


def _endings(pack: model.Pack, limit: int) -> dict[Key, explore.Ending]:
    """Return every path of every pathway, keyed by where it starts and its answers."""
    found: dict[Key, explore.Ending] = {}
    endings = explore.Endings(pack, limit)
    for start in sorted(pack.pathways):
        try:
            found.update(((start, frozenset(e.answers)), e) for e in endings(start))
        except StateLimit as err:
            raise NavigatorError(f"{pack.files.get(err.pathway, err.pathway)}: {err}. "
                                 "Run 'ms-navigator lint' on the pack for the line.") from None
        except NavigatorError as err:
            raise NavigatorError(f"cannot enumerate the paths from '{start}': {err}. "
                                 "Run 'ms-navigator lint' on the pack.") from None
    return found


def _result(pack: model.Pack, endings: Mapping[Key, explore.Ending], key: Key) -> explore.Ending | str:
    """Return what a combination of answers gets from a pack, or why it gets no plan."""
    if key in endings:
        return endings[key]
    start, answers = key
    if start not in pack.pathways:
        return f"pathway '{start}' does not exist"
    known = tuple((f, v) for f, v in answers if f in pack.facts and v in pack.facts[f].allowed())
    try:
        walk = engine.walk(pack, engine.Session(start, known))
    except NavigatorError as err:
        return f"cannot finish ({err})"
    if walk.pending is not None:
        return f"asks '{walk.pending.fact}' as well"
    plan = walk.plan()
    return explore.Ending(walk.answers, tuple(plan.step_ids()), tuple(plan.service_ids()))


def _diff(old: explore.Ending | str, new: explore.Ending | str) -> list[str]:
    if isinstance(old, str) or isinstance(new, str):
        if old == new:
            return []
        return [f"before: {old if isinstance(old, str) else 'a plan'}; "
                f"now: {new if isinstance(new, str) else 'a plan'}"]
    found = []
    for what, before, after in (("steps", old.steps, new.steps),
                                ("services", old.services, new.services)):
        gained = [s for s in after if s not in before]
        lost = [s for s in before if s not in after]
        if gained:
            found.append(f"now gets {what[:-1]} {', '.join(gained)}")
        if lost:
            found.append(f"no longer gets {what[:-1]} {', '.join(lost)}")
        if not gained and not lost and before != after:
            found.append(f"{what} in a new order: {', '.join(after)}")
    return found


def compare(old: model.Pack, new: model.Pack, limit: int = explore.MAX_STATES) -> Report:
    """Compare the plans of every answer combination either pack can produce (NavigatorError
    when either pack meets more than `limit` states at one question)."""
    before, after = _endings(old, limit), _endings(new, limit)
    either = {**before, **after}  # the new pack's order of answers where both have the path
    changes = []
    for key in either:
        differences = _diff(_result(old, before, key), _result(new, after, key))
        if differences:
            changes.append(Change(key[0], either[key].answers, tuple(differences)))
    changes.sort(key=lambda c: (c.start, c.answers))
    return Report(len(either), tuple(changes))


def export_ref(ref: str, pack_dir: Path, target: Path) -> Path:
    """Write the pack folder as it is at a git ref into `target`; return the folder.

    Raise NavigatorError when git is missing, the folder is not in a repository, or the ref
    (or the folder at that ref) does not exist.
    """
    pack_dir = pack_dir.resolve()
    shown = escape(ref[:80])
    if not ref or ref.startswith("-") or any(c.isspace() or ord(c) < 32 for c in ref):
        raise NavigatorError(f"--git-ref '{shown}' is not a git ref: give a branch, tag or "
                             "commit, such as main or origin/main.")
    try:
        top = subprocess.run(["git", "-C", str(pack_dir), "rev-parse", "--show-toplevel"],
                             capture_output=True, text=True, check=True).stdout.strip()
        inside = pack_dir.relative_to(Path(top).resolve()).as_posix()
        # The ref is checked as a commit first, and reaches `git archive` only as the object
        # name rev-parse printed: never as an option (`--output=...`), whatever it holds.
        commit = subprocess.run(["git", "-C", top, "rev-parse", "--verify", "--quiet",
                                 f"{ref}^{{commit}}"],
                                capture_output=True, text=True, check=True).stdout.strip()
        archive = subprocess.run(["git", "-C", top, "archive", "--format=tar", commit, "--",
                                  inside], capture_output=True, check=True).stdout
    except FileNotFoundError:
        raise NavigatorError("git is not installed; compare two folders instead.") from None
    except subprocess.CalledProcessError as err:
        detail = (err.stderr or b"")
        text = detail.decode(errors="replace") if isinstance(detail, bytes) else detail
        raise NavigatorError(f"cannot read {pack_dir} at git ref '{shown}': "
                             f"{escape(text.strip()[:300]) or 'no such commit'}") from None
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        members = tar.getmembers()
        linked = [m.name for m in members if not (m.isfile() or m.isdir())]
        if linked:  # a pack holds plain files: a link could point anywhere once extracted
            raise NavigatorError(f"the pack at git ref '{shown}' holds {len(linked)} link(s) or "
                                 f"special file(s), such as {escape(linked[0][:120])}; "
                                 "they are refused. Commit plain files only.")
        if hasattr(tarfile, "data_filter"):  # refuse absolute paths too (Python 3.10.12+)
            tar.extractall(target, members, filter="data")
        else:  # pragma: no cover - older Pythons; only plain files are left
            tar.extractall(target, members)
    return target / inside
