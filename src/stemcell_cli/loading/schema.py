"""Convert parsed YAML into the model, collecting every type problem with its path."""

from __future__ import annotations

import re
import types
import typing
from typing import Any

import msgspec

from stemcell_cli.errors import Problem
from stemcell_cli.model import SCHEMA_VERSION, Dataset

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
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis and isinstance(value, list):
        found: list[tuple[str, str]] = []
        for index, item in enumerate(value):
            found.extend(collect(item, args[0], f"{path}[{index}]"))
        return found
    if origin in (typing.Union, types.UnionType) and value is not None:
        non_null = [a for a in args if a is not type(None)]
        if len(non_null) == 1:
            return collect(value, non_null[0], path)
    return [_from_msgspec(pass_error, path, value)]


def _collect_struct(value: dict[Any, Any], cls: Any, path: str) -> list[tuple[str, str]]:
    """Check one mapping against a record type: unknown keys, all missing fields, then each field."""
    fields = msgspec.structs.fields(cls)
    known = {f.encode_name: f for f in fields}
    found: list[tuple[str, str]] = []
    for key in value:
        if key not in known:
            hint = _closest(str(key), list(known))
            found.append((path, f"unknown field {key!r}{hint}"))
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


def _from_msgspec(text: str, path: str, value: Any) -> tuple[str, str]:
    """Rewrite a msgspec message to our path and add a hint for YAML 1.1 surprises."""
    match = _MSG.match(text)
    message, suffix = (match.group("text"), match.group("path") or "") if match else (text, "")
    message = message.replace("`", "")
    return f"{path}{suffix}", message + _hint(message, value)


def _hint(message: str, value: Any) -> str:
    """Explain a YAML 1.1 type surprise and how to avoid it."""
    expects_str = message.startswith("Expected str") or "| str" in message.split(",")[0]
    if "got bool" in message and expects_str:
        return " (YAML reads yes/no/on/off as true/false: quote the value, e.g. \"NO\")"
    if "got date" in message or "got datetime" in message:
        return " (YAML reads a bare date as a date: quote it)"
    if "got int" in message and expects_str:
        return " (YAML reads unquoted digits as a number, and 010 as 8: quote the value)"
    if "got float" in message and "int" in message.split(",")[0]:
        return f" (YAML reads {value!r} as a float: write a whole number such as 1000)"
    if "got float" in message and expects_str:
        return " (YAML reads this as a number: quote the value)"
    return ""


def _closest(word: str, options: list[str]) -> str:
    """Return a did-you-mean suffix for a near miss, or nothing."""
    import difflib

    match = difflib.get_close_matches(word, options, n=1, cutoff=0.75)
    return f"; did you mean {match[0]!r}?" if match else ""


def json_schema() -> dict[str, Any]:
    """Return the JSON Schema of the data file, generated from the model."""
    schema: dict[str, Any] = msgspec.json.schema(Dataset)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "stemcell-cli data file"
    return schema
