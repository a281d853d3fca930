"""`diff OLD NEW`: studies added, removed and changed, verdicts changed; exit 0 same, 1 changed, 2 trouble."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from .conftest import FIXTURES, OTHER, SHIPPED, run
from .reliability.helpers import FIXTURES as HOSTILE_FIXTURES
from .reliability.helpers import foreign_escapes, subprocess_env

OUTCOMES = FIXTURES / "outcome_condition.yaml"
DENG_EVENTS = ('          - arm: "hUC-MSC"\n            role: "treated"\n'
               "            events: 9\n            total: 12\n")


def _edited(tmp_path: Path, source: Path, old: str, new: str, name: str = "new.yaml") -> Path:
    """Write a copy of a data file with one piece of text replaced (it must occur once)."""
    text = source.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def _deng_edit(tmp_path: Path) -> Path:
    return _edited(tmp_path, SHIPPED, DENG_EVENTS, DENG_EVENTS.replace("events: 9", "events: 12"))


def _cells(markdown: str) -> list[list[str]]:
    """Return the text of every table row's cells, as a CommonMark/GFM parser reads them."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    rows: list[list[str]] = []
    for token in tokens:
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows and token.level > 0:
            rows[-1].append("".join(child.content for child in token.children or []))
    return rows


@pytest.mark.parametrize("fmt", ["table", "json", "markdown", "csv", "tsv"])
def test_the_shipped_file_against_itself_exits_0_and_says_nothing_changed(fmt: str, tmp_path: Path) -> None:
    copy = tmp_path / "copy.yaml"
    shutil.copyfile(SHIPPED, copy)
    result = run("diff", str(SHIPPED), str(copy), "--format", fmt)
    assert (result.exit_code, result.stderr) == (0, "")
    if fmt == "json":
        payload = json.loads(result.stdout)
        digest = hashlib.sha256(SHIPPED.read_bytes()).hexdigest()
        assert payload.pop("provenance")["data"] == [{"file": name, "schema_version": 1, "sha256": digest}
                                                     for name in ("studies.yaml", "copy.yaml")]
        assert payload == {"schema": "stemcell-cli/diff", "version": 1, "old": str(SHIPPED), "new": str(copy),
                           "changed": False, "studies_added": [], "studies_removed": [], "studies_changed": [],
                           "verdicts_changed": []}
    elif fmt in ("csv", "tsv"):
        assert len(result.stdout.splitlines()) == 1
    else:
        assert "No differences in studies or verdicts." in result.stdout


def test_one_field_edited_exits_1_and_names_the_field_with_old_and_new(tmp_path: Path) -> None:
    new = _deng_edit(tmp_path)
    result = run("diff", str(SHIPPED), str(new), "--format", "json")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["changed"] is True
    assert payload["studies_added"] == payload["studies_removed"] == []
    [changed] = payload["studies_changed"]
    assert changed["study"]["id"] == "deng2017"
    assert changed["fields"] == [{"field": "outcomes[0].arms[0].events", "old": "9", "new": "12"}]

    table = run("diff", str(SHIPPED), str(new), env={"COLUMNS": "120"})
    assert table.exit_code == 1
    assert "0 studies added, 0 removed, 1 changed; 0 claims with a new verdict or certainty." in table.stdout
    assert "│ deng2017 │ outcomes[0].arms[0].events │ 9" in table.stdout

    markdown = run("diff", str(SHIPPED), str(new), "--format", "markdown").stdout
    heading = MarkdownIt("commonmark").parse(markdown)[1]
    assert "".join(child.content for child in heading.children or []) == f"Changes from {SHIPPED} to {new}"
    assert ["deng2017", "outcomes[0].arms[0].events", "9", "12"] in _cells(markdown)


def test_a_verdict_that_changes_is_listed_with_both_grades_the_reason_and_the_studies(tmp_path: Path) -> None:
    new = _edited(tmp_path, OUTCOMES, "events: 14, total: 20}, {arm: placebo, role: control, events: 9, total: 20}",
                  "events: 380, total: 400}, {arm: placebo, role: control, events: 40, total: 400}")
    new = _edited(tmp_path, new, "events: 11, total: 20}, {arm: control, role: control, events: 10, total: 20}",
                  "events: 190, total: 200}, {arm: control, role: control, events: 20, total: 200}", "newer.yaml")
    result = run("diff", str(OUTCOMES), str(new), "--format", "json")
    assert result.exit_code == 1
    [verdict] = json.loads(result.stdout)["verdicts_changed"]
    assert {k: v for k, v in verdict.items() if not k.endswith("reason")} == {
        "condition": "gadgetitis", "claim": "pain", "old_verdict": "very_uncertain", "new_verdict": "supported",
        "old_certainty": "very_low", "new_certainty": "low", "studies": ["baker2002", "dunn2004"]}
    assert verdict["new_reason"].startswith("Pain response: supported (answered at the longest follow-up")
    markdown = run("diff", str(OUTCOMES), str(new), "--format", "markdown").stdout
    row = next(r for r in _cells(markdown) if r[:2] == ["gadgetitis", "pain"])
    assert row[2:4] == ["very uncertain (⊕◯◯◯ very low)", "supported (⊕⊕◯◯ low)"]
    assert row[5] == "baker2002, dunn2004"


def test_studies_added_and_removed_are_listed_by_id(tmp_path: Path) -> None:
    new = tmp_path / "new.yaml"
    new.write_text(OTHER.read_text(encoding="utf-8").replace("cole2003", "cole2004"), encoding="utf-8")
    result = run("diff", str(OTHER), str(new), "--format", "json")
    assert result.exit_code == 1, result.stderr
    payload = json.loads(result.stdout)
    assert [s["id"] for s in payload["studies_added"]] == ["cole2004"]
    assert [s["id"] for s in payload["studies_removed"]] == ["cole2003"]
    assert payload["studies_changed"] == []


def test_a_number_shows_as_each_file_writes_it(tmp_path: Path) -> None:
    new = _edited(tmp_path, OUTCOMES, "{arm: cells, role: treated, mean: 3.0, sd: 1.2, total: 20}",
                  "{arm: cells, role: treated, mean: 3.50, sd: 1.2, total: 20}")
    payload = json.loads(run("diff", str(OUTCOMES), str(new), "--format", "json").stdout)
    [changed] = payload["studies_changed"]
    assert changed["fields"] == [{"field": "outcomes[1].arms[0].mean", "old": "3.0", "new": "3.50"}]


@pytest.mark.parametrize(("old", "located"), [
    ("missing.yaml", "{path}: error: no such data file\n"),
    (".", "{path}: error: is a directory, not a data file\n"),
    ("alias_bomb.yaml", "{path}:8:4: error: aliases here expand to"),
    ("syntax_error.yaml", "{path}:"),
])
def test_trouble_with_either_file_exits_2_with_nothing_on_stdout(old: str, located: str, tmp_path: Path) -> None:
    path = tmp_path if old == "." else (HOSTILE_FIXTURES / old if old != "missing.yaml" else tmp_path / old)
    for args in ([str(path), str(SHIPPED)], [str(SHIPPED), str(path)]):
        result = run("diff", *args)
        assert (result.exit_code, result.stdout) == (2, ""), result.stderr
        assert result.stderr.startswith(located.format(path=path)), result.stderr
        assert "Traceback" not in result.stderr


def test_a_binary_file_exits_2(tmp_path: Path) -> None:
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\x00\xff\xfe\x89PNG\r\n\x1a\n" * 20)
    result = run("diff", str(SHIPPED), str(binary))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(f"{binary}:")
    assert "Traceback" not in result.stderr


def test_both_files_from_standard_input_is_a_usage_error() -> None:
    result = run("diff", "-", "-")
    assert (result.exit_code, result.stdout, result.stderr) == (
        2, "", "error: OLD and NEW cannot both be standard input\n")


def test_one_file_may_come_from_standard_input() -> None:
    done = subprocess.run([sys.executable, "-m", "stemcell_cli", "diff", str(SHIPPED), "-", "--format", "json"],
                          input=SHIPPED.read_bytes(), capture_output=True, timeout=120, env=subprocess_env(),
                          check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["new"] == "<stdin>"


def test_the_output_file_takes_the_format_of_its_extension_and_html_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    new = _deng_edit(tmp_path)
    result = run("diff", str(SHIPPED), str(new), "-o", str(folder / "changes.markdown"))
    assert (result.exit_code, result.stdout) == (1, "")
    assert (folder / "changes.markdown").read_text(encoding="utf-8").startswith("# Changes from ")
    refused = run("diff", str(SHIPPED), str(new), "-o", str(folder / "changes.html"))
    assert (refused.exit_code, refused.stdout) == (2, "")
    assert refused.stderr == (f"error: --output {folder / 'changes.html'}: this command cannot write html; its "
                              "formats are table (.txt), json (.json), csv (.csv), markdown (.md, .markdown), "
                              "tsv (.tsv)\n")
    unwritable = run("diff", str(SHIPPED), str(new), "-o", str(folder / "missing" / "changes.md"))
    assert unwritable.exit_code == 2
    assert sorted(p.name for p in folder.iterdir()) == ["changes.markdown"]


def test_the_help_gives_the_exit_codes() -> None:
    result = run("diff", "--help")
    assert result.exit_code == 0
    assert "0 nothing changed, 1 something changed, 2 trouble" in " ".join(result.stdout.split())


def test_hostile_text_in_a_changed_field_stays_inert_in_every_format(tmp_path: Path) -> None:
    hostile = HOSTILE_FIXTURES / "hostile.yaml"
    new = _edited(tmp_path, hostile, 'title: {value: "[bold red]Alert[/] trial", src: [*ex]}',
                  'title: {value: "=HYPERLINK(\\"http://evil\\") \\e]52;c;aGVsbG8=\\a <script>x</script>", '
                  'src: [*ex]}')
    shown = "=HYPERLINK(\"http://evil\") \\x1b]52;c;aGVsbG8=\\x07 <script>x</script>"
    table = run("diff", str(hostile), str(new), "--color", "always")
    assert table.exit_code == 1, table.stderr
    assert foreign_escapes(table.stdout) == []
    csv_rows = list(csv.reader(io.StringIO(run("diff", str(hostile), str(new), "--format", "csv").stdout)))
    assert csv_rows[1][:6] == ["study_changed", "", "able2001", "title.value", "[bold red]Alert[/] trial", "'" + shown]
    markdown = run("diff", str(hostile), str(new), "--format", "markdown").stdout
    assert "\x1b" not in markdown
    assert ["able2001", "title.value", "[bold red]Alert[/] trial", shown] in _cells(markdown)
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    found = [t for token in tokens for t in (token, *(token.children or []))]
    assert not {"html_inline", "html_block"} & {t.type for t in found}
    # A URL in the text is a link to where the data says, as the Markdown of every view makes one.
    assert [t.attrs["href"] for t in found if t.type == "link_open"] == ["http://evil"]
