"""What the command line says before the command: the condition named and the options given before it."""

from __future__ import annotations

from typing import Any, NamedTuple

from stemcell_cli.render import ColorMode


class Invocation(NamedTuple):
    """The condition word and the options that may come before it (`stemcell --data F lupus summary`)."""

    condition: str | None = None
    data: str | None = None
    no_cache: bool = False
    color: ColorMode = ColorMode.AUTO
    quiet: bool = False


def invocation(ctx: Any) -> Invocation:
    """Return the invocation recorded on a context or any parent of it (defaults if none was)."""
    found = ctx.find_object(Invocation)
    return found if isinstance(found, Invocation) else Invocation()


def record(ctx: Any, **changes: Any) -> Invocation:
    """Record changes to the invocation on the root context, which every command's context inherits."""
    root = ctx.find_root()
    current = root.obj if isinstance(root.obj, Invocation) else Invocation()
    changed = current._replace(**changes)
    root.obj = changed
    return changed
