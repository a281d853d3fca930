"""Open the data a command reads: load it, say so while a large file is parsed, and report its warnings."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from stemcell_cli.api import Evidence
from stemcell_cli.loading import load
from stemcell_cli.model import Dataset
from stemcell_cli.render.output import report

# A cold parse runs at about 1.1 MB/s for small files (the benchmark's 8.7 MB, 10,000-study file takes 15 to
# 26 s): a file under 64 KiB is parsed in about 55 ms and never starts the timer; a larger one shows the line once
# its parse has lasted 100 ms.
PROGRESS_BYTES = 64 * 1024
PROGRESS_DELAY = 0.1
SPIN_SECONDS = 0.1
SPINNER = "|/-\\"
ERASE = "\r\x1b[K"


def open_data(data: str | Path | None, *, use_cache: bool, condition: str | None, quiet: bool = False) -> Evidence:
    """Load the data a command reads (`-`: standard input), report load warnings unless quiet, keep its source."""
    # A condition's records come with a way to every condition's, to name the condition of another's id.
    loaded = load(data, use_cache=use_cache, condition=condition, watch=reading)
    # The shipped file's warnings are reviewed by the curators and listed by `validate`; 9 lines would bury output.
    if loaded.warnings and not loaded.shipped and not quiet:
        report([warning.located() for warning in loaded.warnings])
    whole = (lambda: every_condition(data, use_cache=use_cache)) if condition is not None else None
    return Evidence(loaded.dataset, loaded.provenance, whole=whole)


def every_condition(data: str | Path | None, *, use_cache: bool) -> Dataset | None:
    """Load every condition's records again, quietly, to place an id of another condition; None if they cannot be."""
    from stemcell_cli.errors import StemcellError
    from stemcell_cli.loading.source import resolve_path

    if resolve_path(data)[0] is None:
        return None  # standard input has been read; its other conditions are gone
    try:
        return load(data, use_cache=use_cache, condition=None, watch=reading).dataset
    except StemcellError:
        return None


@contextmanager
def reading(label: str, size: int) -> Iterator[None]:
    """Around a cold parse: on a terminal's stderr, after a moment, show `reading FILE (N MB)...`, then erase it."""
    stream = sys.stderr
    if size < PROGRESS_BYTES or not _isatty(stream):
        yield
        return
    import threading

    done = threading.Event()
    shown = threading.Event()
    line = progress_line(label, size, _columns(stream))

    def spin() -> None:
        """Wait out the delay, then redraw the line with the next spinner frame until the parse is done."""
        frame = 0
        if done.wait(PROGRESS_DELAY):
            return
        while _write(stream, f"\r{line}{SPINNER[frame % len(SPINNER)]}"):
            shown.set()
            frame += 1
            if done.wait(SPIN_SECONDS):
                return

    thread = threading.Thread(target=spin, name="stemcell-progress", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
        if shown.is_set():
            _write(stream, ERASE)


def progress_line(label: str, size: int, columns: int) -> str:
    """Return `reading FILE (N MB)... ` with the file name escaped and cut from the left to fit the terminal."""
    import unicodedata

    from stemcell_cli.render.safe_text import one_line
    from stemcell_cli.render.terminal import escaped_for

    def cells(text: str) -> int:
        """Return how many terminal cells the text takes."""
        return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
                   for c in text)

    name = escaped_for(sys.stderr, one_line(label))
    before, after = "reading ", f" ({size / 1e6:.1f} MB)... "
    # One cell is kept free (and one for the spinner): a line that reaches the last column wraps on some
    # terminals, and the erase at the end would then leave its first row behind.
    room = max(columns - 2 - cells(before) - cells(after), 4)
    if cells(name) > room:
        while name and cells(name) > room - 3:
            name = name[1:]
        name = "..." + name
    return before + name + after


def _columns(stream: Any) -> int:
    """Return the width of the terminal behind a stream, or 80."""
    try:
        return os.get_terminal_size(stream.fileno()).columns or 80
    except (OSError, ValueError, AttributeError):
        return 80


def _isatty(stream: Any) -> bool:
    """Tell whether a stream is a terminal."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def _write(stream: Any, text: str) -> bool:
    """Write to stderr and flush; False when it cannot be written."""
    try:
        stream.write(text)
        stream.flush()
    except (OSError, ValueError):
        return False
    return True
