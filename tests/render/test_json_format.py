"""The JSON writer: the json module's text, faster, with every risky character escaped."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stemcell_cli.render.json_format import to_json

PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TEXT = st.text(max_size=12) | st.sampled_from(["\ud800", "x\udfffy", "😀", "\x7f", "\x85", "\u2028", "é", "\u202e"])
LEAVES = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | TEXT
TREES = st.recursive(LEAVES, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
                     max_leaves=20)


def _reference(payload: Any, *, ascii_only: bool) -> str:
    """Return what the json module writes, with the characters it leaves raw escaped as to_json promises."""
    text = json.dumps(payload, indent=2, ensure_ascii=ascii_only, allow_nan=False) + "\n"
    risky = "\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff"
    return re.sub(f"[{risky}]", lambda m: f"\\u{ord(m.group()):04x}", text)


@pytest.mark.parametrize("ascii_only", [False, True], ids=["utf8", "ascii"])
@PROPERTY
@given(tree=TREES)
def test_the_text_is_the_json_modules_with_risky_characters_escaped(ascii_only: bool, tree: Any) -> None:
    text = to_json({"data": tree}, ascii_only=ascii_only)
    assert text == _reference({"data": tree}, ascii_only=ascii_only)
    assert json.loads(text) == {"data": tree}
    if ascii_only:
        assert text.isascii()


def test_characters_beyond_the_basic_plane_become_surrogate_pairs_in_ascii() -> None:
    assert to_json({"a": "😀é"}, ascii_only=True) == '{\n  "a": "\\ud83d\\ude00\\u00e9"\n}\n'
    assert to_json({"a": "😀é"}) == '{\n  "a": "😀é"\n}\n'


def test_a_lone_surrogate_is_written_as_its_escape() -> None:
    assert to_json({"a": "x\ud800"}) == '{\n  "a": "x\\ud800"\n}\n'


def test_plain_decimals_are_written_as_the_json_module_writes_them() -> None:
    payload = {"values": [0.5, 1.0, 2.25, -3.75, 123456.789, 0.1]}
    assert to_json(payload) == _reference(payload, ascii_only=False)


def test_a_struct_is_written_as_its_builtins_in_field_order() -> None:
    import msgspec

    class Inner(msgspec.Struct, frozen=True):
        z: float
        a: str | None = None

    class Outer(msgspec.Struct, frozen=True, tag_field="schema", tag="x/outer"):
        version: int
        items: tuple[Inner, ...]

    payload = Outer(version=2, items=(Inner(z=0.1), Inner(z=2.5, a="é")))
    builtins = msgspec.to_builtins(payload)
    assert list(builtins) == ["schema", "version", "items"]
    for ascii_only in (False, True):
        assert to_json(payload, ascii_only=ascii_only) == _reference(builtins, ascii_only=ascii_only)


def test_a_lone_surrogate_in_a_struct_is_written_as_its_escape() -> None:
    import msgspec

    class Text(msgspec.Struct, frozen=True):
        a: str

    assert to_json(Text(a="x\ud800")) == '{\n  "a": "x\\ud800"\n}\n'
    assert to_json(Text(a="x\ud800"), ascii_only=True) == '{\n  "a": "x\\ud800"\n}\n'
