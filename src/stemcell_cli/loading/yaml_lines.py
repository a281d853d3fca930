"""Where each JSON-path of a data file is written, read from parser events to locate schema problems."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import yaml

from stemcell_cli.loading.yaml_reader import safe_loader


def node_lines(text: str, paths: Collection[str], *, pure: bool = False) -> dict[str, int]:
    """Map the given JSON-paths, and every ancestor of them, to the 1-based line where each is written."""
    wanted = {"$"}
    for path in paths:
        while path and path not in wanted:
            wanted.add(path)
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
    lines: dict[str, int] = {}
    loader = None
    try:
        loader = safe_loader(text, pure)
        _walk_lines(loader, wanted, lines)
    except yaml.YAMLError:
        pass
    finally:
        if loader is not None:
            loader.dispose()
    return lines


def _walk_lines(loader: Any, wanted: set[str], lines: dict[str, int]) -> None:
    """Record the line of every wanted path, skipping the paths of subtrees that hold none."""
    # Each open collection: its path (None when nothing under it is wanted), whether it is a mapping, the number
    # of children seen, and the path its pending key names.
    stack: list[list[Any]] = []
    for event in iter(loader.get_event, None):
        kind = type(event)
        if kind in (yaml.StreamStartEvent, yaml.DocumentStartEvent, yaml.DocumentEndEvent):
            continue
        if kind in (yaml.StreamEndEvent,):
            return
        if kind in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
            stack.pop()
            if not stack:
                return
            continue
        path = _child_path(stack, event, wanted, lines)
        if path is not None:
            lines.setdefault(path, _line(event))
        if kind in (yaml.MappingStartEvent, yaml.SequenceStartEvent):
            stack.append([path, kind is yaml.MappingStartEvent, 0, None])
        elif not stack:
            return


def _child_path(stack: list[list[Any]], event: Any, wanted: set[str], lines: dict[str, int]) -> str | None:
    """Return the wanted path of the node an event starts (None if not wanted); note mapping keys' lines."""
    if not stack:
        return "$"
    frame = stack[-1]
    parent, mapping, count, key_path = frame
    frame[2] = count + 1
    if not mapping:
        path = f"{parent}[{count}]" if parent is not None else None
        return path if path in wanted else None
    if count % 2 == 0:
        # A key: it names the path of the value that follows, and that path's line is the key's.
        named = None
        if parent is not None and isinstance(event, yaml.ScalarEvent):
            candidate = f"{parent}.{event.value}"
            if candidate in wanted:
                named = candidate
                lines.setdefault(named, _line(event))
        frame[3] = named
        return None
    return key_path if key_path in wanted else None


def _line(event: Any) -> int:
    """Return the 1-based line where an event starts."""
    return int(event.start_mark.line) + 1
