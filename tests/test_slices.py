"""A condition's slice: its records and the studies they refer to, on which every command computes the same."""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from stemcell_cli.cli import dataset as cli_dataset
from stemcell_cli.evidence import command_results
from stemcell_cli.evidence.lookup import find_condition, studies_of
from stemcell_cli.loading import load
from stemcell_cli.loading.slices import RECORDS, narrowed, slices
from stemcell_cli.model import Condition, Dataset, Design

from .conftest import OTHER, SHIPPED, mixed_dataset, run, write_mixed

LOADERS: dict[str, Callable[[], Dataset]] = {
    "shipped": lambda: load(SHIPPED, use_cache=False).dataset,
    "other": lambda: load(OTHER, use_cache=False).dataset,
    "mixed": mixed_dataset,
}


@functools.cache
def dataset(name: str) -> Dataset:
    """Return one of the test datasets, parsed once."""
    return LOADERS[name]()


def results(data: Dataset, condition: Condition) -> list[object]:
    """Return every result the condition commands compute, for every option that selects records."""
    found: list[object] = [command_results.summary(data, condition), command_results.claims(data, condition),
                           command_results.contrasts(data, condition), command_results.trials(data, condition)]
    found += [command_results.studies(data, condition, sort=key) for key in command_results.SortKey]
    found += [command_results.studies(data, condition, design=design) for design in Design]
    found += [command_results.studies(data, condition, since=2015, min_n=20)]
    found += [command_results.study(data, condition, study.id) for study in studies_of(data, condition)]
    return found


@pytest.mark.parametrize("name", LOADERS)
def test_every_result_on_a_slice_equals_the_result_on_the_whole_dataset(name: str) -> None:
    full = dataset(name)
    for condition in full.conditions:
        part = narrowed(full, condition.id)
        assert part.conditions == full.conditions
        assert part.sources == full.sources
        assert results(part, find_condition(part, condition.id)) == results(full, condition), condition.id


def ids(records: tuple[object, ...]) -> list[str]:
    """Return the ids of records, in order."""
    return [getattr(record, "id") for record in records]  # noqa: B009  (records of several types)


def test_a_slice_takes_in_the_studies_of_other_conditions_its_records_refer_to() -> None:
    widgetitis = narrowed(mixed_dataset(), "widgetitis")
    # able, baker and cole are its own; wang2018 by cole's overlap, and the studies wang2018 overlaps with in
    # turn; zhou2020 through the citation issue; deng2017 as a trial's publication.
    assert ids(widgetitis.studies) == ["able2001", "zhou2020", "baker2002", "wang2018", "cole2003", "wen2019",
                                       "deng2017", "liang2010", "wang2014", "wang2013", "gu2014"]
    assert ids(widgetitis.pages) == ["demo-page"]
    assert ids(widgetitis.claims) == ["pain", "cure"]
    assert ids(widgetitis.citation_issues) == ["issue-cure"]
    assert ids(widgetitis.trials) == ["NCT00000001", "NCT00000002"]
    lupus = narrowed(mixed_dataset(), "lupus")
    assert [s.id for s in lupus.studies if s.condition != "lupus"] == ["baker2002"]
    assert len(lupus.studies) == len([s for s in dataset("shipped").studies if s.condition == "lupus"]) + 1


def test_a_condition_without_records_and_no_condition_give_no_records() -> None:
    full = mixed_dataset()
    for part in (narrowed(full, "emptyitis"), narrowed(full, None), narrowed(full, "no-such-condition")):
        assert part.conditions == full.conditions
        assert [len(getattr(part, name)) for name in RECORDS] == [0, 0, 0, 0, 0]


@pytest.mark.parametrize("name", LOADERS)
def test_slices_keep_data_order_cover_every_record_and_are_closed_under_references(name: str) -> None:
    full = dataset(name)
    parts = slices(full)
    assert list(parts) == [c.id for c in full.conditions]
    for field in RECORDS:
        covered: set[int] = set()
        for part in parts.values():
            positions = getattr(part, field)
            assert list(positions) == sorted(set(positions))
            covered.update(positions)
        assert covered == set(range(len(getattr(full, field))))
    for condition in full.conditions:
        part = narrowed(full, condition.id)
        held = set(ids(part.studies))
        referred = {study for s in part.studies for study in s.overlaps_with}
        referred |= {study for c in part.claims for study in (*c.cites, *(link.study for link in c.support),
                                                              *(link.study for link in c.contrast))}
        referred |= {i.study for i in part.citation_issues if i.study is not None}
        referred |= {t.published_as for t in part.trials if t.published_as is not None}
        assert referred <= held, condition.id


@pytest.mark.parametrize("cached", [True, False], ids=["cache", "no-cache"])
def test_load_narrows_by_id_or_alias_as_find_condition_matches_them(cached: bool, tmp_path: Path) -> None:
    path = write_mixed(tmp_path / "mixed.json")
    full = mixed_dataset()
    for _ in range(2):  # a miss, then (with the cache) a hit
        assert load(path, use_cache=cached).dataset == full
        for name, condition_id in [("lupus", "lupus"), ("SLE", "lupus"), (" Wdg ", "widgetitis"),
                                   ("ｗｄｇ", "widgetitis"), ("emptyitis", "emptyitis")]:
            assert load(path, use_cache=cached, condition=name).dataset == narrowed(full, condition_id), name
        assert load(path, use_cache=cached, condition="lupsu").dataset == narrowed(full, None)


COMMANDS = ["summary", "claims", "contrasts", "studies", "trials", "overview"]


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
def test_every_condition_command_prints_what_it_printed_from_the_whole_dataset(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = str(write_mixed(tmp_path / "mixed.json"))
    full = mixed_dataset()
    lines = [[name, command] for name in ("lupus", "wdg", "emptyitis", "lupsu") for command in COMMANDS]
    lines += [[c.id, "study", study.id] for c in full.conditions for study in studies_of(full, c)]
    lines += [["lupus", "study", "able2001"], ["wdg", "study", "deng2017"]]

    def printed() -> list[tuple[int, str, str]]:
        done = [run(*line, "--format", fmt, "--data", path) for line in lines]
        return [(result.exit_code, result.stdout, result.stderr) for result in done]

    # What the commands printed before they asked for a slice: the whole dataset, from the cache after one parse.
    with monkeypatch.context() as patched:
        patched.setattr(cli_dataset, "load", lambda data, use_cache, condition, watch: load(data, use_cache=use_cache))
        whole = printed()
    shutil.rmtree(os.environ["STEMCELL_CACHE_DIR"])
    assert printed() == whole  # the first line parses and narrows; every later one is a hit on a slice
    assert [code for code, _out, _err in whole].count(0) == len(lines) - len(COMMANDS) - 2
