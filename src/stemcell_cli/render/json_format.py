"""JSON output: strict, never NaN, never wrapped, never coloured."""

from __future__ import annotations

import json
from typing import Any


def to_json(payload: dict[str, Any], *, ascii_only: bool = False) -> str:
    """Return the payload as indented JSON ending in a newline."""
    return json.dumps(payload, indent=2, ensure_ascii=ascii_only, allow_nan=False) + "\n"
