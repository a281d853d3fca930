"""The labelled gold set: `check` finds and resolves the citations and claims of real clinic pages, and the README
reports the figures this test recomputes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.app_commands import PAGES
from tests.check_gold import figures, score
from tests.conftest import run

README = Path(__file__).resolve().parents[2] / "README.md"
SEED = PAGES / "understanding-stem-cells-sle.txt"


@pytest.fixture(scope="module")
def gold() -> tuple[object, list[object]]:
    return score()


def test_no_citation_of_the_gold_set_resolves_to_a_wrong_study(gold: tuple[object, list[object]]) -> None:
    total = gold[0]
    assert total.wrong == []  # type: ignore[attr-defined]


def test_the_done_when_figures_hold(gold: tuple[object, list[object]]) -> None:
    total = gold[0]
    assert total.pages == 12  # type: ignore[attr-defined]
    assert total.conditions_right == total.pages  # type: ignore[attr-defined]
    assert total.on_file_right * 10 >= total.on_file * 9  # type: ignore[attr-defined]
    assert total.citations_found * 10 >= total.citations * 8  # type: ignore[attr-defined]
    assert total.claims_found * 10 >= total.claims * 7  # type: ignore[attr-defined]


def test_the_readme_reports_the_figures_this_test_recomputes(gold: tuple[object, list[object]]) -> None:
    text = README.read_text(encoding="utf-8")
    for line in figures(gold[0]).values():  # type: ignore[arg-type]
        assert line in text, line


def _seed_json() -> dict[str, object]:
    result = run("check", str(SEED), "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_the_seed_page_resolves_its_named_citations_as_the_curators_did() -> None:
    found = {(c["text"], c["status"], c["study"]) for c in _seed_json()["citations"]}  # type: ignore[index]
    assert ("Ru B et al 2017", "resolved", "bai2017") in found
    assert ("Deng, D 2017", "resolved", "deng2017") in found
    assert ("Zhou, T et al 2020", "resolved", "zhou2020") in found


def test_the_seed_page_flags_the_citations_without_a_year_and_settles_wang_by_the_full_one() -> None:
    citations = _seed_json()["citations"]
    wang = [c for c in citations if c["text"] == "Wang et al"]  # type: ignore[index, union-attr]
    zhou = [c for c in citations if c["text"] == "Zhou et al"]  # type: ignore[index, union-attr]
    assert len(wang) == 4
    assert len(zhou) == 3
    for citation in wang:
        assert (citation["status"], citation["study"]) == ("resolved", "wang2018")
        assert "no year on the page" in citation["reasons"]
        # Several Wangs wrote lupus studies on file: only the page's own full citation settles which.
        assert re.search(r"settled by the full citation at \d+-\d+ \(author Wang D, 2018\)", citation["reasons"][-1])
    for citation in zhou:
        assert (citation["status"], citation["study"]) == ("resolved", "zhou2020")
        assert "no year on the page" in citation["reasons"]


def test_every_seed_claim_the_curators_recorded_gets_the_verdict_of_lupus_claims() -> None:
    page = _seed_json()
    claims = json.loads(run("lupus", "claims", "--format", "json").stdout)["claims"]
    by_text = {c["text"]: c for c in claims}
    answered = 0
    for claim in page["claims"]:  # type: ignore[union-attr]
        curated = [c for text, c in by_text.items() if text in claim["text"]]  # type: ignore[index]
        if curated:
            answered += 1
            assert (claim["verdict"], claim["certainty"]) == (curated[0]["verdict"], curated[0]["certainty"])
            assert claim["statement"] == curated[0]["statement"]
    assert answered == len(claims) == 11
