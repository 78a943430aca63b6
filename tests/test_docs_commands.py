"""Docs as tests: every shell block the README and docs/ mark runnable still works.

A block is runnable when the line before its ```sh fence is `<!-- runnable -->` (an HTML comment,
so no Markdown tool shows it). Each runs with bash (-e: the first failing command fails it) in an
empty folder that holds a copy of the shipped pathways as `pathways/`, with the installed
ms-navigator first on PATH, saved visits in the test's own folder, and every proxy pointed at a
closed port so that nothing can reach the network.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ms_navigator import loader

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
MARK = "<!-- runnable -->"
BLOCK = re.compile(r"^<!-- runnable -->\n[ \t]*```sh\n(.*?)\n[ \t]*```$", re.M | re.S)
OFFLINE = "http://127.0.0.1:9"  # the discard port: nothing listens, a connection fails at once


def runnable() -> list[tuple[str, str]]:
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for block in BLOCK.finditer(text):
            line = text.count("\n", 0, block.start()) + 1
            found.append((f"{page.relative_to(ROOT)}:{line}", block.group(1)))
    return found


BLOCKS = runnable()


def test_every_runnable_mark_is_on_a_shell_block() -> None:
    marks = sum(len(re.findall(rf"^{re.escape(MARK)}$", page.read_text(encoding="utf-8"), re.M)) for page in PAGES)
    assert marks == len(BLOCKS), "a <!-- runnable --> line must come just before a ```sh fence"
    assert len(BLOCKS) >= 6
    assert {where.split(":")[0] for where, _ in BLOCKS} >= {"README.md", "docs/officers.md", "docs/using.md"}


@pytest.mark.parametrize("block", [b for _, b in BLOCKS], ids=[w for w, _ in BLOCKS])
def test_a_runnable_block_runs(block: str, tmp_path: Path) -> None:
    work = tmp_path / "work"
    shutil.copytree(loader.shipped_pack_dir(), work / "pathways")
    bin_dir = Path(sys.executable).parent
    env = {"PATH": f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin", "HOME": str(tmp_path / "home"),
           "MS_NAVIGATOR_DATA_DIR": str(tmp_path / "data"), "MS_NAVIGATOR_TODAY": os.environ["MS_NAVIGATOR_TODAY"],
           "TERM": "dumb", "NO_COLOR": "1", "COLUMNS": "100", "LANG": "C.UTF-8",
           **{name: OFFLINE for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")}}
    done = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", block], cwd=work, env=env,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600, check=False)
    assert done.returncode == 0, f"exit {done.returncode}\n--- stdout\n{done.stdout[-3000:]}\n--- stderr\n{done.stderr[-3000:]}"
    assert "Traceback" not in done.stderr
