"""Shell completion of condition names, study ids and claim ids, read from the data the command would use."""

from __future__ import annotations

from typing import Any

from stemcell_cli.errors import StemcellError
from stemcell_cli.names import normalise
from stemcell_cli.render.safe_text import one_line


def _dataset(ctx: Any, condition: str | None = None) -> Any:
    """Load the dataset for completion (only one condition's records when named), or None if it cannot be read."""
    from stemcell_cli.loading import load

    data = None
    node = ctx
    while node is not None:
        data = data or node.params.get("data")
        node = node.parent
    try:
        return load(data, condition=condition).dataset
    except StemcellError:
        return None


def condition_items(ctx: Any, incomplete: str) -> list[Any]:
    """Return completion items for condition ids and aliases."""
    # Typer re-exports click's completion item only from typer.core; no public name exists for it.
    from typer.core import CompletionItem  # type: ignore[attr-defined]

    dataset = _dataset(ctx)
    if dataset is None:
        return []
    return [CompletionItem(name, help=one_line(c.name)) for c in dataset.conditions
            for name in (c.id, *c.aliases) if _starts(name, incomplete)]


def _condition_data(ctx: Any) -> tuple[Any, Any] | None:
    """Return the dataset and the condition named on the command line, or None."""
    from stemcell_cli.cli.invocation import invocation
    from stemcell_cli.evidence.lookup import find_condition

    name = invocation(ctx).condition
    if name is None:
        return None
    dataset = _dataset(ctx, name)
    if dataset is None:
        return None
    try:
        return dataset, find_condition(dataset, name)
    except StemcellError:
        return None


def complete_study(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Return study ids of the condition on the command line, with their labels."""
    from stemcell_cli.evidence.lookup import studies_of, study_label

    found = _condition_data(ctx)
    if found is None:
        return []
    dataset, condition = found
    return [(s.id, one_line(study_label(s))) for s in studies_of(dataset, condition) if _starts(s.id, incomplete)]


def complete_claim(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Return claim ids of the condition on the command line, with their outcomes."""
    from stemcell_cli.evidence.lookup import claims_of

    found = _condition_data(ctx)
    if found is None:
        return []
    dataset, condition = found
    return [(c.id, one_line(c.outcome)) for c in claims_of(dataset, condition) if _starts(c.id, incomplete)]


def _starts(name: str, incomplete: str) -> bool:
    """Tell whether a name completes what was typed, ignoring case as the look-ups do."""
    return normalise(name).startswith(normalise(incomplete))
