"""Make any string from the data safe to show: control and bidi characters become visible escapes."""

from __future__ import annotations

import re

_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_WITH_LAYOUT = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    """Return the visible escape of one unsafe character."""
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: str, *, layout: bool = True) -> str:
    """Escape control characters; keep tab and newline only where `layout` allows them."""
    pattern = _UNSAFE if layout else _UNSAFE_WITH_LAYOUT
    return pattern.sub(_escape, text)


def one_line(text: str) -> str:
    """Escape control characters, newlines and tabs included."""
    return safe(text, layout=False)
