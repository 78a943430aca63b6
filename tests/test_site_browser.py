"""The trainers' site in a real browser: headless Chromium (Debian's), driven by Playwright.

One browser for the whole module. The network is blocked: every request that is not a file of
the site is refused and recorded, and the tests fail on any such request and on any console
error. With MS_NAVIGATOR_SCREENSHOTS set to a folder, each page's screenshot is written there, to
look at (nothing checks them; encoding the PNGs cost Chromium about 6 s of CPU a run, a third of
these tests', so they are taken only when asked for). Without Chromium or Playwright the
module is skipped on a developer's machine, but fails under CI=true, where .ci/run installs them.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ms_navigator import loader, model, scenarios
from ms_navigator.render import site, svg

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREEN = {"width": 1920, "height": 1080}
PACK = loader.load_pack_or_raise()
SCENARIOS = sorted(s.id for s, _ in scenarios.load([scenarios.shipped_dir()])[0])


def _unavailable(why: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{why}: under CI the browser tests must run (.ci/run installs Chromium).")
    pytest.skip(f"{why}: install Debian's chromium and the 'test' extra to run the browser tests.")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site as a user makes it: the installed command, into a new folder."""
    out = tmp_path_factory.mktemp("site") / "out"
    subprocess.run([sys.executable, "-m", "ms_navigator", "site", str(out)], check=True,
                   capture_output=True, text=True)
    return out


class Shots:
    """Screenshots into MS_NAVIGATOR_SCREENSHOTS, if it is set (otherwise none are taken)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def take(self, what: Any, name: str, **options: Any) -> None:
        """Take a screenshot of a page or a locator, named `name`, if screenshots are asked for."""
        if self.folder is not None:
            what.screenshot(path=str(self.folder / name), **options)


@pytest.fixture(scope="module")
def shots() -> Shots:
    where = os.environ.get("MS_NAVIGATOR_SCREENSHOTS")
    if not where:
        return Shots(None)
    folder = Path(where)
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nScreenshots of the site: {folder}")
    return Shots(folder)


class Browser:
    """One Chromium, a fresh profile, the network refused; pages checked for errors and requests."""

    def __init__(self, context: Any) -> None:
        self.context = context
        self.refused: list[str] = []
        self.errors: list[str] = []
        context.route("**/*", self._route)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
        else:
            self.refused.append(url)
            route.abort()

    def open(self, path: Path, fragment: str = "") -> Any:
        page = self.context.new_page()
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        page.on("pageerror", lambda err: self.errors.append(str(err)))
        page.goto(path.as_uri() + fragment, wait_until="load")
        return page


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed")
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is not installed")
    with tempfile.TemporaryDirectory(prefix="ms-nav-chromium-") as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=FLAGS, viewport=SCREEN,
            service_workers="block")
        try:
            yield Browser(context)
        finally:
            context.close()


@pytest.fixture()
def clean(browser: Browser) -> Iterator[Browser]:
    """Fail the test on any request that left the file system or any console error."""
    browser.refused.clear()
    browser.errors.clear()
    yield browser
    assert browser.refused == [], "the site asked for something outside its folder"
    assert browser.errors == [], "the page logged errors"


def _ids(pack: model.Pack) -> set[str]:
    """Ids a reader must never see (those with '_' cannot be mistaken for words)."""
    found = {n.id for p in pack.pathways.values() for n in p.nodes} | set(pack.steps) | set(pack.facts)
    return {i for i in found if "_" in i}


WORD = re.compile(r"[\w-]+")
"""An id is shown where it stands alone: not inside a longer run of word characters and hyphens."""


def _no_bare_ids(page: Any) -> None:
    text = page.evaluate("document.body.textContent")  # the closed "Detail" parts too
    # An id made only of such characters stands alone exactly where it is a whole run of them:
    # one pass over the text instead of a search of it for each id. Any other id is searched for.
    runs = set(WORD.findall(text))
    shown = sorted(i for i in _ids(PACK) if (i in runs if WORD.fullmatch(i) else
                                             re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text)))
    assert shown == [], f"ids shown as words: {shown}"


LOW_CONTRAST = """() => {
  function rgb(s) { const m = s.match(/[\\d.]+/g).map(Number); return m.length > 3 && m[3] === 0 ? null : m; }
  function lum(c) { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; }
  function background(el) { for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor); if (c) return c; } return [255, 255, 255]; }
  const bad = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('svg') || !el.offsetParent && getComputedStyle(el).position !== 'fixed') continue;
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const a = lum(rgb(getComputedStyle(el).color)), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) bad.push(el.tagName + ' ' + ratio.toFixed(2) + ' ' + el.textContent.trim().slice(0, 40));
  }
  return bad;
}"""

DIAGRAM_MEASURES = """() => [...document.querySelectorAll('svg.diagram')].map(s => {
  const box = s.getBoundingClientRect(), scale = s.getScreenCTM().a;
  const texts = [...s.querySelectorAll('text')];
  const overflow = [];
  for (const g of s.querySelectorAll('g.box')) {
    const shape = g.firstElementChild.getBoundingClientRect();
    for (const t of g.querySelectorAll('text')) {
      const r = t.getBoundingClientRect();
      if (r.left < shape.left - 0.5 || r.right > shape.right + 0.5 ||
          r.top < shape.top - 0.5 || r.bottom > shape.bottom + 0.5) overflow.push(t.textContent);
    }
  }
  return {width: box.width, height: box.height, texts: texts.length,
          smallest: Math.min(...texts.map(t => parseFloat(getComputedStyle(t).fontSize) * scale)),
          lowest: Math.min(...texts.map(t => t.getBoundingClientRect().height)), overflow};
})"""


def test_the_index_lists_every_pathway_and_scenario(built: Path, clean: Browser, shots: Shots) -> None:
    page = clean.open(built / "index.html")
    links = page.eval_on_selector_all("main a", "els => els.map(a => a.getAttribute('href'))")
    assert {site.pathway_file(p) for p in PACK.pathways} <= set(links)
    assert {site.scenario_file(s) for s in SCENARIOS} <= set(links)
    assert site.COMPARE in links
    assert page.evaluate(LOW_CONTRAST) == []
    _no_bare_ids(page)
    shots.take(page, "index.png")
    page.close()


@pytest.mark.parametrize("pathway_id", sorted(PACK.pathways))
def test_each_pathway_page_draws_a_readable_diagram(built: Path, clean: Browser, shots: Shots,
                                                    pathway_id: str) -> None:
    page = clean.open(built / site.pathway_file(pathway_id))
    measured = page.evaluate(DIAGRAM_MEASURES)
    assert len(measured) == len(svg.parts(PACK, PACK.pathways[pathway_id]))
    for part in measured:
        assert part["texts"] > 0
        assert part["width"] <= SCREEN["width"] and part["height"] <= SCREEN["height"], part
        assert part["smallest"] >= 14 and part["lowest"] >= 14, part
        assert part["overflow"] == [], "text runs out of its box"
    pathway = PACK.pathways[pathway_id]
    body = page.inner_text("main")
    for node in pathway.nodes:
        if isinstance(node, model.QuestionNode):
            assert " ".join(node.text.split()) in body
    assert "Who follows it:" in body and "Sources" in body
    assert page.evaluate(LOW_CONTRAST) == []
    _no_bare_ids(page)
    shots.take(page, f"pathway-{pathway_id}.png", full_page=True)
    for n, figure in enumerate(page.locator("figure.diagram-part").all(), 1):
        box = figure.bounding_box()  # shown, with a size: what a screenshot of it waits for
        assert figure.is_visible() and box is not None and box["width"] > 0 and box["height"] > 0, n
        shots.take(figure, f"diagram-{pathway_id}-part{n}.png")
    page.close()


def _showing(page: Any) -> list[str]:
    return page.eval_on_selector_all(".frame", "els => els.filter(e => !e.hidden).map(e => e.id)")


def test_a_scenario_steps_with_the_keyboard_alone(built: Path, clean: Browser, shots: Shots) -> None:
    page = clean.open(built / site.scenario_file("child-age-unsure"))
    frames = page.eval_on_selector_all(".frame", "els => els.map(e => e.id)")
    assert frames[-1] == "plan" and len(frames) >= 3
    assert _showing(page) == ["q1"]
    page.keyboard.press("ArrowRight")
    assert _showing(page) == ["q2"]
    page.keyboard.press(" ")
    assert _showing(page) == ["q3"]
    page.keyboard.press("ArrowLeft")
    assert _showing(page) == ["q2"]
    page.keyboard.press("End")
    assert _showing(page) == ["plan"]
    assert "The plan these answers lead to" in page.inner_text(".frame:not([hidden])")
    page.keyboard.press("Home")
    # Tab reaches the Next button; Enter on it moves on once (Space/Enter are not counted twice).
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "next":
            break
    assert page.evaluate("document.activeElement.id") == "next"
    page.keyboard.press("Enter")
    assert _showing(page) == ["q2"]
    page.keyboard.press("Space")
    assert _showing(page) == ["q3"]
    page.close()


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_each_scenario_shows_where_every_answer_leads(built: Path, clean: Browser, shots: Shots,
                                                      scenario_id: str) -> None:
    page = clean.open(built / site.scenario_file(scenario_id))
    first = page.inner_text(".frame:not([hidden])")
    assert "Where each answer leads" in first and "This scenario\u2019s answer" in first
    assert page.locator(".frame:not([hidden]) .branch").count() >= 2
    assert page.evaluate(LOW_CONTRAST) == []
    _no_bare_ids(page)
    shots.take(page, f"scenario-{scenario_id}.png")
    page.keyboard.press("End")
    _no_bare_ids(page)
    shots.take(page, f"scenario-{scenario_id}-plan.png")
    page.close()


def test_presenter_view_is_large_text_and_p_toggles_it(built: Path, clean: Browser, shots: Shots) -> None:
    from ms_navigator import walkthrough

    green = walkthrough.build(PACK, scenarios.find(site.GREEN)[0])
    parting = next(f.number for f in green.frames if f.question.fact == "care_support_needs")
    page = clean.open(built / site.scenario_file(site.GREEN), f"#q{parting}")
    assert _showing(page) == [f"q{parting}"]  # a link can open the walk at one question
    size = "parseFloat(getComputedStyle(document.querySelector('.frame:not([hidden]) .question')).fontSize)"
    normal = page.evaluate(size)
    page.keyboard.press("p")
    assert page.evaluate("document.body.classList.contains('presenter')")
    assert page.evaluate(size) >= 1.5 * normal >= 40
    assert page.get_attribute("#presenter-toggle", "aria-pressed") == "true"
    assert not page.is_visible("main > h1")  # one question a screen: the title and story step aside
    assert page.evaluate(LOW_CONTRAST) == []
    shots.take(page, "presenter.png")
    page.keyboard.press("p")
    assert not page.evaluate("document.body.classList.contains('presenter')")
    page.close()


def test_sam_and_holly_side_by_side_marks_where_they_part(built: Path, clean: Browser, shots: Shots) -> None:
    page = clean.open(built / site.COMPARE)
    parted = page.locator("tr.parts")
    assert parted.count() == 1
    assert "They part here" in parted.inner_text()
    assert "care and support" in parted.inner_text()
    assert page.evaluate(LOW_CONTRAST) == []
    _no_bare_ids(page)
    shots.take(page, "sam-and-holly-compared.png", full_page=True)
    page.close()


def test_print_shows_every_question_on_a4(built: Path, clean: Browser, shots: Shots) -> None:
    page = clean.open(built / site.scenario_file("child-age-unsure"))
    page.emulate_media(media="print")
    visible = page.eval_on_selector_all(".frame", "els => els.filter(e => e.offsetParent).length")
    assert visible == page.locator(".frame").count()
    assert not page.is_visible("#presenter-toggle")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    page.close()
