"""Convert parsed YAML into the model, collecting every type problem with its path."""

from __future__ import annotations

import contextlib
import enum
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
_MSG = re.compile(r"^(?P<text>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)


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
    try:
        msgspec.convert(value, annotation)
    except msgspec.ValidationError as exc:
        pass_error = str(exc)
    else:
        return []
    if _is_struct(annotation) and isinstance(value, dict):
        return _collect_struct(value, annotation, path)
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return collect(value, args[0], path)
    if origin is dict and isinstance(value, dict) and typing.get_origin(args[0]) is typing.Literal:
        # A record's `printed` mapping: name the key that is none of its number fields, as for unknown fields.
        allowed = typing.get_args(args[0])
        found_keys: list[tuple[str, str]] = []
        for key, item in value.items():
            if key not in allowed:
                found_keys.append((f"{path}.{key}", f"{key!r} is not one of this record's number fields "
                                                    f"({', '.join(allowed)})"))
            else:
                found_keys.extend(collect(item, args[1], f"{path}.{key}"))
        return found_keys
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis and isinstance(value, list):
        found: list[tuple[str, str]] = []
        for index, item in enumerate(value):
            found.extend(collect(item, args[0], f"{path}[{index}]"))
        return found
    if origin in (typing.Union, types.UnionType) and value is not None:
        non_null = [a for a in args if a is not type(None)]
        if len(non_null) == 1:
            return collect(value, non_null[0], path)
    return [_from_msgspec(pass_error, path, value, annotation)]


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


def _from_msgspec(text: str, path: str, value: Any, annotation: Any = None) -> tuple[str, str]:
    """Rewrite a msgspec message to our path and add a hint for YAML 1.1 surprises or the allowed values."""
    match = _MSG.match(text)
    message, suffix = (match.group("text"), match.group("path") or "") if match else (text, "")
    message = message.replace("`", "")
    if not suffix and isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        message += " (one of: " + ", ".join(str(member.value) for member in annotation) + ")"
    return f"{path}{suffix}", message + _hint(message, value)


def _hint(message: str, value: Any) -> str:
    """Explain a YAML 1.1 type surprise and how to avoid it."""
    expected = message.split(",")[0]
    expects_str = expected.startswith("Expected str") or "| str" in expected
    expects_number = "int" in expected or "float" in expected
    if "got bool" in message and expects_str:
        return " (YAML reads yes/no/on/off as true/false: quote the value, e.g. \"NO\")"
    if "got date" in message or "got datetime" in message:
        return " (YAML reads a bare date as a date: quote it)"
    if "got int" in message and expects_str:
        return " (YAML reads unquoted digits as a number, and 010 as 8: quote the value)"
    if "got float" in message and "int" in expected:
        return f" (YAML reads {value!r} as a float: write a whole number such as 1000)"
    if "got float" in message and expects_str:
        return " (YAML reads this as a number: quote the value)"
    if "got str" in message and expects_number and isinstance(value, str) and _NUMBER.match(value.strip()):
        return (f" (YAML 1.1 reads {value!r} as text, not a number: write it out in full, e.g. 1000 or "
                "0.001, without quotes)")
    if "got null" in message:
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
