"""Hypothesis properties: any text renders safely in every format, exports round-trip, any bytes fail cleanly."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from stemcell_cli.errors import StemcellError
from stemcell_cli.evidence import command_results
from stemcell_cli.loading import examine
from stemcell_cli.loading.source import DataText
from stemcell_cli.loading.yaml_reader import parse_yaml
from stemcell_cli.model import Dataset
from stemcell_cli.render import OutputFormat, render
from stemcell_cli.render.blocks import Fields, Heading, Paragraph, Table
from stemcell_cli.render.documents import document
from stemcell_cli.render.payloads import payload
from stemcell_cli.render.records import records
from stemcell_cli.render.safe_text import inert_cell, one_line, safe

from .reliability.helpers import OTHER, foreign_escapes, squash, table_cells

BASE = msgspec.to_builtins(msgspec.convert(parse_yaml(OTHER.read_text(encoding="utf-8"), "other"), Dataset))
# Keys whose strings are references or enum values: renaming them breaks the dataset, not the renderer.
STRUCTURAL = {"condition", "page", "claim", "study", "kind", "design", "direction", "verification", "status",
              "asserts", "cites", "overlaps_with", "published_as", "id"}
IDS = ["widgetitis", "demo-page", "pain", "cure", "issue-cure", "able2001", "baker2002", "cole2003"]
NASTY = ["\x1b]52;c;aGk=\x07", "\x1b[2J", "\x9b31m", "[bold red]x[/]", "[/]", "[link=file:///etc/passwd]x[/link]",
         ":smile:", "|", "\\", "`", "*", "_", "<b>", "&amp;", "#", "1.", "- ", "    ", "\u202e", "\u2028", "\r\n",
         "\n", "\t", "---", "é", "日本", "\x00", "\x7f", "\ud800", "1. ", " #", "+ ", "> ", "=", "~~"]
TEXT = st.one_of(st.text(max_size=30), st.lists(st.sampled_from(NASTY) | st.text(max_size=3), max_size=8).map("".join))
COMMANDS = ["conditions", "summary", "claims", "contrasts", "studies", "study", "trials", "overview", "claim"]
PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _rewrite(value: Any, texts: list[str], ids: dict[str, str], counter: list[int], key: str = "") -> Any:
    """Put generated text in every free-text string and generated ids in every reference, consistently."""
    if isinstance(value, dict):
        return {k: _rewrite(v, texts, ids, counter, k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_rewrite(v, texts, ids, counter, key) for v in value]
    if isinstance(value, str):
        if value in ids:
            return ids[value]
        if key in STRUCTURAL:
            return value
        counter[0] += 1
        return texts[counter[0] % len(texts)]
    return value


@st.composite
def datasets(draw: st.DrawFn) -> Dataset:
    """The synthetic dataset with arbitrary text in every string field, ids included."""
    texts = draw(st.lists(TEXT, min_size=1, max_size=6))
    new_ids = draw(st.lists(TEXT.filter(bool), min_size=len(IDS), max_size=len(IDS), unique=True))
    return msgspec.convert(_rewrite(BASE, texts, dict(zip(IDS, new_ids, strict=True)), [0]), Dataset)


def _fixed(*texts: str) -> Dataset:
    """The synthetic dataset with these texts in its string fields, for explicit examples."""
    return msgspec.convert(_rewrite(BASE, list(texts), {}, [0]), Dataset)


# Markdown traps, each in every field at once: so at the end of a heading, the start of a paragraph and in a cell.
TRAPS = ["x #", "1. y", "2) y", "+ z", "- c", "> q", "    code", "# d", "a|b", "***", "<b>", "&amp;", "`c`", "\\"]


def _result(data: Dataset, command: str) -> object:
    condition = data.conditions[0]
    if command == "conditions":
        return command_results.conditions(data)
    if command == "study":
        return command_results.study(data, condition, data.studies[1].id)
    if command == "studies":
        return command_results.studies(data, condition)
    if command == "overview":
        return command_results.overview(condition)
    if command == "claim":
        return command_results.claim(data, condition, data.claims[0].id)
    return getattr(command_results, command)(data, condition)


def _plain(value: Any) -> Any:
    """Return a payload (a struct, or builtins) as JSON would give it back: tuples become lists."""
    return json.loads(json.dumps(msgspec.to_builtins(value)))


@PROPERTY
@given(data=datasets(), command=st.sampled_from(COMMANDS), color=st.booleans(), width=st.integers(1, 200))
def test_any_text_renders_as_a_table_without_foreign_escapes(data: Dataset, command: str, color: bool,
                                                             width: int) -> None:
    text = render(_result(data, command), OutputFormat.TABLE, color=color, width=width)
    assert foreign_escapes(text) == []
    if not color:
        assert "\x1b" not in text


@PROPERTY
@given(data=datasets(), command=st.sampled_from(COMMANDS))
def test_any_text_round_trips_through_json(data: Dataset, command: str) -> None:
    result = _result(data, command)
    text = render(result, OutputFormat.JSON)
    assert re.search(r"[\x00-\x1f\x7f-\x9f]", text.replace("\n", "")) is None
    assert json.loads(text, parse_constant=pytest.fail) == _plain(payload(result))
    if command == "study":
        assert json.loads(text)["study"] == _plain(msgspec.to_builtins(data.studies[1]))


@PROPERTY
@given(data=datasets(), command=st.sampled_from(COMMANDS))
def test_any_text_round_trips_through_csv(data: Dataset, command: str) -> None:
    """CSV escapes control characters by design (other than tab and newline) and marks a would-be formula with a
    leading `'`: the rows read back are those cells, and for other text they are exactly the original values."""
    result = _result(data, command)
    text = render(result, OutputFormat.CSV)
    assert re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\x1b]", text) is None
    columns, rows = records(result)
    read = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    expected = [list(columns)] + [["" if v is None else inert_cell(safe(str(v))) for v in row] for row in rows]
    assert read == expected
    original = [list(columns)] + [["" if v is None else str(v) for v in row] for row in rows]
    if not any(re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
                         r"\ud800-\udfff]", cell) or inert_cell(cell) != cell for row in original for cell in row):
        assert read == original


MARKDOWN = MarkdownIt("commonmark").enable("table")


def _blocks(tokens: list[Any]) -> list[tuple[str, Any]]:
    """Return the headings, paragraphs and tables of a token stream, with their texts as a reader sees them."""
    found: list[tuple[str, Any]] = []
    for index, token in enumerate(tokens):
        text = "".join(child.content for child in token.children or []) if token.type == "inline" else ""
        before = tokens[index - 1].type if index else ""
        if token.type == "table_open":
            found.append(("table", []))
        elif token.type == "tr_open":
            found[-1][1].append([])
        elif token.type == "inline" and before in ("th_open", "td_open"):
            found[-1][1][-1].append(text)
        elif token.type == "inline" and before == "heading_open":
            found.append(("heading", text))
        elif token.type == "inline" and before == "paragraph_open":
            found.append(("paragraph", text))
    return found


@pytest.mark.parametrize("trap", TRAPS)
def test_markdown_traps_parse_back_block_for_block(trap: str) -> None:
    for command in ("summary", "claims"):
        _markdown_round_trip(_fixed(trap), command)


@PROPERTY
@given(data=datasets(), command=st.sampled_from(COMMANDS))
def test_any_text_gives_markdown_that_parses_back_block_for_block(data: Dataset, command: str) -> None:
    _markdown_round_trip(data, command)


def _markdown_round_trip(data: Dataset, command: str) -> None:
    """Assert that the Markdown of a result parses back, as GFM, to the document's blocks and texts."""
    result = _result(data, command)
    text = render(result, OutputFormat.MARKDOWN)
    assert re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", text) is None
    doc = document(result)
    expected: list[tuple[str, Any]] = [("heading", _shown(doc.title))]
    for block in doc.blocks:
        if isinstance(block, Heading):
            expected.append(("heading", _shown(block.text)))
        elif isinstance(block, Paragraph) and _shown(block.text):
            expected.append(("paragraph", _shown(block.text)))
        elif isinstance(block, Fields):
            rows = [("Field", "Value"), *((f.name, f.value) for f in block.fields)]
            expected.append(("table", [[_shown(cell) for cell in row] for row in rows]))
        elif isinstance(block, Table):
            if block.title:
                expected.append(("heading", _shown(block.title)))
            rows = [block.columns, *block.rows]
            expected.append(("table", [[_shown(cell) for cell in row] for row in rows]))
    assert _blocks(MARKDOWN.parse(text)) == expected


def _shown(cell: str) -> str:
    """Return what a GFM reader must see: the text on one line, control characters visibly escaped."""
    return one_line(cell.replace("\r\n", " ").replace("\n", " "))


@settings(max_examples=60, deadline=None)
@given(data=datasets(), width=st.integers(20, 160))
def test_no_cell_is_lost_at_any_width(data: Dataset, width: int) -> None:
    result = command_results.studies(data, data.conditions[0])
    text = render(result, OutputFormat.TABLE, width=width)
    rows = table_cells(text)
    squashed = squash(text)
    # A narrow screen stacks the id, the label and the DOI in one cell, a line each: each is then a whole line there.
    lines = {squash(part) for line in text.splitlines() if line.startswith("│") for part in line[1:].split("│")}
    for ref in result.studies:
        for value in (ref.id, ref.doi or "-"):
            shown = squash(safe(value))
            if rows:
                assert (any(shown == squash(cell) for row in rows for cell in row) or shown in lines
                        or "│" in value or "|" in value)
            else:
                assert shown in squashed


YAMLISH = st.lists(st.sampled_from([*"&*!|>-:?[]{},#'\"\\%@` \n\t", "a", "1", "\x1b", "é", "<<", "&a ", "*a",
                                                                           "!!python/name:os.system ", "\n  "]),
                   max_size=60).map("".join)


@settings(max_examples=150, deadline=None)
@given(raw=st.binary(max_size=300) | YAMLISH.map(lambda s: s.encode("utf-8", "surrogatepass")), pure=st.booleans())
def test_arbitrary_bytes_raise_only_the_projects_errors(raw: bytes, pure: bool) -> None:
    with contextlib.suppress(StemcellError):
        examine(DataText("fuzz.yaml", raw), pure=pure)
