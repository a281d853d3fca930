"""Decide colour, width and character set for human output from options, environment and stream."""

from __future__ import annotations

import os
import shutil
from typing import TextIO

import msgspec

from stemcell_cli.render import ColorMode


class TerminalSettings(msgspec.Struct, frozen=True):
    """How human-readable output is drawn."""

    color: bool
    width: int
    ascii_only: bool


def wants_color(mode: ColorMode, stream: TextIO, environ: dict[str, str] | os._Environ[str]) -> bool:
    """Apply --color, then NO_COLOR, FORCE_COLOR (0 or false: not forced) and TERM=dumb, then the stream."""
    if mode is ColorMode.ALWAYS:
        return True
    if mode is ColorMode.NEVER:
        return False
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR", "") not in ("", "0", "false"):
        return True
    if environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def stream_encoding(stream: object) -> str:
    """Return the encoding a stream writes in (UTF-8 when it does not say)."""
    return getattr(stream, "encoding", None) or "utf-8"


def encodes(stream: object, text: str) -> bool:
    """Tell whether the stream's encoding can write this text."""
    try:
        text.encode(stream_encoding(stream))
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def escaped_for(stream: object, text: str) -> str:
    """Return the text with every character the stream's encoding lacks written as a visible escape."""
    encoding = stream_encoding(stream)
    return text.encode(encoding, "backslashreplace").decode(encoding)


def settings(mode: ColorMode, stream: TextIO) -> TerminalSettings:
    """Return the settings for printing a table on this stream now."""
    width = shutil.get_terminal_size((100, 24)).columns
    return TerminalSettings(
        color=wants_color(mode, stream, os.environ),
        width=width if width > 0 else 100,
        ascii_only=not encodes(stream, "╭─│✓“"),
    )
