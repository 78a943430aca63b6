"""Write a synthetic pathway pack of a given size, for timing `ms-navigator lint` at scale.

The pack is valid: its `directory/` is copied from the shipped pack, and every generated
pathway uses only the facts, steps and services defined there, so `ms-navigator lint DIR`
loads it clean. Nodes are spread over many files (a council's many pathways), each file a
chain of five-node units (info, question, step, services, branch) ending in an `end` node, so
every node is reachable and every route leads forward to the end. Each file asks each fact
once, like the shipped pathways, and `directory/invariants.yaml` is replaced by invariants
that hold on the generated content, so `lint` checks them on every path as it does for a
real pack. The units read synthetic twins of the facts the built-in safety rules read (see
`_vocabulary`), so the pack lints with no error, as a real pack does in its CI.

    python benchmarks/genpack.py OUT_DIR --nodes 10000
    python benchmarks/genpack.py OUT_DIR --chain 24     # the adversarial 2^N pathway
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import yaml

UNIT = 5
"""Nodes in one unit of a generated pathway."""

NODES_PER_FILE = 100
"""About the size of a large real pathway; keeps every file far below the loader's size cap."""


def _shipped_dir() -> Path:
    from ms_navigator import loader

    return loader.shipped_pack_dir()


def _vocabulary(directory: Path) -> tuple[list[tuple[str, list[str]]], list[str], list[str]]:
    """Return (facts with their values, step ids, service ids) that generated units use.

    Random chains of units would break the contract's safety rules, which `lint` checks in
    every pack (a unit asking consent before capacity, a step planned for the wrong age), and a
    policy lead's pack is clean. So the units read a synthetic twin of each fact those rules
    read (`twin`, with as many values, added to the copied `facts.yaml` by `_add_twins`), in
    its place in the list, and plan none of the steps the rules name: the pack has the shipped
    pack's shape (as many facts, as many values each) and lints clean."""

    def read(name: str) -> dict:
        return yaml.safe_load((directory / name).read_text(encoding="utf-8"))

    facts = [(twin(f["id"]) if f["id"] in _RULE_FACTS else f["id"], [str(v["value"]) for v in f["values"]])
             for f in read("facts.yaml")["facts"] if not f["id"].startswith(twin(""))]
    steps = [s["id"] for s in read("steps.yaml")["steps"] if s["id"] not in _RULE_STEPS]
    services = [s["id"] for s in read("services.yaml")["services"]]
    return facts, steps, services


def _rule_vocabulary() -> tuple[frozenset[str], frozenset[str]]:
    """Return the facts and steps the contract's built-in safety rules read and name."""
    from ms_navigator import conditions, safety

    facts: set[str] = set()
    steps: set[str] = set()
    for rule in safety.rules():
        if rule.when is not None:
            facts |= conditions.facts_read(rule.when)
        need = rule.require
        steps |= {*need.steps, *need.no_steps, *([need.first_step] if need.first_step else [])}
        facts |= set(need.not_asked)
    return frozenset(facts), frozenset(steps)


_RULE_FACTS, _RULE_STEPS = _rule_vocabulary()


def twin(fact: str) -> str:
    """Return the synthetic fact that stands for a fact the safety rules read."""
    return f"synthetic_{fact}"


def _add_twins(directory: Path) -> None:
    """Add to the copied `facts.yaml` a twin of each fact the safety rules read, with values of
    the same names (the shipped facts stay, unused, so every step's variants still resolve)."""
    facts = directory / "facts.yaml"
    shipped = yaml.safe_load(facts.read_text(encoding="utf-8"))["facts"]
    added = []
    for fact in shipped:
        if fact["id"] in _RULE_FACTS:
            added += [f"  - id: {twin(fact['id'])}",
                      f"    meaning: {_q('Synthetic twin of ' + fact['id'] + ' (not protocol content).')}",
                      "    values:"]
            added += [f"      - {{value: {_q(str(v['value']))}, label: {_q('Value ' + str(v['value']))}}}"
                      for v in fact["values"]]
            added.append('    source: "synthetic"')
    facts.write_text(facts.read_text(encoding="utf-8").rstrip("\n") + "\n" + "\n".join(added) + "\n",
                     encoding="utf-8")


def _q(text: str) -> str:
    """Quote a scalar so YAML never reads it as anything but text."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _unit(pid: str, k: int, nxt: str, vocab: tuple) -> list[str]:
    """Return the YAML lines of unit k (five nodes) of pathway pid, continuing to `nxt`.

    Shaped like the shipped pathways: the first time a pathway meets a fact it asks it and
    acts on the answer at once (the first value adds the fact's own step); later units on the
    same fact are passed through (the engine never asks a fact twice) and only check that it
    is known.
    """
    facts, _steps, services = vocab
    fact, values = facts[k % len(facts)]
    first = k < len(facts)
    src = f'    source: "synthetic unit {k} of {pid}"'
    lines = [
        f"  - id: u{k}_info", "    type: info", f"    title: Guidance {k}",
        f"    text: {_q(f'Synthetic guidance number {k} for the benchmark pack; it says nothing real.')}",
        src, f"    next: u{k}_q", "",
        f"  - id: u{k}_q", "    type: question", f"    fact: {fact}",
        f"    text: {_q(f'Synthetic question {k} about {fact}?')}", src, "    options:",
    ]
    for i, value in enumerate(values):
        target = f"u{k}_step" if i == 0 or not first else f"u{k}_svc"
        lines += [f"      - value: {_q(value)}", f"        next: {target}"]
    when = f"{{fact: {fact}, in: [{_q(values[0])}]}}" if first else f"{{known: {fact}}}"
    lines += [
        "",
        f"  - id: u{k}_step", "    type: step", f"    steps: [{_step_for(k, vocab)}]", src,
        f"    next: u{k}_svc", "",
        f"  - id: u{k}_svc", "    type: services", f"    services: [{services[k % len(services)]}]", src,
        f"    next: u{k}_br", "",
        f"  - id: u{k}_br", "    type: branch", "    routes:",
        f"      - when: {when}", f"        next: {nxt}",
        f"    otherwise: {nxt}", src, "",
    ]
    return lines


def _step_for(k: int, vocab: tuple) -> str:
    """Return the step of unit k: the same for every unit on the same fact, in every file."""
    facts, steps, _ = vocab
    return steps[(k % len(facts)) % len(steps)]


def invariants_text(vocab: tuple) -> str:
    """Return an invariants file that holds on the generated pathways: one invariant a fact,
    "when the fact has its first value, the fact's step is in the plan"."""
    facts, _, _ = vocab
    lines = ["invariants:"]
    for i, (fact, values) in enumerate(facts):
        lines += [f"  - id: synthetic-{fact}", f"    description: {_q(f'Synthetic invariant on {fact}.')}",
                  '    source: "synthetic"',
                  f"    when: {{fact: {fact}, in: [{_q(values[0])}]}}",
                  f"    require: {{steps: [{_step_for(i, vocab)}]}}", ""]
    return "\n".join(lines)


def pathway_text(pid: str, nodes: int, vocab: tuple) -> str:
    """Return a pathway file of exactly `nodes` nodes (at least six): units, padding, an end."""
    units = max(1, (nodes - 1) // UNIT)
    pad = max(0, nodes - 1 - units * UNIT)
    lines = [
        f"id: {pid}", f"title: Synthetic pathway {pid}", 'section: "4.9"',
        "summary: A generated pathway for benchmarks only; it is not protocol guidance.",
        "audience: Benchmarks", 'version: "0.0.0"', "review_date: 2099-01-01",
        "source: synthetic", "start: u0_info", "", "nodes:",
    ]
    for k in range(units):
        lines += _unit(pid, k, f"u{k + 1}_info" if k + 1 < units else ("p0" if pad else "done"), vocab)
    for j in range(pad):  # info nodes that bring the file to its exact size
        lines += [f"  - id: p{j}", "    type: info", f"    title: Note {j}", "    text: Padding.",
                  '    source: "synthetic"',
                  f"    next: {f'p{j + 1}' if j + 1 < pad else 'done'}", ""]
    lines += ["  - id: done", "    type: end", ""]
    return "\n".join(lines)


def _register_synthetic_source(out: Path) -> None:
    """Add the source that generated content cites to the copied register of sources."""
    with (out / "directory" / "sources.yaml").open("a", encoding="utf-8") as register:
        register.write("  - id: synthetic\n    title: Synthetic benchmark content (not protocol text)\n"
                       "    publisher: ms-navigator benchmarks\n")


def write_pack(out: Path, nodes: int, per_file: int = NODES_PER_FILE) -> int:
    """Write a pack of about `nodes` pathway nodes into `out` (replaced); return the node count."""
    source = _shipped_dir()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    _copy_directory(source, out)
    _register_synthetic_source(out)
    _add_twins(out / "directory")
    vocab = _vocabulary(out / "directory")
    (out / "directory" / "invariants.yaml").write_text(invariants_text(vocab), encoding="utf-8")
    _enter_at(out, "synthetic-0000")
    files = max(1, round(nodes / per_file))
    sizes = [nodes // files + (1 if n < nodes % files else 0) for n in range(files)]
    for n, size in enumerate(sizes):
        pid = f"synthetic-{n:04d}"
        (out / f"{pid}.yaml").write_text(pathway_text(pid, max(size, UNIT + 1), vocab), encoding="utf-8")
    return sum(max(size, UNIT + 1) for size in sizes)


def _copy_directory(source: Path, out: Path) -> None:
    """Copy the shipped directory files, without what steps say they point to (`mentions`):
    generated pathways plan steps without the services the shipped pathways list beside them."""
    shutil.copytree(source / "directory", out / "directory")
    steps = out / "directory" / "steps.yaml"
    kept = [line for line in steps.read_text(encoding="utf-8").splitlines(keepends=True)
            if not line.startswith("    mentions:")]
    steps.write_text("".join(kept), encoding="utf-8")


def _enter_at(out: Path, pathway: str) -> None:
    """Make a generated pathway the pack's entry (the copied policy names a shipped one), and
    leave out the policy's preamble and readers, which name shipped pathways too."""
    policy = out / "directory" / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    assert "entry: identification" in text
    cut = text.find("\n  # Every session that starts at another pathway")
    assert cut > 0, "the policy's preamble comes after table_inputs"
    text = text[:cut + 1]
    policy.write_text(text.replace("entry: identification", f"entry: {pathway}"), encoding="utf-8")


def write_chain(out: Path, questions: int) -> Path:
    """Write the adversarial pack into `out` (replaced); return its pathway file.

    One pathway of `questions` yes/no questions in a chain, each on a fact of its own (added
    to a copy of the shipped `facts.yaml`), then one branch that reads them all. Every answer
    stays relevant until the branch, so without a bound the exhaustive checks would meet 2^N
    states; a 4.4 KB file of 24 questions once took lint past 45 s and 986 MB.
    """
    source = _shipped_dir()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    _copy_directory(source, out)
    _register_synthetic_source(out)
    _enter_at(out, "chain")
    facts = out / "directory" / "facts.yaml"
    added = []
    for i in range(questions):
        added += [f"  - id: chain_{i}", f"    meaning: Synthetic fact {i} (not protocol content).",
                  "    values:", "      - {value: 'yes', label: 'Yes'}", "      - {value: 'no', label: 'No'}",
                  '    source: "synthetic"']
    facts.write_text(facts.read_text(encoding="utf-8").rstrip("\n") + "\n" + "\n".join(added) + "\n",
                     encoding="utf-8")
    src = '    source: "synthetic"'
    lines = ["id: chain", "title: Chained questions", 'section: "4.9"',
             "summary: A generated pathway for benchmarks only; it is not protocol guidance.",
             "audience: Benchmarks", 'version: "0.0.0"', "review_date: 2099-01-01",
             "source: synthetic", "start: q0", "", "nodes:"]
    for i in range(questions):
        nxt = f"q{i + 1}" if i + 1 < questions else "all"
        lines += [f"  - id: q{i}", "    type: question", f"    fact: chain_{i}",
                  f"    text: {_q(f'Synthetic question {i}?')}", src, "    options:",
                  f"      - {{value: 'yes', next: {nxt}}}", f"      - {{value: 'no', next: {nxt}}}", ""]
    every = ", ".join(f"{{fact: chain_{i}, in: ['yes']}}" for i in range(questions))
    lines += ["  - id: all", "    type: branch", "    routes:", f"      - when: {{all: [{every}]}}",
              "        next: act", "    otherwise: done", src, "",
              "  - id: act", "    type: step", "    steps: [offer_skills_support]", src, "    next: done", "",
              "  - id: done", "    type: end", ""]
    target = out / "chain.yaml"
    target.write_text("\n".join(lines), encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write (replaced if it exists)")
    parser.add_argument("--nodes", type=int, default=1000, help="pathway nodes in total")
    parser.add_argument("--chain", type=int, default=None, metavar="N",
                        help="write the adversarial pack of N chained questions instead")
    args = parser.parse_args(argv)
    if args.chain is not None:
        sys.stdout.write(f"wrote {write_chain(args.out, args.chain)}\n")
        return 0
    total = write_pack(args.out, args.nodes)
    sys.stdout.write(f"wrote {total} nodes to {args.out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
