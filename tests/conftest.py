"""Shared fixtures: the shipped pack, a writable copy of it, and a CLI runner."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ms_navigator import loader, model
from ms_navigator.cli import app

pytest.register_assert_rewrite("tests.helpers")
from tests.helpers import shipped  # noqa: E402 (after the rewrite is registered)

# No result may depend on the real date: lint reads review dates and contact checks as of this
# one (docs/ci.md). Tests that need a stale date write one into a copy of the pack.
TEST_TODAY = "2026-12-01"
os.environ["MS_NAVIGATOR_TODAY"] = TEST_TODAY


@pytest.fixture(scope="session")
def pack() -> model.Pack:
    """The pathway pack that ships with ms-navigator (the same object as `helpers.shipped()`)."""
    return shipped()


@pytest.fixture()
def pack_copy(tmp_path: Path) -> Path:
    """A copy of the shipped pack in a temporary folder, to break on purpose: only for tests of
    the shipped content. A test of a rule, the loader or an output breaks a small fixture pack
    instead (`helpers.tiny_pack`), which is faster and does not change when the content does."""
    target = tmp_path / "pathways"
    shutil.copytree(loader.shipped_pack_dir(), target)
    return target


class Invoker:
    """Run the CLI in-process and check its exit code, echoing output when it is not as expected."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, code: int = 0, stdin: str | None = None):  # noqa: ANN204
        result = self.runner.invoke(app, list(args), input=stdin)
        assert result.exit_code == code, (
            f"exit {result.exit_code}, expected {code}\nstdout:\n{result.stdout}\n"
            f"stderr:\n{result.stderr}\nexception: {result.exception!r}"
        )
        return result


@pytest.fixture()
def cli() -> Invoker:
    return Invoker()


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Saved visits go to a temporary folder in every test, never the real user data folder.
    The folder returned is ms-navigator's own subfolder of the one chosen."""
    target = tmp_path / "data"
    monkeypatch.setenv("MS_NAVIGATOR_DATA_DIR", str(target))
    return target / "ms-navigator-sessions"
    return target
