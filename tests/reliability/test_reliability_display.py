"""Data is shown literally: no markup, emoji code or escape sequence from the data reaches the terminal."""

from __future__ import annotations

import csv
import io
import json

import pytest

from stemcell_cli.render import ColorMode
from stemcell_cli.render.safe_text import one_line, safe
from stemcell_cli.render.terminal import wants_color

from .helpers import FIXTURES, foreign_escapes, other_warnings, run

HOSTILE = FIXTURES / "hostile.yaml"
COMMANDS = [["conditions"], ["wdg", "summary"], ["wdg", "claims"], ["wdg", "contrasts"], ["wdg", "studies"],
            ["wdg", "study", "able2001"], ["wdg", "trials"], ["wdg", "overview"], ["wdg", "claim", "pain"],
            ["wdg", "claims", "--explain"]]
FORMATS = ["table", "json", "csv", "markdown"]
LITERALS = ["[bold red]Alert[/] trial", "[link=file:///etc/passwd]x[/link]", "Copying [/] done",
            "[bold red]pain[/]", ":smile:"]


@pytest.mark.parametrize("color", ["always", "never"])
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: "-".join(c))
def test_hostile_strings_never_reach_the_terminal(command: list[str], fmt: str, color: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    monkeypatch.setenv("FORCE_COLOR", "1")
    result = run(*command, "--data", str(HOSTILE), "--format", fmt, "--color", color)
    assert (result.exit_code, result.stderr) == (0, other_warnings(HOSTILE))
    assert foreign_escapes(result.stdout) == []
    assert "😄" not in result.stdout
    if fmt != "table" or color == "never":
        assert "\x1b" not in result.stdout


def test_markup_is_shown_literally_in_a_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    shown = run("wdg", "summary", "--data", str(HOSTILE), "--color", "always").stdout
    shown += run("wdg", "overview", "--data", str(HOSTILE), "--color", "always").stdout
    shown += run("wdg", "claims", "--data", str(HOSTILE), "--color", "always").stdout
    shown += run("wdg", "study", "able2001", "--data", str(HOSTILE), "--color", "always").stdout
    for literal in LITERALS:
        assert literal in shown, literal
    assert "file:///etc/passwd\x1b" not in shown  # no hyperlink was made from the data
    assert "\\u202eevil\\u202c" in shown
    assert "Widgetitis \\x1b]52;c;aGVsbG8=\\x07(synthetic)" in shown  # the clipboard sequence, escaped


def test_json_keeps_every_string_exactly() -> None:
    payload = json.loads(run("wdg", "claims", "--data", str(HOSTILE), "-f", "json").stdout)
    claim = payload["claims"][0]
    assert claim["text"] == "Cells reduce [bold red]pain[/] \u202eevil\u202c"
    assert {f["study"]["id"]: f["finding"] for f in claim["support"]}["able2001"] == "Copying [/] done"
    raw = run("wdg", "summary", "--data", str(HOSTILE), "-f", "json").stdout
    assert "C1 control \\u009b31m and a bell \\u0007" in raw  # JSON's own escapes, never the raw characters
    assert json.loads(raw)["citation_issues"][0]["summary"] == "C1 control \x9b31m and a bell \x07"
    trials = json.loads(run("wdg", "trials", "--data", str(HOSTILE), "-f", "json").stdout)
    assert trials["trials"][0]["title"] == "\x1b]8;;file:///etc/passwd\x1b\\click\x1b]8;;\x1b\\"


def test_csv_escapes_control_characters_and_keeps_markup() -> None:
    rows = list(csv.reader(io.StringIO(run("wdg", "trials", "--data", str(HOSTILE), "-f", "csv").stdout)))
    assert rows[1][2] == "\\x1b]8;;file:///etc/passwd\\x1b\\click\\x1b]8;;\\x1b\\"


def test_markdown_escapes_markup_and_controls() -> None:
    out = run("wdg", "claims", "--data", str(HOSTILE), "-f", "markdown").stdout
    assert "Copying \\[/\\] done" in out
    assert "\\\\u202eevil\\\\u202c" in out


def test_hostile_strings_in_error_messages_are_escaped(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "bad.yaml"
    path.write_text(HOSTILE.read_text(encoding="utf-8").replace(
        "{study: baker2002, finding", '{study: "[bold]x\\e]52;c;aGk=\\a", finding'), encoding="utf-8")
    for args in (["validate", str(path)], ["wdg", "summary", "--data", str(path)]):
        result = run(*args)
        assert result.exit_code == 1
        assert "unknown study '[bold]x\\x1b]52;c;aGk=\\x07'" in result.stderr
        assert "\x1b" not in result.stderr
        assert "\x07" not in result.stderr


def test_hostile_command_line_words_are_escaped_in_errors() -> None:
    result = run("[red]x\x1b]52;c;aGk=\x07", "summary", "--data", str(HOSTILE))
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr
    assert "[red]x\\x1b]52;c;aGk=\\x07" in result.stderr


@pytest.mark.parametrize(("text", "table", "line"), [
    ("a\x1b[31mb", "a\\x1b[31mb", "a\\x1b[31mb"),
    ("tab\tnew\nline", "tab\tnew\nline", "tab\\x09new\\x0aline"),
    ("cr\rdel\x7fc1\x9b", "cr\\x0ddel\\x7fc1\\x9b", "cr\\x0ddel\\x7fc1\\x9b"),
    ("bidi\u202e\u2066ls\u2028", "bidi\\u202e\\u2066ls\\u2028", "bidi\\u202e\\u2066ls\\u2028"),
    ("lone \ud800 surrogate", "lone \\ud800 surrogate", "lone \\ud800 surrogate"),
    ("plain café 日本", "plain café 日本", "plain café 日本"),
])
def test_safe_text_escapes_exactly_the_unsafe_characters(text: str, table: str, line: str) -> None:
    assert (safe(text), one_line(text)) == (table, line)


class _Stream:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(("mode", "environ", "tty", "expected"), [
    (ColorMode.AUTO, {}, True, True),
    (ColorMode.AUTO, {}, False, False),
    (ColorMode.AUTO, {"NO_COLOR": "1"}, True, False),
    (ColorMode.AUTO, {"NO_COLOR": ""}, True, True),  # no-color.org: an empty value does not count
    (ColorMode.AUTO, {"FORCE_COLOR": "1"}, False, True),
    (ColorMode.AUTO, {"FORCE_COLOR": "0"}, False, False),  # the common convention: 0 means do not force
    (ColorMode.AUTO, {"FORCE_COLOR": "0"}, True, True),
    (ColorMode.AUTO, {"NO_COLOR": "1", "FORCE_COLOR": "1"}, True, False),
    (ColorMode.AUTO, {"TERM": "dumb"}, True, False),
    (ColorMode.AUTO, {"TERM": "dumb", "FORCE_COLOR": "1"}, True, True),
    (ColorMode.ALWAYS, {"NO_COLOR": "1", "TERM": "dumb"}, False, True),
    (ColorMode.NEVER, {"FORCE_COLOR": "1"}, True, False),
])
def test_colour_decision(mode: ColorMode, environ: dict[str, str], tty: bool, expected: bool) -> None:
    assert wants_color(mode, _Stream(tty), environ) is expected  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown"])
def test_machine_formats_are_never_coloured(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    result = run("wdg", "study", "able2001", "--data", str(HOSTILE), "-f", fmt, "--color", "always")
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout


def test_table_colour_follows_the_option_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    args = ("wdg", "studies", "--data", str(HOSTILE))
    assert "\x1b[" in run(*args, "--color", "always").stdout
    assert "\x1b" not in run(*args, "--color", "never", env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b[" in run(*args, env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b" not in run(*args, env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout
    assert "\x1b" not in run(*args).stdout  # CliRunner's stdout is not a terminal


HOSTILE_ENVIRONMENTS = [
    {"TERM": "dumb"},  # a forced terminal that is dumb gets 80 columns from rich unless a height is given too
    {"COLUMNS": "30", "LINES": "2", "JUPYTER_COLUMNS": "20", "JUPYTER_LINES": "2"},
    {"NO_COLOR": "1", "FORCE_COLOR": "1", "TTY_COMPATIBLE": "0", "TTY_INTERACTIVE": "1", "COLORTERM": "truecolor"},
]


@pytest.mark.parametrize("environment", HOSTILE_ENVIRONMENTS, ids=lambda env: ",".join(env))
@pytest.mark.parametrize("color", [True, False])
def test_the_table_console_reads_nothing_from_the_environment(color: bool, environment: dict[str, str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from stemcell_cli import api
    from stemcell_cli.render import OutputFormat, render

    result = api.load(HOSTILE, use_cache=False).summary("wdg")
    clean = render(result, OutputFormat.TABLE, color=color, width=120)
    assert max(len(line) for line in clean.split("\n")) > 100
    assert ("\x1b[" in clean) is color
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert render(result, OutputFormat.TABLE, color=color, width=120) == clean


@pytest.mark.parametrize(("text", "expected"), [
    ("    code", "&#32;&#32;&#32;&#32;code"),
    ("\u00a0", "&#160;"),
    (" 1. x ", "&#32;1\\. x&#32;"),
    ("a|b [c](d)", "a\\|b \\[c\\](d)"),
])
def test_markdown_keeps_outer_white_space_as_character_references(text: str, expected: str) -> None:
    from stemcell_cli.render.markdown_format import escape

    assert escape(text) == expected
