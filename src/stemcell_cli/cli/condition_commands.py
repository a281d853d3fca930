"""Commands on one condition, each a view from the data and the condition to a result, declared in one table."""

# No `from __future__ import annotations`: Typer reads these signatures at every start, and string annotations
# would each be compiled and evaluated there (see benchmarks/checks.py).

from typing import Annotated

import typer

from stemcell_cli.cli.completion import complete_claim, complete_study
from stemcell_cli.cli.dataset import open_data
from stemcell_cli.cli.declare import Shown, command_function
from stemcell_cli.cli.invocation import invocation
from stemcell_cli.cli.lazy import CommandShelf, ShelfGroup
from stemcell_cli.cli.options import Shared, example
from stemcell_cli.errors import UsageProblem
from stemcell_cli.evidence import synthesis
from stemcell_cli.evidence.lookup import find_condition
from stemcell_cli.evidence.results import BinaryMeasure, ContinuousMeasure, RandomMethod, Result
from stemcell_cli.model import Condition, Dataset, Design

PLACEHOLDER = "CONDITION"


def open_condition(ctx: typer.Context, options: Shared) -> tuple[Dataset, Condition]:
    """Load the slice of the data for the condition named on the command line, and find that condition."""
    name = invocation(ctx).condition
    if name is None or name == PLACEHOLDER:
        raise UsageProblem(f"replace {PLACEHOLDER} with a condition name, e.g. `stemcell lupus summary` "
                           "(see `stemcell conditions`)")
    dataset = open_data(options.data, use_cache=not options.no_cache, condition=name)
    return dataset, find_condition(dataset, name)


def summary(dataset: Dataset, condition: Condition) -> Result:
    """Show one screen: the bottom line, each page claim's verdict and certainty, the key controlled evidence."""
    return synthesis.summary(dataset, condition)


def overview(dataset: Dataset, condition: Condition) -> Result:
    """Show the condition's background in our own words: what it is, the organs involved, standard care."""
    return synthesis.overview(condition)


def claims(
    dataset: Dataset,
    condition: Condition,
    explain: Annotated[bool, typer.Option("--explain", help="Also show how each verdict was reached.")] = False,
) -> Result:
    """Show each claim's verdict, certainty and statement with its supporting and contrasting citations."""
    return synthesis.claims(dataset, condition, explain=explain)


def claim(
    dataset: Dataset,
    condition: Condition,
    claim_id: Annotated[str, typer.Argument(metavar="ID", help="Claim id, e.g. sledai (see `claims`).",
                                            autocompletion=complete_claim)],
) -> Result:
    """Show how one claim's verdict was reached: start, each downgrade with its reason, clusters, robustness."""
    return synthesis.claim(dataset, condition, claim_id)


def contrasts(dataset: Dataset, condition: Condition) -> Result:
    """Show each contrasting finding: study, design, n, what it found, which claims it contradicts."""
    return synthesis.contrasts(dataset, condition)


def studies(
    dataset: Dataset,
    condition: Condition,
    design: Annotated[Design | None, typer.Option("--design", case_sensitive=False,
                                                  help="Only studies of this design.")] = None,
    since: Annotated[int | None, typer.Option("--since", min=1800, max=2200,
                                              help="Only studies published in or after this year.")] = None,
    min_n: Annotated[int | None, typer.Option("--min-n", min=0, help="Only studies with at least this many "
                                                                     "participants.")] = None,
    sort: Annotated[synthesis.SortKey, typer.Option("--sort", case_sensitive=False,
                                                    help="Order: year, n (largest first), design (strongest "
                                                         "first) or id.")] = synthesis.SortKey.YEAR,
) -> Result:
    """List the curated studies, filtered and sorted; unknown years or sizes never pass a filter on them."""
    return synthesis.studies(dataset, condition, design=design, since=since, min_n=min_n, sort=sort)


def study(
    dataset: Dataset,
    condition: Condition,
    study_id: Annotated[str, typer.Argument(metavar="ID", help="Study id, e.g. deng2017.",
                                            autocompletion=complete_study)],
) -> Result:
    """Show every field of one study with its sources; DOI and PubMed links are clickable where supported."""
    return synthesis.study(dataset, condition, study_id)


def trials(dataset: Dataset, condition: Condition) -> Result:
    """List the registered trials: registry id, phase, design, size, status, whether results are posted."""
    return synthesis.trials(dataset, condition)


def sof(dataset: Dataset, condition: Condition) -> Result:
    """Show the Summary of Findings: each outcome's estimate, certainty with footnotes, absolute effect, statement."""
    return synthesis.sof(dataset, condition)


def effects(
    dataset: Dataset,
    condition: Condition,
    outcome: Annotated[str | None, typer.Option("--outcome", help="Only outcomes whose measure contains this text "
                                                                 "(case-insensitive).")] = None,
    method: Annotated[RandomMethod, typer.Option("--method", case_sensitive=False, help="Random-effects estimator "
                                                 "of tau2: REML, DL (DerSimonian-Laird) or PM (Paule-Mandel).")]
    = RandomMethod.REML,
    hartung_knapp: Annotated[bool, typer.Option("--hartung-knapp", help="Test the random-effects estimate by "
                                                                       "Hartung-Knapp (t with k-1 df).")] = False,
    binary: Annotated[BinaryMeasure, typer.Option("--binary", case_sensitive=False,
                                                  help="Measure for events in two arms: RR, OR or RD.")]
    = BinaryMeasure.RR,
    continuous: Annotated[ContinuousMeasure, typer.Option("--continuous", case_sensitive=False,
                                                          help="Measure for means in two arms: MD or SMD (Hedges' "
                                                               "g).")] = ContinuousMeasure.MD,
) -> Result:
    """Show per-study effect sizes with 95% intervals, a forest plot, pooled estimates and vote counts."""
    from stemcell_cli.evidence.effect_summary import effects as effect_sizes  # only this command pays for it

    return effect_sizes(dataset, condition, outcome=outcome, method=method, knha=hartung_knapp, binary=binary,
                        continuous=continuous)


COMMANDS = (
    Shown(summary, example("lupus summary --format markdown -o lupus.md")),
    Shown(overview, example("lupus overview")),
    Shown(sof, example("lupus sof --format json")),
    Shown(claims, example("lupus claims --explain --format json"), pageable=True),
    Shown(claim, example("lupus claim safety"), pageable=True),
    Shown(contrasts, example("sle contrasts --format csv"), pageable=True),
    Shown(studies, example("lupus studies --design rct --since 2015 --sort n")),
    Shown(study, example("lupus study deng2017 --format json"), pageable=True),
    Shown(trials, example("lupus trials --format csv"), pageable=True),
    Shown(effects, example("lupus effects --outcome remission --format json"), pageable=True),
)

SHELF = CommandShelf()
for shown in COMMANDS:
    SHELF.command(epilog=shown.example)(command_function(shown, open_condition, opened=2))


class ConditionGroup(ShelfGroup):
    """The commands on one condition, each built only when it is the one run."""

    shelf = SHELF


condition_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, cls=ConditionGroup)
