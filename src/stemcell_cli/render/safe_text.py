"""Make any string from the data safe to show: control and bidi characters become visible escapes."""

from __future__ import annotations

import functools
import re

# C0 and C1 controls (DEL included), bidi controls that can reorder what a reader sees, the Unicode line and
# paragraph separators, and lone surrogates (no encoder writes them).
_ALWAYS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff"


@functools.cache
def _unsafe(layout: bool) -> re.Pattern[str]:
    """Return the pattern of characters to escape, compiled on first use (a JSON run never needs it)."""
    return re.compile(f"[{_ALWAYS}]" if layout else f"[\t\n{_ALWAYS}]")


def _escape(match: re.Match[str]) -> str:
    """Return the visible escape of one unsafe character."""
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: str, *, layout: bool = True) -> str:
    """Escape control characters; keep tab and newline only where `layout` allows them."""
    return _unsafe(layout).sub(_escape, text)


def one_line(text: str) -> str:
    """Escape control characters, newlines and tabs included."""
    return safe(text, layout=False)


_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def inert_cell(text: str) -> str:
    """Return a spreadsheet cell that shows as text: one a spreadsheet would run as a formula starts with `'`."""
    # OWASP's CSV injection rule; a signed number such as -0.5 is data, not a formula, and stays as it is.
    if text.startswith(_FORMULA) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text
