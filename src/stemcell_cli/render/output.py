"""The one output pipeline: render, then deliver to stdout, a pager, stderr or a file.

This module owns the terminal policy (width, colour, encoding, paging) and where each kind of output goes: a command's
result, `validate`'s report and `schema`'s document; which format each takes is decided in the formats module.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stemcell_cli.errors import OutputFileError
from stemcell_cli.render import (
    CITE_FORMATS,
    RECORD_FORMATS,
    SCHEMA_FORMAT,
    STDOUT_NAME,
    CiteFormat,
    ColorMode,
    OutputFormat,
    ReportFormat,
    all_ascii,
    drawn,
    escapable,
    formats_of,
    names_source,
    output_format,
    render,
    render_references,
    render_report,
    render_schema,
)
from stemcell_cli.render.safe_text import one_line
from stemcell_cli.render.terminal import encodes, escaped_for, forced_tty, settings, stream_encoding

if TYPE_CHECKING:
    from stemcell_cli.errors import ValidationReport
    from stemcell_cli.evidence.check_records import CheckResult
    from stemcell_cli.evidence.results import CiteResult, Result
    from stemcell_cli.model import Provenance

FILE_WIDTH = 100
DEFAULT_PAGER = "less -FRX"


def on_terminal(stream: object) -> bool:
    """Tell whether output to this stream is drawn as for a terminal: it is one, or STEMCELL_FORCE_TTY says so."""
    return forced_tty(os.environ) or _isatty(stream)


def deliver(result: Result, fmt: OutputFormat | None, *, output: str | None = None, force: bool = False,
            color: ColorMode = ColorMode.AUTO, pager: bool = False,
            provenance: Callable[[], Provenance | None] | None = None, quiet: bool = False) -> None:
    """Render a result completely, then write it in one piece (`-o -` is standard output, `-o ./-` a file).

    JSON, Markdown and HTML name the data they came from (`provenance`, asked for only by those formats).
    """
    fmt = output_format(fmt, output, terminal=on_terminal(sys.stdout), choices=formats_of(result))
    source = provenance() if provenance is not None and names_source(fmt) else None
    if output is not None and output != STDOUT_NAME:
        write_file(Path(output), render(result, fmt, color=color is ColorMode.ALWAYS, width=FILE_WIDTH,
                                        provenance=source), force=force)
        return
    if not drawn(fmt):
        _print(render(result, fmt, provenance=source), lambda: render(result, fmt, ascii_only=True, provenance=source))
        return
    stream = sys.stdout
    term = settings(color, stream)
    text = render(result, fmt, color=term.color, width=term.width, ascii_only=term.ascii_only, links=term.links)
    # The table escapes what the stream cannot show before laying it out; say so once, before any output.
    if term.ascii_only and not quiet and not all_ascii(result):
        _warn_escaped(stream)
    if pager and _isatty(stream) and page(text):
        return
    write_stdout(text)


def deliver_check(result: CheckResult, fmt: OutputFormat | None, *, output: str | None = None, force: bool = False,
                  color: ColorMode = ColorMode.AUTO, provenance: Callable[[], Provenance | None] | None = None,
                  emit_yaml: str | None = None) -> None:
    """Deliver a page check: its reading warnings on stderr, the stubs of its citations not on file, then the check."""
    if result.warnings:
        report([f"warning: {line}" for line in result.warnings])
    if emit_yaml is not None:
        from stemcell_cli.render.citation_stubs import citation_stubs

        # An --output that names no format of check is refused before the stubs are written.
        output_format(fmt, output, choices=formats_of(result))
        write_file(Path(emit_yaml), citation_stubs(result), force=force)
    deliver(result, fmt, output=output, force=force, color=color, provenance=provenance)


def deliver_references(result: CiteResult, fmt: CiteFormat | None, *, output: str | None = None,
                       force: bool = False) -> None:
    """Write a condition's references for reference managers to standard output or, atomically, to a file."""
    chosen = output_format(fmt, output, choices=CITE_FORMATS, terminal=on_terminal(sys.stdout))
    if output is not None and output != STDOUT_NAME:
        write_file(Path(output), render_references(result, chosen), force=force)
        return
    text = render_references(result, chosen)
    if not escapable(chosen) and not encodes(sys.stdout, text):
        # Say so before any output rather than write an escape the format would misread.
        raise OutputFileError(f"standard output ({stream_encoding(sys.stdout)}) cannot show every character of the "
                              "references, and BibTeX has no escape for them; write a file with -o FILE.bib, or set "
                              "PYTHONIOENCODING=utf-8")
    _print(text, lambda: render_references(result, chosen, ascii_only=True))


def deliver_report(found: ValidationReport, fmt: ReportFormat, provenance: Provenance | None = None) -> None:
    """Print a validation report as its format says: every problem on stderr, or the records (named) on stdout."""
    text, lines = render_report(found, fmt, provenance=provenance)
    if lines:
        report(lines)
    if text:
        _print(text, lambda: render_report(found, fmt, ascii_only=True, provenance=provenance)[0])


def deliver_schema(document: dict[str, Any], *, output: str | None = None, force: bool = False) -> None:
    """Write the data file's JSON Schema to standard output or, atomically, to a file."""
    # An --output file whose name says another format is a usage error.
    output_format(SCHEMA_FORMAT, output, choices=RECORD_FORMATS)
    if output is not None and output != STDOUT_NAME:
        write_file(Path(output), render_schema(document), force=force)
        return
    _print(render_schema(document), lambda: render_schema(document, ascii_only=True))


def _print(text: str, escaped: Callable[[], str]) -> None:
    """Write machine output to stdout: as it is, or, when the stream lacks a character, as its format escapes it."""
    write_stdout(text if encodes(sys.stdout, text) else escaped())


def report(lines: list[str]) -> None:
    """Print lines on stderr, with anything from the data escaped."""
    text = "".join(one_line(line) + "\n" for line in lines)
    try:
        sys.stderr.write(escaped_for(sys.stderr, text))
        sys.stderr.flush()
    except (OSError, ValueError):
        pass  # stderr is closed: nowhere is left to say anything


def report_help(text: str) -> None:
    """Print help text on stderr, as shown when a command is given nothing to do."""
    try:
        sys.stderr.write(escaped_for(sys.stderr, text.rstrip("\n") + "\n"))
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _isatty(stream: object) -> bool:
    """Tell whether a stream is a terminal."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def page(text: str) -> bool:
    """Show text through $PAGER (else less -FRX); False when no pager could be started, so the caller prints it."""
    import shlex
    import subprocess

    try:
        argv = shlex.split(os.environ.get("PAGER") or DEFAULT_PAGER)
    except ValueError:
        return False
    if not argv:
        return False
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        process = subprocess.Popen(argv, stdin=subprocess.PIPE, encoding=encoding, errors="backslashreplace")
    except OSError:
        return False
    try:
        process.communicate(text)
    except (BrokenPipeError, KeyboardInterrupt):
        # The reader quit the pager before the end: nothing is lost, the output was theirs to leave.
        process.wait()
    return True


def _warn_escaped(stream: object) -> None:
    """Say on stderr that characters the output encoding lacks are written as escapes."""
    sys.stderr.write(f"warning: the output encoding {stream_encoding(stream)} cannot show some characters; they are "
                     "written as \\x or \\u escapes (set PYTHONIOENCODING=utf-8 to see them)\n")
    sys.stderr.flush()


def write_stdout(text: str) -> None:
    """Write all of the text to stdout; characters the encoding lacks become visible escapes."""
    stream = sys.stdout
    if not encodes(stream, text):
        _warn_escaped(stream)
        text = escaped_for(stream, text)
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        silence_stdout()
        raise OutputFileError(f"standard output: cannot write: {exc.strerror or exc}") from None


def silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush cannot fail on a closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def write_file(given: Path, text: str, *, force: bool) -> None:
    """Write text to a file through a temporary file and a rename; refuse to replace without force."""
    # A symlink is followed, so that the file it names is replaced and the link itself survives.
    path = Path(os.path.realpath(given)) if given.is_symlink() else given
    if path.is_dir():
        raise OutputFileError(f"{given}: is a directory")
    if path.exists() and not path.is_file():
        raise OutputFileError(f"{given}: is not a regular file (a device, FIFO or socket); "
                              "redirect standard output with the shell instead")
    if not force and (path.exists() or given.is_symlink()):
        raise OutputFileError(f"{given}: already exists; add --force to replace it")
    directory = path.parent
    try:
        handle, temp = _temporary_file(directory, path.name)
    except OSError as exc:
        raise OutputFileError(f"{path}: cannot write in {directory}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", errors="backslashreplace", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, _mode(path))
        _publish(temp, path, force=force)
    except OSError as exc:
        raise OutputFileError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def _temporary_file(directory: Path, name: str) -> tuple[int, str]:
    """Create a new file beside the target, readable by its owner alone: a random name, never through a symlink."""
    # What tempfile.mkstemp does, without importing tempfile (about 3 ms, with shutil and random).
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        temp = os.path.join(directory, f".{name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(temp, flags, 0o600), temp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {directory}")


def _publish(temp: str, path: Path, *, force: bool) -> None:
    """Move the finished temporary file into place; without force, never over a file that appeared meanwhile."""
    if force:
        os.replace(temp, path)
        return
    try:
        os.link(temp, path)
    except FileExistsError:
        raise OutputFileError(f"{path}: already exists; add --force to replace it") from None
    except OSError:
        # No hard links on this file system: fall back to a check and a rename.
        if path.exists():
            raise OutputFileError(f"{path}: already exists; add --force to replace it") from None
        os.replace(temp, path)


def _mode(path: Path) -> int:
    """Return the permissions for the new file: those of the file it replaces, else the umask's default."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
