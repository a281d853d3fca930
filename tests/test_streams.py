"""Real processes: pipes that close early, colour variables on a terminal, narrow terminals, limited encodings."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from .reliability.helpers import (
    FIXTURES,
    OTHER,
    foreign_escapes,
    other_warnings,
    run_process,
    squash,
    subprocess_env,
    table_cells,
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes, ttys and devices")
SGR = re.compile(r"\x1b\[[0-9;]*m")
OTHER_WARNINGS = other_warnings().encode()


def _dataset(studies: int) -> str:
    """Return a valid data file with this many studies, each supporting its own claim."""
    lines = ["schema_version: 1", "conditions:", "  - {id: widgetitis, name: Widgetitis, aliases: [wdg]}",
             "pages:", "  - {id: p, condition: widgetitis, title: Page}", "claims:"]
    lines += [f"  - {{id: c{i}, page: p, kind: benefit, text: Claim number {i}, outcome: o, "
              f"support: [{{study: s{i}, finding: found {i}}}]}}" for i in range(studies)]
    lines.append("studies:")
    lines += [f"  - {{id: s{i}, condition: widgetitis, verification: verified, design: single_arm, "
              f"direction: supports_benefit, doi: {{value: '10.5555/s.{i}', src: ['https://example.org/u']}}, "
              f"year: {{value: 2001, src: ['https://example.org/u']}}}}" for i in range(studies)]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A dataset whose summary is far larger than a pipe's buffer (about 100 kB as a table, 240 kB as JSON)."""
    path = tmp_path_factory.mktemp("big") / "big.yaml"
    path.write_text(_dataset(300), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["table", "json"])
@pytest.mark.parametrize("when", ["mid-write", "before-write"])
def test_reader_closing_the_pipe_early_is_a_clean_exit(fmt: str, when: str, big: Path) -> None:
    command = [sys.executable, "-m", "stemcell_cli", "wdg", "summary", "--data", str(big), "-f", fmt, "--no-cache"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=subprocess_env())
    with process:
        assert process.stdout is not None
        assert process.stderr is not None
        # stderr is drained aside, so that a flood of errors fails this test instead of deadlocking it.
        errors: list[bytes] = []
        drain = threading.Thread(target=lambda: errors.append(process.stderr.read()), daemon=True)  # type: ignore[union-attr]
        drain.start()
        # Some kernels end a write blocked on a pipe that closes with a short count and no error, so the
        # reader also closes before the first write, which always fails with EPIPE.
        first = process.stdout.readline() if when == "mid-write" else None
        process.stdout.close()  # what `| head -1` does
        assert process.wait(timeout=30) == 0
        drain.join(timeout=30)
        err = errors[0]
    if first is not None:
        assert first == {"table": b"Widgetitis: what the curated evidence shows\n", "json": b"{\n"}[fmt]
    assert err == b""


def test_small_output_into_a_closed_pipe_leaves_nothing_for_the_exit_flush() -> None:
    process = subprocess.Popen([sys.executable, "-m", "stemcell_cli", "conditions", "--data", str(OTHER), "-f", "json"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=subprocess_env())
    with process:
        assert process.stdout is not None
        assert process.stderr is not None
        process.stdout.close()
        assert (process.wait(timeout=30), process.stderr.read()) == (0, OTHER_WARNINGS)


def test_head_in_a_real_shell_pipeline(big: Path) -> None:
    command = (f"{shlex.quote(sys.executable)} -m stemcell_cli wdg summary --data {shlex.quote(str(big))} "
               "-f json | head -1")
    done = subprocess.run(["/bin/sh", "-c", command], capture_output=True, env=subprocess_env(), timeout=30,
                          check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, b"{\n", b"")


def _on_terminal(*args: str, warnings: bytes = b"", **env: str) -> str:
    """Run the CLI with a pseudo-terminal as stdout and return what it drew; stderr must hold only the warnings."""
    import pty

    master, slave = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "stemcell_cli", *args], stdout=slave,
                               stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                               env=subprocess_env(**{"COLUMNS": "100", "TERM": "xterm-256color", **env}))
    os.close(slave)
    chunks = []
    with process:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(master)
        assert process.stderr is not None
        assert (process.wait(timeout=30), process.stderr.read()) == (0, warnings)
    return b"".join(chunks).decode()


@pytest.mark.parametrize(("env", "coloured"), [({}, True), ({"NO_COLOR": "1"}, False), ({"TERM": "dumb"}, False),
                                               ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, False)],
                         ids=["auto", "NO_COLOR", "TERM=dumb", "NO_COLOR-beats-FORCE_COLOR"])
def test_colour_on_a_terminal_follows_the_environment(env: dict[str, str], coloured: bool) -> None:
    drawn = _on_terminal("wdg", "studies", "--data", str(OTHER), warnings=OTHER_WARNINGS, **env)
    assert bool(SGR.search(drawn)) is coloured
    assert "10.5555/able.2001" in drawn


OSC8 = re.compile(r"\x1b\]8;[^;]*;https://doi\.org/10\.5555/able\.2001\x1b\\")


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {}, {"FORCE_COLOR": "1", "NO_COLOR": "1"}],
                         ids=["NO_COLOR", "auto", "NO_COLOR-beats-FORCE_COLOR"])
def test_colour_is_not_links_on_a_terminal(env: dict[str, str]) -> None:
    drawn = _on_terminal("wdg", "study", "able2001", "--data", str(OTHER), "--no-pager", warnings=OTHER_WARNINGS,
                         **env)
    assert OSC8.search(drawn)
    assert bool(SGR.search(drawn)) is (env == {})
    never = _on_terminal("wdg", "study", "able2001", "--data", str(OTHER), "--no-pager", "--color", "never",
                         warnings=OTHER_WARNINGS)
    assert (bool(OSC8.search(never)), bool(SGR.search(never))) == (True, False)
    dumb = _on_terminal("wdg", "study", "able2001", "--data", str(OTHER), "--no-pager", warnings=OTHER_WARNINGS,
                        TERM="dumb")
    assert "\x1b" not in dumb


def test_force_color_colours_tables_but_never_json_in_a_pipe() -> None:
    table = run_process("wdg", "studies", "--data", str(OTHER), FORCE_COLOR="1", STEMCELL_FORCE_TTY="1")
    assert SGR.search(table.stdout.decode())
    assert foreign_escapes(table.stdout.decode()) == []
    for fmt in ("json", "csv", "markdown"):
        done = run_process("wdg", "study", "able2001", "--data", str(OTHER), "-f", fmt, FORCE_COLOR="1")
        assert done.returncode == 0
        assert b"\x1b" not in done.stdout
        assert (done.stderr, b"\x1b" in run_process("wdg", "studies", "--data", str(OTHER), "-f", fmt,
                                                      "--color", "always").stdout) == (OTHER_WARNINGS, False)


def test_narrow_terminal_loses_no_characters() -> None:
    studies = run_process("wdg", "studies", "--data", str(OTHER), COLUMNS="40", STEMCELL_FORCE_TTY="1")
    study = run_process("wdg", "study", "baker2002", "--data", str(OTHER), COLUMNS="40", STEMCELL_FORCE_TTY="1")
    wide = run_process("wdg", "studies", "--data", str(OTHER), STEMCELL_FORCE_TTY="100")
    for done in (studies, study, wide):
        assert (done.returncode, done.stderr) == (0, OTHER_WARNINGS)
        assert max(len(line) for line in done.stdout.decode().splitlines()) <= (100 if done is wide else 40)
    squashed = squash(studies.stdout.decode())
    for doi in ("10.5555/able.2001", "10.5555/baker.2002"):
        assert doi in squashed
    assert "https://doi.org/10.5555/baker.2002" in squash(study.stdout.decode())
    cells = table_cells(wide.stdout.decode())
    assert [row[-1] for row in cells[1:]] == ["10.5555/able.2001", "10.5555/baker.2002", "-"]


@pytest.fixture(scope="module")
def accented(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic dataset with non-ASCII names."""
    path = tmp_path_factory.mktemp("accented") / "accented.yaml"
    text = OTHER.read_text(encoding="utf-8").replace("Widgetitis (synthetic)", "Widgetitis (synthétique) 日本")
    path.write_text(text.replace("publisher: Demo Clinic", "publisher: Démo Clinic"), encoding="utf-8")
    return path


ACCENTED_WARNINGS = b"%s: $.claims[1] (line 32): warning: claim 'cure' has no supporting study\n"
WARNING = (b"warning: the output encoding ascii cannot show some characters; they are written as \\x or \\u "
           b"escapes (set PYTHONIOENCODING=utf-8 to see them)\n")


def test_ascii_terminal_gets_a_whole_aligned_table_and_one_warning_first(accented: Path) -> None:
    done = run_process("wdg", "summary", "--data", str(accented), PYTHONIOENCODING="ascii", STEMCELL_FORCE_TTY="1")
    assert (done.returncode, done.stderr) == (0, ACCENTED_WARNINGS % bytes(accented) + WARNING)
    text = done.stdout.decode("ascii")
    assert "Widgetitis (synth\\xe9tique) \\u65e5\\u672c" in text
    assert "(D\\xe9mo Clinic)" in text
    # The summary's table has no frame above and below: its rows are the lines with ASCII column rules.
    framed = [line for line in text.splitlines() if " | " in line or "-+-" in line]
    assert len(framed) == 6
    rules = {tuple(i for i, c in enumerate(line) if c in "|+") for line in framed}
    assert rules == {(7, 34)}  # every row's columns are where the header's are


def test_ascii_stream_gets_json_that_parses_to_the_same_data(accented: Path) -> None:
    ascii_run = run_process("wdg", "summary", "--data", str(accented), "-f", "json", PYTHONIOENCODING="ascii")
    utf8_run = run_process("wdg", "summary", "--data", str(accented), "-f", "json")
    assert (ascii_run.returncode, ascii_run.stderr) == (0, ACCENTED_WARNINGS % bytes(accented))
    assert json.loads(ascii_run.stdout.decode("ascii")) == json.loads(utf8_run.stdout.decode("utf-8"))


def test_ascii_stream_gets_escaped_csv_after_one_warning(accented: Path) -> None:
    done = run_process("conditions", "--data", str(accented), "-f", "csv", PYTHONIOENCODING="ascii")
    assert (done.returncode, done.stderr) == (0, ACCENTED_WARNINGS % bytes(accented) + WARNING)
    second = done.stdout.decode("ascii").splitlines()[1]
    assert second == "widgetitis,Widgetitis (synth\\xe9tique) \\u65e5\\u672c,wdg,3,2,2"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_full_disk_on_stdout_is_one_error_line() -> None:
    with open("/dev/full", "wb") as full:
        done = subprocess.run([sys.executable, "-m", "stemcell_cli", "wdg", "studies", "--data", str(OTHER)],
                              stdout=full, stderr=subprocess.PIPE, env=subprocess_env(), timeout=30, check=False)
    assert (done.returncode, done.stderr) == (1, OTHER_WARNINGS + b"error: standard output: cannot write: No space "
                                                 b"left on device\n")


@pytest.mark.parametrize(("name", "located"), [
    ("alias_bomb.yaml", rb":8:4: error: aliases here expand to \d+ nodes, more than 5000000 \(alias bomb refused\)"),
    ("deep_flow.yaml", rb":2:76: error: nesting deeper than 64 levels"),
])
def test_pure_python_loader_in_a_real_process(name: str, located: bytes) -> None:
    path = FIXTURES / name
    done = run_process("conditions", "--data", str(path), STEMCELL_YAML_PURE="1")
    assert (done.returncode, done.stdout) == (1, b"")
    first, count = done.stderr.splitlines()
    assert re.fullmatch(re.escape(str(path).encode()) + located, first)
    assert count == str(path).encode() + b": 1 error, 0 warnings"
