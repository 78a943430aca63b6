"""Safe YAML reading: plain data plus a map from each key path to its line and column.

The reader walks the event stream of the C parser (when present) and builds the data itself,
iteratively, so that it can refuse what makes YAML dangerous or surprising before it is built:
anchors and aliases (alias bombs), tags (arbitrary objects), deep nesting (the C composer
recurses and can crash the interpreter), duplicate keys (silently lost otherwise), and YAML 1.1
booleans (`yes`/`no`/`on`/`off` stay text, so `under_18: yes` means the string "yes").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

from ms_navigator import ruleids, safeio

if TYPE_CHECKING:  # made only for a file that cannot be read: `start --answers` reads a good
    from ms_navigator.problems import Problem  # answers file without defining them

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40
MAX_NODES = 500_000

Loc = tuple[Any, ...]

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc]
    """The safe loader with YAML 1.2 booleans: only true/false are booleans."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@dataclass
class SourceMap:
    """Positions (1-based line, column) of every key and value, by path from the document root."""

    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def at(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Return the best position for `loc`: the nearest enclosing path that has one."""
        for end in range(len(loc), -1, -1):
            part = loc[:end]
            first, second = (self.keys, self.values) if key else (self.values, self.keys)
            if part in first:
                return first[part]
            if part in second:
                return second[part]
        return (1, 1)

    def renumbered(self, key: Any, kept: list[int]) -> SourceMap:
        """Return the map of the same data with only the items `kept` of the list at `key`
        (in that order), so that positions still point into the original file."""
        new_index = {old: new for new, old in enumerate(kept)}

        def move(table: dict[Loc, tuple[int, int]]) -> dict[Loc, tuple[int, int]]:
            moved: dict[Loc, tuple[int, int]] = {}
            for loc, pos in table.items():
                if len(loc) > 1 and loc[0] == key and isinstance(loc[1], int):
                    if loc[1] in new_index:
                        moved[(key, new_index[loc[1]]) + loc[2:]] = pos
                else:
                    moved[loc] = pos
            return moved

        return SourceMap(move(self.keys), move(self.values))


class DeferredSourceMap(SourceMap):
    """The positions of a file read without them (`read(..., positions=False)`), found by
    reading its text again the first time one is asked for: only a file with a problem to
    point at pays for them, in time and in memory."""

    def __init__(self, path: str, text: str) -> None:
        super().__init__()
        self._source: tuple[str, str] | None = (path, text)

    def at(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        if self._source is not None:
            path, text = self._source
            self._source = None
            full = parse(path, text)[1]
            self.keys, self.values = full.keys, full.values
        return super().at(loc, key=key)


class YamlError(Exception):
    """The file cannot be read as safe YAML; `problem` says where and why."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


def _problem(path: str, line: int, col: int, rule: str, message: str) -> YamlError:
    from ms_navigator.problems import Level, Problem

    return YamlError(Problem(path, line, col, rule, Level.ERROR, message))


def decode(path: str, raw: bytes) -> str:
    """Return the text of a file's bytes, or raise YamlError for binary or non-UTF-8 content."""
    if len(raw) > MAX_BYTES:
        return _raise(path, 1, 1, ruleids.FILE_TOO_LARGE,
                      f"the file is {len(raw):,} bytes; the limit is {MAX_BYTES:,}. Split it up.")
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        return _raise(path, line, 1, ruleids.ENCODING, "the file holds binary data (a NUL byte), not text.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        col = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        return _raise(path, line, col, ruleids.ENCODING,
                      "the file is not valid UTF-8 text; save it as UTF-8.")


def _raise(path: str, line: int, col: int, rule: str, message: str) -> str:
    raise _problem(path, line, col, rule, message)


def _mark(event: Any) -> tuple[int, int]:
    return (event.start_mark.line + 1, event.start_mark.column + 1)


def _syntax_message(err: yaml.MarkedYAMLError, source: str) -> str:
    text = " ".join(str(p) for p in (err.context, err.problem) if p)
    mark = err.problem_mark
    if mark is not None:
        lines = source.splitlines()
        line = lines[mark.line] if mark.line < len(lines) else ""
        if "\t" in line[: mark.column + 1]:
            text += " (a tab: indent with spaces, not tabs)"
    return f"YAML syntax: {text}."


class _Builder:
    """Builds plain data from parser events, recording positions and refusing unsafe YAML."""

    def __init__(self, path: str, loader: Any, positions: bool = True) -> None:
        self.path = path
        self.loader = loader
        self.positions = positions
        self.smap = SourceMap()
        self.stack: list[list[Any]] = []  # [container, loc, pending_key, key_pos, start_event]
        self.root: Any = None
        self.count = 0

    def fail(self, event: Any, rule: str, message: str) -> YamlError:
        line, col = _mark(event)
        return _problem(self.path, line, col, rule, message)

    def check_plain(self, event: Any) -> None:
        if getattr(event, "anchor", None):
            raise self.fail(event, ruleids.ANCHOR, "anchors (&name) and aliases (*name) are not "
                            "allowed in pathway files: write the content out in full.")
        tag = getattr(event, "tag", None)
        if tag not in (None, "!"):
            raise self.fail(event, ruleids.TAG, f"YAML tags such as '{safeio.excerpt(str(tag))}' are not allowed: "
                            "remove the tag and write plain data.")

    def check_text(self, event: Any) -> None:
        """Refuse a control character in any text (written as an escape such as "\\e" or
        "\\x1b" in a quoted string): printed, it could move the cursor, clear the screen or
        forge a lint line. The message names it by code point, never by itself."""
        index = safeio.has_control(event.value)
        if index >= 0:
            raise self.fail(event, ruleids.ENCODING, f"the text holds a control character "
                            f"(U+{ord(event.value[index]):04X}); remove it. Only tabs and line "
                            "breaks are allowed.")

    def child_loc(self) -> Loc:
        if not self.stack or not self.positions:
            return ()
        container, loc, pending = self.stack[-1][:3]
        here: Loc = loc
        return here + ((len(container),) if isinstance(container, list) else (pending,))

    def attach(self, value: Any, event: Any) -> None:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(event, ruleids.FILE_TOO_LARGE, f"more than {MAX_NODES:,} values; split the file.")
        if not self.stack:
            self.root = value
            if self.positions:
                self.smap.values[()] = _mark(event)
            return
        top = self.stack[-1]
        container = top[0]
        if not self.positions:  # the same checks, nothing recorded (see DeferredSourceMap)
            if isinstance(container, list):
                container.append(value)
            elif top[2] is _NO_KEY:
                if isinstance(value, (dict, list)) or value in container:
                    raise _NeedPositions  # read again with positions, to say where
                top[2] = value
            else:
                container[top[2]] = value
                top[2] = _NO_KEY
            return
        pos = _mark(event)
        loc = top[1]
        if isinstance(container, list):
            self.smap.values[loc + (len(container),)] = pos
            container.append(value)
        elif top[2] is _NO_KEY:
            if isinstance(value, (dict, list)):
                raise self.fail(event, ruleids.SYNTAX, "a key must be plain text, not a list or mapping.")
            if value in container:
                first = self.smap.keys[loc + (value,)]
                raise self.fail(event, ruleids.DUPLICATE_KEY,
                                f"the key '{safeio.excerpt(str(value))}' appears twice in this "
                                f"mapping (first at line {first[0]}); keep one.")
            top[2], top[3] = value, pos
        else:
            key = top[2]
            self.smap.keys[loc + (key,)] = top[3]
            self.smap.values[loc + (key,)] = pos
            container[key] = value
            top[2] = _NO_KEY

    def scalar(self, event: Any) -> Any:
        value = event.value
        # Most scalars are text: quoted, or plain starting with a character that no implicit
        # resolver (number, null, bool, date) claims. The resolver would give them the str tag,
        # so skip its regex matching and node construction, which dominate large files.
        if not event.implicit[0] or (value and value[0] not in _CLAIMED_FIRST):
            return value
        tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return self.loader.construct_object(node)
        except (ValueError, yaml.YAMLError):
            raise self.fail(event, ruleids.SYNTAX, f"'{safeio.excerpt(event.value)}' is not a valid value of its kind "
                            "(for a date use YYYY-MM-DD); quote it if it is meant as text.") from None

    def open(self, container: Any, event: Any) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise self.fail(event, ruleids.TOO_DEEP, f"nesting deeper than {MAX_DEPTH} levels; "
                            "pathway files never need this.")
        self.stack.append([container, self.child_loc(), _NO_KEY, None, event])

    def close(self) -> None:
        container, _, _, _, start_event = self.stack.pop()
        self.attach(container, start_event)


_NO_KEY = object()
_CLAIMED_FIRST: frozenset[Any] = (
    frozenset(k for k, found in _Loader.yaml_implicit_resolvers.items() if found)
    if not _Loader.yaml_implicit_resolvers.get(None)  # a wildcard resolver claims every scalar
    else frozenset(chr(c) for c in range(0x110000))
)
"""First characters of the plain scalars that an implicit resolver may read as non-text."""


LIBRARY_RETRIES = 4
"""How many times a refusal by the YAML library is narrowed down to an earlier rule of ours."""


def parse(path: str, text: str, positions: bool = True) -> tuple[Any, SourceMap]:
    """Return the data in `text` and its source map, or raise YamlError naming the place.

    Without `positions` the map is a DeferredSourceMap, found only if a position is asked for;
    a problem is always found with positions, so that it says where it is.

    The reader's own rules (depth, size, anchors, tags, duplicate keys) decide, whichever
    release of the YAML library is installed: a library that refuses the text first (libyaml
    0.2.6 caps nesting at 1,000 while scanning ahead) is asked again about the text before the
    place it refused, and where one of our rules fires there, ours is the problem reported.
    """
    try:
        if not positions:
            try:
                return _parse(path, text, positions=False)[0], DeferredSourceMap(path, text)
            except (_NeedPositions, YamlError, _LibraryRefusal):
                pass  # said again below, with its place
        return _parse(path, text)
    except _LibraryRefusal as refusal:
        first = refusal.error
        for _ in range(LIBRARY_RETRIES):
            if refusal.index is None or refusal.index <= 0:
                break
            try:
                _parse(path, text[: refusal.index])
            except _LibraryRefusal as earlier:
                if earlier.index is None or earlier.index >= refusal.index:
                    break
                refusal = earlier
                continue
            except YamlError as ours:
                if ours.problem.rule != ruleids.SYNTAX:  # a cut text ends badly: only our rules count
                    raise ours from None
            break
        raise first from None


class _NeedPositions(Exception):
    """A reading without positions met a problem whose message needs them."""


class _LibraryRefusal(Exception):
    """The YAML library refused the text: its problem, and the offset where it stopped reading."""

    def __init__(self, error: YamlError, index: int | None) -> None:
        self.error = error
        self.index = index


def _parse(path: str, text: str, positions: bool = True) -> tuple[Any, SourceMap]:
    loader = _Loader(text)
    builder = _Builder(path, loader, positions)
    # A control character reaches a value only written as an escape (a backslash in a
    # double-quoted string) or as itself: a text with neither has none in any value, and
    # its scalars (most of the events) need no look each.
    escapes = "\\" in text or safeio.has_control(text) >= 0
    documents = 0
    # Looked up once, not at each of the file's events (a large pack has millions).
    next_event, attach, scalar = loader.get_event, builder.attach, builder.scalar
    scalar_event, mapping_start = yaml.ScalarEvent, yaml.MappingStartEvent
    starts = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    try:
        while True:
            event = next_event()
            kind = type(event)  # most events are scalars: test for them first, by identity
            if kind is scalar_event:
                if event.anchor or event.tag not in (None, "!"):
                    builder.check_plain(event)  # says which
                if escapes:
                    builder.check_text(event)
                attach(scalar(event), event)
            elif kind in starts:
                builder.check_plain(event)
                builder.open({} if kind is mapping_start else [], event)
            elif kind in ends:
                builder.close()
            elif event is None or kind is yaml.StreamEndEvent:
                break
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise builder.fail(event, ruleids.SYNTAX, "more than one YAML document ('---'); "
                                       "keep one document per file.")
            elif kind is yaml.AliasEvent:
                raise builder.fail(event, ruleids.ANCHOR, "aliases (*name) are not allowed in "
                                   "pathway files: write the content out in full.")
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = _problem(path, line, col, ruleids.SYNTAX, _syntax_message(err, text))
        raise _LibraryRefusal(problem, _offset(text, mark)) from None
    except yaml.YAMLError as err:
        raise _LibraryRefusal(_problem(path, 1, 1, ruleids.SYNTAX, f"YAML syntax: {err}"), None) from None
    finally:
        loader.dispose()
    return builder.root, builder.smap


def _offset(text: str, mark: Any) -> int | None:
    """Return the character offset of a library mark, or None when it does not fit the text."""
    index = getattr(mark, "index", None)
    if not isinstance(index, int) or not 0 <= index <= len(text):
        return None
    return index if text.count("\n", 0, index) == mark.line else None


def read(path: str, raw: bytes, positions: bool = True) -> tuple[Any, SourceMap]:
    """Decode and parse a file's bytes; raise YamlError with a located problem."""
    return parse(path, decode(path, raw), positions)
