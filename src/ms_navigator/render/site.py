"""The trainers' static site (`ms-navigator site DIR`): pages for a projector and an A4 handout.

Pure: `files(pack, scenarios)` returns every file's name and text; the command only writes
them. The pages open from the file system and load nothing from the network: the style sheet
and the small script are files of the site, the diagrams are inline SVG drawn by `render.svg`.
They show words, never ids (CONTRACT section 1). Keyboard: on a scenario page the arrow keys,
Space, Page Up/Down, Home and End move between questions; P switches the presenter view
(large text, one question a screen) on any page. The print style sheet makes an A4 handout.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from importlib import resources

from ms_navigator import engine, model, walkthrough, wording
from ms_navigator.model import URGENCY_LABELS
from ms_navigator.render import svg
from ms_navigator.render.markdown import because_text
from ms_navigator.scenarios import Scenario

GENERATOR = "ms-navigator site"
"""Named in every page's <meta name="generator">: how a folder is known to hold a previous site."""
GREEN, RED = "sam-holly-shared-concerns", "sam-holly-no-action"
"""The two journeys of the protocol's map (section 1.5), shown side by side when both exist."""
COMPARE = "sam-and-holly-compared.html"


def _asset(name: str) -> str:
    return (resources.files("ms_navigator.render") / "site_assets" / name).read_text("utf-8")


def _section_key(pathway: model.Pathway) -> list[int]:
    return [int(n) for n in pathway.section.split(".")]


def pathway_file(pathway_id: str) -> str:
    return f"pathway-{pathway_id}.html"


def scenario_file(scenario_id: str) -> str:
    return f"scenario-{scenario_id}.html"


def _text(text: str) -> str:
    return escape(" ".join(text.split()))


def _page(title: str, body: str, crumbs: str = "") -> str:
    nav = ('<nav class="crumbs" aria-label="Where you are"><a href="index.html">All pathways and '
           f"scenarios</a>{crumbs}</nav>")
    return ("<!DOCTYPE html>\n"
            '<html lang="en-GB"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="generator" content="{GENERATOR}">'
            # Nothing may be fetched: only this site's own files and inline SVG.
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'self'; script-src 'self'; img-src 'self' data:\">"
            f"<title>{escape(title)} - ms-navigator</title>"
            '<link rel="stylesheet" href="site.css"><script src="site.js" defer></script></head>'
            '<body><a class="skip" href="#main">Skip to the content</a>'
            f'<header class="top">{nav}<button type="button" id="presenter-toggle" '
            'aria-pressed="false">Presenter view (P)</button></header>'
            f'<main id="main" tabindex="-1">{body}</main>'
            '<footer class="foot">Made by ms-navigator from the pathway files. Made-up cases only: '
            "never a real person's details. Check every contact before use.</footer>"
            "</body></html>\n")


def _urgency(step: model.StepDef) -> str:
    tag = wording.URGENCY_TAGS[step.urgency]
    words = URGENCY_LABELS[step.urgency]
    when = f'<span class="when"> ({escape(words.lower())})</span>' if words.upper() != tag else ""
    return f'<span class="urgency u-{step.urgency.value}">{escape(tag)}{when}</span>'



# --- Index ----------------------------------------------------------------------------------


def index(pack: model.Pack, scenarios: list[Scenario]) -> str:
    """Return the front page: how to use the site, every pathway, every scenario."""
    rows = sorted(pack.pathways.values(), key=_section_key)
    out = ["<h1>Coventry Protocol pathways: training pages</h1>",
           ('<p class="lead">For Level 2 sessions ("Identification and initial response"). Every '
            "question, step and service cites the protocol section or the law it rests on. "
            "Made-up cases only.</p>"),
           ('<p class="keys">Keys: <kbd>P</kbd> presenter view (large text). On a scenario: '
            "<kbd>&rarr;</kbd> or <kbd>Space</kbd> next question, <kbd>&larr;</kbd> back, "
            "<kbd>Home</kbd> first, <kbd>End</kbd> the plan. Print any page for an A4 handout.</p>"),
           '<h2 id="pathways">Pathways</h2><ul class="cards">']
    for p in rows:
        out.append(f'<li><a href="{pathway_file(p.id)}"><span class="section">{escape(p.section)}</span> '
                   f"{escape(p.title)}</a><p>{_text(p.summary)}</p></li>")
    out.append('</ul><h2 id="scenarios">Worked scenarios</h2><ul class="cards">')
    ids = {s.id for s in scenarios}
    if GREEN in ids and RED in ids:
        out.append(f'<li><a href="{COMPARE}">Sam and Holly side by side (protocol 1.5)</a>'
                   "<p>The green and red journeys together, with the decision where they part.</p></li>")
    for s in scenarios:
        out.append(f'<li><a href="{scenario_file(s.id)}">{escape(s.title)}</a>'
                   f"<p>{escape(wording.short(s.description, 200))}</p></li>")
    out.append("</ul>")
    return _page("Training pages", "".join(out))


# --- A pathway ------------------------------------------------------------------------------


def _steps_of(pathway: model.Pathway) -> list[str]:
    return list(dict.fromkeys(s for n in pathway.nodes if isinstance(n, model.StepNode) for s in n.steps))


def _step_item(pack: model.Pack, step: model.StepDef) -> str:
    contacts = "".join(f"<li>{escape(pack.contacts[c].describe())}</li>" for c in step.contacts
                       if c in pack.contacts)
    return (f'<li class="step">{_urgency(step)} <strong>{escape(wording.step_summary(step, limit=1000))}</strong>'
            f'<details><summary>Detail</summary><p>{_text(step.text)}</p>'
            + "".join(f'<p class="variant"><em>Instead, when: {escape(when)}.</em> {_text(words)}</p>'
                      for when, words in wording.variants(pack, step))
            + (f'<ul class="contacts">{contacts}</ul>' if contacts else "")
            + f'<p class="source">Source: {_text(step.source)}</p></details></li>')


def pathway_page(pack: model.Pack, pathway: model.Pathway) -> str:
    """Return a pathway's page: summary, who it is for, diagram, questions, steps, sources."""
    parts = svg.parts(pack, pathway)
    out = [f"<h1>{escape(pathway.title)} <span class=\"section\">(protocol {escape(pathway.section)})</span></h1>",
           f'<p class="lead">{_text(pathway.summary)}</p>',
           f"<p><strong>Who follows it:</strong> {_text(pathway.audience)}</p>",
           (f'<p class="source">Source: {_text(pathway.source)}. Version {escape(pathway.version)}, '
           f"review by {pathway.review_date:%d %B %Y}.</p>"),
           '<h2 id="diagram">Diagram</h2>',
           '<p class="howto">Read left to right. Questions have cut corners; a step says how soon '
           "(DO NOW has a double border); answers sit on the arrows."
           + (f" The pathway is shown in {len(parts)} parts, one a screen: an arrow that goes on "
              "to the next part ends in \u201cOn in part\u201d." if len(parts) > 1 else "") + "</p>"]
    for part in parts:
        caption = f"Part {part.number} of {part.of}" if part.of > 1 else "The whole pathway"
        out.append(f'<figure class="diagram-part" id="part-{part.number}">'
                   f"<figcaption>{caption}</figcaption>{part.svg}</figure>")
    questions = [n for n in pathway.nodes if isinstance(n, model.QuestionNode)]
    out.append('<h2 id="questions">Questions it may ask</h2>')
    out.append("<p>A question already answered earlier in the session is not asked again.</p>")
    if questions:
        out.append('<ol class="questions">')
        for q in questions:
            answers = ", ".join(escape(wording.option_label(pack, q, o)) for o in q.options)
            out.append(f"<li><strong>{escape(q.text)}</strong>"
                       + (f'<p class="why"><strong>Why:</strong> {_text(q.why)}</p>' if q.why else "")
                       + (f'<p class="help">{_text(q.help)}</p>' if q.help else "")
                       + f"<p>Answers: {answers}.</p>"
                       f'<p class="source">Source: {_text(q.source)}</p></li>')
        out.append("</ol>")
    else:
        out.append("<p>None: it works from answers already given.</p>")
    out.append('<h2 id="steps">Steps it may add to the plan</h2>')
    steps = [pack.steps[s] for s in _steps_of(pathway) if s in pack.steps]
    out.append('<ul class="steps">' + "".join(_step_item(pack, s) for s in steps) + "</ul>"
               if steps else "<p>None.</p>")
    guidance = [n for n in pathway.nodes if isinstance(n, model.InfoNode)]
    if guidance:
        out.append('<h2 id="guidance">Guidance shown on the way</h2><dl class="guidance">')
        out += [f"<dt>{escape(g.title)}</dt><dd>{_text(g.text)}"
                f'<p class="source">Source: {_text(g.source)}</p></dd>' for g in guidance]
        out.append("</dl>")
    handoffs = list(dict.fromkeys(n.pathway for n in pathway.nodes if isinstance(n, model.GotoNode)))
    if handoffs:
        out.append('<h2 id="handoffs">Hands over to</h2><ul>')
        out += [f'<li><a href="{pathway_file(h)}">{escape(wording.pathway_name(pack, h))}</a></li>'
                if h in pack.pathways else f"<li>{escape(h)}</li>" for h in handoffs]
        out.append("</ul>")
    noted = [getattr(n, "source", None) for n in pathway.nodes]
    sources = list(dict.fromkeys([pathway.source] + [" ".join(s.split()) for s in noted if s]))
    out.append('<h2 id="sources">Sources</h2><ul class="sources">')
    out += [f"<li>{escape(s)}</li>" for s in sources]
    out.append("</ul>")
    crumb = f' <span aria-hidden="true">&rsaquo;</span> {escape(pathway.title)}'
    return _page(f"{pathway.title} ({pathway.section})", "".join(out), crumb)


# --- A scenario, one question at a time -----------------------------------------------------


def _adds(steps: Iterable[model.StepDef]) -> str:
    items = [f"<li>{_urgency(s)} {escape(wording.step_summary(s, limit=1000))}</li>" for s in steps]
    return f'<ul class="adds">{"".join(items)}</ul>' if items else ""


def _branch(branch: walkthrough.Branch) -> str:
    mark = ('<span class="chosen-mark">\u2714 This scenario\u2019s answer</span> ' if branch.chosen
            else "")
    then = (f"Then: {escape(branch.next_question)}" if branch.next_question
            else "Then: the plan is complete.")
    adds = ("<p>Adds to the plan:</p>" + _adds(branch.adds_steps)) if branch.adds_steps else \
        "<p>Adds nothing to the plan yet.</p>"
    css = "branch chosen" if branch.chosen else "branch"
    return (f'<li class="{css}"><p class="answer">{mark}<strong>{escape(branch.label)}</strong></p>'
            f'{adds}<p class="then">{then}</p></li>')


def _frame(pack: model.Pack, frame: walkthrough.Frame, total: int) -> str:
    q = frame.question
    out = [f'<section class="frame" id="q{frame.number}" aria-labelledby="q{frame.number}-h">',
           (f'<p class="count">Question {frame.number} of {total} \u00b7 '
           f"{escape(wording.pathway_name(pack, q.pathway))}</p>")]
    for note in frame.guidance:
        out.append(f'<aside class="guidance"><strong>{escape(note.title)}.</strong> {_text(note.text)}</aside>')
    out.append(f'<h2 id="q{frame.number}-h" class="question">{escape(q.text)}</h2>')
    if q.why:
        out.append(f'<p class="why"><strong>Why it is asked:</strong> {_text(q.why)}</p>')
    if frame.note:
        out.append(f'<p class="story"><strong>Story:</strong> {_text(frame.note)}</p>')
    out.append('<h3>Where each answer leads</h3><ul class="branches">')
    out += [_branch(b) for b in frame.branches]
    out.append(f'</ul><p class="source">Protocol {escape(q.section)}. Source: {_text(q.source)}</p></section>')
    return "".join(out)


def _plan(plan: engine.Plan) -> str:
    out = []
    if plan.do_first:  # the plan's shape: what to do first, in order, then every step
        out.append('<h3>Do first</h3><ol class="do-first">')
        out += [f"<li>{_urgency(s.step)} {escape(wording.step_summary(s.step, limit=1000))}</li>"
                for s in plan.first_steps()]
        out.append("</ol>")
    out.append('<h3>Steps</h3><ol class="plan-steps">')
    for planned in plan.steps:
        why = because_text(planned.because) if planned.because is not None else ""
        summary = escape(wording.step_summary(planned.step, limit=1000))
        out.append(f"<li>{_urgency(planned.step)} <strong>{summary}</strong>"
                   + (f'<p class="because">Because: {escape(why)}</p>' if why else "")
                   + f'<details><summary>Detail</summary><p>{_text(planned.step.text)}</p>'
                   + "".join(f"<p>Contact: {escape(c.describe())}</p>" for c in planned.contacts)
                   + f'<p class="source">Source: {_text(planned.step.source)}</p></details></li>')
    out.append("</ol>")
    if plan.offers:
        out.append('<h3>Services</h3><ul class="services">')
        for offer in plan.offers:
            out.append(f"<li><strong>{escape(offer.service.name)}</strong>: {_text(offer.service.offers)}"
                       f"<p>Contact: {escape(offer.contact.describe())}</p>"
                       + (f"<p>{_text(offer.note)}</p>" if offer.note else "")
                       + f'<p class="source">Source: {_text(offer.service.source)}</p></li>')
        out.append("</ul>")
    return "".join(out)


def scenario_page(pack: model.Pack, walk: walkthrough.Walkthrough) -> str:
    """Return a scenario's page: one question a screen, every answer's destination, then the plan."""
    s = walk.scenario
    total = len(walk.frames)
    out = [f"<h1>{escape(s.title)}</h1>", f'<p class="lead">{_text(s.description)}</p>',
           f'<p class="source">Source: {_text(s.source)}</p>',
           ('<div class="stepper-controls" hidden><button type="button" id="prev">'
           '&larr; Back</button> <span id="where" aria-live="polite"></span> '
           '<button type="button" id="next">Next &rarr;</button></div>')]
    out += [_frame(pack, f, total) for f in walk.frames]
    end = [('<section class="frame" id="plan" aria-labelledby="plan-h"><p class="count">The plan</p>'
           '<h2 id="plan-h">The plan these answers lead to</h2>'), _plan(walk.plan)]
    if s.ending:
        end.append(f'<h3>How the story ends</h3><p class="story">{_text(s.ending)}</p>')
    end.append("</section>")
    crumb = f' <span aria-hidden="true">&rsaquo;</span> {escape(s.title)}'
    return _page(s.title, "".join(out + end), crumb)


# --- Sam and Holly side by side -------------------------------------------------------------


def compare_page(pack: model.Pack, green: walkthrough.Walkthrough, red: walkthrough.Walkthrough) -> str:
    """Return the two journeys side by side, the first decision where they part highlighted."""
    frames = {"green": {f.question.fact: f for f in green.frames},
              "red": {f.question.fact: f for f in red.frames}}
    facts = list(dict.fromkeys([f.question.fact for f in green.frames] + [f.question.fact for f in red.frames]))
    parted = False
    rows = []
    for fact in facts:
        g, r = frames["green"].get(fact), frames["red"].get(fact)
        either = g or r
        question = either.question.text if either else fact
        answer = {name: next((b.label for b in f.branches if b.chosen), "") if f else "Not asked"
                  for name, f in (("green", g), ("red", r))}
        differs = answer["green"] != answer["red"]
        first = differs and not parted
        parted = parted or differs
        css = ' class="parts"' if first else (' class="differs"' if differs else "")
        if g and r and first:
            links = (f' <a href="{scenario_file(GREEN)}#q{g.number}">green walk at this question</a>'
                     f' \u00b7 <a href="{scenario_file(RED)}#q{r.number}">red walk</a>')
        else:
            links = ""
        flag = '<strong class="parts-flag">\u2192 They part here.</strong> ' if first else (
            '<span class="differs-flag">Different.</span> ' if differs else "")
        rows.append(f"<tr{css}><th scope=\"row\">{flag}{escape(question)}{links}</th>"
                    f"<td>{escape(answer['green'])}</td><td>{escape(answer['red'])}</td></tr>")
    green_steps = {p.step.id: p.step for p in green.plan.steps}
    red_steps = {p.step.id: p.step for p in red.plan.steps}
    missed = [s for k, s in green_steps.items() if k not in red_steps]
    out = ["<h1>Sam and Holly side by side (protocol 1.5)</h1>",
           ('<p class="lead">The same A&amp;E visit, two journeys. Green: the nurse raises and shares '
           "the concern. Red: nobody asks what Sam needs, and nobody shares what they heard. The "
           "first decision where the answers differ is marked \u201cThey part here\u201d.</p>"),
           (f'<p><a href="{scenario_file(GREEN)}">Walk the green journey</a> \u00b7 '
           f'<a href="{scenario_file(RED)}">Walk the red journey</a></p>'),
           ('<table class="compare"><caption>The answers given at each question</caption><thead><tr>'
           '<th scope="col">Question</th><th scope="col" class="green">Green: concerns shared</th>'
           '<th scope="col" class="red">Red: no action</th></tr></thead><tbody>'),
           "".join(rows), "</tbody></table>",
           '<h2>What the red journey missed</h2><p>Steps in the green plan that are not in the red one:</p>',
           _adds(missed) if missed else "<p>None.</p>",
           '<div class="side-by-side"><section class="journey green"><h2>Green plan</h2>',
           _adds(green_steps.values()), "</section>",
           '<section class="journey red"><h2>Red: what the pathway would have advised</h2>',
           _adds(red_steps.values()), "</section></div>"]
    crumb = ' <span aria-hidden="true">&rsaquo;</span> Sam and Holly side by side'
    return _page("Sam and Holly side by side", "".join(out), crumb)


def files(pack: model.Pack, scenarios: list[Scenario]) -> dict[str, str]:
    """Return every file of the site by name: pages, the style sheet and the script.

    Raise MissingAnswer if a scenario does not answer a question it reaches.
    """
    scenarios = sorted(scenarios, key=lambda s: s.id)
    walks = {s.id: walkthrough.build(pack, s) for s in scenarios}
    out = {"index.html": index(pack, scenarios), "site.css": _asset("site.css"),
           "site.js": _asset("site.js")}
    for pathway in pack.pathways.values():
        out[pathway_file(pathway.id)] = pathway_page(pack, pathway)
    for scenario_id, walk in walks.items():
        out[scenario_file(scenario_id)] = scenario_page(pack, walk)
    if GREEN in walks and RED in walks:
        out[COMPARE] = compare_page(pack, walks[GREEN], walks[RED])
    return out
