"""Shared fixtures: the shipped pack, a writable copy of it, and a CLI runner."""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ms_navigator import explore, invariants, loader, model
from ms_navigator.cli import app

pytest.register_assert_rewrite("tests.helpers")
from tests.helpers import kept_for_the_run, shipped  # noqa: E402 (after the rewrite is registered)

# No result may depend on the real date: lint reads review dates and contact checks as of this
# one (docs/ci.md). Tests that need a stale date write one into a copy of the pack.
TEST_TODAY = "2026-12-01"
os.environ["MS_NAVIGATOR_TODAY"] = TEST_TODAY


def pytest_configure(config: pytest.Config) -> None:
    """Collect the young objects every 20,000 allocations rather than every 700 (Python's
    default, tuned for programs that keep little): the run keeps a great deal, so with the
    default most of the collector's time went to walking what it could not free. Garbage in
    cycles is still collected in every test that makes much of it, and what reference counts
    free is freed at once as ever."""
    gc.set_threshold(20_000, 20, 10)


def pytest_collection_finish(session: pytest.Session) -> None:
    """What collection built (the test modules, the packs some load as they are imported, the
    items) lives until the run ends: out of the cyclic collector's reach, as the paths are
    (`helpers.kept_for_the_run`)."""
    with kept_for_the_run():
        pass


@pytest.fixture(scope="session")
def pack() -> model.Pack:
    """The pathway pack that ships with ms-navigator (the same object as `helpers.shipped()`)."""
    return shipped()


@pytest.fixture(scope="session", autouse=True)
def search_once_per_pack() -> Iterator[None]:
    """Search each distinct pack once for the run, however many tests lint it in process.

    The invariant search is a pure function of the pack (all of it, its file names included),
    the state limit, whether the built-in rules are added and `PLANS_PER_STATE` (which one
    test lowers), so a result kept for the same inputs is the result the search would give
    again. A test that edits a pack searches the edited pack; a search that raises is not kept.
    """
    search = invariants.search
    found: dict[str, invariants.SearchResult] = {}

    def once(pack: model.Pack, limit: int = explore.MAX_STATES,
             built_in: bool = True) -> invariants.SearchResult:
        key = hashlib.sha256(pickle.dumps((pack, limit, built_in, invariants.PLANS_PER_STATE))).hexdigest()
        if key not in found:
            found[key] = search(pack, limit, built_in)
        return found[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(invariants, "search", once)
        yield


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
