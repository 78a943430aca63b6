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

CONTRACT_STEPS = ("call_999", "refer_nrm", "notify_dtn", "safeguarding_children",
                  "confirm_nrm_status", "safeguarding_adults")
"""The fixed steps of the public contract (section 3). A change that gives one of them to
someone who did not get it, or takes it from someone who did, is a safety change: a reviewer
must see it, and `impact --fail-on safety` fails on it."""


@dataclass(frozen=True)
class Change:
    """One answer combination whose plan differs between the old and the new pack, and the
    contract steps it gains or loses (`contract`)."""

    start: str
    answers: tuple[tuple[str, str], ...]
    differences: tuple[str, ...]
    contract: tuple[str, ...] = ()

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
        lines = [f"{len(self.changes):,} of {self.total:,} outcomes change:"]
        if self.safety:
            steps = sorted({s for c in self.safety for s in c.contract})
            lines.append(f"(safety: {len(self.safety):,} of them gain or lose a step the contract "
                         f"fixes: {', '.join(steps)})")
        for differences, members in _groups(list(self.changes)):
            lines.append(f"- {len(members):,} {_outcomes(len(members))}: "
                         f"{'; '.join(differences)}")
            for change in members[:self.EXAMPLES]:
                lines.append(f"    {explore.describe_path(change.start, change.answers)}")
            if len(members) > self.EXAMPLES:
                lines.append(f"    ... and {len(members) - self.EXAMPLES:,} more")
        return "\n".join(lines) + "\n"

    @property
    def safety(self) -> tuple[Change, ...]:
        """Return the changes that gain or lose a contract step."""
        return tuple(c for c in self.changes if c.contract)

    def markdown(self) -> str:
        """Return the report as Markdown for a GitHub step summary or a pull request comment:
        a heading per pathway the outcomes start from, each kind of change once with how many
        outcomes it touches (safety changes first and marked), and the shortest answer
        combinations as examples."""
        lines = ["## What this change does to the advice", ""]
        if not self.changes:
            none = f"No change: all {self.total:,} outcomes give the same steps and services."
            return "\n".join([*lines, none, ""])
        lines.append(f"**{len(self.changes):,} of {self.total:,} outcomes change.**")
        safety = self.safety
        if safety:
            steps = sorted({s for c in safety for s in c.contract})
            named = ", ".join(f"`{s}`" for s in steps)
            lines += ["", (f"**Safety: {len(safety):,} outcomes gain or lose a step the contract "
                           f"fixes ({named}).**")]
        by_start: dict[str, list[Change]] = {}
        for change in self.changes:
            by_start.setdefault(change.start, []).append(change)
        for start, members in sorted(by_start.items()):
            lines += ["", f"### From `{start}` ({len(members):,} outcomes)", ""]
            for differences, group in _groups(members):
                mark = "**safety** " if group[0].contract else ""
                lines.append(f"- {mark}{len(group):,} {_outcomes(len(group))}: "
                             f"{'; '.join(differences)}")
                for change in group[:self.EXAMPLES]:
                    given = ", ".join(f"{f}={v}" for f, v in change.answers) or "no answers"
                    lines.append(f"  - `{given}`")
                if len(group) > self.EXAMPLES:
                    lines.append(f"  - ... and {len(group) - self.EXAMPLES:,} more")
        return "\n".join(lines) + "\n"

    def as_json(self) -> dict[str, object]:
        """Return every change, for scripts: start, answers and differences of each, and the
        contract steps it gains or loses."""
        return {"total": self.total, "changed": len(self.changes), "safety": len(self.safety),
                "changes": [{"start": c.start, "answers": dict(c.answers),
                             "differences": list(c.differences), "contract": list(c.contract)}
                            for c in self.changes]}


def _outcomes(count: int) -> str:
    return "outcome" if count == 1 else "outcomes"


def _groups(changes: list[Change]) -> list[tuple[tuple[str, ...], list[Change]]]:
    """Return changes grouped by what changed, shortest answers first in each: safety changes
    first, then the largest groups."""
    groups: dict[tuple[str, ...], list[Change]] = {}
    for change in changes:
        groups.setdefault(change.differences, []).append(change)
    return [(d, sorted(g, key=lambda c: len(c.answers)))
            for d, g in sorted(groups.items(), key=lambda g: (not g[1][0].contract, -len(g[1])))]


Key = tuple[str, frozenset[tuple[str, str]]]


def _endings(pack: model.Pack, limit: int) -> dict[Key, explore.Ending]:
    """Return every path of every pathway, keyed by where it starts and its answers."""
    found: dict[Key, explore.Ending] = {}
    endings = explore.Endings(pack, limit)
    for start in pack.starts:
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


def _contract(old: explore.Ending | str, new: explore.Ending | str) -> tuple[str, ...]:
    """Return the contract steps that one side's plan has and the other's lacks (a side with
    no plan has none)."""
    before = set(old.steps) if not isinstance(old, str) else set()
    after = set(new.steps) if not isinstance(new, str) else set()
    return tuple(s for s in CONTRACT_STEPS if (s in before) != (s in after))


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
        was, now = _result(old, before, key), _result(new, after, key)
        differences = _diff(was, now)
        if differences:
            changes.append(Change(key[0], either[key].answers, tuple(differences),
                                  _contract(was, now)))
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
