"""The shipped pack, checked once and kept as plain data beside the code: no cache, no re-check.

Loading the pack in full (YAML parsing, validation, reference checks) is most of what `start`
does before its first question that its libraries do not. The pack that ships with the
package never changes between runs, so it is checked when the suite runs, not on every run:
`python -m ms_navigator.writepack` loads and checks it in full and writes what it holds to
`shipped_pack.json` in the package, with a SHA-256 of the name and bytes of every file it came
from; `tests/test_packdata.py` fails while that file is not what the YAML gives.

At run time `read()` hashes the shipped YAML files again and builds the pack from the data only
when the hash is the one recorded, so an edited pathway file is always loaded and checked in
full. The file is JSON, read with `json.loads` into models built without validation
(`model_construct`): it can describe a pack and nothing else (no pickle, no code), and it lives
inside the installed package, as trusted as the code beside it. Nothing is written at run time.
"""

from __future__ import annotations

import enum
import hashlib
import json
import types
import typing
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from ms_navigator import collector, model, packfiles

FORMAT = 2
"""Part of the hash: change it when the layout of the data file changes."""
DATA = Path(__file__).resolve().parent / "shipped_pack.json"
_ITEMS: dict[str, type[BaseModel]] = {"facts": model.Fact, "contacts": model.Contact, "services": model.Service,
          "steps": model.StepDef, "tables": model.EligibilityTable, "pathways": model.Pathway,
          "invariants": model.Invariant, "sources": model.SourceDef}
"""Each keyed collection of `model.Pack`, and the model of its items."""


def digest(root: Path) -> str:
    """Return the SHA-256 of the name and bytes of every file the loader reads from a pack."""
    found = hashlib.sha256(f"ms-navigator pack data, format {FORMAT}\0".encode())
    directory, pathways = packfiles.pack_files(root)
    for path in [*directory, *pathways]:
        data = path.read_bytes()
        found.update(f"{path.relative_to(root).as_posix()}\0{len(data)}\0".encode() + data)
    return found.hexdigest()


def read(root: Path) -> model.Pack | None:
    """Return the pack in `root` from the data file if the data stands for its files as they
    are now; None otherwise (no data, another hash, or anything unreadable), for a full load."""
    try:
        with collector.paused():  # thousands of small objects and no cycles
            data = json.loads(DATA.read_bytes())
            if data.get("sha256") != digest(root):
                return None
            items = {name: {item.id: item for item in (build(cls, v) for v in data[name])}
                     for name, cls in _ITEMS.items()}
            files = {pid: packfiles.display_path(root / name) for pid, name in data["files"].items()}
            return model.Pack(**items, policy=build(model.Policy, data["policy"]), files=files)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def build(cls: type[BaseModel], data: dict[str, Any]) -> Any:
    """Return a model built from data that `model_dump` gave, without validating it again."""
    return _builders(cls)(data)


_BUILDERS: dict[type, Callable[[dict[str, Any]], Any]] = {}


def _builders(cls: type[BaseModel]) -> Callable[[dict[str, Any]], Any]:
    """Return the function that builds one model from its dumped data (made once per model).

    Every field is set, defaults included, and only those in the data count as set, as after
    validation. The instance is made as `model_construct` makes it (its `__dict__`, fields set,
    no extra, no private values) without its search of each field's aliases and defaults on
    every call, which was most of the time this takes; a model that needs more than that (a
    post-init hook, extra fields kept, a root model) goes through `model_construct` itself.
    """
    if cls not in _BUILDERS:
        fields: list[tuple[str, str, Callable[[Any], Any] | None, bool, Any, Any]] = []
        hints: dict[str, Any] | None = None
        for name, info in cls.model_fields.items():
            hint: Any = info.annotation
            if isinstance(hint, (str, typing.ForwardRef)):  # a model that refers to Condition
                hints = hints or typing.get_type_hints(cls)
                hint = hints[name]
            fields.append((info.alias or name, name, _convert(hint), info.is_required(),
                           info.default_factory, info.default))
        plain = (cls.__pydantic_post_init__ is None and not cls.__pydantic_root_model__
                 and cls.model_config.get("extra") != "allow")
        new, setattr_ = cls.__new__, object.__setattr__

        def make(data: dict[str, Any]) -> Any:
            values: dict[str, Any] = {}
            given = set()
            for key, name, convert, required, factory, default in fields:
                if key in data:
                    value = data[key]
                    values[name] = value if convert is None or value is None else convert(value)
                    given.add(name)
                elif not required:
                    values[name] = factory() if factory is not None else default
            if len(given) != len(data):
                raise KeyError(f"{cls.__name__}: {sorted(set(data) - {f[0] for f in fields})}")
            if not plain:
                return cls.model_construct(_fields_set=given, **values)
            made = new(cls)
            setattr_(made, "__dict__", values)
            setattr_(made, "__pydantic_fields_set__", given)
            setattr_(made, "__pydantic_extra__", None)
            setattr_(made, "__pydantic_private__", None)
            return made

        _BUILDERS[cls] = make
    return _BUILDERS[cls]


def _convert(hint: Any) -> Callable[[Any], Any] | None:
    """Return how to turn dumped data back into a field's type; None where JSON already is it."""
    origin, args = get_origin(hint), get_args(hint)
    if origin is Annotated:  # the constraints were checked when the data was made
        return _convert(args[0])
    if origin is Union or origin is types.UnionType:
        kinds = [a for a in args if a is not type(None)]
        if all(isinstance(k, type) and issubclass(k, BaseModel) for k in kinds):
            return _pick(kinds) if len(kinds) > 1 else _builders(kinds[0])  # `Model | None`
        [kind] = kinds  # `X | None`: None is kept as it is
        return _convert(kind)
    if origin is list or origin is dict:
        inner = _convert(args[-1])
        if inner is None:
            return None
        each = inner
        if origin is list:
            return lambda value: [each(v) for v in value]
        return lambda value: {k: each(v) for k, v in value.items()}
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        return _builders(hint)
    if hint is date:
        return date.fromisoformat
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint
    return None  # text, true/false, a literal


def _pick(kinds: list[type[BaseModel]]) -> Callable[[dict[str, Any]], Any]:
    """Return a builder for a union of models: nodes are told apart by `type`, conditions by
    their one required key (`fact`, `known`, `all`, `any`, `not`)."""
    by_key: dict[object, type[BaseModel]] = {}
    for kind in kinds:
        tag = kind.model_fields.get("type")
        if tag is not None and get_origin(tag.annotation) is Literal:
            by_key[("type", get_args(tag.annotation)[0])] = kind
        else:
            name, first = next(iter(kind.model_fields.items()))
            by_key[first.alias or name] = kind

    def make(data: dict[str, Any]) -> Any:
        kind = by_key.get(("type", data.get("type")))
        if kind is None:
            kind = next(by_key[key] for key in data if key in by_key)
        return _builders(kind)(data)

    return make
