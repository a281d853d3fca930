"""Score `stemcell check` on the labelled gold set: claims and citations found, resolutions right or wrong."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from stemcell_cli import api
from stemcell_cli.evidence.check_records import CheckResult

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"


@dataclass
class Score:
    """Counts over the gold set."""

    citations: int = 0
    citations_found: int = 0
    found_citations: int = 0
    found_citations_labelled: int = 0
    on_file: int = 0
    on_file_right: int = 0
    wrong: list[str] = field(default_factory=list)
    claims: int = 0
    claims_found: int = 0
    found_claims: int = 0
    found_claims_labelled: int = 0
    pages: int = 0
    conditions_right: int = 0

    def percent(self, part: int, whole: int) -> int:
        """Return a share as a whole percent, rounded down."""
        return part * 100 // whole if whole else 100


def _span(text: str, wanted: str, nth: int = 0) -> tuple[int, int]:
    """Return the span of the n-th occurrence of a labelled text."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(wanted, at + 1)
    return at, at + len(wanted)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Return how many characters two spans share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _judge(expect: Any, status: str, study: str | None, candidates: tuple[str, ...]) -> str:
    """Return right, wrong or missed for one found citation against its label."""
    if isinstance(expect, dict):
        listed = set(expect["ambiguous"])
        if status == "ambiguous" and listed <= set(candidates):
            return "right"
        return "wrong" if status == "resolved" else "missed"
    if expect == "not_on_file":
        return "wrong" if status == "resolved" else "right"
    if status == "resolved":
        return "right" if study == expect else "wrong"
    if status == "ambiguous" and expect in candidates:
        return "right"
    return "missed"


def check(file: str) -> CheckResult:
    """Return the check of one gold page."""
    return api.load().check(str(PAGES / file))


def score() -> tuple[Score, list[tuple[dict[str, Any], CheckResult]]]:
    """Return the gold set's score and each page's check."""
    gold = yaml.safe_load((PAGES / "gold.yaml").read_text(encoding="utf-8"))
    total = Score()
    checks = []
    for page in gold["pages"]:
        result = check(page["file"])
        checks.append((page, result))
        text = result.page.text
        total.pages += 1
        total.conditions_right += result.page.condition == page["condition"]
        labelled = []
        for label in page["citations"]:
            span = _span(text, label["text"], label.get("nth", 0))
            labelled.append(span)
            total.citations += 1
            expect = label["expect"]
            on_file = expect != "not_on_file"
            total.on_file += on_file
            hits = [c for c in result.citations if _overlap(span, (c.start, c.end))]
            if hits:
                total.citations_found += 1
            verdicts = [_judge(expect, c.status, c.study, c.candidates) for c in hits]
            if "wrong" in verdicts:
                total.wrong.append(f"{page['file']}: {label['text']!r}")
            if on_file and verdicts and all(v == "right" for v in verdicts):
                total.on_file_right += 1
        for citation in result.citations:
            total.found_citations += 1
            total.found_citations_labelled += any(_overlap(s, (citation.start, citation.end)) for s in labelled)
        claim_spans = [_span(text, wanted) for wanted in page["claims"]]
        for span in claim_spans:
            total.claims += 1
            total.claims_found += any(_overlap(span, (c.start, c.end)) * 2 >= span[1] - span[0]
                                      for c in result.claims)
        for claim in result.claims:
            total.found_claims += 1
            total.found_claims_labelled += any(_overlap(s, (claim.start, claim.end)) for s in claim_spans)
    return total, checks


def figures(total: Score) -> dict[str, str]:
    """Return the figures the README reports, as it words them."""
    return {
        "pages": f"{total.pages} pages",
        "conditions": f"condition detected on {total.conditions_right} of {total.pages} pages",
        "citations found": f"{total.citations_found} of {total.citations} labelled citations found "
                           f"({total.percent(total.citations_found, total.citations)}%)",
        "citation precision": f"{total.found_citations_labelled} of {total.found_citations} citations found are "
                              f"labelled ({total.percent(total.found_citations_labelled, total.found_citations)}%)",
        "on file": f"{total.on_file_right} of {total.on_file} on-file citations resolved or correctly ambiguous "
                   f"({total.percent(total.on_file_right, total.on_file)}%)",
        "wrong": f"{len(total.wrong)} resolved to a wrong study",
        "claims found": f"{total.claims_found} of {total.claims} labelled claims found "
                        f"({total.percent(total.claims_found, total.claims)}%)",
        "claim precision": f"{total.found_claims_labelled} of {total.found_claims} claims found are labelled "
                           f"({total.percent(total.found_claims_labelled, total.found_claims)}%)",
    }


if __name__ == "__main__":
    found, _checks = score()
    for line in figures(found).values():
        print(line)
    print(found.wrong)
