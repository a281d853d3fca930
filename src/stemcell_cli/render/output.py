"""The one output pipeline: render a result, then deliver it to stdout, a pager, stderr or a file.

This module owns the terminal policy (format, width, colour, encoding, paging) and the special cases of `validate`
(its text report goes to stderr) and `schema` (always JSON); the commands only hand over a result.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from stemcell_cli.errors import OutputFileError, UsageProblem, ValidationReport
from stemcell_cli.evidence.results import Result, SchemaResult
from stemcell_cli.render import ColorMode, OutputFormat, render
from stemcell_cli.render.safe_text import one_line
from stemcell_cli.render.terminal import encodes, escaped_for, forced_tty, settings, stream_encoding

FILE_WIDTH = 100
STDOUT_NAME = "-"


DEFAULT_PAGER = "less -FRX"


EXTENSIONS = {".json": OutputFormat.JSON, ".csv": OutputFormat.CSV, ".md": OutputFormat.MARKDOWN,
              ".tsv": OutputFormat.TSV}


def output_format(fmt: OutputFormat | None, output: str | None, *, terminal: bool = True) -> OutputFormat:
    """Return the format asked for, else the output file's extension's, else table (TSV on piped stdout)."""
    to_stdout = output in (None, STDOUT_NAME)
    named = None if to_stdout else EXTENSIONS.get(Path(str(output)).suffix.lower())
    if fmt is not None and named is not None and fmt is not named:
        raise UsageProblem(f"--format {fmt.value} contradicts the extension of --output {output} "
                           f"(which means --format {named.value}); drop one of them")
    # Piped standard output gets one record per line with a header, as gh prints when stdout is not a terminal.
    default = OutputFormat.TSV if to_stdout and not terminal else OutputFormat.TABLE
    return fmt or named or default


def on_terminal(stream: object) -> bool:
    """Tell whether output to this stream is drawn as for a terminal: it is one, or STEMCELL_FORCE_TTY says so."""
    return forced_tty(os.environ) or _isatty(stream)


def deliver(result: Result, fmt: OutputFormat | None, *, output: str | None = None, force: bool = False,
            color: ColorMode = ColorMode.AUTO, pager: bool = False) -> None:
    """Render a result completely, then write it in one piece (`-o -` is standard output, `-o ./-` a file)."""
    fmt = output_format(fmt, output, terminal=on_terminal(sys.stdout))
    if isinstance(result, ValidationReport) and fmt is not OutputFormat.JSON:
        report(result.lines())  # the problems are diagnostics: stderr, one line each, whatever --format says
        return
    if isinstance(result, SchemaResult):
        fmt = OutputFormat.JSON
    if output is not None and output != STDOUT_NAME:
        text = render(result, fmt, color=color is ColorMode.ALWAYS and fmt is OutputFormat.TABLE, width=FILE_WIDTH)
        write_file(Path(output), text, force=force)
        return
    stream = sys.stdout
    if fmt is OutputFormat.TABLE:
        term = settings(color, stream)
        text = render(result, fmt, color=term.color, width=term.width, ascii_only=term.ascii_only)
        # The table escapes what the stream cannot show before laying it out; say so once, before any output.
        if term.ascii_only and not render(result, OutputFormat.JSON).isascii():
            _warn_escaped(stream)
        if pager and _isatty(stream) and page(text):
            return
    else:
        text = render(result, fmt)
        if fmt is OutputFormat.JSON and not encodes(stream, text):
            text = render(result, fmt, ascii_only=True)
    write_stdout(text)


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
    import tempfile  # only here: the stdout path does not pay for it

    directory = path.parent
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
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
