"""On a terminal an identifier is never folded: every condition command at 80 columns shows each one whole (ring 3).

The identifiers are taken from the data (study and claim ids, DOIs, PMIDs, URLs, registry ids) and from the design
names the screens use; those the document of a result shows must each appear whole on one line of the app's output.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from typing import Any

import msgspec
import pytest

from stemcell_cli import api
from stemcell_cli.evidence.lookup import claims_of, studies_of
from stemcell_cli.evidence.results import SofResult
from stemcell_cli.render.blocks import Fields, Heading, Paragraph, Table
from stemcell_cli.render.documents import document
from stemcell_cli.render.forest import Forest
from stemcell_cli.render.labels import design_names, doi_url, pubmed_url
from stemcell_cli.render.table_format import screen_version

from .app_commands import condition_commands
from .conftest import SHIPPED, run

EVIDENCE = api.load(SHIPPED, use_cache=False)
DATA = EVIDENCE.dataset
CONDITIONS = [c.id for c in DATA.conditions]
_URL = re.compile(r"https?://[^\s;,]+")


# The commands drawn as tables on a terminal (a report is a document, Markdown on a terminal too; cite writes
# reference managers' formats only).
COMMANDS = [command.name for command in condition_commands() if "table" in command.formats()]


@cache
def identifiers() -> frozenset[str]:
    """Return every identifier in the data and every design name a table shows."""
    found: set[str] = design_names()
    for study in DATA.studies:
        found |= {study.id, *(v for v in (study.doi.value, study.pmid.value) if v)}
        found |= {url for url in (doi_url(study.doi.value), pubmed_url(study.pmid.value)) if url}
    found |= {claim.id for claim in DATA.claims} | {trial.id for trial in DATA.trials}
    found |= {c.id for c in DATA.conditions}

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.update(url.rstrip(".)") for url in _URL.findall(value))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(msgspec.to_builtins(DATA))
    return frozenset(found)


@cache
def _pattern(identifier: str) -> re.Pattern[str]:
    """Return the pattern of an identifier standing whole, not as part of a longer word or URL."""
    return re.compile(rf"(?<![\w/.-]){re.escape(identifier)}(?![\w/-]|\.\w)")


def _occurrences(identifier: str, text: str) -> int:
    """Count the places where an identifier stands whole in text."""
    return len(_pattern(identifier).findall(text)) if identifier in text else 0


def _pieces(block: object) -> list[str]:
    """Return the texts a block shows, each as the screen gets it (a cut column cut)."""
    if isinstance(block, Heading | Paragraph):
        return [block.text]
    if isinstance(block, Fields):
        return [text for field in block.fields for text in (field.name, field.value)]
    if isinstance(block, Forest):
        return [block.title, *(text for row in block.rows for text in (row.label, row.design, row.text))]
    assert isinstance(block, Table)
    # A brief column (the summary's page words) is cut to its lines on a screen: what it shows of them is unknown here.
    cuts = dict(block.brief)
    return [cell for row in block.rows for i, cell in enumerate(row) if i not in cuts]


def shown(result: Any) -> Counter[str]:
    """Return each identifier the document of a result shows, with the number of blocks that show it."""
    counts: Counter[str] = Counter()
    for block in screen_version(document(result), 80).blocks:
        pieces = _pieces(block)
        for identifier in identifiers():
            if " " in identifier:
                # A design name of several words is an identifier in a design column or a citation, not in prose.
                hit = any(p == identifier or f"({identifier}, n=" in p for p in pieces)
            else:
                hit = any(_occurrences(identifier, p) for p in pieces)
            counts[identifier] += hit
    return +counts


def _cases(condition: str, command: str) -> list[list[str]]:
    """Return the command lines of one command on one condition: every study and every claim for those two."""
    found = EVIDENCE.condition(condition)
    if command == "study":
        return [[command, s.id] for s in studies_of(DATA, found)]
    if command == "claim":
        return [[command, c.id] for c in claims_of(DATA, found)]
    if command == "effects":
        # Each outcome's plots, which name the studies and their designs (a row of one result has none by default).
        return [[command], *([command, "--outcome", o.id] for o in found.outcomes)]
    # The derivation tables are in the claims view too, with --explain (which the API's claims() always has).
    return [[command, "--explain"]] if command == "claims" else [[command]]


def test_the_app_has_the_condition_commands() -> None:
    assert set(COMMANDS) >= {"summary", "overview", "claims", "claim", "contrasts", "studies", "study", "trials",
                             "effects"}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("condition", CONDITIONS)
def test_no_identifier_is_folded_at_80_columns(condition: str, command: str) -> None:
    checked = 0
    empty = False
    for args in _cases(condition, command):
        if args[1:2] == ["--outcome"]:
            result = EVIDENCE.effects(condition, outcome=args[2])
        else:
            result = getattr(EVIDENCE, args[0])(condition, *(a for a in args[1:] if not a.startswith("-")))
        # A condition whose outcomes are not curated as numbers yet has an empty Summary of Findings.
        empty |= isinstance(result, SofResult) and not result.rows and not result.excluded
        expected = shown(result)
        pager = ["--no-pager"] if "--no-pager" in _help(args[0]) else []
        done = run(condition, *args, "--data", str(SHIPPED), *pager, env={"STEMCELL_FORCE_TTY": "80"})
        assert (done.exit_code, done.stderr) == (0, ""), done.stderr
        lines = done.stdout.splitlines()
        assert document(result).title.startswith(lines[0])  # drawn as for a terminal, not the piped TSV
        for identifier, blocks in expected.items():
            whole = sum(_occurrences(identifier, line) for line in lines)
            assert whole >= blocks, (args, identifier)
        checked += len(expected)
    assert checked > 0 or empty


@cache
def _help(command: str) -> str:
    """Return the help text of one condition command."""
    return run("lupus", command, "--help").stdout


def test_every_study_id_and_doi_of_the_lupus_list_is_checked() -> None:
    expected = shown(EVIDENCE.studies("lupus"))
    lupus = studies_of(DATA, EVIDENCE.condition("lupus"))
    assert len(lupus) == 20
    assert {s.id for s in lupus} | {s.doi.value for s in lupus if s.doi.value} <= set(expected)
    assert "10.1136/annrheumdis-2017-211073" in expected


def test_the_lupus_studies_are_a_grid_at_100_columns_with_id_label_and_doi_stacked_in_one_cell() -> None:
    result = run("lupus", "studies", env={"STEMCELL_FORCE_TTY": "100"})
    lines = result.stdout.splitlines()
    assert lines[2].startswith("╭")
    assert max(len(line) for line in lines) <= 100
    assert lines[3].split("│")[1].strip() == "Id / Study / DOI / PMID"
    deng = next(i for i, line in enumerate(lines) if line.startswith("│ deng2017 "))
    assert [lines[deng + k].split("│")[1].strip() for k in range(3)] == [
        "deng2017", "Deng 2017", "10.1136/annrheumdis-2017-211073"]
    assert "│ randomised controlled trial " in lines[deng]
    narrow = run("lupus", "studies", env={"STEMCELL_FORCE_TTY": "80"}).stdout
    assert "\nId: deng2017\n" in narrow
    assert "\nDOI / PMID: 10.1136/annrheumdis-2017-211073\n" in narrow
