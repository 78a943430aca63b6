"""`ms-navigator site DIR`: a pure renderer, and a command that writes only where it should.

The pages in a browser are tested in test_site_browser.py; here, what needs no browser: the
files, what they may load, words instead of ids, and the folder rules (owner-only files, no
writing into someone else's folder, no following symbolic links).
"""

from __future__ import annotations

import hashlib
import html
import os
import pickle
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from ms_navigator import graph, model, scenarios, wording
from ms_navigator.render import site, svg


@pytest.fixture(scope="module")
def files(pack: model.Pack) -> dict[str, str]:
    return site.files(pack, [s for s, _ in scenarios.load([scenarios.shipped_dir()])[0]])


@pytest.fixture(scope="module", autouse=True)
def render_once() -> Iterator[None]:
    """Render each distinct site once for the module: the command tests here are about where
    and how `ms-navigator site` writes (the folder rules), and the renderer is a pure function
    of the pack and the scenarios, whose pages the tests above check."""
    render = site.files
    made: dict[str, dict[str, str]] = {}

    def once(pack: model.Pack, found: list[scenarios.Scenario]) -> dict[str, str]:
        key = hashlib.sha256(pickle.dumps((pack, found))).hexdigest()
        if key not in made:
            made[key] = render(pack, found)
        return dict(made[key])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(site, "files", once)
        yield


def test_a_page_per_pathway_and_scenario_and_the_comparison(pack: model.Pack, files: dict[str, str]) -> None:
    shipped = [s.id for s, _ in scenarios.load([scenarios.shipped_dir()])[0]]
    assert {site.pathway_file(p) for p in pack.pathways} | {site.scenario_file(s) for s in shipped} \
        | {"index.html", "site.css", "site.js", site.COMPARE} == set(files)


def test_nothing_is_loaded_from_outside_the_folder(files: dict[str, str]) -> None:
    for name, text in files.items():
        if not name.endswith(".html"):
            continue
        for ref in re.findall(r'(?:src|href)="([^"]*)"', text):
            target = ref.split("#")[0]
            assert target == "" or target in files, (name, ref)
        assert "default-src 'none'" in text  # and the page itself forbids it
    assert "http" not in files["site.js"] and "url(" not in files["site.css"]


def test_pages_show_words_not_ids(pack: model.Pack, files: dict[str, str]) -> None:
    ids = {i for i in set(pack.steps) | set(pack.facts)
           | {n.id for p in pack.pathways.values() for n in p.nodes} if "_" in i}
    assert all(re.fullmatch(r"[\w-]+", i) for i in ids)  # so an id shown is a whole word below
    for name, text in files.items():
        if name.endswith(".html"):
            shown = re.sub(r"<[^>]+>", " ", text)  # the words a reader sees, without the markup
            found = sorted(ids & set(re.findall(r"[\w-]+", shown)))
            assert found == [], (name, found)


def test_a_step_shows_its_summary_cut_where_a_diagram_has_no_room(pack: model.Pack) -> None:
    step = pack.steps["call_999"]
    assert wording.step_summary(step, limit=1000) == " ".join(step.summary.split())
    assert wording.step_summary(step) == wording.cut(step.summary, wording.SHORT)
    assert len(wording.step_summary(step)) <= wording.SHORT


@pytest.mark.parametrize("pathway_id", ["identification", "housing", "nrm-pre"])
def test_every_node_and_answer_is_in_the_diagram_parts(pack: model.Pack, pathway_id: str) -> None:
    pathway = pack.pathways[pathway_id]
    parts = svg.parts(pack, pathway)
    drawn = "".join(p.svg for p in parts)
    words = html.unescape(" ".join(re.findall(r">([^<]+)</text>", drawn)))
    for node in pathway.nodes:
        assert wording.node_kind(pack, node) in words
        first = wording.node_lines(pack, node)[0].split()[0]
        assert first in words
    for node in pathway.nodes:
        if isinstance(node, model.QuestionNode):
            for option in node.options:
                assert wording.option_label(pack, node, option).split()[0] in words
    edges = sum(1 for n in pathway.nodes for _ in graph.targets(n))
    assert drawn.count('class="arrow') >= edges  # every arrow, some cut in two between parts
    assert all(p.width <= 1920 and p.height <= 1080 for p in parts)


def test_urgency_is_a_word_and_a_border_as_well_as_a_colour(pack: model.Pack) -> None:
    drawn = "".join(p.svg for p in svg.parts(pack, pack.pathways["identification"]))
    now = re.search(r'<g class="box n-do-now">(.*?)</g>', drawn)
    assert now and ">DO NOW<" in now.group(1)
    assert now.group(1).count("<rect") == 2  # the double border


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_writes_owner_only_files_into_a_new_folder(cli, tmp_path: Path) -> None:
    out = tmp_path / "new" / "site"
    result = cli("site", str(out))
    assert "index.html" in result.stderr
    assert _mode(out) == 0o700
    assert all(_mode(f) == 0o600 for f in out.iterdir())
    assert (out / "index.html").read_text().count(site.GENERATOR) == 1


def test_refuses_a_folder_that_holds_other_files_unless_forced(cli, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    err = cli("site", str(tmp_path), code=2).stderr
    assert "not empty" in err and "--force" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
    cli("site", str(tmp_path), "--force")
    assert (tmp_path / "index.html").is_file() and (tmp_path / "notes.txt").read_text() == "mine"


def test_rewrites_a_previous_site_and_drops_pages_no_longer_made(cli, tmp_path: Path) -> None:
    cli("site", str(tmp_path))
    (tmp_path / "pathway-gone.html").write_text("an old pathway")
    (tmp_path / "index.html").write_text((tmp_path / "index.html").read_text() + "<!-- old -->")
    cli("site", str(tmp_path))
    assert not (tmp_path / "pathway-gone.html").exists()
    assert "<!-- old -->" not in (tmp_path / "index.html").read_text()


def test_never_follows_a_symbolic_link(cli, tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    assert "symbolic link" in cli("site", str(tmp_path / "link"), code=2).stderr
    assert list(real.iterdir()) == []
    # A link planted inside a previous site is replaced, and what it points at is untouched.
    out = tmp_path / "out"
    cli("site", str(out))
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (out / "site.css").unlink()
    (out / "site.css").symlink_to(victim)
    cli("site", str(out))
    assert victim.read_text() == "keep me" and not (out / "site.css").is_symlink()


def test_refuses_a_file_in_place_of_the_folder(cli, tmp_path: Path) -> None:
    target = tmp_path / "file.html"
    target.write_text("x")
    assert "not a folder" in cli("site", str(target), code=2).stderr


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_diagram_colours_meet_wcag_aa_contrast() -> None:
    """The browser test checks the pages' text; the diagram's colours are checked here."""
    for css, (fill, stroke, _) in svg._STYLES.items():
        assert _contrast("#111111", fill) >= 4.5, css  # the words in a box
        assert _contrast(stroke, fill) >= 4.5, css  # the kind of box ("DO NOW"), in its colour
        assert _contrast(stroke, "#ffffff") >= 3, css  # a border against the page (non-text, 3:1)


def test_a_scenario_page_opens_its_plan_with_what_to_do_first(pack: model.Pack) -> None:
    from ms_navigator import walkthrough

    walk = walkthrough.build(pack, scenarios.find("child-age-unsure")[0])
    page = site.scenario_page(pack, walk)
    first = page.index("<h3>Do first</h3>")
    assert first < page.index("<h3>Steps</h3>")
    assert " ".join(pack.steps["call_999"].summary.split()) in page[first:page.index("<h3>Steps</h3>")]


def test_a_pathway_page_shows_every_readers_words_of_a_step(pack: model.Pack, files: dict[str, str]) -> None:
    """A trainer showing a pathway shows what each reader is told: a step's `variants` (a
    First Responder's words, Adult Social Care's own s42 decision) beside its default words."""
    shown = 0
    for pathway in pack.pathways.values():
        text = html.unescape(re.sub(r"<[^>]+>", " ", files[site.pathway_file(pathway.id)]))
        text = " ".join(text.split())
        for step_id in dict.fromkeys(s for n in pathway.nodes if isinstance(n, model.StepNode) for s in n.steps):
            for variant in pack.steps[step_id].variants:
                words = " ".join(variant.text.split())
                assert f"Instead, when: {wording.condition_words(pack, variant.when)}. {words}" in text
                shown += 1
    assert shown > 10  # the shipped steps have variants for several readers
