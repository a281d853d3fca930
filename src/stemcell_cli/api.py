"""The public Python API, the command line's too: load the curated data, get each command's result as frozen records."""

from __future__ import annotations

from pathlib import Path

from stemcell_cli.evidence import command_results
from stemcell_cli.evidence.command_results import SortKey
from stemcell_cli.evidence.lookup import find_condition
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
    IssuesResult,
    OverviewResult,
    RandomMethod,
    SofResult,
    StudiesResult,
    StudyResult,
    SummaryResult,
    TrialsResult,
)
from stemcell_cli.model import Condition, Dataset, Design

__all__ = ["BinaryMeasure", "ContinuousMeasure", "Design", "Evidence", "RandomMethod", "SortKey", "load"]


class Evidence:
    """A loaded, validated data file, with one method per command; conditions are named by id or alias."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset

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

    def claims(self, condition: str, *, explain: bool = False) -> ClaimsResult:
        """Return every claim with its verdict and citations; `explain` marks the derivations as to be shown."""
        return command_results.claims(self.dataset, self.condition(condition), explain=explain)

    def claim(self, condition: str, claim_id: str) -> ClaimResult:
        """Return one claim with the whole derivation of its verdict."""
        return command_results.claim(self.dataset, self.condition(condition), claim_id)

    def contrasts(self, condition: str) -> ContrastsResult:
        """Return the contrasting findings."""
        return command_results.contrasts(self.dataset, self.condition(condition))

    def studies(self, condition: str, *, design: Design | None = None, since: int | None = None,
                min_n: int | None = None, sort: SortKey = SortKey.YEAR) -> StudiesResult:
        """Return the studies that pass the filters, sorted."""
        return command_results.studies(self.dataset, self.condition(condition), design=design, since=since, min_n=min_n,
                                 sort=sort)

    def study(self, condition: str, study_id: str) -> StudyResult:
        """Return every field of one study."""
        return command_results.study(self.dataset, self.condition(condition), study_id)

    def effects(self, condition: str, *, outcome: str | None = None, method: RandomMethod = RandomMethod.REML,
                hartung_knapp: bool = False, binary: BinaryMeasure = BinaryMeasure.RR,
                continuous: ContinuousMeasure = ContinuousMeasure.MD) -> EffectsResult:
        """Return per-study effects, pooled estimates and vote counts (outcomes whose measure contains `outcome`)."""
        from stemcell_cli.evidence.effects_result import effects  # only this command pays for the arithmetic

        return effects(self.dataset, self.condition(condition), outcome=outcome, method=method, knha=hartung_knapp,
                       binary=binary, continuous=continuous)

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

    return Evidence(load_file(Path(path) if path is not None else None, use_cache=use_cache).dataset)
