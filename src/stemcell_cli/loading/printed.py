"""The printed form of numbers: the text each number has in the data file, kept beside its value in the records."""

from __future__ import annotations

import types
import typing
from typing import Any

import msgspec

from stemcell_cli.model import Dataset

# The field of a record that holds its numbers' texts, by field name (`{"mean": "1.0", "sd": "1.0"}`).
PRINTED = "printed"


class NumberTexts:
    """The text of each number in a mapping as the file writes it (`-1.00`, not -1.0), looked up by the mapping."""

    __slots__ = ("_by_id",)

    def __init__(self) -> None:
        # Each entry keeps its mapping alive, so that its id cannot be taken by another mapping.
        self._by_id: dict[int, tuple[dict[Any, Any], dict[str, str]]] = {}

    def add(self, mapping: dict[Any, Any], texts: dict[str, str]) -> None:
        """Record the texts of a mapping's numbers, by key."""
        self._by_id[id(mapping)] = (mapping, texts)

    def get(self, mapping: object) -> dict[str, str] | None:
        """Return the texts of a mapping's numbers by key, or None if it holds no number written in the file."""
        found = self._by_id.get(id(mapping))
        return found[1] if found is not None and found[0] is mapping else None


def written_as(text: str, value: object) -> bool:
    """Tell whether a number's text reads as its value in plain decimal notation, as a reader would read it."""
    # YAML 1.1 also reads 010 as 8, 0x1f, 0b11, 1_000 and 1:30 (sexagesimal); such a text is not a printed form,
    # so that output never shows `010` for 8. U+2212 is the minus sign that sources print.
    if "_" in text or isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    plain = text.strip().replace("\u2212", "-")
    try:
        return (int(plain) if isinstance(value, int) else float(plain)) == value
    except ValueError:
        return False


_Plan = tuple[frozenset[str], tuple[tuple[str, type[Any], bool], ...]]
_PLANS: dict[type[Any], _Plan] = {}


def _plan(cls: type[Any]) -> _Plan:
    """Return a record type's number fields that keep a printed form, and the fields that lead to more of them."""
    known = _PLANS.get(cls)
    if known is not None:
        return known
    numbers: frozenset[str] = frozenset()
    inner: list[tuple[str, type[Any], bool]] = []
    for field in msgspec.structs.fields(cls):
        if field.name == PRINTED:
            texts = field.type
            if typing.get_origin(texts) is typing.Annotated:
                texts = typing.get_args(texts)[0]
            numbers = frozenset(typing.get_args(typing.get_args(texts)[0]))
            continue
        for candidate, many in _records_in(field.type):
            if candidate is not cls and (_plan(candidate)[0] or _plan(candidate)[1]):
                inner.append((field.encode_name, candidate, many))
    _PLANS[cls] = plan = (numbers, tuple(inner))
    return plan


def _records_in(annotation: Any) -> list[tuple[type[Any], bool]]:
    """Return the record types a field holds, each with whether it holds a list of them."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct):
        return [(annotation, False)]
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return [(record, True) for record, _many in _records_in(args[0])]
    if origin in (typing.Union, types.UnionType):
        return [found for arg in args for found in _records_in(arg)]
    return []


def attach_printed(obj: Any, texts: NumberTexts) -> None:
    """Give every record mapping that holds numbers a `printed` entry with their texts, before conversion.

    A `printed` mapping the file writes itself (as an export of the records does) keeps its entries; the texts
    read from the file fill in the rest.
    """
    if isinstance(obj, dict):
        _attach(obj, Dataset, texts)


def _attach(mapping: dict[Any, Any], cls: type[Any], texts: NumberTexts) -> None:
    """Attach the texts of one record mapping and of the records inside it."""
    numbers, inner = _plan(cls)
    if numbers:
        found = texts.get(mapping)
        if found:
            # Most mappings hold only number fields: share their dict rather than copy it (10,000 studies: 8 MB).
            kept = found if numbers.issuperset(found) else {k: t for k, t in found.items() if k in numbers}
            given = mapping.get(PRINTED)
            if kept and given is None:
                mapping[PRINTED] = kept
            elif kept and isinstance(given, dict):
                mapping[PRINTED] = {**kept, **given}
    for name, record, many in inner:
        value = mapping.get(name)
        items = value if many and isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, dict):
                _attach(item, record, texts)
