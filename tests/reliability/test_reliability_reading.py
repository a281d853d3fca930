"""Reading and YAML cases of the policy: each refused with a located line and a count, under both loaders."""

from __future__ import annotations

import os
import re
import stat
import sys
import time
from pathlib import Path

import pytest

from stemcell_cli.errors import DataProblems
from stemcell_cli.loading import source, yaml_reader
from stemcell_cli.loading.source import MAX_BYTES

from .helpers import FIXTURES, OTHER, REPO, assert_refused, other_warnings, run, run_process

LOADERS = ["libyaml", "pure"]


@pytest.fixture(params=LOADERS)
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test once with the libyaml loader and once with the pure-Python one."""
    monkeypatch.setenv(source.PURE_VAR, "1" if request.param == "pure" else "0")
    return str(request.param)


def _checked(path: Path) -> list[tuple[str, ...]]:
    """Return the same file through `validate` and through a data command that loads it."""
    return [("validate", str(path)), ("conditions", "--data", str(path)),
            ("wdg", "summary", "--data", str(path), "--no-cache")]


YAML_CASES = [
    ("empty.yaml", r"1:1: error: the file holds no YAML document \(empty or comments only\)"),
    ("comments_only.yaml", r"1:1: error: the file holds no YAML document \(empty or comments only\)"),
    ("top_level_list.yaml", r"1:1: error: the top level must be a mapping with `schema_version:` and `conditions:`; "
                            r"found a list"),
    ("syntax_error.yaml", r"3:8: error: while parsing a flow sequence; (did not find expected|expected) ',' or ']'.*"),
    ("tab_indent.yaml", r"3:1: error: .*cannot start any token \(indent with spaces, not tabs\)"),
    ("unknown_tag.yaml", r"2:13: error: tag '!custom' is not allowed \(only plain YAML data is read\)"),
    ("python_tag.yaml", r"2:13: error: tag '!!python/object/apply:os.system' is not allowed \(only plain YAML data is "
                        r"read\)"),
    ("alias_bomb.yaml", r"8:4: error: aliases here expand to \d+ nodes, more than 5000000 \(alias bomb refused\)"),
    ("recursive_alias.yaml", r"2:17: error: an alias refers to its own anchor \(recursive data is refused\)"),
    ("duplicate_key.yaml", r"6:5: error: duplicate key 'name' \(first defined at line 4\)"),
    ("two_documents.yaml", r"3:1: error: expected a single document in the stream; but found another document"),
    ("deep_flow.yaml", r"2:76: error: nesting deeper than 64 levels"),
    ("deep_block.yaml", r"6[56]:12[79]: error: nesting deeper than 64 levels"),
    ("alias_nesting.yaml", r"4:29: error: nesting deeper than 64 levels once aliases are expanded"),
]


@pytest.mark.parametrize(("name", "located"), YAML_CASES, ids=[c[0] for c in YAML_CASES])
def test_yaml_problem_is_refused_with_its_location_by_every_command(name: str, located: str, loader: str) -> None:
    path = FIXTURES / name
    for args in _checked(path):
        assert_refused(run(*args), re.escape(str(path)) + ":" + located)


def test_a_value_that_does_not_fit_its_tag_is_a_located_error_not_a_crash(loader: str, tmp_path: Path) -> None:
    path = tmp_path / "tagged.yaml"
    path.write_text("schema_version: 1\nconditions:\n  - id: !!int many\n", encoding="utf-8")
    for args in _checked(path):
        assert_refused(run(*args), re.escape(str(path)) + ":3:9: error: 'many' cannot be read as !!int")


def test_code_execution_tag_runs_nothing(loader: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("validate", str(FIXTURES / "python_tag.yaml")).exit_code == 1
    assert run("conditions", "--data", str(FIXTURES / "python_tag.yaml")).exit_code == 1
    assert list(tmp_path.iterdir()) == []


def test_alias_bomb_is_refused_fast(loader: str) -> None:
    started = time.perf_counter()
    assert run("validate", str(FIXTURES / "alias_bomb.yaml")).exit_code == 1
    assert time.perf_counter() - started < 5


def test_libyaml_nesting_limit_is_located_too(tmp_path: Path) -> None:
    path = tmp_path / "very_deep.yaml"
    path.write_text("a: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    # libyaml's scanner stops at its own limit of 1,000 flow levels before the events reach our 64.
    expected = {False: "very_deep.yaml:1:1003: error: while increasing flow level; exceeded maximum nesting depth",
                True: "very_deep.yaml:1:67: error: nesting deeper than 64 levels"}
    for pure in (False, True):
        with pytest.raises(DataProblems) as caught:
            yaml_reader.parse_yaml(path.read_text(encoding="utf-8"), "very_deep.yaml", pure=pure)
        assert [p.located() for p in caught.value.problems] == [expected[pure]]


def test_merge_keys_are_plain_data_and_duplicates_still_refused(loader: str) -> None:
    data = yaml_reader.parse_yaml("base: &b {x: 1, y: 2}\nd: {<<: *b, y: 3}\n", "m.yaml")
    assert data["d"] == {"x": 1, "y": 3}
    with pytest.raises(DataProblems) as caught:
        yaml_reader.parse_yaml("base: &b {x: 1}\nd: {<<: *b, y: 3, y: 4}\n", "m.yaml")
    assert caught.value.problems[0].located() == "m.yaml:2:19: error: duplicate key 'y' (first defined at line 2)"


@pytest.mark.parametrize(("raw", "located"), [
    (b"schema_version: 1\nname: caf\xe9\n", r"2:10: error: not valid UTF-8 \(byte 0xe9\); save the file as UTF-8"),
    ("schema_version: 1\nname: 日本".encode() + b"\xff\n",
     r"2:9: error: not valid UTF-8 \(byte 0xff\); save the file as UTF-8"),
    (b"schema_version: 1\x00\n", r'1:18: error: character U\+0000 is not allowed in YAML; to keep it, write the escape '
                                  r'"\\x00" inside a double-quoted string'),
    (b"schema_version: 1\nconditions: [\x1b]52;c;aGk=\x07]\n",
     r'2:14: error: character U\+001B is not allowed in YAML; to keep it, write the escape "\\x1b" inside a '
     r"double-quoted string"),
], ids=["latin-1", "bad-byte-after-multibyte", "nul", "esc"])
def test_undecodable_or_forbidden_bytes_are_located(raw: bytes, located: str, loader: str, tmp_path: Path) -> None:
    path = tmp_path / "bytes.yaml"
    path.write_bytes(raw)
    for args in _checked(path):
        result = run(*args)
        assert_refused(result, re.escape(str(path)) + ":" + located)
        assert "\x1b" not in result.stderr
        assert "\x00" not in result.stderr


def test_a_utf8_byte_order_mark_is_allowed(loader: str, tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + OTHER.read_bytes())
    with_bom = run("conditions", "--data", str(path), "-f", "csv")
    assert (with_bom.exit_code, with_bom.stderr) == (0, other_warnings(path))
    assert with_bom.stdout == run("conditions", "--data", str(OTHER), "-f", "csv").stdout


def test_file_over_the_size_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing on disk
    started = time.perf_counter()
    for args in _checked(path):
        result = run(*args)
        assert result.exit_code == 1
        assert result.stdout == ""
        limit = f"{path}: error: file is {50 * 1024 * 1024} bytes; the limit is {MAX_BYTES} bytes (32 MiB)"
        assert limit in result.stderr
    assert time.perf_counter() - started < 2


def test_missing_data_option_path_names_the_option_and_the_variable(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.yaml"
    result = run("wdg", "summary", "--data", str(missing))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (f"{missing}: error: no such data file (given with --data; STEMCELL_DATA is ignored when "
                             "--data is set)\n")


def test_environment_variable_pointing_nowhere_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "nowhere.yaml"
    monkeypatch.setenv("STEMCELL_DATA", str(missing))
    result = run("conditions")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"{missing}: error: no such data file (from the STEMCELL_DATA environment variable)\n"


def test_validate_argument_that_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.yaml"
    result = run("validate", str(missing))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"{missing}: error: no such data file\n{missing}: 1 error, 0 warnings\n"


def test_directory_is_refused(tmp_path: Path) -> None:
    result = run("conditions", "--data", str(tmp_path))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (f"{tmp_path}: error: is a directory, not a data file (given with --data; STEMCELL_DATA is "
                             "ignored when --data is set)\n")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "data.yaml"
    os.mkfifo(fifo)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    done = run_process("conditions", "--data", str(fifo), timeout=20)
    assert (done.returncode, done.stdout) == (1, b"")
    assert done.stderr.decode() == (f"{fifo}: error: is not a regular file (devices, pipes and sockets are refused) "
                                    "(given with --data; STEMCELL_DATA is ignored when --data is set)\n")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this platform")
def test_device_is_refused() -> None:
    result = run("validate", "/dev/zero")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        "/dev/zero: error: is not a regular file (devices, pipes and sockets are refused)",
        "/dev/zero: 1 error, 0 warnings",
    ]


def test_symlink_to_a_device_is_refused(tmp_path: Path) -> None:
    if not Path("/dev/zero").exists() or sys.platform == "win32":
        pytest.skip("needs /dev/zero and symlinks")
    link = tmp_path / "data.yaml"
    link.symlink_to("/dev/zero")
    result = run("conditions", "--data", str(link))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (f"{link}: error: is not a regular file (devices, pipes and sockets are refused) "
                             f"(given with "
                             "--data; STEMCELL_DATA is ignored when --data is set)\n")


SHIPPED = REPO / "data" / "studies.yaml"
FACT_SHEET = REPO / ".." / "shared" / "evidence" / "lupus_msc_facts.yaml"


@pytest.mark.parametrize("pure", [False, True], ids=LOADERS)
def test_shipped_data_passes_the_guards_and_validates(pure: bool) -> None:
    if not SHIPPED.exists():
        pytest.skip("the shipped data file is not in this checkout")
    text = SHIPPED.read_text(encoding="utf-8")
    assert isinstance(yaml_reader.parse_yaml(text, str(SHIPPED), pure=pure), dict)
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schema/studies.schema.json"
    result = run("validate", str(SHIPPED))
    assert result.exit_code == 0, result.stderr
    assert re.fullmatch(r".*: 0 errors, \d+ warnings?", result.stderr.splitlines()[-1])


@pytest.mark.parametrize("pure", [False, True], ids=LOADERS)
def test_curators_fact_sheet_passes_the_guards(pure: bool) -> None:
    if not FACT_SHEET.exists():
        pytest.skip("../shared/evidence/lupus_msc_facts.yaml lies beside the repository in CI, not in this copy")
    parsed = yaml_reader.parse_yaml(FACT_SHEET.read_text(encoding="utf-8"), str(FACT_SHEET), pure=pure)
    assert {"sources", "studies"} <= set(parsed)


@pytest.mark.parametrize(("text", "expected"), [
    ("schema_version: 1\rconditions:\r  - id: ms\r    name: \"x\x01\"\r", "cr.yaml:4:13"),
    ("a: 1\r\nb: 2\r\nc: \"\x01\"\r\n", "cr.yaml:3:5"),
    ("a: 1\u2028b: \"\x01\"\n", "cr.yaml:2:5"),
])
def test_refused_characters_are_located_with_every_kind_of_line_break(text: str, expected: str) -> None:
    with pytest.raises(DataProblems) as caught:
        yaml_reader.parse_yaml(text, "cr.yaml")
    assert caught.value.problems[0].located().startswith(expected + ": error: character U+0001 is not allowed")


def test_a_bad_utf8_byte_after_cr_only_lines_is_located() -> None:
    with pytest.raises(DataProblems) as caught:
        source.decode_utf8("a: 1\rb: é\r".encode() + b"\xff", "cr.yaml")
    assert (caught.value.problems[0].line, caught.value.problems[0].column) == (3, 1)
