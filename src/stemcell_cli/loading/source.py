"""Find the data file and read it as text, refusing what cannot be a data file."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from stemcell_cli.errors import DataFileError, DataProblems, Problem

ENV_VAR = "STEMCELL_DATA"
MAX_BYTES = 32 * 1024 * 1024
SHIPPED_NAME = "studies.yaml"


@dataclass(frozen=True)
class DataText:
    """The text of a data file and the label used to locate problems in it."""

    label: str
    text: str
    raw: bytes


def shipped_path() -> Path:
    """Return the dataset shipped in the wheel, or the repository's own copy when run from source."""
    packaged = resources.files("stemcell_cli").joinpath("data").joinpath(SHIPPED_NAME)
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "data" / SHIPPED_NAME


def resolve_path(option: Path | None) -> tuple[Path, str]:
    """Return the path to read and where it came from: --data, the environment, or the shipped file."""
    if option is not None:
        return option, "--data"
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env), ENV_VAR
    return shipped_path(), "shipped"


def read_data(path: Path, origin: str) -> DataText:
    """Read a data file as UTF-8 text, refusing special files, directories and oversized files."""
    label = str(path)
    named = {"--data": f" (given with --data; {ENV_VAR} is ignored when --data is set)",
             ENV_VAR: f" (from the {ENV_VAR} environment variable)"}.get(origin, "")
    try:
        info = path.stat()
    except FileNotFoundError:
        raise DataFileError(f"{label}: no such data file{named}") from None
    except OSError as exc:
        raise DataFileError(f"{label}: cannot read data file{named}: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise DataFileError(f"{label}: is a directory, not a data file{named}")
    if not stat.S_ISREG(info.st_mode):
        raise DataFileError(f"{label}: is not a regular file (special files are refused){named}")
    if info.st_size > MAX_BYTES:
        raise DataFileError(f"{label}: file is {info.st_size} bytes; the limit is {MAX_BYTES} bytes")
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise DataFileError(f"{label}: cannot read data file{named}: {exc.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise DataFileError(f"{label}: file is larger than the limit of {MAX_BYTES} bytes")
    return DataText(label, decode_utf8(raw, label), raw)


def decode_utf8(raw: bytes, label: str) -> str:
    """Decode UTF-8 (a BOM is allowed) or raise a problem located at the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        problem = Problem(label, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
                          line=line, column=column)
        raise DataProblems([problem]) from None
