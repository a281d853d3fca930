"""Convert parsed YAML into the model, collecting every type problem with its path."""

from __future__ import annotations

import contextlib
import datetime
import enum
import operator
import re
import types
import typing
from dataclasses import dataclass
from typing import Any

import msgspec

from stemcell_cli.errors import Problem
from stemcell_cli.model import SCHEMA_VERSION, Dataset
from stemcell_cli.names import did_you_mean

_NUMBER = re.compile(r"^[-+]?(\d[\d_]*\.?\d*|\.\d+)([eE][-+]?\d+)?$")


def convert_dataset(obj: Any, label: str) -> tuple[Dataset | None, list[Problem]]:
    """Return the dataset, or None with every schema problem found (paths, no lines yet)."""
    if obj is None:
        return None, [Problem(label, "the file holds no YAML document (empty or comments only)", line=1, column=1)]
    if not isinstance(obj, dict):
        kind = "a list" if isinstance(obj, list) else f"a {type(obj).__name__}"
        return None, [Problem(label, f"the top level must be a mapping with `schema_version:` and "
                                     f"`conditions:`; found {kind}", line=1, column=1)]
    try:
        dataset = msgspec.convert(obj, Dataset)
    except msgspec.ValidationError:
        return None, [Problem(label, message, path=path) for path, message in collect(obj, Dataset, "$")]
    if dataset.schema_version != SCHEMA_VERSION:
        return None, [Problem(label, f"schema_version {dataset.schema_version} is not supported "
                                     f"(this version reads {SCHEMA_VERSION})", path="$.schema_version")]
    return dataset, []


def collect(value: Any, annotation: Any, path: str) -> list[tuple[str, str]]:
    """Return (path, message) for every place where `value` does not fit `annotation`."""
    # msgspec decides whether a value fits; where and why are found here, from the annotation and the value's
    # type, so that no message depends on the wording of msgspec's own.
    try:
        msgspec.convert(value, annotation)
    except msgspec.ValidationError:
        pass
    else:
        return []
    # A container whose parts all fit (msgspec refused it for a reason of its own) is reported whole.
    return _collect_inside(value, annotation, path) or [(path, _explain(value, annotation))]


def _collect_inside(value: Any, annotation: Any, path: str) -> list[tuple[str, str]] | None:
    """Return the problems inside a record, list or mapping that has the right shape; None at a leaf."""
    if _is_struct(annotation) and isinstance(value, dict):
        return _collect_struct(value, annotation, path)
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated and not any(_broken(value, meta) for meta in _constraints(annotation)):
        return collect(value, args[0], path)
    if origin is dict and isinstance(value, dict) and len(args) == 2:
        return _collect_mapping(value, args[0], args[1], path)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis and isinstance(value, list):
        found: list[tuple[str, str]] = []
        for index, item in enumerate(value):
            found.extend(collect(item, args[0], f"{path}[{index}]"))
        return found
    if origin in (typing.Union, types.UnionType) and value is not None:
        non_null = [a for a in args if a is not type(None)]
        if len(non_null) == 1:
            return collect(value, non_null[0], path)
    return None


def _collect_mapping(value: dict[Any, Any], key_type: Any, item_type: Any, path: str) -> list[tuple[str, str]]:
    """Check each key and value of a mapping; a record's `printed` keys must name its number fields."""
    allowed = typing.get_args(key_type) if typing.get_origin(key_type) is typing.Literal else None
    found: list[tuple[str, str]] = []
    for key, item in value.items():
        if allowed is not None and key not in allowed:
            # A record's `printed` mapping: name the key that is none of its number fields, as for unknown fields.
            found.append((f"{path}.{key}", f"{key!r} is not one of this record's number fields "
                                           f"({', '.join(allowed)})"))
        elif allowed is None and collect(key, key_type, path):
            found.append((f"{path}.{key}", f"the key {key!r}: {_explain(key, key_type)}"))
        else:
            found.extend(collect(item, item_type, f"{path}.{key}"))
    return found


def _collect_struct(value: dict[Any, Any], cls: Any, path: str) -> list[tuple[str, str]]:
    """Check one mapping against a record type: unknown keys, all missing fields, then each field."""
    fields = msgspec.structs.fields(cls)
    known = {f.encode_name: f for f in fields}
    found: list[tuple[str, str]] = []
    for key in value:
        if key not in known:
            hint = did_you_mean(str(key), list(known), cutoff=0.75)
            found.append((f"{path}.{key}", f"unknown field {key!r}{hint}"))
    missing = [f.encode_name for f in fields if f.required and f.encode_name not in value]
    if missing:
        found.append((path, "missing required field(s): " + ", ".join(missing)))
    for name, field in known.items():
        if name in value:
            found.extend(collect(value[name], field.type, f"{path}.{name}"))
    return found


def _is_struct(annotation: Any) -> bool:
    """Tell whether an annotation is a record type (generic aliases included)."""
    target = typing.get_origin(annotation) or annotation
    return isinstance(target, type) and issubclass(target, msgspec.Struct)


# The names a message gives the kinds of value YAML produces; bool comes before int and datetime before date,
# because each is a subclass of the other.
_FOUND: tuple[tuple[type[Any], str], ...] = (
    (bool, "bool"), (int, "int"), (float, "float"), (str, "str"), (type(None), "null"), (list, "array"),
    (tuple, "array"), (dict, "object"), (datetime.datetime, "datetime"), (datetime.date, "date"),
    (datetime.time, "time"), (bytes, "bytes"),
)
_SCALARS = {bool: "bool", int: "int", float: "float", str: "str", type(None): "null", datetime.datetime: "datetime",
            datetime.date: "date", datetime.time: "time", bytes: "bytes"}


def _found(value: Any) -> str:
    """Return the name of the kind of a value as parsed from YAML."""
    return next((name for kind, name in _FOUND if isinstance(value, kind)), type(value).__name__)


def _unannotated(annotation: Any) -> Any:
    """Return the type under any `Annotated[...]` layers."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _constraints(annotation: Any) -> list[msgspec.Meta]:
    """Return the msgspec.Meta constraints of an `Annotated[...]` annotation, outermost layer first."""
    metas: list[msgspec.Meta] = []
    while typing.get_origin(annotation) is typing.Annotated:
        annotation, *extras = typing.get_args(annotation)
        metas += [m for m in extras if isinstance(m, msgspec.Meta) and _limits(m)]
    return metas


_LIMITS = ("gt", "ge", "lt", "le", "multiple_of", "pattern", "min_length", "max_length")


def _limits(meta: msgspec.Meta) -> dict[str, Any]:
    """Return the constraints a Meta sets (its description and examples are not constraints)."""
    return {name: getattr(meta, name) for name in _LIMITS if getattr(meta, name) is not None}


def _members(annotation: Any) -> list[Any]:
    """Return the flat members of a union (a lone type is a union of one)."""
    annotation = _unannotated(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [m for arg in typing.get_args(annotation) for m in _members(arg)]
    return [annotation]


def _expected(annotation: Any) -> str:
    """Return the name of what an annotation accepts, e.g. `str`, `int | null`, `array`, `object`."""
    names: list[str] = []
    for member in _members(annotation):
        name = _kind_name(member)
        if name not in names:
            names.append(name)
    # As msgspec and JSON Schema write it: null last.
    names.sort(key=lambda n: n == "null")
    return " | ".join(names)


def _kind_name(member: Any) -> str:
    """Return the name of one member of a union."""
    origin = typing.get_origin(member) or member
    if member is None or member is type(None):
        return "null"
    if origin is typing.Literal:
        return " | ".join(dict.fromkeys(_found(v) for v in typing.get_args(member)))
    if isinstance(origin, type):
        if issubclass(origin, enum.Enum):
            return " | ".join(dict.fromkeys(_found(m.value) for m in origin)) or "enum"
        if issubclass(origin, (msgspec.Struct, dict)):
            return "object"
        if issubclass(origin, (tuple, list, set, frozenset)):
            return "array"
        # In this order a subclass (bool, datetime) is named before its base (int, date).
        for kind, name in _SCALARS.items():
            if issubclass(origin, kind):
                return name
    return getattr(member, "__name__", None) or str(member)


def _accepts_kind(value: Any, member: Any) -> bool:
    """Tell whether a value is of the kind one union member takes, before any constraint or enum membership."""
    origin = typing.get_origin(member) or member
    if member is None or member is type(None):
        return value is None
    if origin is typing.Literal:
        return any(_found(value) == _found(v) for v in typing.get_args(member))
    if not isinstance(origin, type):
        return False
    if issubclass(origin, enum.Enum):
        return any(_found(value) == _found(m.value) for m in origin)
    if issubclass(origin, (msgspec.Struct, dict)):
        return isinstance(value, dict)
    if issubclass(origin, (tuple, list, set, frozenset)):
        return isinstance(value, list)
    if origin is float:
        return _found(value) in ("int", "float")
    return _kind_name(member) == _found(value)


def _explain(value: Any, annotation: Any) -> str:
    """Say why a value does not fit an annotation, from the annotation and the value's kind, with any YAML hint."""
    base = _unannotated(annotation)
    members = _members(base)
    fitting = [m for m in members if _accepts_kind(value, m)]
    if not fitting:
        return f"Expected {_expected(base)}, got {_found(value)}" + _one_of(members) + _hint(value, members)
    member = fitting[0]
    allowed = _allowed_values(member)
    if allowed is not None and value not in allowed:
        return f"Invalid enum value {value!r}" + _one_of([member])
    for meta in _constraints(annotation):
        broken = _broken(value, meta)
        if broken:
            return f"Expected {_expected(base)} {broken}"
    # msgspec refused a value of the right kind for a reason not modelled here (none is known today).
    return f"Expected {_expected(base)}; this {_found(value)} value does not fit"


def _allowed_values(member: Any) -> list[Any] | None:
    """Return the values an enum or Literal allows, or None for any other type."""
    origin = typing.get_origin(member) or member
    if origin is typing.Literal:
        return list(typing.get_args(member))
    if isinstance(origin, type) and issubclass(origin, enum.Enum):
        return [m.value for m in origin]
    return None


def _one_of(members: list[Any]) -> str:
    """Return ` (one of: a, b, c)` for the enum or Literal members of a union, else nothing."""
    values = [v for m in members for v in (_allowed_values(m) or [])]
    return " (one of: " + ", ".join(str(v) for v in values) + ")" if values else ""


_BOUNDS = (("gt", operator.gt, ">"), ("ge", operator.ge, ">="), ("lt", operator.lt, "<"), ("le", operator.le, "<="))


def _broken(value: Any, meta: msgspec.Meta) -> str:
    """Return the constraint of a Meta that a value of the right kind breaks, in JSON Schema's terms, or nothing."""
    limits = _limits(meta)
    if _found(value) in ("int", "float"):
        for name, holds, sign in _BOUNDS:
            if name in limits and not holds(value, limits[name]):
                return f"{sign} {limits[name]}, got {value!r}"
        step = limits.get("multiple_of")
        if step and value % step:
            return f"that is a multiple of {step}, got {value!r}"
    if isinstance(value, (str, list, dict)):
        shortest, longest = limits.get("min_length"), limits.get("max_length")
        if shortest is not None and len(value) < shortest:
            return f"of length >= {shortest}, got length {len(value)}"
        if longest is not None and len(value) > longest:
            return f"of length <= {longest}, got length {len(value)}"
    pattern = limits.get("pattern")
    if isinstance(value, str) and pattern is not None and re.search(pattern, value) is None:
        return f"matching regex {pattern!r}, got {value!r}"
    return ""


def _hint(value: Any, members: list[Any]) -> str:
    """Explain a YAML 1.1 type surprise and how to avoid it, from the kinds expected and the kind found."""
    kinds = {name for m in members for name in _kind_name(m).split(" | ")}
    expects_str = "str" in kinds
    if isinstance(value, bool):
        return " (YAML reads yes/no/on/off as true/false: quote the value, e.g. \"NO\")" if expects_str else ""
    if isinstance(value, datetime.date):
        return " (YAML reads a bare date as a date: quote it)"
    if isinstance(value, int) and expects_str:
        return " (YAML reads unquoted digits as a number, and 010 as 8: quote the value)"
    if isinstance(value, float) and "int" in kinds:
        return f" (YAML reads {value!r} as a float: write a whole number such as 1000)"
    if isinstance(value, float) and expects_str:
        return " (YAML reads this as a number: quote the value)"
    if isinstance(value, str) and kinds & {"int", "float"} and _NUMBER.match(value.strip()):
        return (f" (YAML 1.1 reads {value!r} as text, not a number: write it out in full, e.g. 1000 or "
                "0.001, without quotes)")
    if value is None:
        return " (an empty value or ~ is null in YAML: give a value, or quote an empty string as \"\")"
    return ""


@dataclass(frozen=True)
class Partial:
    """The records of a file that has type problems which fit the model on their own."""

    dataset: Dataset
    kept: dict[str, tuple[int, ...]]
    dropped_ids: dict[str, frozenset[str]]


def convert_partial(obj: dict[Any, Any]) -> Partial:
    """Return a dataset of the records that convert one by one, where each came from, and the ids left out."""
    values: dict[str, Any] = {}
    kept: dict[str, tuple[int, ...]] = {}
    dropped: dict[str, frozenset[str]] = {}
    for field in msgspec.structs.fields(Dataset):
        name = field.encode_name
        if name not in obj:
            continue
        raw = obj[name]
        item = _item_type(field.type)
        if item is not None and isinstance(raw, list):
            records, indexes, missing = [], [], set()
            for index, entry in enumerate(raw):
                try:
                    records.append(msgspec.convert(entry, item))
                    indexes.append(index)
                except msgspec.ValidationError:
                    if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                        missing.add(entry["id"])
            values[name], kept[name], dropped[name] = tuple(records), tuple(indexes), frozenset(missing)
        else:
            with contextlib.suppress(msgspec.ValidationError):
                values[name] = msgspec.convert(raw, field.type)
    values.setdefault("schema_version", SCHEMA_VERSION)
    values.setdefault("conditions", ())
    return Partial(Dataset(**values), kept, dropped)


def _item_type(annotation: Any) -> Any:
    """Return X for tuple[X, ...], else None."""
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is tuple and len(args) == 2 and args[1] is Ellipsis:
        return args[0]
    return None


def json_schema() -> dict[str, Any]:
    """Return the JSON Schema of the data file, generated from the model."""
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "stemcell-cli data file",
        "description": "Curated stem-cell evidence read by stemcell-cli; check it with `stemcell validate`.",
        **msgspec.json.schema(Dataset),
    }
    schema["$defs"]["Dataset"]["properties"]["schema_version"]["const"] = SCHEMA_VERSION
    return schema
