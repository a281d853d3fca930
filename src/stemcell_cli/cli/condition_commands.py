"""Commands on one condition: summary, overview, claims, claim, contrasts, studies, study, trials, effects."""

# No `from __future__ import annotations`: Typer reads these signatures at every start, and string annotations
# would each be compiled and evaluated there (see tests/test_import_cost.py).

from typing import Annotated

import typer

from stemcell_cli.cli.completion import complete_claim, complete_study
from stemcell_cli.cli.dataset import open_data
from stemcell_cli.cli.lazy import CommandShelf, ShelfGroup
from stemcell_cli.cli.options import (
    ColorOpt,
    DataOpt,
    ForceOpt,
    FormatOpt,
    NoCacheOpt,
    NoPagerOpt,
    OutputOpt,
    example,
)
from stemcell_cli.errors import UsageProblem
from stemcell_cli.evidence import synthesis
from stemcell_cli.evidence.lookup import find_condition
from stemcell_cli.evidence.results import BinaryMeasure, ContinuousMeasure, RandomMethod
from stemcell_cli.model import Condition, Dataset, Design
from stemcell_cli.render import ColorMode
from stemcell_cli.render.output import deliver

SHELF = CommandShelf()


def _open(ctx: typer.Context, data: DataOpt, no_cache: bool) -> tuple[Dataset, Condition]:
    """Load the condition named on the command line, with only its slice of the data, and find it."""
    name = ctx.meta.get("condition")
    if name is None:
        raise UsageProblem("replace CONDITION with a condition name, e.g. `stemcell lupus summary` "
                           "(see `stemcell conditions`)")
    dataset = open_data(data, use_cache=not no_cache, condition=name)
    return dataset, find_condition(dataset, name)


@SHELF.command(epilog=example("lupus summary --format markdown -o lupus.md"))
def summary(
    ctx: typer.Context,
    fmt: FormatOpt = None,
    data: DataOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    color: ColorOpt = ColorMode.AUTO,
    no_cache: NoCacheOpt = False,
) -> None:
    """Show one screen: the bottom line, each page claim's verdict and certainty, the key controlled evidence."""
    dataset, condition = _open(ctx, data, no_cache)
    deliver(synthesis.summary(dataset, condition), fmt, output=output, force=force, color=color)


@SHELF.command(epilog=example("lupus overview"))
def overview(
    ctx: typer.Context,
    fmt: FormatOpt = None,
    data: DataOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    color: ColorOpt = ColorMode.AUTO,
    no_cache: NoCacheOpt = False,
) -> None:
    """Show the condition's background in our own words: what it is, the organs involved, standard care."""
    _dataset, condition = _open(ctx, data, no_cache)
    deliver(synthesis.overview(condition), fmt, output=output, force=force, color=color)


@SHELF.command(epilog=example("lupus claims --explain --format json"))
def claims(
    ctx: typer.Context,
    explain: Annotated[bool, typer.Option("--explain", help="Also show how each verdict was reached.")] = False,
    fmt: FormatOpt = None,
    data: DataOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    color: ColorOpt = ColorMode.AUTO,
    no_cache: NoCacheOpt = False,
    no_pager: NoPagerOpt = False,
) -> None:
    """Show each claim's verdict, certainty and statement with its supporting and contrasting citations."""
    dataset, condition = _open(ctx, data, no_cache)
    deliver(synthesis.claims(dataset, condition, explain=explain), fmt, output=output, force=force, color=color,
            pager=not no_pager)


@SHELF.command(epilog=example("lupus claim safety"))
def claim(
    ctx: typer.Context,
    claim_id: Annotated[str, typer.Argument(metavar="ID", help="Claim id, e.g. sledai (see `claims`).",
                                            autocompletion=complete_claim)],
    fmt: FormatOpt = None,
    data: DataOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    color: ColorOpt = ColorMode.AUTO,
    no_cache: NoCacheOpt = False,
    no_pager: NoPagerOpt = False,
) -> None:
    """Show how one claim's verdict was reached: start, each downgrade with its reason, clusters, robustness."""
    dataset, condition = _open(ctx, data, no_cache)
    deliver(synthesis.claim(dataset, condition, claim_id), fmt, output=output, force=force, color=color,
            pager=not no_pager)


@SHELF.command(epilog=example("sle contrasts --format csv"))
def contrasts(
    ctx: typer.Context,
    fmt: FormatOpt = None,
    data: DataOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    color: ColorOpt = ColorMode.AUTO,
    no_cache: NoCacheOpt = False,
    no_pager: NoPagerOpt = False,
) -> None:
    """Show each contrasting finding: study, design, n, what it found, which claims it contradicts."""
    dataset, condition = _open(ctx, data, no_cache)
    deliver(synthesis.contrasts(dataset, condition), fmt, output=output, force=force, color=color,
            pager=not no_pager)


@SHELF.command(epilog=example("lupus studies --design randomised_controlled_trial --since 2015 --sort n"))
def studies(
    ctx: typer.Context,
    design: Annotated[Design | None, typer.Option("--design", case_sensitive=False,
                                                  help="Only studies of this design.")] = None,
    since: Annotated[int | None, typer.Option("--since", min=1800, max=2200,
                                              help="Only studies published in or after this year.")] = None,
    min_n: Annotated[int | None, typer.Option("--min-n", min=0, help="Only studies with at least this many "
                                                                     "participants.")] = None,
    sort: Annotated[synthesis.SortKey, typer.Option("--sort", case_sensitive=False,
                                                    help="Order: year, n (largest first), design (strongest "
                                                         "first) or id.")] = synthesis.SortKey.YEAR,
    fmt: FormatOpt = None,
    data: DataOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    color: ColorOpt = ColorMode.AUTO,
    no_cache: NoCacheOpt = False,
) -> None:
    """List the curated studies, filtered and sorted; unknown years or sizes never pass a filter on them."""
    dataset, condition = _open(ctx, data, no_cache)
    result = synthesis.studies(dataset, condition, design=design, since=since, min_n=min_n, sort=sort)
    deliver(result, fmt, output=output, force=force, color=color)


@SHELF.command(epilog=example("lupus study deng2017 --format json"))
def study(
    ctx: typer.Context,
    study_id: Annotated[str, typer.Argument(metavar="ID", help="Study id, e.g. deng2017.",
                                            autocompletion=complete_study)],
    fmt: FormatOpt = None,
    data: DataOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    color: ColorOpt = ColorMode.AUTO,
    no_cache: NoCacheOpt = False,
    no_pager: NoPagerOpt = False,
) -> None:
    """Show every field of one study with its sources; DOI and PubMed links are clickable where supported."""
    dataset, condition = _open(ctx, data, no_cache)
    deliver(synthesis.study(dataset, condition, study_id), fmt, output=output, force=force, color=color,
            pager=not no_pager)


@SHELF.command(epilog=example("lupus trials --format csv"))
def trials(
    ctx: typer.Context,
    fmt: FormatOpt = None,
    data: DataOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    color: ColorOpt = ColorMode.AUTO,
    no_cache: NoCacheOpt = False,
    no_pager: NoPagerOpt = False,
) -> None:
    """List the registered trials: registry id, phase, design, size, status, whether results are posted."""
    dataset, condition = _open(ctx, data, no_cache)
    deliver(synthesis.trials(dataset, condition), fmt, output=output, force=force, color=color,
            pager=not no_pager)


OutcomeOpt = Annotated[str | None, typer.Option("--outcome", help="Only outcomes whose measure contains this text "
                                                                 "(case-insensitive).")]
MethodOpt = Annotated[RandomMethod, typer.Option("--method", case_sensitive=False, help="Random-effects estimator "
                                                 "of tau2: REML, DL (DerSimonian-Laird) or PM (Paule-Mandel).")]
KnhaOpt = Annotated[bool, typer.Option("--hartung-knapp", help="Test the random-effects estimate by Hartung-Knapp "
                                                               "(t with k-1 df).")]
BinaryOpt = Annotated[BinaryMeasure, typer.Option("--binary", case_sensitive=False,
                                                  help="Measure for events in two arms: RR, OR or RD.")]
ContinuousOpt = Annotated[ContinuousMeasure, typer.Option("--continuous", case_sensitive=False,
                                                          help="Measure for means in two arms: MD or SMD (Hedges' g).")]


@SHELF.command(epilog=example("lupus effects --outcome remission --format json"))
def effects(
    ctx: typer.Context,
    outcome: OutcomeOpt = None,
    method: MethodOpt = RandomMethod.REML,
    hartung_knapp: KnhaOpt = False,
    binary: BinaryOpt = BinaryMeasure.RR,
    continuous: ContinuousOpt = ContinuousMeasure.MD,
    fmt: FormatOpt = None,
    data: DataOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    color: ColorOpt = ColorMode.AUTO,
    no_cache: NoCacheOpt = False,
    no_pager: NoPagerOpt = False,
) -> None:
    """Show per-study effect sizes with 95% intervals, a forest plot, pooled estimates and vote counts."""
    from stemcell_cli.evidence.effect_summary import effects as effect_sizes  # only this command pays for it

    dataset, condition = _open(ctx, data, no_cache)
    result = effect_sizes(dataset, condition, outcome=outcome, method=method, knha=hartung_knapp, binary=binary,
                          continuous=continuous)
    deliver(result, fmt, output=output, force=force, color=color, pager=not no_pager)


class ConditionGroup(ShelfGroup):
    """The commands on one condition, each built only when it is the one run."""

    shelf = SHELF


condition_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, cls=ConditionGroup)
