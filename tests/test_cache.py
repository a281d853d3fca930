"""The parse cache: hits equal a parse, skip YAML, never go stale, survive damage, and stay out of the way."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import pytest

from stemcell_cli import __version__
from stemcell_cli.errors import DataProblems, Problem, Severity
from stemcell_cli.loading import cache as cache_module
from stemcell_cli.loading import check_file, load, source
from stemcell_cli.loading.cache import FORMAT, KEEP, MAGIC, ParseCache, cache_dir, cache_key
from stemcell_cli.loading.slices import narrowed
from stemcell_cli.loading.source import DataText
from stemcell_cli.model import Condition, Dataset

from .conftest import OTHER, mixed_dataset, mixed_warnings, other_warnings, run, write_mixed

SRC = Path(__file__).resolve().parents[1] / "src"
CONDITIONS_CSV = "id,name,aliases,studies,claims,trials\nwidgetitis,Widgetitis (synthetic),wdg,3,2,2\n"
NAME = "Widgetitis (synthetic)"
# The fixture's one warning: the `cure` claim is cited by no supporting study.
WARNING = ("claim 'cure' has no supporting study", "$.claims[1]")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """Return a private copy of the synthetic dataset, free to edit."""
    target = tmp_path / "data" / "widgetitis.yaml"
    target.parent.mkdir()
    shutil.copyfile(OTHER, target)
    return target


@pytest.fixture
def cache_path() -> Path:
    """Return the cache directory the autouse fixture points STEMCELL_CACHE_DIR at."""
    return Path(os.environ["STEMCELL_CACHE_DIR"])


def entries(directory: Path) -> list[str]:
    """Return the names of all files in the cache directory (none if it does not exist)."""
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def entry(directory: Path, data: Path) -> Path:
    """Return the cache file that belongs to a data file's current bytes."""
    return directory / f"{cache_key(data.read_bytes())}.cache"


def never_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any parse fail the test, to prove an answer came from the cache."""
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the data file was parsed")

    monkeypatch.setattr("stemcell_cli.loading.examine", refuse)


def test_hit_returns_the_same_dataset_and_warnings_without_parsing(
    data: Path, cache_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = load(data)
    assert entries(cache_path) == [entry(cache_path, data).name]
    never_parse(monkeypatch)
    second = load(data)
    assert second.dataset == first.dataset
    assert second.warnings == first.warnings
    assert [(w.message, w.path, w.severity) for w in second.warnings] == [(*WARNING, Severity.WARNING)]
    assert second.warnings[0].line == first.warnings[0].line == 32
    assert second.label == str(data)


def test_a_hit_labels_warnings_with_the_file_it_was_asked_for(data: Path, tmp_path: Path) -> None:
    load(data)
    twin = tmp_path / "twin.yaml"
    shutil.copyfile(data, twin)
    assert [w.file for w in load(twin).warnings] == [str(twin)]


def test_a_hit_does_not_import_yaml(data: Path) -> None:
    code = ("import sys\nfrom pathlib import Path\nfrom stemcell_cli.loading import load\n"
            "name = load(Path(sys.argv[1])).dataset.conditions[0].name\n"
            "print(name, 'yaml' in sys.modules)")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))}
    runs = [subprocess.run([sys.executable, "-c", code, str(data)], capture_output=True, text=True, env=env,
                           check=True) for _ in range(2)]
    assert [(r.stdout, r.stderr) for r in runs] == [(f"{NAME} True\n", ""), (f"{NAME} False\n", "")]


def test_an_edit_that_keeps_size_and_mtime_is_a_miss(data: Path) -> None:
    before = os.stat(data)
    assert load(data).dataset.conditions[0].name == NAME
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace(NAME, "Gadgetitis (synthetic)"[: len(NAME)]), encoding="utf-8")
    os.utime(data, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(data)
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert load(data).dataset.conditions[0].name == "Gadgetitis (synthetic)"


def _garbage(blob: bytes, _other: bytes) -> bytes:
    return b"this is not a cache file\n"


def _empty(blob: bytes, _other: bytes) -> bytes:
    return b""


def _truncated(blob: bytes, _other: bytes) -> bytes:
    return blob[: len(blob) // 2]


def _flipped_byte(blob: bytes, _other: bytes) -> bytes:
    middle = len(blob) - 40
    return blob[:middle] + bytes([blob[middle] ^ 0x01]) + blob[middle + 1:]


def _wrong_magic(blob: bytes, _other: bytes) -> bytes:
    return b"X" + blob[1:]


def _header_field(index: int, value: str) -> Callable[[bytes, bytes], bytes]:
    def rewrite(blob: bytes, _other: bytes) -> bytes:
        end = blob.index(b"\n", len(MAGIC))
        fields = blob[len(MAGIC):end].decode().split(" ")
        fields[index] = value
        return MAGIC + " ".join(fields).encode() + blob[end:]
    return rewrite


def _foreign(_blob: bytes, other: bytes) -> bytes:
    return other


def _key_of(blob: bytes) -> str:
    return blob[len(MAGIC):blob.index(b"\n", len(MAGIC))].decode().split(" ")[2]


def parts(blob: bytes) -> tuple[list[Any], list[bytes]]:
    """Split a cache file into its index (as builtins) and its segments."""
    end = blob.index(b"\n", len(MAGIC))
    size = int(blob[len(MAGIC):end].decode().split(" ")[3])
    base = end + 1 + size
    index = msgspec.msgpack.decode(blob[end + 1:base])
    return index, [blob[base + offset:base + offset + length] for _condition, offset, length, _crc in index[-1]]


def framed(key: str, index: list[Any], segments: list[bytes]) -> bytes:
    """Build a cache file around an index and segments, with every length, offset and checksum right."""
    spans, offset = [], 0
    for (condition, *_old), segment in zip(index[-1], segments, strict=True):
        spans.append([condition, offset, len(segment), zlib.crc32(segment)])
        offset += len(segment)
    encoded = msgspec.msgpack.encode([*index[:-1], spans])
    header = f"{FORMAT} {__version__} {key} {len(encoded)} {zlib.crc32(encoded)}\n"
    return MAGIC + header.encode() + encoded + b"".join(segments)


def span_of(blob: bytes, condition: str) -> tuple[int, int]:
    """Return where a condition's segment starts in a cache file, and its length."""
    end = blob.index(b"\n", len(MAGIC))
    base = end + 1 + int(blob[len(MAGIC):end].decode().split(" ")[3])
    index, _segments = parts(blob)
    offset, length = next((o, n) for c, o, n, _crc in index[-1] if c == condition)
    return base + offset, length


def _wrong_types_inside(blob: bytes, _other: bytes) -> bytes:
    index, segments = parts(blob)
    return framed(_key_of(blob), ["one", *index[1:]], segments)


def _segment_of_wrong_types(blob: bytes, _other: bytes) -> bytes:
    index, _segments = parts(blob)
    return framed(_key_of(blob), index, [msgspec.msgpack.encode([[[0], [], [], [], []], [{"id": 5}], [], [], [], []])])


def _segment_past_the_end(blob: bytes, _other: bytes) -> bytes:
    index, segments = parts(blob)
    index[-1][0][2] = 10**15
    encoded = msgspec.msgpack.encode(index)
    header = f"{FORMAT} {__version__} {_key_of(blob)} {len(encoded)} {zlib.crc32(encoded)}\n"
    return MAGIC + header.encode() + encoded + b"".join(segments)


def _a_record_left_out(blob: bytes, _other: bytes) -> bytes:
    index, segments = parts(blob)
    positions, studies, *rest = msgspec.msgpack.decode(segments[0])
    positions[0] = positions[0][1:]
    return framed(_key_of(blob), index, [msgspec.msgpack.encode([positions, studies[1:], *rest])])


DAMAGE = {
    "garbage": _garbage,
    "empty": _empty,
    "truncated": _truncated,
    "flipped-byte": _flipped_byte,
    "wrong-magic": _wrong_magic,
    "wrong-format": _header_field(0, str(FORMAT + 1)),
    "wrong-version": _header_field(1, "0.0.0-other"),
    "wrong-key-inside": _header_field(2, "0" * 64),
    "wrong-length": _header_field(3, "7"),
    "index-past-the-end": _header_field(3, str(10**15)),
    "foreign-file": _foreign,
    "valid-frame-wrong-types": _wrong_types_inside,
    "valid-frame-segment-of-wrong-types": _segment_of_wrong_types,
    "valid-frame-a-record-left-out": _a_record_left_out,
    "valid-frame-segment-past-the-end": _segment_past_the_end,
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_or_foreign_cache_file_is_ignored_and_rebuilt(
    damage: Callable[[bytes, bytes], bytes], data: Path, tmp_path: Path, cache_path: Path,
) -> None:
    expected = load(data, use_cache=False)
    other = tmp_path / "other.yaml"
    other.write_text(data.read_text(encoding="utf-8").replace(NAME, "Other name"), encoding="utf-8")
    load(other)
    load(data)
    target = entry(cache_path, data)
    target.write_bytes(damage(target.read_bytes(), entry(cache_path, other).read_bytes()))

    assert load(data) == expected
    store = ParseCache(cache_path)
    assert store.get(cache_key(data.read_bytes()), str(data)) == (expected.dataset, expected.warnings)
    assert not [n for n in entries(cache_path) if n.startswith(".tmp-")]


def test_a_version_change_misses_even_with_the_old_file_in_place(
    data: Path, cache_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    load(data)
    monkeypatch.setattr(cache_module, "__version__", "99.0.0")
    assert ParseCache(cache_path).get(cache_key(data.read_bytes()), str(data)) is None
    load(data)
    assert len(entries(cache_path)) == 2


def _under_a_file(tmp_path: Path) -> Path:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory\n", encoding="utf-8")
    return blocker / "cache"


def _read_only_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # Root ignores mode bits, so a read-only directory is simulated where the cache writes.
    directory = tmp_path / "read-only"
    directory.mkdir()

    def denied(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    import tempfile

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    return directory


@pytest.mark.parametrize("make", [lambda p, m: _under_a_file(p), _read_only_dir], ids=["under-a-file", "read-only"])
def test_an_unusable_cache_directory_means_no_cache_and_no_complaint(
    make: Callable[[Path, pytest.MonkeyPatch], Path], data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    directory = make(tmp_path, monkeypatch)
    monkeypatch.setenv("STEMCELL_CACHE_DIR", str(directory))
    try:
        results = [run("conditions", "--format", "csv", "--data", str(data)) for _ in range(2)]
        assert [(r.exit_code, r.stderr) for r in results] == [(0, other_warnings(data))] * 2
        assert [r.stdout for r in results] == [CONDITIONS_CSV, CONDITIONS_CSV]
        if directory.is_dir():
            assert entries(directory) == []
        else:
            assert not directory.exists()
    finally:
        if directory.is_dir():
            directory.chmod(0o700)


def test_a_missing_cache_directory_is_created(data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    directory = tmp_path / "not" / "yet" / "there"
    monkeypatch.setenv("STEMCELL_CACHE_DIR", str(directory))
    load(data)
    assert entries(directory) == [entry(directory, data).name]
    assert directory.stat().st_mode & 0o777 == 0o700


def _doctored(data: Path, cache_path: Path) -> None:
    """File an entry for the data file's bytes that names the condition differently, to see who reads it."""
    real = load(data, use_cache=False)
    condition = msgspec.structs.replace(real.dataset.conditions[0], name="From the cache")
    dataset = msgspec.structs.replace(real.dataset, conditions=(condition,))
    ParseCache(cache_path).put(cache_key(data.read_bytes()), dataset, real.warnings)


def test_the_cache_is_read_by_default(data: Path, cache_path: Path) -> None:
    _doctored(data, cache_path)
    result = run("conditions", "--format", "json", "--data", str(data))
    assert (result.exit_code, result.stderr) == (0, other_warnings(data))  # the warnings come from the cache too
    assert [c["name"] for c in json.loads(result.stdout)["conditions"]] == ["From the cache"]


@pytest.mark.parametrize("how", ["--no-cache", "STEMCELL_NO_CACHE=1"])
def test_turned_off_the_cache_is_neither_read_nor_written(
    how: str, data: Path, cache_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    flags = ["--no-cache"] if how == "--no-cache" else []
    if how != "--no-cache":
        monkeypatch.setenv("STEMCELL_NO_CACHE", "1")
    fresh = run("conditions", "--format", "json", "--data", str(data), *flags)
    assert (fresh.exit_code, fresh.stderr, entries(cache_path)) == (0, other_warnings(data), [])
    _doctored(data, cache_path)
    before = entries(cache_path), entry(cache_path, data).read_bytes()
    result = run("conditions", "--format", "json", "--data", str(data), *flags)
    assert (result.exit_code, result.stderr) == (0, other_warnings(data))
    assert [c["name"] for c in json.loads(result.stdout)["conditions"]] == [NAME]
    assert (entries(cache_path), entry(cache_path, data).read_bytes()) == before


def test_stemcell_no_cache_0_leaves_the_cache_on(data: Path, cache_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STEMCELL_NO_CACHE", "0")
    load(data)
    assert entries(cache_path) == [entry(cache_path, data).name]


def test_a_write_is_atomic_and_leaves_no_temporary_file(
    data: Path, cache_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fail(_src: object, _dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    assert load(data).dataset.conditions[0].name == NAME
    assert entries(cache_path) == []
    monkeypatch.undo()
    monkeypatch.setenv("STEMCELL_CACHE_DIR", str(cache_path))
    load(data)
    assert entries(cache_path) == [entry(cache_path, data).name]
    assert entry(cache_path, data).stat().st_mode & 0o777 == 0o600


def test_a_stale_temporary_file_is_cleaned_and_a_fresh_one_kept(data: Path, cache_path: Path) -> None:
    cache_path.mkdir()
    stale, fresh = cache_path / ".tmp-old.cache", cache_path / ".tmp-writing.cache"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"half")
    os.utime(stale, (1, 1))
    load(data)
    assert entries(cache_path) == sorted([fresh.name, entry(cache_path, data).name])


def test_data_with_errors_is_never_cached(data: Path, cache_path: Path) -> None:
    data.write_text(data.read_text(encoding="utf-8").replace("cites: [able2001]", "cites: [nobody1999]"),
                    encoding="utf-8")
    with pytest.raises(DataProblems):
        load(data)
    checked = check_file(data)
    label, problems = checked.label, checked.problems
    assert [(p.path, p.severity, p.message) for p in problems] == [
        ("$.claims[1]", Severity.WARNING, "claim 'cure' has no supporting study"),
        ("$.claims[1].cites[0]", Severity.ERROR, "unknown study 'nobody1999'")]
    assert (label, entries(cache_path)) == (str(data), [])


def test_validate_of_a_clean_file_leaves_the_cache_warm(
    data: Path, cache_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    result = run("validate", str(data))
    assert (result.exit_code, entries(cache_path)) == (0, [entry(cache_path, data).name])
    never_parse(monkeypatch)
    assert load(data).dataset.conditions[0].name == NAME


@pytest.mark.parametrize("name", ["shipped", "other"])
def test_validate_of_a_cached_clean_file_lists_what_a_parse_lists_without_parsing(
    name: str, cache_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from .conftest import OTHER, SHIPPED

    path = SHIPPED if name == "shipped" else OTHER
    monkeypatch.setenv("STEMCELL_NO_CACHE", "1")
    parsed = [run("validate", str(path)), run("validate", str(path), "-f", "json")]
    monkeypatch.delenv("STEMCELL_NO_CACHE")
    assert run("validate", str(path)).exit_code == 0  # parses, and leaves the cache warm
    never_parse(monkeypatch)
    cached = [run("validate", str(path)), run("validate", str(path), "-f", "json")]
    assert [(r.exit_code, r.stdout, r.stderr) for r in cached] == [(r.exit_code, r.stdout, r.stderr) for r in parsed]
    assert parsed[0].stderr.count(": warning: ") == (23 if name == "shipped" else 1)


def test_the_pure_loader_is_never_answered_from_the_cache(
    data: Path, cache_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    _doctored(data, cache_path)
    assert load(data, pure=True).dataset.conditions[0].name == NAME


def test_only_the_most_recently_used_entries_are_kept(data: Path, cache_path: Path) -> None:
    text = data.read_text(encoding="utf-8")
    versions = []
    for index in range(KEEP + 2):
        data.write_text(text.replace(NAME, f"Widgetitis {index:02d}"), encoding="utf-8")
        load(data)
        versions.append(entry(cache_path, data).name)
        os.utime(cache_path / versions[-1], (1_000_000 + index, 1_000_000 + index))
    assert entries(cache_path) == sorted(versions[2:])


def test_cache_dir_follows_the_platform_conventions(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("STEMCELL_CACHE_DIR")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", "/xdg/cache")
    assert cache_dir() == Path("/xdg/cache/stemcell-cli")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/is/ignored")
    assert cache_dir() == tmp_path / ".cache" / "stemcell-cli"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_dir() == tmp_path / ".cache" / "stemcell-cli"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert cache_dir() == tmp_path / "Library" / "Caches" / "stemcell-cli"
    monkeypatch.setenv("STEMCELL_CACHE_DIR", str(tmp_path / "override"))
    assert cache_dir() == tmp_path / "override"


def test_the_key_covers_format_version_and_every_byte(monkeypatch: pytest.MonkeyPatch) -> None:
    key = cache_key(b"abc")
    assert key == cache_key(b"abc")
    assert re.fullmatch("[0-9a-f]{64}", key)
    assert cache_key(b"abd") != key
    monkeypatch.setattr(cache_module, "FORMAT", FORMAT + 1)
    assert cache_key(b"abc") != key
    monkeypatch.setattr(cache_module, "FORMAT", FORMAT)
    monkeypatch.setattr(cache_module, "__version__", __version__ + ".1")
    assert cache_key(b"abc") != key


def test_a_cached_dataset_round_trips_every_field() -> None:
    full = load(OTHER, use_cache=False).dataset
    store = ParseCache(Path(os.environ["STEMCELL_CACHE_DIR"]))
    warning = Problem("x", "a warning", line=3, column=None, path="$.a", severity=Severity.WARNING)
    store.put("k" * 64, full, (warning,))
    got = store.get("k" * 64, "label")
    assert got is not None
    assert got[0] == full
    assert msgspec.to_builtins(got[0]) == msgspec.to_builtins(full)
    assert got[1] == (Problem("label", "a warning", line=3, column=None, path="$.a", severity=Severity.WARNING),)
    assert isinstance(got[0], Dataset)


def test_the_key_changes_with_the_checking_code_and_the_year(monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime

    before = cache_key(b"abc")
    monkeypatch.setattr(cache_module, "_code_fingerprint", lambda: "checks.py:1:2")
    changed_code = cache_key(b"abc")
    assert changed_code != before

    class NextYear(datetime.date):
        @classmethod
        def today(cls) -> NextYear:
            return cls(2999, 1, 1)

    monkeypatch.setattr(cache_module.datetime, "date", NextYear)
    assert cache_key(b"abc") not in {before, changed_code}


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """Return a data file of three conditions whose records refer to each other's studies."""
    return write_mixed(tmp_path / "mixed.json")


def test_the_file_is_a_header_an_index_and_one_segment_per_condition(mixed: Path, cache_path: Path) -> None:
    load(mixed)
    blob = entry(cache_path, mixed).read_bytes()
    index, segments = parts(blob)
    assert framed(_key_of(blob), index, segments) == blob
    full = mixed_dataset()
    assert index[0] == 1
    assert msgspec.convert(index[1], tuple[Condition, ...]) == full.conditions
    assert index[1][2] == {"id": "emptyitis", "name": "Emptyitis (synthetic)", "aliases": ["mty"]}
    assert index[2] == full.sources
    assert index[3] == [["claim 'cure' has no supporting study", 1, None, "$.claims[2]"],
                        ["claim 'conclusion_wang2018' has no supporting study", 1, None, "$.claims[9]"]]
    assert index[4] == [23, 2, 13, 12, 17]  # studies, pages, claims, citation issues, trials
    assert index[5] == [msgspec.to_builtins(s) for s in full.secondary_sources]
    assert index[6] is True  # the warnings have their lines
    assert [span[0] for span in index[7]] == ["lupus", "widgetitis", "emptyitis"]
    empty = msgspec.msgpack.decode(segments[2])
    assert empty == [[[], [], [], [], []], [], [], [], [], []]


def segments_decoded(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the segments the cache decodes from now on (one list item, the byte count, per segment)."""
    decoded: list[int] = []
    real = cache_module._segment_decoder()

    class Counting:
        def decode(self, data: bytes) -> object:
            decoded.append(len(data))
            return real.decode(data)

    monkeypatch.setattr(cache_module, "_segment_decoder", Counting)
    return decoded


def test_a_hit_for_one_condition_decodes_its_segment_only(
    mixed: Path, cache_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    load(mixed)
    spans = parts(entry(cache_path, mixed).read_bytes())[0][-1]
    never_parse(monkeypatch)
    decoded = segments_decoded(monkeypatch)
    assert load(mixed, condition="wdg").dataset == narrowed(mixed_dataset(), "widgetitis")
    assert decoded == [spans[1][2]]
    decoded.clear()
    assert load(mixed).dataset == mixed_dataset()
    assert decoded == [span[2] for span in spans]


def _flip(path: Path, at: int) -> None:
    """Change one byte of a file."""
    blob = bytearray(path.read_bytes())
    blob[at] ^= 0x01
    path.write_bytes(bytes(blob))


def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the label of every file parsed from now on."""
    import stemcell_cli.loading as loading

    seen: list[str] = []
    real = loading.examine

    def counting(text: DataText, *, pure: bool = False,
                 locate_warnings: bool = True) -> tuple[Dataset | None, list[Problem]]:
        seen.append(text.label)
        return real(text, pure=pure, locate_warnings=locate_warnings)

    monkeypatch.setattr(loading, "examine", counting)
    return seen


def test_damage_to_another_condition_s_segment_spares_a_one_condition_hit_but_not_a_full_one(
    mixed: Path, cache_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    load(mixed)
    target = entry(cache_path, mixed)
    intact = target.read_bytes()
    start, length = span_of(intact, "widgetitis")
    _flip(target, start + length // 2)
    parsed = parses(monkeypatch)
    # No checksum over the whole file is taken: lupus still comes from the cache.
    assert load(mixed, condition="lupus").dataset == narrowed(mixed_dataset(), "lupus")
    assert (parsed, target.read_bytes() == intact) == ([], False)
    assert load(mixed, condition="widgetitis").dataset == narrowed(mixed_dataset(), "widgetitis")
    assert (parsed, target.read_bytes()) == ([str(mixed)], intact)
    _flip(target, start + length // 2)
    assert load(mixed).dataset == mixed_dataset()
    assert (parsed, target.read_bytes()) == ([str(mixed)] * 2, intact)


def _cut_inside(blob: bytes, start: int, length: int) -> bytes:
    return blob[:start + length // 2]


def _flipped_inside(blob: bytes, start: int, length: int) -> bytes:
    return blob[:start + 3] + bytes([blob[start + 3] ^ 0x80]) + blob[start + 4:]


def _wrong_types_in_segment(blob: bytes, start: int, length: int) -> bytes:
    index, segments = parts(blob)
    where = [span[0] for span in index[-1]].index("widgetitis")
    segments[where] = msgspec.msgpack.encode([[[0], [], [], [], []], [{"id": 5}], [], [], [], []])
    return framed(_key_of(blob), index, segments)


def _segment_missing(blob: bytes, start: int, length: int) -> bytes:
    index, segments = parts(blob)
    where = [span[0] for span in index[-1]].index("widgetitis")
    del index[-1][where], segments[where]
    return framed(_key_of(blob), index, segments)


SEGMENT_DAMAGE = {
    "cut-short": _cut_inside,
    "flipped-byte": _flipped_inside,
    "valid-frame-wrong-types": _wrong_types_in_segment,
    "no-segment": _segment_missing,
}


@pytest.mark.parametrize("damage", SEGMENT_DAMAGE.values(), ids=SEGMENT_DAMAGE.keys())
def test_a_damaged_segment_is_a_miss_and_rebuilt(
    damage: Callable[[bytes, int, int], bytes], mixed: Path, cache_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    load(mixed)
    target = entry(cache_path, mixed)
    intact = target.read_bytes()
    target.write_bytes(damage(intact, *span_of(intact, "widgetitis")))
    parsed = parses(monkeypatch)
    assert load(mixed, condition="wdg").dataset == narrowed(mixed_dataset(), "widgetitis")
    assert (parsed, target.read_bytes()) == ([str(mixed)], intact)


def test_an_unknown_condition_gets_the_same_error_from_a_hit_a_miss_and_no_cache(
    mixed: Path, cache_path: Path,
) -> None:
    args = ("lupsu", "summary", "--data", str(mixed))
    results = [run(*args, "--no-cache"), run(*args), run(*args)]
    assert entries(cache_path) == [entry(cache_path, mixed).name]
    assert {(r.exit_code, r.stdout, r.stderr) for r in results} == {(
        2, "", mixed_warnings(mixed) + "error: unknown condition 'lupsu'; did you mean 'lupus'? (known: lupus, "
                                       "sle, widgetitis, wdg, emptyitis, mty; see `stemcell conditions`)\n")}


def test_a_hit_never_decodes_the_data_file_s_text(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = load(data)

    def refuse(*_args: object) -> str:
        raise AssertionError("the data file's text was decoded")

    monkeypatch.setattr(source, "decode_utf8", refuse)
    assert load(data) == expected
    assert load(data, condition="wdg") == expected


def test_reading_leaves_decoding_to_the_first_use_of_the_text(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"schema_version: 1\nname: caf\xe9\n")
    text = source.read_data(path, "--data")
    assert text.raw == path.read_bytes()
    with pytest.raises(DataProblems) as caught:
        _ = text.text
    assert [p.located() for p in caught.value.problems] == [
        f"{path}:2:10: error: not valid UTF-8 (byte 0xe9); save the file as UTF-8"]
    with pytest.raises(DataProblems) as again:
        load(path)
    assert again.value.problems == caught.value.problems


def _with_orphans(data: Dataset) -> Dataset:
    """Add a study and a trial of a condition the data does not have (validation refuses that; the cache does not)."""
    orphan_study = msgspec.structs.replace(data.studies[0], id="x1", condition="gone")
    orphan_trial = msgspec.structs.replace(data.trials[0], id="x2", condition="gone")
    return msgspec.structs.replace(data, studies=(*data.studies, orphan_study), trials=(orphan_trial, *data.trials))


@pytest.mark.parametrize("orphans", [True, False], ids=["records-of-no-condition", "mixed"])
def test_a_full_hit_puts_every_record_back_in_its_place(orphans: bool, cache_path: Path) -> None:
    full = _with_orphans(mixed_dataset()) if orphans else mixed_dataset()
    store = ParseCache(cache_path)
    store.put("k" * 64, full, ())
    assert store.get("k" * 64, "label") == (full, ())
    for condition in full.conditions:
        assert store.get("k" * 64, "label", condition.id) == (narrowed(full, condition.id), ())
    assert store.get("k" * 64, "label", "gone") == (narrowed(full, None), ())


def test_the_condition_commands_ask_the_cache_for_their_condition_only(
    mixed: Path, cache_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    commands = [["summary"], ["claims"], ["contrasts"], ["studies"], ["trials"], ["study", "deng2017"]]
    expected = {c[0]: run("lupus", *c, "--format", "json", "--data", str(mixed), "--no-cache").stdout
                for c in commands}
    assert run("lupus", "summary", "--data", str(mixed)).exit_code == 0  # warms the cache
    target = entry(cache_path, mixed)
    start, length = span_of(target.read_bytes(), "widgetitis")
    _flip(target, start + length // 2)
    never_parse(monkeypatch)
    for command in commands:
        result = run("sle", *command, "--format", "json", "--data", str(mixed))
        assert (result.exit_code, result.stderr, result.stdout) == (0, mixed_warnings(mixed), expected[command[0]])


SHAPING_MODULES = sorted(["model.py", *(f"loading/{p.name}" for p in (SRC / "stemcell_cli" / "loading").glob("*.py"))])


@pytest.mark.parametrize("relative", SHAPING_MODULES)
@pytest.mark.parametrize("edit", ["mtime", "size"])
def test_editing_any_module_that_shapes_parsed_data_changes_the_key(
        relative: str, edit: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "stemcell_cli"
    shutil.copytree(SRC / "stemcell_cli", package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache_module, "PACKAGE", package)
    before = cache_key(b"data")
    module = package / relative
    if edit == "mtime":
        info = module.stat()
        os.utime(module, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
    else:
        with module.open("a", encoding="utf-8") as stream:
            stream.write("\n")
    assert cache_key(b"data") != before
    assert cache_key(b"data") == cache_key(b"data")


def test_a_new_loader_module_changes_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "stemcell_cli"
    shutil.copytree(SRC / "stemcell_cli", package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache_module, "PACKAGE", package)
    before = cache_key(b"data")
    (package / "loading" / "new_step.py").write_text('"""A new step of the parse."""\n', encoding="utf-8")
    assert cache_key(b"data") != before



def _no_second_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the second YAML pass, which finds the line of each problem, fail the test."""
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the YAML was read a second time to place the warnings")

    monkeypatch.setattr("stemcell_cli.loading.yaml_lines.node_lines", refuse)


@pytest.mark.parametrize("cached", [True, False], ids=["cache", "no-cache"])
def test_the_loader_says_it_read_the_shipped_file_and_reads_its_yaml_once(
    cached: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from .conftest import SHIPPED

    copy = tmp_path / "copy.yaml"
    shutil.copyfile(SHIPPED, copy)
    _no_second_pass(monkeypatch)
    for path in (None, SHIPPED, copy):
        loaded = load(path, use_cache=cached)
        assert (loaded.shipped, len(loaded.warnings)) == (True, 23)
    monkeypatch.undo()
    edited = tmp_path / "edited.yaml"
    edited.write_bytes(SHIPPED.read_bytes() + b"# mine\n")
    for path in (edited, OTHER):
        loaded = load(path, use_cache=cached)
        assert not loaded.shipped
        assert loaded.warnings
        assert all(warning.line is not None for warning in loaded.warnings)


def test_a_cache_entry_without_lines_answers_the_commands_but_not_what_shows_the_warnings(
    cache_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from typer.testing import CliRunner

    from stemcell_cli.cli.app import app

    from .conftest import SHIPPED

    assert run("lupus", "summary").stderr == ""  # the shipped file: its warnings are stored without their lines
    [stored] = entries(cache_path)
    never_parse(monkeypatch)
    assert run("conditions").exit_code == 0
    monkeypatch.undo()
    # Its bytes on standard input are a file the user gave: the warnings are shown, each with its line.
    piped = CliRunner().invoke(app, ["lupus", "summary", "--data", "-"], input=SHIPPED.read_bytes())
    shown = piped.stderr.splitlines()
    assert len(shown) == 23
    assert all(re.match(r"<stdin>: \$\.claims\[\d+\] \(line \d+\): warning: ", line) for line in shown)
    # That parse filed the warnings with their lines, which now answer validate and the commands alike.
    assert entries(cache_path) == [stored]
    never_parse(monkeypatch)
    listed = run("validate")
    assert [line.split(": ", 1)[1] for line in listed.stderr.splitlines()[:-1]] == [
        line.split(": ", 1)[1] for line in shown]
    assert run("lupus", "summary").stderr == ""


def test_validate_places_the_warnings_that_a_command_stored_without_their_lines(
    cache_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert run("conditions").exit_code == 0
    listed = run("validate")
    monkeypatch.setenv("STEMCELL_NO_CACHE", "1")
    assert listed.stderr == run("validate").stderr
    assert listed.stderr.count(" (line ") == 23
