"""Decide colour, width and character set for human output from options, environment and stream."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from typing import TextIO

from stemcell_cli.render import ColorMode


@dataclass(frozen=True)
class TerminalSettings:
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


def encodes(stream: TextIO, text: str) -> bool:
    """Tell whether the stream's encoding can write this text."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def settings(mode: ColorMode, stream: TextIO) -> TerminalSettings:
    """Return the settings for printing a table on this stream now."""
    width = shutil.get_terminal_size((100, 24)).columns
    return TerminalSettings(
        color=wants_color(mode, stream, os.environ),
        width=width if width > 0 else 100,
        ascii_only=not encodes(stream, "╭─│✓“"),
    )
