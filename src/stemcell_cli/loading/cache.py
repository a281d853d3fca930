"""The parse cache: a validated dataset and its warnings, filed under the SHA-256 of the data file's bytes."""

from __future__ import annotations

import datetime
import functools
import gc
import hashlib
import os
import sys
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from enum import Enum
from pathlib import Path
from typing import Any

import msgspec

from stemcell_cli import __version__
from stemcell_cli.errors import Problem, Severity
from stemcell_cli.model import Dataset

FORMAT = 1
MAGIC = b"stemcell-cli parse cache\n"
DIR_VAR = "STEMCELL_CACHE_DIR"
OFF_VAR = "STEMCELL_NO_CACHE"
APP_DIR = "stemcell-cli"
SUFFIX = ".cache"
TEMP_PREFIX = ".tmp-"
KEEP = 8
STALE_TEMP_SECONDS = 3600
FREEZE_BYTES = 1024 * 1024


class _Warning(msgspec.Struct, frozen=True, array_like=True):
    """A warning found in the cached file; the file name is the caller's label, so it is not stored."""

    message: str
    line: int | None
    column: int | None
    path: str | None


class _Payload(msgspec.Struct, frozen=True):
    """What a cache file holds after its header."""

    dataset: Dataset
    warnings: tuple[_Warning, ...]


@functools.cache
def _decoder() -> msgspec.msgpack.Decoder[_Payload]:
    """Return the typed decoder, built on first use (a run without a hit never needs it)."""
    return msgspec.msgpack.Decoder(_Payload)


def disabled() -> bool:
    """Tell whether STEMCELL_NO_CACHE turns the cache off (any value but empty or 0)."""
    return os.environ.get(OFF_VAR, "") not in ("", "0")


def cache_dir() -> Path | None:
    """Return the directory for cache files: STEMCELL_CACHE_DIR, else the platform's user cache directory."""
    override = os.environ.get(DIR_VAR)
    if override:
        return Path(override)
    try:
        home = Path.home()
    except (RuntimeError, KeyError):
        return None
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / APP_DIR
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        return Path(local) / APP_DIR / "Cache" if local else None
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    # The XDG spec says a relative value is invalid and must be ignored.
    base = Path(xdg) if os.path.isabs(xdg) else home / ".cache"
    return base / APP_DIR


def cache_key(raw: bytes) -> str:
    """Return the key of a data file: SHA-256 over format, version, checking code, year and the file's bytes."""
    # The year is in the key because "plausible year" depends on it; the code fingerprint because a checkout
    # keeps its version number while the checks or the model change under it.
    year = datetime.date.today().year
    digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0{_code_fingerprint()}\0{year}\0".encode())
    digest.update(raw)
    return digest.hexdigest()


def _code_fingerprint() -> str:
    """Return the sizes and modification times of the modules that decide what a valid dataset is."""
    package = Path(__file__).resolve().parents[1]
    parts = []
    for relative in ("model.py", "names.py", "errors.py", "loading/checks.py", "loading/schema.py"):
        try:
            info = os.stat(package / relative)
        except OSError:
            continue
        parts.append(f"{relative}:{info.st_size}:{info.st_mtime_ns}")
    return ";".join(parts)


@contextmanager
def paused_gc(*, freeze: bool = False) -> Iterator[None]:
    """Pause the cyclic garbage collector while building a large acyclic structure; optionally freeze it after."""
    # Parsing or decoding 10,000 studies allocates millions of objects and every collection rescans them all:
    # that made a parse four times slower. Nothing built here forms cycles, so reference counting frees it.
    # Freezing moves what exists to the collector's permanent generation, so that later collections skip the
    # dataset too (they cost a warm 10,000-study run over 100 ms); it is done for large files only, because
    # a frozen cycle is never collected, which a long-lived process loading small files should not pay for.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()


class ParseCache:
    """Cache files in one directory; every failure to read or write is a silent miss."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @classmethod
    def default(cls) -> ParseCache | None:
        """Return the user's cache, or None when it is turned off or has no place."""
        if disabled():
            return None
        directory = cache_dir()
        return cls(directory) if directory is not None else None

    def path_for(self, key: str) -> Path:
        """Return the file that holds the entry for a key."""
        return self.directory / f"{key}{SUFFIX}"

    def get(self, key: str, label: str) -> tuple[Dataset, tuple[Problem, ...]] | None:
        """Return the dataset and warnings filed under this key, or None if absent, damaged or foreign."""
        path = self.path_for(key)
        try:
            with path.open("rb") as handle:
                blob = handle.read()
        except (OSError, ValueError):
            return None
        payload = _payload(blob, key)
        if payload is None:
            return None
        try:
            with paused_gc():
                decoded = _decoder().decode(payload)
        except (msgspec.DecodeError, msgspec.ValidationError, ValueError, TypeError):
            return None
        self._touch(path)
        warnings = tuple(Problem(label, w.message, line=w.line, column=w.column, path=w.path,
                                 severity=Severity.WARNING) for w in decoded.warnings)
        return decoded.dataset, warnings

    def put(self, key: str, dataset: Dataset, warnings: tuple[Problem, ...]) -> None:
        """File a validated dataset and its warnings under a key, atomically; do nothing if that fails."""
        records = [[p.message, p.line, p.column, p.path] for p in warnings]
        payload = msgspec.msgpack.encode({"dataset": _compact(dataset), "warnings": records})
        header = f"{FORMAT} {__version__} {key} {len(payload)} {zlib.crc32(payload)}\n".encode()
        import tempfile  # only a miss writes, and tempfile costs every hit a few ms to import

        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=SUFFIX, dir=self.directory)
        except OSError:
            return
        try:
            # No fsync: a file cut short by a crash fails the length and checksum test and is rebuilt.
            with os.fdopen(handle, "wb") as stream:
                stream.write(MAGIC + header + payload)
            os.replace(temp, self.path_for(key))
        except OSError:
            _remove(temp)
            return
        self._prune()

    def _touch(self, path: Path) -> None:
        """Mark an entry as used, so that pruning keeps it."""
        with suppress(OSError):
            os.utime(path)

    def _prune(self) -> None:
        """Keep the KEEP most recently used entries, and remove temporary files left by killed writers."""
        try:
            names = os.listdir(self.directory)
        except OSError:
            return
        now = time.time()
        entries: list[tuple[float, str]] = []
        for name in names:
            full = os.path.join(self.directory, name)
            try:
                modified = os.stat(full).st_mtime
            except OSError:
                continue
            if name.startswith(TEMP_PREFIX) and name.endswith(SUFFIX):
                if now - modified > STALE_TEMP_SECONDS:
                    _remove(full)
            elif name.endswith(SUFFIX):
                entries.append((modified, full))
        entries.sort(reverse=True)
        for _modified, full in entries[KEEP:]:
            _remove(full)


def remember(raw: bytes, dataset: Dataset | None, problems: list[Problem]) -> None:
    """File a freshly checked dataset in the user's cache if it has no errors, so that later runs start warm."""
    if dataset is None or any(p.severity is Severity.ERROR for p in problems):
        return
    store = ParseCache.default()
    if store is not None:
        store.put(cache_key(raw), dataset, tuple(problems))


def _payload(blob: bytes, key: str) -> bytes | None:
    """Return the payload of a cache file whose header matches this key, format and version, else None."""
    if not blob.startswith(MAGIC):
        return None
    end = blob.find(b"\n", len(MAGIC))
    if end < 0:
        return None
    try:
        fmt, version, stored_key, size, crc = blob[len(MAGIC):end].decode("ascii").split(" ")
        expected = (int(fmt), version, stored_key, int(size))
    except ValueError:
        return None
    payload = blob[end + 1:]
    if expected != (FORMAT, __version__, key, len(payload)) or crc != str(zlib.crc32(payload)):
        return None
    return payload


_FIELDS: dict[type[Any], list[tuple[str, str, Any]]] = {}


def _fields(cls: type[Any]) -> list[tuple[str, str, Any]]:
    """Return (attribute, encoded name, default or NODEFAULT) for each field of a record type."""
    known = _FIELDS.get(cls)
    if known is None:
        known = []
        for field in msgspec.structs.fields(cls):
            default = field.default
            if default is msgspec.NODEFAULT and field.default_factory is not msgspec.NODEFAULT:
                default = field.default_factory()
            known.append((field.name, field.encode_name, default))
        _FIELDS[cls] = known
    return known


def _compact(value: Any) -> Any:
    """Return a record as builtins without the fields that hold their default, to keep the file small."""
    # Omitted fields decode to the one shared default object, so a hit also takes less memory than a parse.
    if isinstance(value, msgspec.Struct):
        out = {}
        for name, encoded, default in _fields(type(value)):
            item = getattr(value, name)
            if default is not msgspec.NODEFAULT and (item is default or item == default):
                continue
            out[encoded] = _compact(item)
        return out
    if isinstance(value, (tuple, list)):
        return [_compact(item) for item in value]
    if isinstance(value, dict):
        return {key: _compact(item) for key, item in value.items()}
    if isinstance(value, Enum):
        return value.value
    return value


def _remove(path: str | Path) -> None:
    """Remove a file if it can be removed."""
    with suppress(OSError):
        os.unlink(path)
