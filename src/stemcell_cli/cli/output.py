"""Deliver rendered text: to stdout whole, or to a file atomically and never over one without --force."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from stemcell_cli.errors import OutputFileError
from stemcell_cli.render import OutputFormat, render
from stemcell_cli.render.terminal import encodes, settings
from stemcell_cli.render import ColorMode


def deliver(result: object, fmt: OutputFormat, *, output: Path | None, force: bool, color: ColorMode) -> None:
    """Render a result completely, then write it in one piece."""
    if output is not None:
        text = render(result, fmt, color=color is ColorMode.ALWAYS and fmt is OutputFormat.TABLE, width=100)
        write_file(output, text, force=force)
        return
    stream = sys.stdout
    if fmt is OutputFormat.TABLE:
        term = settings(color, stream)
        text = render(result, fmt, color=term.color, width=term.width, ascii_only=term.ascii_only)
    else:
        text = render(result, fmt)
        if fmt is OutputFormat.JSON and not encodes(stream, text):
            text = render(result, fmt, ascii_only=True)
    write_stdout(text)


def write_stdout(text: str) -> None:
    """Write all of the text to stdout; characters the encoding lacks become visible escapes."""
    stream = sys.stdout
    if not encodes(stream, text):
        encoding = getattr(stream, "encoding", None) or "ascii"
        sys.stderr.write(f"warning: the output encoding {encoding} cannot show some characters; they are "
                         "written as \\u escapes (set PYTHONIOENCODING=utf-8 to see them)\n")
        text = text.encode(encoding, "backslashreplace").decode(encoding)
    stream.write(text)
    stream.flush()


def write_file(path: Path, text: str, *, force: bool) -> None:
    """Write text to a file through a temporary file and a rename; refuse to replace without force."""
    if path.is_dir():
        raise OutputFileError(f"{path}: is a directory")
    if path.exists() and not force:
        raise OutputFileError(f"{path}: already exists; add --force to replace it")
    directory = path.parent if str(path.parent) else Path(".")
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputFileError(f"{path}: cannot write here: {exc.strerror}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if not force and path.exists():
            raise OutputFileError(f"{path}: already exists; add --force to replace it")
        os.replace(temp, path)
    except OSError as exc:
        raise OutputFileError(f"{path}: cannot write: {exc.strerror}") from None
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
