"""Commands on one condition, each a view from the data and the condition to a result, declared in one table."""

# No `from __future__ import annotations`: these signatures are read at every start, and string annotations would
# each be compiled and evaluated there (see benchmarks/checks.py).

from typing import Annotated

from stemcell_cli.api import BinaryMeasure, ContinuousMeasure, Design, Evidence, RandomMethod, SortKey
from stemcell_cli.cli.completion import complete_claim, complete_study
from stemcell_cli.cli.dataset import open_data
from stemcell_cli.cli.declare import CommandDeclaration, command_function
from stemcell_cli.cli.invocation import Invocation
from stemcell_cli.cli.options import Shared, example
from stemcell_cli.cli.spec import Arg, CommandShelf, Opt
from stemcell_cli.errors import UsageProblem
from stemcell_cli.evidence.results import CiteResult, Result
from stemcell_cli.render import CiteFormat, DocumentFormat

PLACEHOLDER = "CONDITION"


def open_condition(before: Invocation, options: Shared) -> tuple[Evidence, str]:
    """Load the slice of the data for the condition named on the command line; the name is resolved by the API."""
    name = before.condition
    if name is None or name == PLACEHOLDER:
        raise UsageProblem(f"replace {PLACEHOLDER} with a condition name, e.g. `stemcell lupus summary` "
                           "(see `stemcell conditions`)")
    return open_data(options.data, use_cache=not options.no_cache, condition=name, quiet=options.quiet), name


# Each view takes the API and the condition as typed, then the command's own arguments and options, which are the API
# method's under the same names (tests/test_api.py compares them). The views are alike in shape on purpose, even those
# that only call the API: each one's signature gives the command's parameters, and its docstring the command's --help.


def summary(evidence: Evidence, condition: str) -> Result:
    """Show one screen: the bottom line, each page claim's verdict and certainty, the key controlled evidence."""
    return evidence.summary(condition)


def overview(evidence: Evidence, condition: str) -> Result:
    """Show the condition's background in our own words: what it is, the organs involved, standard care."""
    return evidence.overview(condition)


def claims(
    evidence: Evidence,
    condition: str,
    explain: Annotated[bool, Opt("--explain", help="Also show how each verdict was reached.")] = False,
) -> Result:
    """Show each claim's verdict, certainty and statement with its supporting and contrasting citations."""
    return evidence.claims(condition, explain=explain)


def claim(
    evidence: Evidence,
    condition: str,
    claim_id: Annotated[str, Arg(metavar="ID", help="Claim id, e.g. sledai (see `claims`).",
                                            autocompletion=complete_claim)],
) -> Result:
    """Show how one claim's verdict was reached: start, each downgrade with its reason, clusters, robustness."""
    return evidence.claim(condition, claim_id)


def contrasts(evidence: Evidence, condition: str) -> Result:
    """Show each contrasting finding: study, design, n, what it found, which claims it contradicts."""
    return evidence.contrasts(condition)


def studies(
    evidence: Evidence,
    condition: str,
    design: Annotated[Design | None, Opt(
        "--design", case_sensitive=False, metavar="DESIGN",
        help="Only studies of this design: a code (randomised_controlled_trial, non_randomised_controlled, "
             "single_arm, retrospective_cohort, case_series, long_term_follow_up, systematic_review_meta_analysis) "
             "or a name the screens use, in any case (rct, meta-analysis, single-arm, ...).")] = None,
    since: Annotated[int | None, Opt("--since", min=1800, max=2200, metavar="YEAR",
                                              help="Only studies published in or after this year.")] = None,
    min_n: Annotated[int | None, Opt("--min-n", min=0, metavar="N", help="Only studies with at least N "
                                                                                  "participants.")] = None,
    sort: Annotated[SortKey, Opt("--sort", case_sensitive=False,
                                          help="Order: year, n (largest first), design (strongest first) or id.")]
    = SortKey.YEAR,
) -> Result:
    """List the curated studies, filtered and sorted; unknown years or sizes never pass a filter on them."""
    return evidence.studies(condition, design=design, since=since, min_n=min_n, sort=sort)


def study(
    evidence: Evidence,
    condition: str,
    study_id: Annotated[str, Arg(metavar="ID", help="Study id, DOI, PMID or registry id, e.g. deng2017 "
                                                                         "(see `stemcell find`).",
                                            autocompletion=complete_study)],
) -> Result:
    """Show every field of one study with its sources; DOI and PubMed links are clickable where supported."""
    return evidence.study(condition, study_id)


def trials(evidence: Evidence, condition: str) -> Result:
    """List the registered trials: registry id, phase, design, size, status, whether results are posted."""
    return evidence.trials(condition)


def sof(evidence: Evidence, condition: str) -> Result:
    """Show the Summary of Findings: each outcome's estimate, certainty with footnotes, absolute effect, statement."""
    return evidence.sof(condition)


def report(evidence: Evidence, condition: str) -> Result:
    """Write a report to share: bottom line, Summary of Findings, every claim in full, forest plots, references."""
    return evidence.report(condition)


def effects(
    evidence: Evidence,
    condition: str,
    outcome: Annotated[str | None, Opt("--outcome", metavar="TEXT", help="Only outcomes whose id, name or a "
                                                "study's measure contains this text (case-insensitive); each of "
                                                "their rows gets a forest plot.")] = None,
    method: Annotated[RandomMethod, Opt("--method", case_sensitive=False, help="Random-effects estimator "
                                                 "of tau2: REML, DL (DerSimonian-Laird) or PM (Paule-Mandel).")]
    = RandomMethod.REML,
    hartung_knapp: Annotated[bool, Opt("--hartung-knapp", help="Test the random-effects estimate by "
                                                                       "Hartung-Knapp (t with k-1 df).")] = False,
    binary: Annotated[BinaryMeasure, Opt("--binary", case_sensitive=False,
                                                  help="Measure for events in two arms: RR, OR or RD.")]
    = BinaryMeasure.RR,
    continuous: Annotated[ContinuousMeasure, Opt("--continuous", case_sensitive=False,
                                                          help="Measure for means in two arms: MD or SMD (Hedges' "
                                                               "g).")] = ContinuousMeasure.MD,
) -> Result:
    """Show each outcome's estimate and certainty, forest plots of two or more results; JSON/CSV: every study's."""
    return evidence.effects(condition, outcome=outcome, method=method, hartung_knapp=hartung_knapp, binary=binary,
                            continuous=continuous)


def issues(evidence: Evidence, condition: str) -> Result:
    """List the citation issues: the claim, the page's words, what the source shows, the kind and the sources."""
    return evidence.issues(condition)


def cite(evidence: Evidence, condition: str) -> CiteResult:
    """Write the condition's studies for reference managers (BibTeX, RIS or CSL-JSON), fields as curated."""
    return evidence.cite(condition)


COMMANDS = (
    CommandDeclaration(summary, example("lupus summary --format markdown -o lupus.md")),
    CommandDeclaration(overview, example("lupus overview")),
    CommandDeclaration(sof, example("lupus sof --format json")),
    CommandDeclaration(claims, example("lupus claims --explain --format json"), pageable=True),
    CommandDeclaration(claim, example("lupus claim safety"), pageable=True),
    CommandDeclaration(contrasts, example("sle contrasts --format csv"), pageable=True),
    CommandDeclaration(studies, example("lupus studies --design rct --since 2015 --sort n")),
    CommandDeclaration(study, example("lupus study deng2017 --format json"), pageable=True),
    CommandDeclaration(trials, example("lupus trials --format csv"), pageable=True),
    CommandDeclaration(effects, example("lupus effects --outcome remission --format json"), pageable=True),
    CommandDeclaration(issues, example("lupus issues --format csv -o lupus-issues.csv"), pageable=True),
    CommandDeclaration(cite, example("lupus cite -o lupus.bib"), formats=CiteFormat),
    CommandDeclaration(report, example("lupus report -o lupus.html"), formats=DocumentFormat),
)

SHELF = CommandShelf()
for declaration in COMMANDS:
    SHELF.command(epilog=declaration.example)(command_function(declaration, open_condition, opener_supplies=2))

