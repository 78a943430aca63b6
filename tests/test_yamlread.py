"""The safe YAML reader: data, positions, and a located refusal of everything unsafe."""

from __future__ import annotations

import datetime

import pytest
import yaml

from ms_navigator import yamlread


def test_yes_and_no_stay_text_but_true_is_a_boolean() -> None:
    data, _ = yamlread.parse("f.yaml", "a: yes\nb: no\nc: on\nd: true\n")
    assert data == {"a": "yes", "b": "no", "c": "on", "d": True}


def test_positions_of_keys_and_values_are_one_based() -> None:
    data, smap = yamlread.parse("f.yaml", "top:\n  - id: x\n    next: y\n")
    assert data == {"top": [{"id": "x", "next": "y"}]}
    assert smap.keys[("top", 0, "next")] == (3, 5)
    assert smap.values[("top", 0, "next")] == (3, 11)
    assert smap.at(("top", 0, "missing")) == (2, 5)


def test_dates_become_dates() -> None:
    data, _ = yamlread.parse("f.yaml", "review_date: 2027-01-31\n")
    assert data["review_date"] == datetime.date(2027, 1, 31)


@pytest.mark.parametrize(("text", "value"), [
    ("x", "x"), ("'12'", "12"), ('"true"', "true"), ("|\n  block", "block\n"), ("Yes", "Yes"),
    ("off", "off"), ("12", 12), ("-3", -3), ("0x1f", 31), (".5", 0.5), ("~", None),
    ("null", None), ("Null", None), ("", None), ("False", False), ("NaN", "NaN"),
    ("! 12", 12), ("e-mail", "e-mail"),
])
def test_scalars_read_as_their_kind(text: str, value: object) -> None:
    """Text is returned without the resolver; everything a resolver claims still goes through it."""
    data, _ = yamlread.parse("f.yaml", f"k: {text}\n")
    assert data["k"] == value and type(data["k"]) is type(value)


@pytest.mark.parametrize(
    ("text", "rule", "line", "col", "words"),
    [
        ("a: &x 1\nb: *x\n", "anchor", 1, 4, "anchors"),
        ("a: [1]\nb: *x\n", "anchor", 2, 4, "aliases"),
        ("a: 1\nb: 2\na: 3\n", "duplicate-key", 3, 1, "first at line 1"),
        ("a: !!python/object/apply:os.system [ls]\n", "tag", 1, 4, "tags"),
        ("a:\n\tb: 1\n", "syntax", 2, 1, "tab"),
        ("a: [1, 2\n", "syntax", 2, 1, "YAML syntax"),
        ("a: 1\n---\nb: 2\n", "syntax", 2, 1, "more than one"),
        ("d: 2027-13-45\n", "syntax", 1, 4, "YYYY-MM-DD"),
        ("[" * 100_000, "too-deep", 1, 41, "deeper"),
        ("a:\n" + "".join(f"{'  ' * i}k{i}:\n" for i in range(1, 60)), "too-deep", 41, 81, "deeper"),
        ("a: " + "{k: " * 5_000, "too-deep", 1, 4 + 4 * 39, "deeper"),
    ],
)
def test_unsafe_or_broken_yaml_is_refused_at_its_place(text: str, rule: str, line: int, col: int,
                                                       words: str) -> None:
    with pytest.raises(yamlread.YamlError) as caught:
        yamlread.parse("f.yaml", text)
    problem = caught.value.problem
    assert (problem.path, problem.rule, problem.line, problem.column) == ("f.yaml", rule, line, col)
    assert words in problem.message


class _StrictLibrary(yamlread._Loader):  # type: ignore[misc, valid-type]
    """A YAML library release that refuses nesting past 45 while scanning ahead, in its own words."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._deep_at = _depth_reached(text, 46)

    def get_event(self):  # noqa: ANN201 - the library's own signature
        if self._deep_at is not None:
            mark = yaml.Mark("<text>", self._deep_at, 0, self._deep_at, None, None)
            raise yaml.scanner.ScannerError("in some context", mark, "a wording of its own", mark)
        return super().get_event()


def _depth_reached(text: str, depth: int) -> int | None:
    """Where brackets first nest `depth` deep (the test texts have no quotes)."""
    level = 0
    for i, c in enumerate(text):
        level += (c == "[") - (c == "]")
        if level == depth:
            return i
    return None


@pytest.mark.parametrize("base", ["CSafeLoader", "SafeLoader"])
def test_own_limits_hold_whatever_the_library_refuses_first(base: str, monkeypatch) -> None:
    """Our rule, at our place, whether the library reads ahead, refuses earlier, or is pure Python."""
    class Library(_StrictLibrary, getattr(yaml, base, yaml.SafeLoader)):  # type: ignore[misc]
        pass

    Library.yaml_implicit_resolvers = yamlread._Loader.yaml_implicit_resolvers
    monkeypatch.setattr(yamlread, "_Loader", Library)
    with pytest.raises(yamlread.YamlError) as caught:
        yamlread.parse("f.yaml", "[" * 3_000)
    problem = caught.value.problem
    assert (problem.rule, problem.line, problem.column) == ("too-deep", 1, 41)


def test_a_library_refusal_no_rule_of_ours_explains_stays_a_syntax_problem(monkeypatch) -> None:
    monkeypatch.setattr(yamlread, "_Loader", type("Library", (_StrictLibrary,), {}))
    text = "a: [" + "1, [" * 20 + "]" * 21 + "\nb: " + "[" * 30 + "x" + "]" * 30 + "\n"
    assert yamlread.parse("f.yaml", text)[0]["a"][0] == 1  # 51 brackets, never more than 31 deep
    with pytest.raises(yamlread.YamlError) as caught:
        yamlread.parse("f.yaml", text + "c: [" + "[" * 30 + "\n")
    assert caught.value.problem.rule == "syntax"


def test_alias_bomb_is_refused_quickly() -> None:
    bomb = "a: &a [x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9))
    with pytest.raises(yamlread.YamlError) as caught:
        yamlread.parse("bomb.yaml", bomb)
    assert caught.value.problem.rule == "anchor"


@pytest.mark.parametrize(
    ("raw", "line", "words"),
    [
        (b"a: 1\nb: \xff\n", 2, "UTF-8"),
        (b"a: 1\n\x00\x01", 2, "binary"),
        (b"a" * (yamlread.MAX_BYTES + 1), 1, "limit"),
    ],
)
def test_bytes_that_are_not_yaml_text_are_refused(raw: bytes, line: int, words: str) -> None:
    with pytest.raises(yamlread.YamlError) as caught:
        yamlread.read("f.yaml", raw)
    assert caught.value.problem.line == line
    assert words in caught.value.problem.message


def test_empty_file_is_none() -> None:
    assert yamlread.parse("f.yaml", "")[0] is None
