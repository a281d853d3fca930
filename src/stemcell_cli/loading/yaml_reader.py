"""Guarded YAML parsing: safe tags only, duplicate keys refused, aliases and nesting bounded."""

from __future__ import annotations

import re
from typing import Any

import yaml

from stemcell_cli.errors import DataProblems, Problem
from stemcell_cli.loading.source import LINE_BREAK, position, pure_requested

MAX_DEPTH = 64
MAX_EXPANDED_NODES = 5_000_000
EXPANSION_FACTOR = 4
YAML_TAGS = "tag:yaml.org,2002:"
MERGE_TAG = YAML_TAGS + "merge"

FastSafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The characters YAML 1.1 allows in a stream (spec 5.1); both loaders refuse the rest, unlocated or differently.
_NOT_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class _Refusal(yaml.MarkedYAMLError):
    """A document the guards refuse, with the mark where it was seen."""

    def __init__(self, problem: str, mark: yaml.Mark | None) -> None:
        super().__init__(problem=problem, problem_mark=mark)


class _Guards:
    """Loader mix-in: the checks that the stock safe loaders lack."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        """Compose one node, refusing deep nesting before Python's own recursion limit (pure loader)."""
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[attr-defined]
                raise _Refusal(f"nesting deeper than {MAX_DEPTH} levels", mark)
            return super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self._depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """Construct a mapping, refusing a key that appears twice (merge keys `<<` are left to the loader)."""
        seen: dict[Any, yaml.Node] = {}
        for key_node, _value in node.value:
            if key_node.tag == MERGE_TAG:
                continue
            key = self.construct_object(key_node, deep=True)  # type: ignore[attr-defined]
            try:
                first = seen.get(key)
            except TypeError:
                raise _Refusal("a mapping key must be a plain value", key_node.start_mark) from None
            if first is not None:
                raise _Refusal(
                    f"duplicate key {key!r} (first defined at line {first.start_mark.line + 1})",
                    key_node.start_mark,
                )
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc,no-any-return]

    def get_single_data(self) -> Any:
        """Compose the document, check its shape, then construct it."""
        node = self.get_single_node()  # type: ignore[attr-defined]
        if node is None:
            return None
        check_shape(node)
        return self.construct_document(node)  # type: ignore[attr-defined]


def check_shape(root: yaml.Node) -> None:
    """Refuse recursive aliases, nesting deeper than MAX_DEPTH, and aliases that expand beyond a bound."""
    expanded: dict[int, int] = {}
    height: dict[int, int] = {}
    open_nodes: set[int] = set()
    unique = 0
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        if done:
            open_nodes.discard(key)
            children = _children(node)
            expanded[key] = 1 + sum(expanded[id(c)] for c in children)
            height[key] = 1 + max((height[id(c)] for c in children), default=0)
            if height[key] > MAX_DEPTH:
                # Only reachable through aliases: written nesting is refused on the way down.
                raise _Refusal(f"nesting deeper than {MAX_DEPTH} levels once aliases are expanded", node.start_mark)
            if expanded[key] > MAX_EXPANDED_NODES:
                raise _Refusal(f"aliases here expand to {expanded[key]} nodes, more than {MAX_EXPANDED_NODES} "
                               "(alias bomb refused)", node.start_mark)
            continue
        if key in expanded:
            continue
        if key in open_nodes:
            raise _Refusal("an alias refers to its own anchor (recursive data is refused)", node.start_mark)
        if depth > MAX_DEPTH:
            raise _Refusal(f"nesting deeper than {MAX_DEPTH} levels", node.start_mark)
        unique += 1
        open_nodes.add(key)
        stack.append((node, depth, True))
        for child in _children(node):
            if id(child) not in expanded:
                stack.append((child, depth + 1, False))
    total = expanded[id(root)]
    if total > EXPANSION_FACTOR * unique + 10_000:
        raise _Refusal(
            f"aliases expand to {total} nodes from {unique} written ones (alias bomb refused)",
            root.start_mark,
        )


def _children(node: yaml.Node) -> list[yaml.Node]:
    """Return the direct child nodes of a node."""
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


class GuardedFastLoader(_Guards, FastSafeLoader):  # type: ignore[misc]
    """libyaml-backed safe loader with the guards."""


class GuardedPureLoader(_Guards, yaml.SafeLoader):
    """Pure-Python safe loader with the guards."""


def _refuse_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """Refuse any tag outside the safe set, naming it."""
    tag = "!!" + node.tag.removeprefix(YAML_TAGS) if node.tag.startswith(YAML_TAGS) else node.tag
    raise _Refusal(f"tag {tag!r} is not allowed (only plain YAML data is read)", node.start_mark)


GuardedFastLoader.add_constructor(None, _refuse_tag)
GuardedPureLoader.add_constructor(None, _refuse_tag)


def _loader(text: str, pure: bool) -> Any:
    """Return a guarded loader over the text, libyaml unless the pure-Python one is requested."""
    cls = GuardedPureLoader if pure_requested(pure) else GuardedFastLoader
    return cls(text)


def parse_yaml(text: str, label: str, *, pure: bool = False) -> Any:
    """Parse one YAML document or raise DataProblems located in `label`."""
    _check_printable(text, label)
    loader = None
    try:
        loader = _loader(text, pure)
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        raise DataProblems([_located(exc, text, label)]) from None
    except yaml.YAMLError as exc:
        raise DataProblems([Problem(label, _first_line(str(exc)))]) from None
    except RecursionError:
        raise DataProblems([Problem(label, f"nesting deeper than {MAX_DEPTH} levels")]) from None
    finally:
        if loader is not None:
            loader.dispose()


def _check_printable(text: str, label: str) -> None:
    """Refuse characters YAML does not allow, located, the same way under both loaders."""
    found = _NOT_PRINTABLE.search(text)
    if found is None:
        return
    line, column = position(text, found.start())
    code = ord(found.group())
    escape = f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    message = (f"character U+{code:04X} is not allowed in YAML; to keep it, write the escape \"{escape}\" "
               "inside a double-quoted string")
    raise DataProblems([Problem(label, message, line=line, column=column)])


def _located(exc: yaml.MarkedYAMLError, text: str, label: str) -> Problem:
    """Turn a PyYAML error into a 1-based located problem."""
    mark = exc.problem_mark or exc.context_mark
    parts = [p for p in (exc.context, exc.problem) if p]
    message = "; ".join(parts) if parts else "invalid YAML"
    if isinstance(exc, _Refusal):
        message = exc.problem or message
    if mark is None:
        return Problem(label, message)
    if "\\t" in message or " tab " in message or _char_at(text, mark.line, mark.column) == "\t":
        message += " (indent with spaces, not tabs)"
    return Problem(label, message, line=mark.line + 1, column=mark.column + 1)


def _char_at(text: str, line: int, column: int) -> str:
    """Return the character at a 0-based YAML mark, or an empty string."""
    lines = LINE_BREAK.split(text, maxsplit=line + 1)
    if line >= len(lines):
        return ""
    return lines[line][column : column + 1]


def _first_line(text: str) -> str:
    """Return the first line of a message."""
    return text.strip().splitlines()[0] if text.strip() else "invalid YAML"


def node_lines(text: str, *, pure: bool = False) -> dict[str, int]:
    """Map each JSON-path in the document to its 1-based line, for locating schema problems."""
    loader = None
    try:
        loader = _loader(text, pure)
        root = loader.get_single_node()
    except yaml.YAMLError:
        return {}
    finally:
        if loader is not None:
            loader.dispose()
    lines: dict[str, int] = {}
    stack: list[tuple[yaml.Node, str, int]] = [(root, "$", 0)] if root is not None else []
    while stack:
        node, path, depth = stack.pop()
        lines.setdefault(path, node.start_mark.line + 1)
        if depth > MAX_DEPTH:
            continue
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    child = f"{path}.{key.value}"
                    lines.setdefault(child, key.start_mark.line + 1)
                    stack.append((value, child, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                stack.append((item, f"{path}[{i}]", depth + 1))
    return lines
