"""JSON output: strict, never NaN, never wrapped, never coloured, never a raw control character."""

from __future__ import annotations

import json
import re
from typing import Any

# json.dumps escapes only C0 controls; these reach a terminal raw otherwise. Inside JSON they can only occur in
# strings, where a \u escape reads back as the same character.
_RAW = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")


def to_json(payload: dict[str, Any], *, ascii_only: bool = False) -> str:
    """Return the payload as indented JSON ending in a newline."""
    text = json.dumps(payload, indent=2, ensure_ascii=ascii_only, allow_nan=False) + "\n"
    return _RAW.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
