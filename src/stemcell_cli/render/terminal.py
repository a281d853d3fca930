"""Decide colour, width and character set for human output from options, environment and stream."""

from __future__ import annotations

import os
from typing import TextIO

import msgspec

from stemcell_cli.errors import assert_never
from stemcell_cli.render import ColorMode


class TerminalSettings(msgspec.Struct, frozen=True):
    """How human-readable output is drawn."""

    color: bool
    width: int
    ascii_only: bool
    # Clickable links (OSC 8) are not colour: NO_COLOR and --color never keep them on a terminal that is not dumb.
    links: bool = False


FORCE_TTY = "STEMCELL_FORCE_TTY"


def forced_tty(environ: dict[str, str] | os._Environ[str]) -> bool:
    """Tell whether STEMCELL_FORCE_TTY asks for terminal output on any stream (empty, 0 or false: it does not)."""
    return environ.get(FORCE_TTY, "").strip().lower() not in ("", "0", "false")


def forced_width(environ: dict[str, str] | os._Environ[str]) -> int | None:
    """Return the width STEMCELL_FORCE_TTY gives as a number of columns, or None."""
    value = environ.get(FORCE_TTY, "").strip()
    # 1 is how a script says "yes" (STEMCELL_FORCE_TTY=1), not a screen one column wide: only more is a width.
    return int(value) if value.isdecimal() and value.isascii() and int(value) > 1 else None


def wants_color(mode: ColorMode, stream: TextIO, environ: dict[str, str] | os._Environ[str]) -> bool:
    """Apply --color, then NO_COLOR, FORCE_COLOR (0 or false: not forced) and TERM=dumb, then the stream."""
    match mode:
        case ColorMode.ALWAYS:
            return True
        case ColorMode.NEVER:
            return False
        case ColorMode.AUTO:
            return _environment_wants_color(stream, environ)
        case _:
            assert_never(mode)


def _environment_wants_color(stream: TextIO, environ: dict[str, str] | os._Environ[str]) -> bool:
    """Apply NO_COLOR, FORCE_COLOR (0 or false: not forced) and TERM=dumb, then whether the stream is a terminal."""
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
    import shutil  # only here: machine formats never ask for a width

    width = forced_width(os.environ) or shutil.get_terminal_size((100, 24)).columns
    color = wants_color(mode, stream, os.environ)
    isatty = getattr(stream, "isatty", None)
    return TerminalSettings(
        color=color,
        width=width if width > 0 else 100,
        ascii_only=not encodes(stream, "╭─│✓“"),
        links=color or (bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"),
    )
