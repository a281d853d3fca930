"""The parse cache: a validated dataset and its warnings, filed under the BLAKE2b hash of the data file's bytes."""

# No `from __future__ import annotations`: msgspec reads these records' annotations when it builds a decoder
# or encoder on each run, and string annotations would each be compiled and evaluated there.

import datetime
import functools
import gc
import os
import sys
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, BinaryIO

import msgspec

try:
    # The interpreter's own BLAKE2: importing hashlib loads OpenSSL first, which cost every run about 3 ms.
    from _blake2 import blake2b
except ImportError:  # an interpreter built without it
    from hashlib import blake2b

from stemcell_cli import __version__
from stemcell_cli.errors import Problem, Severity
from stemcell_cli.loading.slices import RECORDS, Slice, slices
from stemcell_cli.model import CitationIssue, Claim, Condition, Dataset, Page, SecondarySource, Study, Trial
from stemcell_cli.names import condition_called

# Format 2: an index (conditions, sources, warnings, and where each segment lies), then one segment of records
# per condition, so that a command on one condition reads and decodes only that condition's records.
# Format 3: the same layout; records also hold each number's printed form (`printed`), which format 2 lacked.
# Format 4: the index also holds the secondary sources.
# Format 5: the index also says whether the warnings have their lines (the shipped file's are stored without).
FORMAT = 5
MAGIC = b"stemcell-cli parse cache\n"
DIR_VAR = "STEMCELL_CACHE_DIR"
OFF_VAR = "STEMCELL_NO_CACHE"
APP_DIR = "stemcell-cli"
SUFFIX = ".cache"
TEMP_PREFIX = ".tmp-"
KEEP = 8
# The first read of a one-condition hit; it holds the header and the index of all but very large files.
HEAD_BYTES = 64 * 1024
STALE_TEMP_SECONDS = 3600
FREEZE_BYTES = 1024 * 1024


class _Warning(msgspec.Struct, frozen=True, array_like=True):
    """A warning found in the cached file; the file name is the caller's label, so it is not stored."""

    message: str
    line: int | None
    column: int | None
    path: str | None


_NonNegative = Annotated[int, msgspec.Meta(ge=0)]
# The file's parts, alike in shape to other records on purpose: each is typed so that a damaged file fails to decode.


class _Span(msgspec.Struct, frozen=True, array_like=True):
    """Where a segment lies after the index; condition None marks the records that are in no condition's slice."""

    condition: str | None
    offset: _NonNegative
    length: _NonNegative
    crc: int


class _Index(msgspec.Struct, frozen=True, array_like=True):
    """What a cache file holds after its header: all but the records, and where each condition's records are."""

    schema_version: int
    conditions: tuple[Condition, ...]
    sources: dict[str, str]
    warnings: tuple[_Warning, ...]
    counts: tuple[_NonNegative, ...]
    secondary_sources: tuple[SecondarySource, ...]
    located: bool
    segments: tuple[_Span, ...]


class _Segment(msgspec.Struct, frozen=True, array_like=True):
    """One condition's slice of the records, with each record's position in the whole dataset."""

    positions: tuple[tuple[_NonNegative, ...], ...]
    studies: tuple[Study, ...]
    pages: tuple[Page, ...]
    claims: tuple[Claim, ...]
    citation_issues: tuple[CitationIssue, ...]
    trials: tuple[Trial, ...]


@functools.cache
def _index_decoder() -> msgspec.msgpack.Decoder[_Index]:
    """Return the typed decoder of the index, built on first use (a run without a hit never needs it)."""
    return msgspec.msgpack.Decoder(_Index)


@functools.cache
def _segment_decoder() -> msgspec.msgpack.Decoder[_Segment]:
    """Return the typed decoder of one segment, built on first use."""
    return msgspec.msgpack.Decoder(_Segment)


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
    """Return the key of a data file: BLAKE2b-256 over format, version, checking code, year and the file's bytes."""
    # The year is in the key because "plausible year" depends on it; the code fingerprint because a checkout
    # keeps its version number while the checks or the model change under it.
    year = datetime.date.today().year
    digest = blake2b(f"{FORMAT}\0{__version__}\0{_code_fingerprint()}\0{year}\0".encode(), digest_size=32)
    digest.update(raw)
    return digest.hexdigest()


PACKAGE = Path(__file__).resolve().parents[1]
# Beside every module of loading/ (the reader, the builder, the checks, the cache itself), these shape the data too.
SHAPING = ("model.py", "names.py", "errors.py")


def _code_fingerprint() -> str:
    """Return the sizes and modification times of every module that decides what a parse gives and what is valid."""
    parts = []
    loading = PACKAGE / "loading"
    try:
        modules = sorted(entry.name for entry in os.scandir(loading) if entry.name.endswith(".py"))
    except OSError:
        modules = []
    for relative in (*SHAPING, *(f"loading/{name}" for name in modules)):
        try:
            info = os.stat(PACKAGE / relative)
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
    def default(cls) -> "ParseCache | None":
        """Return the user's cache, or None when it is turned off or has no place."""
        if disabled():
            return None
        directory = cache_dir()
        return cls(directory) if directory is not None else None

    def path_for(self, key: str) -> Path:
        """Return the file that holds the entry for a key."""
        return self.directory / f"{key}{SUFFIX}"

    def get(self, key: str, label: str, condition: str | None = None, *,
            located: bool = False) -> tuple[Dataset, tuple[Problem, ...]] | None:
        """Return the dataset and warnings under this key (a named condition: its slice only), or None if unusable."""
        # A caller that shows the warnings asks for them `located`: an entry stored without their lines is then a miss.
        path = self.path_for(key)
        try:
            with path.open("rb") as handle, paused_gc():
                found = _read(handle, key, condition, located)
        except (OSError, ValueError, TypeError, msgspec.DecodeError, msgspec.ValidationError):
            return None
        if found is None:
            return None
        self._touch(path)
        dataset, stored = found
        warnings = tuple(Problem(label, w.message, line=w.line, column=w.column, path=w.path,
                                 severity=Severity.WARNING) for w in stored)
        return dataset, warnings

    def put(self, key: str, dataset: Dataset, warnings: tuple[Problem, ...], *, located: bool = True) -> None:
        """File a validated dataset and its warnings under a key, atomically; do nothing if that fails."""
        segments, spans = _segments(dataset)
        index = msgspec.msgpack.encode([
            dataset.schema_version,
            _compact(dataset.conditions),
            dataset.sources,
            [[p.message, p.line, p.column, p.path] for p in warnings],
            [len(getattr(dataset, name)) for name in RECORDS],
            dataset.secondary_sources,
            located,
            spans,
        ])
        header = f"{FORMAT} {__version__} {key} {len(index)} {zlib.crc32(index)}\n".encode()
        import tempfile  # only a miss writes, and tempfile costs every hit a few ms to import

        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=SUFFIX, dir=self.directory)
        except OSError:
            return
        try:
            # No fsync: a file cut short by a crash fails a length or checksum test and is rebuilt.
            with os.fdopen(handle, "wb") as stream:
                stream.write(MAGIC + header + index)
                stream.writelines(segments)
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


def _segments(dataset: Dataset) -> tuple[list[bytes], list[list[Any]]]:
    """Encode each condition's slice, then any records in no slice, as segments; return them and their spans."""
    parts: list[tuple[str | None, Slice]] = list(slices(dataset).items())
    covered: dict[str, set[int]] = {name: set() for name in RECORDS}
    for _condition, part in parts:
        for name in RECORDS:
            covered[name].update(getattr(part, name))
    rest = {name: tuple(i for i in range(len(getattr(dataset, name))) if i not in covered[name]) for name in RECORDS}
    if any(rest.values()):
        parts.append((None, Slice(**rest)))
    segments: list[bytes] = []
    spans: list[list[Any]] = []
    offset = 0
    for condition, part in parts:
        records = [[_compact(getattr(dataset, name)[i]) for i in getattr(part, name)] for name in RECORDS]
        segment = msgspec.msgpack.encode([[getattr(part, name) for name in RECORDS], *records])
        spans.append([condition, offset, len(segment), zlib.crc32(segment)])
        segments.append(segment)
        offset += len(segment)
    return segments, spans


def _read(handle: BinaryIO, key: str, condition: str | None,
          located: bool) -> tuple[Dataset, tuple[_Warning, ...]] | None:
    """Read the header and index, then the one segment asked for or every segment; None if anything is amiss."""
    # The whole file is needed for the whole dataset; for one condition, the first read usually holds the
    # header and the index, and the segment is then read after a seek.
    blob = handle.read() if condition is None else handle.read(HEAD_BYTES)
    if not blob.startswith(MAGIC):
        return None
    end = blob.find(b"\n", len(MAGIC))
    if end < 0:
        return None
    fmt, version, stored_key, size, crc = blob[len(MAGIC):end].decode("ascii").split(" ")
    if (int(fmt), version, stored_key) != (FORMAT, __version__, key):
        return None
    # Lengths are checked against the file's size before anything is read, so a foreign file cannot ask for more.
    total = os.fstat(handle.fileno()).st_size
    start, base = end + 1, end + 1 + int(size)
    if base > total:
        return None
    if len(blob) < base:
        blob += handle.read(base - len(blob))
    index_bytes = blob[start:base]
    if len(index_bytes) != int(size) or zlib.crc32(index_bytes) != int(crc):
        return None
    index = _index_decoder().decode(index_bytes)
    if located and not index.located:
        return None
    if condition is None:
        found = [_segment(blob, handle, base, span, total) for span in index.segments]
        segments = [segment for segment in found if segment is not None]
        return (_whole(index, segments), index.warnings) if len(segments) == len(found) else None
    wanted = condition_called(condition, index.conditions)
    if wanted is None:
        return _dataset(index, {}), index.warnings
    span = next((span for span in index.segments if span.condition == wanted.id), None)
    segment = _segment(blob, handle, base, span, total) if span is not None else None
    if segment is None:
        return None
    return _dataset(index, {name: getattr(segment, name) for name in RECORDS}), index.warnings


def _segment(blob: bytes, handle: BinaryIO, base: int, span: _Span, total: int) -> _Segment | None:
    """Return one segment, from what was read already or after a seek; None if it is short or fails its CRC."""
    start = base + span.offset
    if start + span.length > total:
        return None
    if start + span.length <= len(blob):
        data = blob[start:start + span.length]
    else:
        handle.seek(start)
        data = handle.read(span.length)
    if len(data) != span.length or zlib.crc32(data) != span.crc:
        return None
    return _segment_decoder().decode(data)


def _whole(index: _Index, segments: list[_Segment]) -> Dataset:
    """Put every segment's records back in their places; raise ValueError if a place stays empty."""
    lists: dict[str, list[Any]] = {name: [None] * count for name, count in zip(RECORDS, index.counts, strict=True)}
    for segment in segments:
        for name, positions in zip(RECORDS, segment.positions, strict=True):
            target = lists[name]
            for position, record in zip(positions, getattr(segment, name), strict=True):
                target[position] = record
    if any(record is None for records in lists.values() for record in records):
        raise ValueError("a record is missing from the cache file")
    return _dataset(index, {name: tuple(records) for name, records in lists.items()})


def _dataset(index: _Index, records: dict[str, Any]) -> Dataset:
    """Return the dataset of the index's conditions and sources with these record lists (the others empty)."""
    return Dataset(schema_version=index.schema_version, conditions=index.conditions, sources=index.sources,
                   secondary_sources=index.secondary_sources, **records)


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
