"""Where the data comes from and what reading it says: `-` for standard input, load warnings, the progress line."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from stemcell_cli.cli.app import app
from stemcell_cli.cli.dataset import progress_line
from stemcell_cli.loading import check_file, load, source

from .conftest import OTHER, SHIPPED, other_warnings, run
from .reliability.helpers import run_process, subprocess_env

POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes and pseudo-terminals")
BROKEN = b"schema_version: 1\nconditions:\n  - id: x\n    name: [a\n"
BROKEN_LINE = "<stdin>:5:1: error: while parsing a flow sequence; did not find expected ',' or ']'\n"
EMPTY = "<stdin>: error: standard input is empty; pipe or redirect a data file into it, e.g. `< studies.yaml`\n"
STDIN_WARNING = "<stdin>: $.claims[1] (line 32): warning: claim 'cure' has no supporting study\n"


def piped(*args: str, data: bytes, **env: str) -> subprocess.CompletedProcess[bytes]:
    """Run the CLI in a real subprocess with `data` written to its standard input through a pipe."""
    return subprocess.run([sys.executable, "-m", "stemcell_cli", *args], input=data, capture_output=True,
                          timeout=60, env=subprocess_env(**env), check=False)


def fed(*args: str, data: bytes) -> Result:
    """Invoke the app in-process with `data` as its standard input."""
    return CliRunner().invoke(app, list(args), input=data, prog_name="stemcell")


def never_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any parse fail the test, to prove an answer came from the cache."""
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the data file was parsed")

    monkeypatch.setattr("stemcell_cli.loading.examine", refuse)


# Standard input.

@POSIX
def test_summary_reads_the_data_piped_into_standard_input() -> None:
    done = piped("lupus", "summary", "--data", "-", data=SHIPPED.read_bytes())
    assert done.returncode == 0, done.stderr
    assert done.stdout == run_process("lupus", "summary").stdout
    warnings = done.stderr.decode().splitlines()
    # The shipped file's bytes through a pipe are a file the user gave: its 23 warnings are shown, as <stdin>'s.
    assert len(warnings) == 23
    assert all(line.startswith("<stdin>: $.claims[") and ": warning: claim " in line for line in warnings)


@POSIX
def test_validate_dash_locates_a_broken_document_in_stdin() -> None:
    done = piped("validate", "-", data=BROKEN)
    assert (done.returncode, done.stdout) == (1, b"")
    assert done.stderr.decode() == BROKEN_LINE + "<stdin>: 1 error, 0 warnings\n"


@POSIX
def test_empty_standard_input_is_one_clear_error() -> None:
    validated = piped("validate", "-", data=b"")
    assert (validated.returncode, validated.stdout) == (1, b"")
    assert validated.stderr.decode() == EMPTY + "<stdin>: 1 error, 0 warnings\n"
    summary = piped("wdg", "summary", "--data", "-", data=b"")
    assert (summary.returncode, summary.stdout, summary.stderr.decode()) == (1, b"", EMPTY)


@POSIX
def test_stemcell_data_dash_reads_standard_input_too() -> None:
    done = piped("conditions", "-f", "csv", data=OTHER.read_bytes(), STEMCELL_DATA="-")
    assert (done.returncode, done.stderr.decode()) == (0, STDIN_WARNING)
    assert done.stdout.decode().splitlines()[1] == "widgetitis,Widgetitis (synthetic),wdg,3,2,2"
    empty = piped("conditions", data=b"", STEMCELL_DATA="-")
    assert (empty.returncode, empty.stderr.decode()) == (1, "<stdin>: error: standard input is empty (STEMCELL_DATA=- "
                                                            "names standard input); pipe or redirect a data file "
                                                            "into it, e.g. `< studies.yaml`\n")


@POSIX
def test_a_terminal_on_standard_input_is_refused_not_waited_on() -> None:
    import pty

    master, slave = pty.openpty()
    try:
        done = subprocess.run([sys.executable, "-m", "stemcell_cli", "validate", "-"], stdin=slave,
                              capture_output=True, timeout=60, env=subprocess_env(), check=False)
    finally:
        os.close(slave)
        os.close(master)
    assert (done.returncode, done.stdout) == (1, b"")
    assert done.stderr.decode() == ("<stdin>: error: standard input is a terminal; pipe or redirect a data file "
                                    "into it, "
                                    "e.g. `< studies.yaml`\n<stdin>: 1 error, 0 warnings\n")


def test_standard_input_in_process_with_its_warning_and_a_located_error() -> None:
    result = fed("wdg", "studies", "--data", "-", "-f", "csv", data=OTHER.read_bytes())
    assert (result.exit_code, result.stderr) == (0, STDIN_WARNING)
    assert result.stdout == run("wdg", "studies", "--data", str(OTHER), "-f", "csv").stdout
    broken = fed("validate", "-", data=BROKEN)
    assert (broken.exit_code, broken.stdout, broken.stderr) == (1, "", BROKEN_LINE + "<stdin>: 1 error, 0 warnings\n")


def test_standard_input_over_the_size_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "MAX_BYTES", 100)
    result = fed("wdg", "summary", "--data", "-", data=OTHER.read_bytes())
    assert (result.exit_code, result.stdout, result.stderr) == (
        1, "", "<stdin>: error: standard input is larger than the limit of 100 bytes\n")


def test_standard_input_is_cached_by_its_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    cold = fed("wdg", "summary", "--data", "-", data=OTHER.read_bytes())
    never_parse(monkeypatch)
    warm = fed("wdg", "summary", "--data", "-", data=OTHER.read_bytes())
    assert (warm.exit_code, warm.stdout, warm.stderr) == (0, cold.stdout, STDIN_WARNING)


def test_a_file_named_dash_is_reached_as_dot_slash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copyfile(OTHER, tmp_path / "-")
    monkeypatch.chdir(tmp_path)
    result = fed("validate", "./-", data=BROKEN)
    assert (result.exit_code, result.stderr) == (0, other_warnings("-") + "-: 0 errors, 1 warning\n")
    assert load("./-").dataset == load(OTHER).dataset
    assert check_file("./-").label == "-"
    # --data is a string, so that `./-` stays a file name rather than becoming the `-` of standard input.
    listed = fed("conditions", "--data", "./-", "-f", "csv", data=BROKEN)
    assert (listed.exit_code, listed.stderr) == (0, other_warnings("-"))
    assert listed.stdout.splitlines()[1].startswith("widgetitis,")
    from_stdin = fed("validate", "-", data=BROKEN)
    assert (from_stdin.exit_code, from_stdin.stderr) == (1, BROKEN_LINE + "<stdin>: 1 error, 0 warnings\n")


# Load warnings.

def test_a_load_warning_reaches_stderr_from_a_parse_and_from_the_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    cold = run("wdg", "summary", "--data", str(OTHER))
    assert (cold.exit_code, cold.stderr) == (0, other_warnings())
    never_parse(monkeypatch)
    warm = run("wdg", "summary", "--data", str(OTHER))
    assert (warm.exit_code, warm.stdout, warm.stderr) == (0, cold.stdout, other_warnings())


def test_a_load_warning_reaches_stderr_in_a_real_process(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    runs = [run_process("wdg", "summary", "--data", str(OTHER), STEMCELL_NO_CACHE="", STEMCELL_CACHE_DIR=str(cache))
            for _ in range(2)]
    assert len(list(cache.iterdir())) == 1  # the second run was answered by the cache the first one wrote
    assert [(done.returncode, done.stderr.decode()) for done in runs] == [(0, other_warnings())] * 2
    assert runs[0].stdout == runs[1].stdout


def test_the_shipped_file_prints_no_warnings(monkeypatch: pytest.MonkeyPatch) -> None:
    results = [run("lupus", "summary"), run("conditions")]
    never_parse(monkeypatch)
    results += [run("lupus", "summary"), run("conditions")]
    assert [(r.exit_code, r.stderr) for r in results] == [(0, "")] * 4
    done = run_process("koa", "claims", "-f", "json")
    assert (done.returncode, done.stderr) == (0, b"")


def test_the_shipped_file_is_quiet_by_any_name_or_copy_and_an_edited_copy_is_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert run("lupus", "summary", "--data", str(SHIPPED)).stderr == ""
    monkeypatch.setenv("STEMCELL_DATA", str(SHIPPED))
    assert run("conditions").stderr == ""
    copy = tmp_path / "mine.yaml"
    shutil.copyfile(SHIPPED, copy)
    # An installed package reads its own copy of the file, which the checkout's data/studies.yaml equals.
    assert run("conditions", "--data", str(copy)).stderr == ""
    with copy.open("a", encoding="utf-8") as handle:
        handle.write("# mine\n")
    lines = run("conditions", "--data", str(copy)).stderr.splitlines()
    assert len(lines) == 23
    # The claim's line moves as curation adds records above it: it is where the file says it is.
    line = SHIPPED.read_text(encoding="utf-8").splitlines().index('  - id: "conclusion_wang2018"') + 1
    assert lines[0] == (f"{copy}: $.claims[7] (line {line}): warning: claim 'conclusion_wang2018' has no supporting "
                        "study")


# The progress line.

def _big(directory: Path, name: str, studies: int = 6000) -> Path:
    """Write a valid, warning-free data file of about 250 bytes a study, parsed cold in well over 100 ms."""
    src = "src: ['https://example.org/u']"
    lines = ["schema_version: 1", "conditions:", "  - {id: widgetitis, name: Widgetitis, aliases: [wdg]}",
             "pages:", "  - {id: p, condition: widgetitis, title: Page}", "claims:"]
    lines += [f"  - {{id: c{i}, page: p, kind: benefit, text: Claim number {i}, outcome: o, "
              f"support: [{{study: s{i}, finding: found {i}}}]}}" for i in range(studies)]
    lines.append("studies:")
    lines += [f"  - {{id: s{i}, condition: widgetitis, verification: verified, design: single_arm, direction: "
              f"supports_benefit, doi: {{value: '10.5555/s.{i}', {src}}}, year: {{value: 2001, {src}}}}}"
              for i in range(studies)]
    path = directory / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# Runs the CLI with the parse held until a byte arrives on (or EOF closes) the pipe whose read end is the fd in
# STEMCELL_TEST_GATE: the test, not the machine's speed, decides when the parse may finish.
GATED_CHILD = """
import os, sys
import stemcell_cli.loading as loading
parse, gate = loading.examine, int(os.environ["STEMCELL_TEST_GATE"])
def examine(*args, **kwargs):
    os.read(gate, 1)
    return parse(*args, **kwargs)
loading.examine = examine
sys.argv[0] = "stemcell"
from stemcell_cli.cli.entry import main
main()
"""


def _with_stderr_on_a_terminal(*args: str, interrupt: bool = False, **env: str) -> tuple[int, bytes, bytes]:
    """Run the CLI with a pseudo-terminal as stderr (interrupted while its parse is held, if asked); return it all."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    # A wide terminal, so that the test's long temporary path is shown whole.
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 400, 0, 0))
    chunks: list[bytes] = []

    def drain() -> None:
        """Read the terminal until the child closes it, so that a full buffer never blocks the child."""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    held, release = os.pipe() if interrupt else (-1, -1)
    command = [sys.executable, "-c", GATED_CHILD] if interrupt else [sys.executable, "-m", "stemcell_cli"]
    gate = {"STEMCELL_TEST_GATE": str(held)} if interrupt else {}
    process = subprocess.Popen([*command, *args], stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL,
                               env=subprocess_env(**{"TERM": "xterm", **env, **gate}), pass_fds=(held,) * interrupt)
    os.close(slave)
    reader.start()
    if interrupt:
        os.close(held)
        # The parse cannot finish before the interrupt: the gate stays shut until the child has been interrupted.
        deadline = time.monotonic() + 60
        while b"reading " not in b"".join(chunks) and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.01)
        process.send_signal(signal.SIGINT)  # what Ctrl-C does
    out, _ = process.communicate(timeout=120)
    if interrupt:
        os.close(release)
    reader.join(timeout=30)
    os.close(master)
    return process.returncode, out, b"".join(chunks)


def _left_on_screen(drawn: str) -> list[str]:
    """Return the lines a terminal shows after drawing the text: `\\r` returns, `\\x1b[K` erases to the end."""
    lines, line, column = [], "", 0
    index = 0
    while index < len(drawn):
        if drawn.startswith("\x1b[K", index):
            line, index = line[:column], index + 3
            continue
        char = drawn[index]
        index += 1
        if char == "\r":
            column = 0
        elif char == "\n":
            lines.append(line)
            line, column = "", 0
        else:
            line = line[:column] + char + line[column + 1:]
            column += 1
    return [*lines, line] if line else lines


@POSIX
def test_a_long_cold_parse_shows_a_progress_line_on_a_terminal_and_erases_it(tmp_path: Path) -> None:
    big = _big(tmp_path, "big\x1b]0;owned\x07.yaml")
    code, out, drawn = _with_stderr_on_a_terminal("wdg", "studies", "--data", str(big), "-f", "csv", "--no-cache")
    assert code == 0
    assert out.decode().count("\n") == 6001
    text = drawn.decode()
    escaped = str(big).replace("\x1b", "\\x1b").replace("\x07", "\\x07")
    shown = f"reading {escaped} ({big.stat().st_size / 1e6:.1f} MB)... "
    assert "\r" + shown in text
    assert any(f"{shown}{frame}" in text for frame in "|/-\\")
    # The file name is escaped, never run by the terminal.
    assert "\x1b]" not in text
    assert "\x07" not in text
    assert text.endswith("\r\x1b[K")
    assert _left_on_screen(text) == []
    code, out, drawn = _with_stderr_on_a_terminal("validate", str(big))
    assert (code, out) == (0, b"")
    text = drawn.decode()
    assert "\r" + shown in text
    assert _left_on_screen(text) == [f"{escaped}: 0 errors, 0 warnings"]  # the report starts on a clean line


@POSIX
def test_an_interrupted_parse_leaves_no_progress_line_behind(tmp_path: Path) -> None:
    big = _big(tmp_path, "big.yaml")
    code, out, drawn = _with_stderr_on_a_terminal("wdg", "summary", "--data", str(big), "--no-cache",
                                                  interrupt=True)
    assert (code, out) == (130, b"")
    assert b"reading " in drawn
    assert drawn.endswith(b"\r\x1b[K")
    assert _left_on_screen(drawn.decode()) == []


@POSIX
def test_no_progress_line_when_stderr_is_a_pipe_the_file_is_small_or_the_cache_answers(tmp_path: Path) -> None:
    big = _big(tmp_path, "big.yaml")
    piped_run = run_process("wdg", "studies", "--data", str(big), "-f", "csv", "--no-cache", timeout=120)
    assert (piped_run.returncode, piped_run.stderr) == (0, b"")
    small = _with_stderr_on_a_terminal("wdg", "studies", "--data", str(OTHER), "--no-cache")
    assert (small[0], small[2].decode()) == (0, other_warnings().replace("\n", "\r\n"))
    cache = {"STEMCELL_NO_CACHE": "", "STEMCELL_CACHE_DIR": str(tmp_path / "cache")}
    assert run_process("validate", str(big), timeout=120, **cache).returncode == 0  # leaves the cache warm
    warm = _with_stderr_on_a_terminal("wdg", "studies", "--data", str(big), "-f", "csv", **cache)
    assert (warm[0], warm[1], warm[2]) == (0, piped_run.stdout, b"")


@pytest.mark.parametrize(("label", "columns", "expected"), [
    ("data/big.yaml", 80, "reading data/big.yaml (8.7 MB)... "),
    ("a\x1b[2Jb.yaml", 80, "reading a\\x1b[2Jb.yaml (8.7 MB)... "),
    ("/very/long/directory/name/that/goes/on/and/on/studies.yaml", 50,
     "reading ...s/on/and/on/studies.yaml (8.7 MB)... "),
    ("日本語のファイル.yaml", 40, "reading ...ファイル.yaml (8.7 MB)... "),
])
def test_the_progress_line_is_escaped_and_fits_the_terminal(label: str, columns: int, expected: str) -> None:
    line = progress_line(label, 8_700_000, columns)
    assert line == expected
    assert sum(2 if unicodedata.east_asian_width(c) == "W" else 1 for c in line) + 1 <= columns - 1  # + spinner
