"""Lint configuration: `.ms-navigator.yaml`, found from the current folder upwards.

```yaml
rules:
  unused-item: disable        # enable, disable, or a level: error, warning, info
  contact-stale: error
fail-severity: warning        # the lowest level that fails the run (default: error)
help-uri: https://example.org/ms-navigator/docs/rules.md   # SARIF helpUri base (+ #RULE-ID)
```

A YAML file rather than `[tool.ms-navigator]` in pyproject.toml: a pathway pack's repository
is a policy team's, holds YAML and no Python project, and is read by the same hardened YAML
reader as the pack (so `pyproject.toml` and a TOML parser, which Python 3.10 lacks, are not
needed). Safety rules (`mandatory` in the registry) cannot be disabled or re-levelled: a file
that tries is bad input (exit 2), so a configuration can never hide a broken safety rule.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import Field, StrictStr

from ms_navigator import loader, model, packfiles, ruleids
from ms_navigator.errors import NavigatorError
from ms_navigator.problems import Level, Problem

FILE_NAME = ".ms-navigator.yaml"

Setting = Literal["enable", "disable", "error", "warning", "info"]
Severity = Literal["error", "warning", "info"]


class ConfigFile(model.Strict):
    """The keys of `.ms-navigator.yaml`."""

    rules: dict[StrictStr, Setting] = Field(default_factory=dict)
    fail_severity: Severity | None = Field(default=None, alias="fail-severity")
    help_uri: StrictStr | None = Field(default=None, alias="help-uri", pattern=r"^https?://\S+$")


@dataclass(frozen=True)
class Config:
    """What the configuration asks of a run: rules off, rules at another level, when to fail."""

    disabled: frozenset[str] = frozenset()
    levels: dict[str, Level] = field(default_factory=dict)
    fail_severity: Level | None = None
    help_uri: str | None = None
    path: str | None = None

    def apply(self, problems: list[Problem]) -> list[Problem]:
        """Return the problems without the disabled rules', each at its configured level."""
        from dataclasses import replace

        return [replace(p, level=self.levels.get(p.rule, p.level)) for p in problems
                if p.rule not in self.disabled]


def find(start: Path | None = None) -> Path | None:
    """Return the nearest `.ms-navigator.yaml` from `start` (the current folder) upwards,
    stopping at the top of a git repository; None when there is none."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / FILE_NAME).is_file():
            return candidate / FILE_NAME
        if (candidate / ".git").exists():
            return None
    return None


def load(path: Path | None) -> Config:
    """Read a configuration file (None: the defaults); NavigatorError (exit 2) for a file
    that cannot be read, an unknown rule, or a safety rule disabled or re-levelled."""
    from ms_navigator.rules import RULES

    if path is None:
        return Config()
    if not path.is_file():
        raise NavigatorError(f"no configuration file {path}.")
    read, problems, smap = loader.validate_file(path, ConfigFile)
    if read is None:
        raise NavigatorError(_listed(path, problems))
    shown = packfiles.display_path(path)
    for rule_id, setting in read.rules.items():
        line, col = smap.at(("rules", rule_id), key=True)
        if rule_id not in RULES:
            close = difflib.get_close_matches(rule_id, list(RULES), n=1)
            hint = f" Did you mean '{close[0]}'?" if close else " See 'ms-navigator lint --list-rules'."
            problems.append(Problem(shown, line, col, ruleids.SCHEMA, Level.ERROR,
                                    f"unknown rule '{rule_id}'.{hint}"))
        elif RULES[rule_id].mandatory and setting not in ("enable", RULES[rule_id].level.value):
            problems.append(Problem(shown, line, col, ruleids.SCHEMA, Level.ERROR,
                                    f"'{rule_id}' is a safety rule: it cannot be disabled or "
                                    "re-levelled."))
    if problems:
        raise NavigatorError(_listed(path, problems))
    return Config(
        disabled=frozenset(r for r, s in read.rules.items() if s == "disable"),
        levels={r: Level(s) for r, s in read.rules.items() if s not in ("enable", "disable")},
        fail_severity=Level(read.fail_severity) if read.fail_severity else None,
        help_uri=read.help_uri, path=shown)


def _listed(path: Path, problems: list[Problem]) -> str:
    return (f"the configuration file {packfiles.display_path(path)} has problems:\n"
            + "\n".join(f"  {p}" for p in problems))
