"""The public Python API, the command line's too: load the curated data, get each command's result as frozen records."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from stemcell_cli.errors import UnknownClaim, UnknownStudy, UsageProblem
from stemcell_cli.evidence import command_results
from stemcell_cli.evidence.command_results import SortKey
from stemcell_cli.evidence.lookup import elsewhere, find_condition
from stemcell_cli.evidence.results import (
    BinaryMeasure,
    CiteResult,
    ClaimResult,
    ClaimsResult,
    ConditionsResult,
    ContinuousMeasure,
    ContrastsResult,
    DiffResult,
    EffectsResult,
    FindResult,
    IssuesResult,
    OverviewResult,
    RandomMethod,
    ReportResult,
    SofResult,
    StudiesResult,
    StudyResult,
    SummaryResult,
    TrialsResult,
)
from stemcell_cli.model import Condition, Dataset, Design, Provenance

if TYPE_CHECKING:
    from stemcell_cli.evidence.check_result import CheckResult
    from stemcell_cli.pages.records import PageText

__all__ = ["BinaryMeasure", "ContinuousMeasure", "Design", "Evidence", "RandomMethod", "SortKey", "load"]


class Evidence:
    """A loaded, validated data file, with one method per command; conditions are named by id or alias."""

    def __init__(self, dataset: Dataset, provenance: Callable[[], Provenance] | None = None, *,
                 whole: Callable[[], Dataset | None] | None = None) -> None:
        self.dataset = dataset
        # Called only when an output names its source: hashing the file's bytes costs a few milliseconds.
        self._provenance = provenance
        # `whole` gives every condition's records when `dataset` holds one condition's (as the command line loads
        # them), so that an id of another condition can be named; it is called only when an id is not found.
        self._whole = whole

    @property
    def provenance(self) -> Provenance | None:
        """The tool's version and the data file read (base name, schema version, SHA-256); None if not from a file."""
        return self._provenance() if self._provenance is not None else None

    def _placed(self, problem: UsageProblem, condition: Condition, kind: str, wanted: str) -> UsageProblem:
        """Return the problem, or a better one that names the other condition whose study or claim was meant."""
        whole = self._whole() if self._whole is not None else self.dataset
        advice = elsewhere(whole, condition, kind, wanted) if whole is not None else None
        return type(problem)(advice) if advice is not None else problem

    def condition(self, name: str) -> Condition:
        """Return the condition with this id or alias (raises UnknownCondition with a suggestion)."""
        return find_condition(self.dataset, name)

    def conditions(self) -> ConditionsResult:
        """Return the conditions with how many studies, claims and trials each has."""
        return command_results.conditions(self.dataset)

    def summary(self, condition: str) -> SummaryResult:
        """Return the one-screen summary: bottom line, each claim's verdict, key controlled evidence."""
        return command_results.summary(self.dataset, self.condition(condition))

    def overview(self, condition: str) -> OverviewResult:
        """Return the condition's background with its sources."""
        return command_results.overview(self.condition(condition))

    def sof(self, condition: str) -> SofResult:
        """Return the Summary of Findings: every outcome row with its estimate, certainty and statement."""
        return command_results.sof(self.dataset, self.condition(condition))

    def report(self, condition: str) -> ReportResult:
        """Return the report to share: summary, Summary of Findings, every claim in full, numbered references."""
        return command_results.report(self.dataset, self.condition(condition))

    def claims(self, condition: str, *, explain: bool = False) -> ClaimsResult:
        """Return every claim with its verdict and citations; `explain` marks the derivations as to be shown."""
        return command_results.claims(self.dataset, self.condition(condition), explain=explain)

    def claim(self, condition: str, claim_id: str) -> ClaimResult:
        """Return one claim with the whole derivation of its verdict."""
        found = self.condition(condition)
        try:
            return command_results.claim(self.dataset, found, claim_id)
        except UnknownClaim as problem:
            raise self._placed(problem, found, "claim", claim_id) from None

    def contrasts(self, condition: str) -> ContrastsResult:
        """Return the contrasting findings."""
        return command_results.contrasts(self.dataset, self.condition(condition))

    def studies(self, condition: str, *, design: Design | None = None, since: int | None = None,
                min_n: int | None = None, sort: SortKey = SortKey.YEAR) -> StudiesResult:
        """Return the studies that pass the filters, sorted."""
        return command_results.studies(self.dataset, self.condition(condition), design=design, since=since, min_n=min_n,
                                 sort=sort)

    def study(self, condition: str, study_id: str) -> StudyResult:
        """Return every field of one study, named by its id, DOI, PMID, PMCID or registry id."""
        found = self.condition(condition)
        try:
            return command_results.study(self.dataset, found, study_id)
        except UnknownStudy as problem:
            raise self._placed(problem, found, "study", study_id) from None

    def find(self, term: str) -> FindResult:
        """Return every study and registered trial, of any condition, whose id, DOI, PMID or registry id is `term`."""
        return command_results.find(self.dataset, term)

    def effects(self, condition: str, *, outcome: str | None = None, method: RandomMethod = RandomMethod.REML,
                hartung_knapp: bool = False, binary: BinaryMeasure = BinaryMeasure.RR,
                continuous: ContinuousMeasure = ContinuousMeasure.MD) -> EffectsResult:
        """Return the outcome rows and per-study effects, pooled and counted (outcomes matching `outcome`)."""
        from stemcell_cli.evidence.effects_result import effects  # only this command pays for the arithmetic

        return effects(self.dataset, self.condition(condition), outcome=outcome, method=method, knha=hartung_knapp,
                       binary=binary, continuous=continuous)

    def check(self, page: str | PageText, *, condition: str | None = None) -> CheckResult:
        """Return the check of a saved page (a path, `-` for standard input, or a read page) against its condition."""
        from stemcell_cli.evidence.check_result import check_page
        from stemcell_cli.pages.reading import read_page

        read = read_page(page) if isinstance(page, str) else page
        return check_page(self.dataset, read, self.condition(condition) if condition is not None else None)

    def trials(self, condition: str) -> TrialsResult:
        """Return the registered trials."""
        return command_results.trials(self.dataset, self.condition(condition))

    def issues(self, condition: str) -> IssuesResult:
        """Return the citation issues, one row each: the claim, the page's words, what the source shows, sources."""
        return command_results.issues(self.dataset, self.condition(condition))

    def cite(self, condition: str) -> CiteResult:
        """Return the condition's studies as references, their bibliographic fields as curated."""
        return command_results.cite(self.dataset, self.condition(condition))

    def diff(self, new: Evidence, *, old_label: str = "old", new_label: str = "new") -> DiffResult:
        """Return what changed from this data to another: studies added, removed, changed, and verdicts changed."""
        from stemcell_cli.evidence.diff_result import compare

        return compare(self.dataset, new.dataset, old_label=old_label, new_label=new_label)


def load(path: str | Path | None = None, *, use_cache: bool = True) -> Evidence:
    """Load and validate a data file (the shipped one by default); invalid data raises DataProblems."""
    from stemcell_cli.loading import load as load_file

    loaded = load_file(Path(path) if path is not None else None, use_cache=use_cache)
    return Evidence(loaded.dataset, loaded.provenance)
