"""Load a pathway pack from YAML into models, reporting every problem at its file, line and column.

A pack is a folder: one pathway per `*.yaml` file at its top, and the shared directory
(`directory/facts.yaml`, `contacts.yaml`, `services.yaml`, `steps.yaml`, `eligibility.yaml`,
`policy.yaml`)
that pathways reference by id. The pack that ships with ms-navigator is found beside the
package's modules (in a clone, the repository's `pathways/`), so an installed tool works from
any folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from ms_navigator import model
from ms_navigator.errors import PackError
from ms_navigator.packfiles import LOCAL_CONTACTS_ENV, display_path, local_contacts_file, pack_files

if TYPE_CHECKING:  # the full load's modules: imported by the functions that read files, so
    # that `start` with the shipped pack (built from its data, `packdata`) never imports them
    from pydantic_core import ErrorDetails

    from ms_navigator import yamlread
    from ms_navigator.problems import Level, Problem

M = TypeVar("M", bound=BaseModel)

DIRECTORY_SCHEMAS: dict[str, type[BaseModel]] = {  # which are required: packfiles
    "sources.yaml": model.SourcesFile,
    "facts.yaml": model.FactsFile,
    "contacts.yaml": model.ContactsFile,
    "services.yaml": model.ServicesFile,
    "steps.yaml": model.StepsFile,
    "eligibility.yaml": model.EligibilityTable,
    "policy.yaml": model.PolicyFile,
    "invariants.yaml": model.InvariantsFile,
}
_CONDITION_MEMBERS = {"FactIn", "Known", "AllOf", "AnyOf", "NotOf"}
_FIELD_NAMES = sorted(
    {name for m in vars(model).values() if isinstance(m, type) and issubclass(m, BaseModel)
     for name, f in m.model_fields.items() for name in (f.alias or name,)}
)


@dataclass
class SourceIndex:
    """Where each loaded item came from, so that later checks can point at its line."""

    maps: dict[str, yamlread.SourceMap] = field(default_factory=dict)
    where: dict[tuple[str, str], tuple[str, tuple[Any, ...]]] = field(default_factory=dict)

    def locate(self, kind: str, item: str, *sub: Any) -> tuple[str, int, int]:
        """Return (path, line, column) of an item, or of a key below it."""
        path, loc = self.where[(kind, item)]
        line, col = self.maps[path].at(loc + sub)
        return path, line, col

    def problem(self, kind: str, item: str, sub: tuple[Any, ...], rule: str, message: str,
                level: Level | None = None) -> Problem:
        """Return a Problem located at an item (or a key below it): an error unless `level`."""
        from ms_navigator.problems import Level, Problem

        path, line, col = self.locate(kind, item, *sub)
        return Problem(path, line, col, rule, level or Level.ERROR, message)


@dataclass
class LoadResult:
    """A pack (None if it could not be built) and every problem found on the way.

    Loaded with `salvage=True`, a pack with errors still gives `partial`: the pack built from
    every file, and every item of a file, that could be read, so that `lint` checks the rest
    in the same run; `unchecked` names what was left out (by kind; None: every id of the kind).
    """

    pack: model.Pack | None
    problems: list[Problem]
    index: SourceIndex
    partial: model.Pack | None = None
    unchecked: dict[str, set[str] | None] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        from ms_navigator.problems import Level

        return [p for p in self.problems if p.level is Level.ERROR]


def shipped_pack_dir() -> Path:
    """Return the folder of the pathways that ship inside the package (or the repo, in dev)."""
    here = Path(__file__).resolve().parent  # not importlib.resources: it imports zipfile and
    packaged = here / "pathways"  # tempfile, for a package that is always a folder here
    if packaged.is_dir():
        return packaged
    return here.parents[1] / "pathways"


def read_data(path: Path, root: Path | None = None) -> tuple[Any, yamlread.SourceMap]:
    """Read one YAML file; raise yamlread.YamlError for anything unreadable.

    The file must be a regular file no larger than yamlread.MAX_BYTES and, when `root` is
    given, inside that folder once links are followed (safeio.read_file): a link out of a pack,
    a FIFO or a device is a `file-refused` problem that quotes nothing of what it points at.
    """
    from ms_navigator import ruleids, safeio, yamlread
    from ms_navigator.problems import Level, Problem

    shown = display_path(path)
    if path.is_dir():
        raise yamlread.YamlError(Problem(shown, 1, 1, ruleids.FILE, Level.ERROR,
                                         "this is a folder, not a YAML file."))
    try:
        raw = safeio.read_file(path, yamlread.MAX_BYTES, root, "YAML file")
    except safeio.RefusedFile as err:
        message = str(err).split(": ", 1)[-1]
        at = (1, 1) if err.rule == ruleids.FILE_TOO_LARGE else (0, 0)
        raise yamlread.YamlError(Problem(shown, *at, err.rule, Level.ERROR, message)) from None
    except FileNotFoundError:
        raise yamlread.YamlError(Problem(shown, 0, 0, ruleids.FILE, Level.ERROR,
                                         "no such file; check the path.")) from None
    except OSError as err:
        raise yamlread.YamlError(Problem(shown, 0, 0, ruleids.FILE, Level.ERROR,
                                         f"cannot read the file: {err.strerror}.")) from None
    return yamlread.read(shown, raw, positions=False)  # found again only where a problem is


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (a true/false value; quote it to make it text)"
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _walk(data: Any, loc: tuple[Any, ...]) -> tuple[tuple[Any, ...], Any, bool]:
    """Follow a pydantic error location through the data; skip union tags it inserts."""
    real: list[Any] = []
    node = data
    for part in loc:
        if part in _CONDITION_MEMBERS:
            return tuple(real), node, True
        if (isinstance(node, dict) and part in node) \
                or (isinstance(node, list) and isinstance(part, int) and part < len(node)):
            node = node[part]
            real.append(part)
    return tuple(real), node, False


def _message(err: ErrorDetails, value: Any, name: str) -> str:
    kind, ctx = err["type"], err.get("ctx") or {}
    where = f"'{name}': " if name else ""
    if kind == "unknown_source":
        return f"{where}{err['msg']}."
    if kind == "missing":
        return f"missing required key '{name}'."
    if kind == "extra_forbidden":
        import difflib

        close = difflib.get_close_matches(str(name), _FIELD_NAMES, n=1)
        hint = f" Did you mean '{close[0]}'?" if close else " Remove it or check the spelling."
        return f"unknown key '{name}'.{hint}"
    if kind == "union_tag_invalid":
        return f"unknown node type '{ctx.get('tag')}': use one of {ctx.get('expected_tags')}."
    if kind == "union_tag_not_found":
        return "missing 'type': say which kind of node this is (question, step, info, services, branch, goto or end)."
    if kind == "string_pattern_mismatch":
        if name == "section":
            return f"{where}{_describe(value)} is not a protocol section: write it like \"4.2.1\" (in quotes)."
        return f"{where}{_describe(value)} is not a valid id: use lower-case letters, digits, '-' and '_'."
    if kind in ("too_short", "string_too_short"):
        return f"{where}must not be empty."
    if kind == "literal_error" or kind == "enum":
        return f"{where}got {_describe(value)}; expected one of: {ctx.get('expected')}."
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"{where}expected a date written YYYY-MM-DD, got {_describe(value)}."
    if kind in ("string_type", "bool_type", "int_type", "dict_type", "list_type", "model_type",
                "bool_parsing"):
        expected = {"string_type": "text", "bool_type": "true or false", "bool_parsing": "true or false",
                    "int_type": "a whole number", "dict_type": "a mapping (key: value)",
                    "list_type": "a list", "model_type": "a mapping (key: value)"}[kind]
        return f"{where}expected {expected}, got {_describe(value)}."
    return f"{where}{err['msg']}."


def validation_problems(path: str, err: ValidationError, data: Any,
                        smap: yamlread.SourceMap) -> list[Problem]:
    """Translate pydantic's errors into located, plain-English problems (never echoing input)."""
    from ms_navigator import ruleids
    from ms_navigator.problems import Level, Problem

    found: dict[tuple[int, int, str], Problem] = {}
    for item in err.errors(include_url=False, include_input=False):
        real, value, in_condition = _walk(data, tuple(item["loc"]))
        name = str(item["loc"][-1]) if item["loc"] else ""
        if in_condition:
            message = ("not a valid condition: write {fact: NAME, in: [VALUES]}, {known: NAME}, "
                       "{all: [...]}, {any: [...]} or {not: {...}}.")
        else:
            message = _message(item, value, name)
        line, col = smap.at(real, key=item["type"] == "extra_forbidden")
        rule = ruleids.UNKNOWN_SOURCE if item["type"] == "unknown_source" else ruleids.SCHEMA
        found.setdefault((line, col, message), Problem(path, line, col, rule, Level.ERROR, message))
    return list(found.values())


def validate_file(path: Path, schema: type[M], sources: dict[str, str] | None = None,
                  root: Path | None = None) -> tuple[M | None, list[Problem], yamlread.SourceMap]:
    """Read and validate one file against a model; return the model or None, and problems.

    With `sources` (id to the name a user reads), every citation is checked against the
    register and turned into the words a user reads (`model.cite`). `root`: the folder the
    file must be inside once links are followed (see read_data).
    """
    result, problems, smap, _ = _validate(path, schema, sources, root)
    return result, problems, smap


def _context(sources: dict[str, str] | None) -> dict[str, Any] | None:
    """Return the validation context that turns citations into the words a user reads."""
    return {model.SOURCES_CONTEXT: sources} if sources is not None else None


def _validate(path: Path, schema: type[M], sources: dict[str, str] | None = None,
              root: Path | None = None) -> tuple[M | None, list[Problem], yamlread.SourceMap, Any]:
    """Return what `validate_file` does, and the data read (None when unreadable)."""
    from ms_navigator import ruleids, yamlread
    from ms_navigator.problems import Level, Problem

    try:
        data, smap = read_data(path, root)
    except yamlread.YamlError as err:
        return None, [err.problem], yamlread.SourceMap(), None
    shown = display_path(path)
    if not isinstance(data, dict):
        what = "empty" if data is None else f"{_describe(data)}, not a mapping"
        return None, [Problem(shown, 1, 1, ruleids.SCHEMA, Level.ERROR,
                              f"the file is {what}: it must be a mapping of keys "
                              f"({', '.join(schema.model_fields)}).")], smap, data
    try:
        return (_share_fields_sets(schema.model_validate(data, context=_context(sources))),
                [], smap, data)
    except ValidationError as err:
        return None, validation_problems(shown, err, data, smap), smap, data


def _share_fields_sets(root: M) -> M:
    """Return `root` with every model in it holding one shared set of the fields given for
    each combination met, not a set of its own.

    pydantic keeps a set of the fields given in each instance it validates; for small
    models that set is most of their memory (about 460 bytes of a node's 700), and a pack of
    100,000 nodes held 90 MB of them. The models are frozen, and pydantic copies the set
    before changing it (`model_copy`), so sharing it changes nothing a reader can see."""
    shared: dict[frozenset[str], set[str]] = {}
    todo: list[Any] = [root]
    setattr_ = object.__setattr__
    while todo:
        item = todo.pop()
        if isinstance(item, BaseModel):
            given = item.__pydantic_fields_set__
            setattr_(item, "__pydantic_fields_set__", shared.setdefault(frozenset(given), given))
            todo.extend(item.__dict__.values())
        elif isinstance(item, (list, tuple)):
            todo.extend(item)
        elif isinstance(item, dict):
            todo.extend(item.values())
    return root


_ITEMS: dict[type[BaseModel], tuple[str, str]] = {
    model.FactsFile: ("facts", "fact"), model.ContactsFile: ("contacts", "contact"),
    model.ServicesFile: ("services", "service"), model.StepsFile: ("steps", "step"),
    model.InvariantsFile: ("invariants", "invariant"), model.Pathway: ("nodes", "node"),
    model.SourcesFile: ("sources", "source"),
}
"""Files made of a list of items: the key of the list, and the kind of item it holds."""
_WHOLE_KINDS: dict[type[BaseModel], str] = {model.Pathway: "pathway",
                                            model.EligibilityTable: "table"}


def _salvage(schema: type[M], data: Any, smap: yamlread.SourceMap, path: Path,
             unchecked: dict[str, set[str] | None],
             sources: dict[str, str] | None = None) -> tuple[M | None, yamlread.SourceMap]:
    """Return a file that failed validation without its broken items (and unknown keys), with
    the source map renumbered to match; or None when that does not validate either. Record in
    `unchecked` the ids of whatever is left out, so that no reference to them is reported."""
    key, kind = _ITEMS.get(schema, ("", ""))
    items = data.get(key) if isinstance(data, dict) else None
    if isinstance(items, list):
        locs: list[tuple[Any, ...]] = []
        try:
            schema.model_validate(data, context=_context(sources))
        except ValidationError as err:
            locs = [tuple(e["loc"]) for e in err.errors(include_url=False, include_input=False)]
        bad = {loc[1] for loc in locs if len(loc) > 1 and loc[0] == key and isinstance(loc[1], int)}
        kept = [i for i in range(len(items)) if i not in bad]
        names = {f.alias or n for n, f in schema.model_fields.items()}
        cleaned = {k: v for k, v in data.items() if k in names}
        cleaned[key] = [items[i] for i in kept]
        try:
            result = schema.model_validate(cleaned, context=_context(sources))
        except ValidationError:
            result = None
        if result is not None:
            for i in sorted(bad):
                ident = items[i].get("id") if isinstance(items[i], dict) else None
                _leave_out(unchecked, kind, ident)
            return result, smap.renumbered(key, kept)
        _leave_out(unchecked, kind, None)
    whole = _WHOLE_KINDS.get(schema)
    if whole is not None:
        ident = data.get("id") if isinstance(data, dict) else None
        _leave_out(unchecked, whole, ident)
        if whole == "pathway":
            _leave_out(unchecked, whole, path.stem)
    return None, smap


def _leave_out(unchecked: dict[str, set[str] | None], kind: str, ident: Any) -> None:
    """Record that an item of a kind (every item of it, when its id is unknown) was left out."""
    if not isinstance(ident, str):
        unchecked[kind] = None
    elif unchecked.setdefault(kind, set()) is not None:
        unchecked[kind].add(ident)  # type: ignore[union-attr]


def pack_of(path: Path) -> Path | None:
    """Return the pack folder a path belongs to: the folder itself, or the pack holding a file
    at its top or in its `directory/` or `scenarios/`; None when the path is in no pack.

    A pack is recognised by its layout: a folder with a `directory/` folder inside.
    """
    folder = path if path.is_dir() else path.parent
    if folder.name in ("directory", "scenarios") and not (folder / "directory").is_dir():
        folder = folder.parent
    return folder if (folder / "directory").is_dir() else None


def load_pack(directory: Path | None = None, *, salvage: bool = False) -> LoadResult:
    """Load every file of a pack; return what could be built and every problem, never raising.

    With `salvage`, a pack with errors also gives the partial pack of what could be read,
    with its references checked (see LoadResult)."""
    from ms_navigator import collector, ruleids
    from ms_navigator.problems import Level, Problem

    root = directory or shipped_pack_dir()
    index = SourceIndex()
    problems: list[Problem] = []
    if not root.is_dir():
        problems.append(Problem(display_path(root), 0, 0, ruleids.FILE, Level.ERROR,
                                "no such pathway folder; check the path."))
        return LoadResult(None, problems, index)
    with collector.paused():  # many small objects and no cycles: collecting only costs time
        return _load(root, index, problems, salvage)


def _load(root: Path, index: SourceIndex, problems: list[Problem], salvage: bool) -> LoadResult:
    """Return what `load_pack` does for a pack folder that exists."""
    from ms_navigator import integrity
    from ms_navigator.problems import Level

    unchecked: dict[str, set[str] | None] | None = {} if salvage else None
    shared_files, pathway_files = pack_files(root)
    local = local_contacts_file()
    register_file, *other_files = [p for p in shared_files if p != local]
    sources = _load_into(register_file, model.SourcesFile, index, problems, root=root,
                         unchecked=unchecked)
    cited = register(sources[0])
    directory_files: dict[str, tuple[Any, str]] = {"sources.yaml": sources}
    directory_files.update(
        {path.name: _load_into(path, DIRECTORY_SCHEMAS[path.name], index, problems, cited,
                               root, unchecked)
         for path in other_files})
    if local is not None:
        # The local contacts file is the user's own, outside the pack: read as any file.
        directory_files[LOCAL_CONTACTS_ENV] = _load_into(local, model.ContactsFile, index,
                                                         problems, cited, unchecked=unchecked)
    pathways = [_load_into(file, model.Pathway, index, problems, cited, root, unchecked)
                for file in pathway_files]
    broken = any(p.level is Level.ERROR for p in problems)
    if broken and unchecked is None:  # check references only in valid files
        return LoadResult(None, problems, index)
    pack = _assemble(directory_files, [p for p in pathways if p[0] is not None], index, problems)
    if pack is None:
        return LoadResult(None, problems, index)
    problems.extend(integrity.check(pack, index))
    if broken or any(p.level is Level.ERROR for p in problems):
        return LoadResult(None, problems, index, pack if unchecked is not None else None,
                          unchecked or {})
    return LoadResult(pack, problems, index)


def register(sources: model.SourcesFile | None) -> dict[str, str] | None:
    """Return each source id and the name a user reads before its pinpoint.

    None when the register itself could not be read: its problems already stop the load, and
    checking every citation against nothing would only bury them.
    """
    return {s.id: s.shown for s in sources.sources} if sources is not None else None


def _load_into(path: Path, schema: type[M], index: SourceIndex, problems: list[Problem],
               sources: dict[str, str] | None = None,
               root: Path | None = None,
               unchecked: dict[str, set[str] | None] | None = None) -> tuple[M | None, str]:
    """Validate a file into the index; with `unchecked` (salvage), keep what can be read."""
    result, found, smap, data = _validate(path, schema, sources, root)
    if result is None and unchecked is not None:
        result, smap = _salvage(schema, data, smap, path, unchecked, sources)
    shown = display_path(path)
    index.maps[shown] = smap
    problems.extend(found)
    return result, shown


def _register(index: SourceIndex, kind: str, path: str, items: list[Any], key: str,
              prefix: str = "") -> Iterator[Problem]:
    """Record where each item is; report an id already used (the first definition wins)."""
    from ms_navigator import ruleids
    from ms_navigator.problems import Level, Problem

    for i, item in enumerate(items):
        ident = prefix + item.id
        if (kind, ident) in index.where:
            first, line_col = index.locate(kind, ident), index.maps[path].at((key, i, "id"))
            yield Problem(path, *line_col, ruleids.DUPLICATE_ID, Level.ERROR,
                          f"the {kind} id '{item.id}' is already defined at {first[0]}:{first[1]}; "
                          "ids must be unique.")
        else:
            index.where[(kind, ident)] = (path, (key, i))


def _assemble(directory_files: dict[str, tuple[Any, str]], pathways: list[tuple[Any, str]],
              index: SourceIndex, problems: list[Problem]) -> model.Pack | None:
    """Key every item by id and record where it came from (the first of duplicates wins).

    A directory file that could not be read (salvage) counts as one with no items; without
    the policy there is no pack (None)."""
    from ms_navigator import ruleids
    from ms_navigator.problems import Level, Problem

    lists: dict[str, list[Any]] = {}
    for name, key, kind in (("facts.yaml", "facts", "fact"), ("contacts.yaml", "contacts", "contact"),
                            ("services.yaml", "services", "service"), ("steps.yaml", "steps", "step"),
                            ("invariants.yaml", "invariants", "invariant")):
        loaded, path = directory_files.get(name, (None, ""))
        lists[key] = getattr(loaded, key) if loaded is not None else []
        problems.extend(_register(index, kind, path, lists[key], key))
    table, table_path = directory_files["eligibility.yaml"]
    sources, sources_path = directory_files.get("sources.yaml", (None, ""))
    source_list = sources.sources if sources is not None else []
    problems.extend(_register(index, "source", sources_path, source_list, "sources"))
    local, local_path = directory_files.get(LOCAL_CONTACTS_ENV, (None, ""))
    if local is not None:
        lists["contacts"] = _override(lists["contacts"], local.contacts, local_path, index,
                                      problems)
    if table is not None:
        index.where[("table", table.id)] = (table_path, ())
    policy, policy_path = directory_files.get("policy.yaml", (None, ""))
    if policy is None:  # salvage: without the policy there is no pack to check
        return None
    index.where[("policy", "policy")] = (policy_path, ("policy",))
    for pathway, path in pathways:
        if ("pathway", pathway.id) in index.where:
            first = index.where[("pathway", pathway.id)][0]
            problems.append(Problem(path, *index.maps[path].at(("id",)), ruleids.DUPLICATE_ID,
                                    Level.ERROR, f"the pathway id '{pathway.id}' is already used "
                                    f"by {first}; ids must be unique."))
            continue
        index.where[("pathway", pathway.id)] = (path, ())
        problems.extend(_register(index, "node", path, pathway.nodes, "nodes", f"{pathway.id}/"))
    return model.Pack(
        facts=_by_id(lists["facts"]),
        contacts=_by_id(lists["contacts"]),
        services=_by_id(lists["services"]),
        steps=_by_id(lists["steps"]),
        tables={table.id: table} if table is not None else {},
        policy=policy.policy,
        pathways=_by_id([p for p, _ in pathways]),
        files=_by_id_path(pathways),
        invariants=_by_id(lists["invariants"]),
        sources=_by_id(source_list),
    )


def _override(shipped: list[model.Contact], local: list[model.Contact], path: str,
              index: SourceIndex, problems: list[Problem]) -> list[model.Contact]:
    """Return the shipped contacts with each local entry in place of the one with its id.

    A local id the pack does not have is an error (a typo would otherwise leave the shipped
    number in use without anyone noticing); each replaced contact is then located in the local
    file, so lint's contact checks point there.
    """
    from ms_navigator import ruleids
    from ms_navigator.problems import Level, Problem

    by_id = {c.id: c for c in shipped}
    for i, contact in enumerate(local):
        if contact.id not in by_id:
            problems.append(Problem(path, *index.maps[path].at(("contacts", i, "id")),
                                    ruleids.UNKNOWN_CONTACT, Level.ERROR,
                                    f"the local contact '{contact.id}' replaces nothing: the pack "
                                    "has no contact with that id."))
            continue
        by_id[contact.id] = contact
        index.where[("contact", contact.id)] = (path, ("contacts", i))
    return list(by_id.values())


def _by_id(items: list[Any]) -> dict[str, Any]:
    """Key items by id in file order; the first of duplicates wins (integrity reports the rest)."""
    keyed: dict[str, Any] = {}
    for item in items:
        keyed.setdefault(item.id, item)
    return keyed


def _by_id_path(pathways: list[tuple[Any, str]]) -> dict[str, str]:
    keyed: dict[str, str] = {}
    for pathway, path in pathways:
        keyed.setdefault(pathway.id, path)
    return keyed


def load_pack_or_raise(directory: Path | None = None) -> model.Pack:
    """Return the checked pack, or raise PackError with every problem found.

    The shipped pack (no folder given) comes from the data checked and written beside the
    code (`packdata`) while its files are the ones that data was made from; any edited file
    means a full load and check. A folder given by path is always loaded and checked in full.
    `lint` calls `load_pack`, never this, so it always checks in full.
    """
    if directory is None:
        from ms_navigator import packdata

        shipped = packdata.read(shipped_pack_dir())
        if shipped is not None:
            return shipped
    result = load_pack(directory)
    if result.pack is None:
        raise PackError(result.errors or result.problems)
    return result.pack
