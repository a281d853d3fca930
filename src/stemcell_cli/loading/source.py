"""Find the data file and read it as text, refusing what cannot be a data file."""

from __future__ import annotations

import functools
import os
import re
import stat
import sys
from pathlib import Path

import msgspec

from stemcell_cli.errors import DataFileError, DataProblems, Problem

ENV_VAR = "STEMCELL_DATA"
PURE_VAR = "STEMCELL_YAML_PURE"
# The line breaks YAML counts (spec 5.4): a file may use any of them, old Mac files use CR alone.
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
MAX_BYTES = 32 * 1024 * 1024
SHIPPED_NAME = "studies.yaml"
# `-` names standard input wherever a data file is named; a file called `-` is reached as `./-`.
STDIN = "-"
STDIN_LABEL = "<stdin>"


class DataText(msgspec.Struct, frozen=True, dict=True):
    """The bytes of a data file, their text, and the label used to locate problems in it."""

    label: str
    raw: bytes

    @functools.cached_property
    def text(self) -> str:
        """Return the file decoded as UTF-8, or raise a problem located at the first bad byte."""
        # Decoded on first use: a cache hit answers from the bytes' hash and never needs the text.
        return decode_utf8(self.raw, self.label)

    @functools.cached_property
    def sha256(self) -> str:
        """Return the SHA-256 of the bytes in hex, computed on first use (only outputs that name their source ask)."""
        from stemcell_cli.model import sha256_hex

        return sha256_hex(self.raw)

    @property
    def name(self) -> str:
        """Return the file's base name, never its directories (`<stdin>` for standard input)."""
        return self.label if self.label == STDIN_LABEL else os.path.basename(self.label) or self.label


def pure_requested(pure: bool = False) -> bool:
    """Tell whether to use the pure-Python YAML loader: asked for by the caller, or with STEMCELL_YAML_PURE=1."""
    return pure or os.environ.get(PURE_VAR, "") not in ("", "0")


def position(text: str, offset: int) -> tuple[int, int]:
    """Return the 1-based line and column of a character offset, counting line breaks as YAML does."""
    before = text[:offset]
    breaks = list(LINE_BREAK.finditer(before))
    start = breaks[-1].end() if breaks else 0
    return len(breaks) + 1, offset - start + 1


def shipped_path() -> Path:
    """Return the dataset shipped in the wheel, or the repository's own copy when run from source."""
    # The wheel puts the file inside the package; a source checkout keeps it at the repository root.
    here = Path(__file__).resolve()
    packaged = here.parents[1] / "data" / SHIPPED_NAME
    return packaged if packaged.is_file() else here.parents[3] / "data" / SHIPPED_NAME


def is_shipped(path: Path | None, raw: bytes) -> bool:
    """Tell whether bytes read from a path are the shipped data file's: that file or an unedited copy of it."""
    # Standard input is never the shipped file, whatever its bytes: it is a file the user gave.
    if path is None:
        return False
    shipped = shipped_path()
    try:
        if os.path.samefile(path, shipped):
            return True
        # An installed package keeps its own copy of the file, which a checkout's data/studies.yaml equals.
        return os.path.getsize(shipped) == len(raw) and shipped.read_bytes() == raw
    except (OSError, ValueError):
        return False


def resolve_path(option: str | Path | None) -> tuple[Path | None, str]:
    """Return the path to read (None: standard input) and where it came from: --data, environment, shipped file."""
    if option is not None:
        return (None if is_stdin(option) else Path(option)), "--data"
    env = os.environ.get(ENV_VAR)
    if env:
        return (None if env == STDIN else Path(env)), ENV_VAR
    return shipped_path(), "shipped"


def is_stdin(option: str | Path) -> bool:
    """Tell whether a data file option names standard input: `-`, but not `./-`."""
    # pathlib drops a leading `./`, so Path("./-") cannot be told from Path("-"): only a string keeps `./-` a file.
    return option == STDIN if isinstance(option, str) else option.parts == (STDIN,)


def _origin_note(origin: str) -> str:
    """Return the words that say where the file name came from, for an error message."""
    return {"--data": f" (given with --data; {ENV_VAR} is ignored when --data is set)",
            ENV_VAR: f" (from the {ENV_VAR} environment variable)",
            "shipped": " (the data file shipped with stemcell; reinstall it, or pass --data)"}.get(origin, "")


def read_data(path: Path | None, origin: str) -> DataText:
    """Read a data file's bytes (None: standard input), refusing special files, directories, oversized files."""
    if path is None:
        return read_stdin(origin)
    label = str(path)
    named = _origin_note(origin)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise DataFileError(label, f"no such data file{named}") from None
    except (OSError, ValueError) as exc:
        raise DataFileError(label, f"cannot read data file{named}: {_reason(exc)}") from None
    _refuse_kind(label, info, named)
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO after the check above, opening must not wait for a writer.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise DataFileError(label, f"cannot read data file{named}: {_reason(exc)}") from None
    with os.fdopen(descriptor, "rb") as handle:
        _refuse_kind(label, os.fstat(handle.fileno()), named)
        try:
            raw = handle.read(MAX_BYTES + 1)
        except OSError as exc:
            raise DataFileError(label, f"cannot read data file{named}: {_reason(exc)}") from None
    if len(raw) > MAX_BYTES:
        raise DataFileError(label, f"file is larger than the limit of {MAX_BYTES} bytes")
    return DataText(label, raw)


def read_stdin(origin: str) -> DataText:
    """Read all of standard input as the data file, refusing a terminal, an empty or closed stream, too many bytes."""
    label = STDIN_LABEL
    named = f" ({ENV_VAR}=- names standard input)" if origin == ENV_VAR else ""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise DataFileError(label, f"standard input is closed{named}; pipe a data file into it, "
                            "e.g. `< studies.yaml`")
    try:
        if stream.isatty():
            # Waiting for a person to type a whole YAML file is never what was meant.
            raise DataFileError(label, f"standard input is a terminal{named}; pipe or redirect a data file "
                                "into it, e.g. `< studies.yaml`")
        raw = stream.read(MAX_BYTES + 1)
    except (OSError, ValueError) as exc:
        raise DataFileError(label, f"cannot read standard input{named}: {_reason(exc)}") from None
    if not raw:
        raise DataFileError(label, f"standard input is empty{named}; pipe or redirect a data file into it, "
                            "e.g. `< studies.yaml`")
    if len(raw) > MAX_BYTES:
        raise DataFileError(label, f"standard input is larger than the limit of {MAX_BYTES} bytes")
    return DataText(label, raw)


def _refuse_kind(label: str, info: os.stat_result, named: str) -> None:
    """Refuse directories, special files and files over the size limit, from their status alone."""
    if stat.S_ISDIR(info.st_mode):
        raise DataFileError(label, f"is a directory, not a data file{named}")
    if not stat.S_ISREG(info.st_mode):
        raise DataFileError(label, f"is not a regular file (devices, pipes and sockets are refused){named}")
    if info.st_size > MAX_BYTES:
        raise DataFileError(label, f"file is {info.st_size} bytes; the limit is {MAX_BYTES} bytes "
                            f"({MAX_BYTES // (1024 * 1024)} MiB)")


def _reason(exc: Exception) -> str:
    """Return the operating system's words for an error."""
    return getattr(exc, "strerror", None) or str(exc)


def decode_utf8(raw: bytes, label: str) -> str:
    """Decode UTF-8 (a BOM is allowed) or raise a problem located at the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # The bytes before the bad one decode (they stop at a character boundary), so they can be counted.
        prefix = raw[: exc.start].decode("utf-8-sig")
        line, column = position(prefix, len(prefix))
        problem = Problem(label, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
                          line=line, column=column)
        raise DataProblems([problem]) from None
