"""Guarded YAML parsing: safe tags only, duplicate keys refused, aliases and nesting bounded."""

from __future__ import annotations

from typing import Any

import yaml

from stemcell_cli.errors import DataProblems, Problem

MAX_DEPTH = 64
MAX_EXPANDED_NODES = 5_000_000
EXPANSION_FACTOR = 20

PureSafeLoader: type[yaml.SafeLoader] = yaml.SafeLoader
FastSafeLoader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Refusal(yaml.MarkedYAMLError):
    """A document the guards refuse, with the mark where it was seen."""

    def __init__(self, problem: str, mark: yaml.Mark | None) -> None:
        super().__init__(problem=problem, problem_mark=mark)


class _Guards:
    """Loader mix-in: the checks that the stock safe loaders lack."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        """Compose one node, refusing deep nesting before Python's own recursion limit."""
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[attr-defined]
                raise _Refusal(f"nesting deeper than {MAX_DEPTH} levels", mark)
            return super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self._depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """Construct a mapping, refusing a key that appears twice."""
        seen: dict[Any, yaml.Node] = {}
        for key_node, _value in node.value:
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

    def construct_undefined(self, node: yaml.Node) -> Any:
        """Refuse any tag outside the safe set, naming it."""
        raise _Refusal(f"tag {node.tag!r} is not allowed (only plain YAML data is read)", node.start_mark)

    def get_single_data(self) -> Any:
        """Compose the document, check its shape, then construct it."""
        node = self.get_single_node()  # type: ignore[attr-defined]
        if node is None:
            return None
        _check_shape(node)
        return self.construct_document(node)  # type: ignore[attr-defined]


def _check_shape(root: yaml.Node) -> None:
    """Refuse documents nested too deeply or whose aliases expand beyond a bound."""
    expanded: dict[int, int] = {}
    unique = 0
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        if done:
            children = _children(node)
            expanded[key] = 1 + sum(expanded[id(c)] for c in children)
            continue
        if key in expanded:
            continue
        if depth > MAX_DEPTH:
            raise _Refusal(f"nesting deeper than {MAX_DEPTH} levels", node.start_mark)
        unique += 1
        stack.append((node, depth, True))
        for child in _children(node):
            if id(child) not in expanded:
                stack.append((child, depth + 1, False))
    total = expanded[id(root)]
    if total > MAX_EXPANDED_NODES or total > EXPANSION_FACTOR * unique + 10_000:
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


class GuardedFastLoader(_Guards, FastSafeLoader):  # type: ignore[misc,valid-type]
    """libyaml-backed safe loader with the guards."""


class GuardedPureLoader(_Guards, PureSafeLoader):
    """Pure-Python safe loader with the guards."""


for _cls in (GuardedFastLoader, GuardedPureLoader):
    _cls.add_constructor(None, _Guards.construct_undefined)


def parse_yaml(text: str, label: str, *, pure: bool = False) -> Any:
    """Parse one YAML document or raise DataProblems located in `label`."""
    loader_cls = GuardedPureLoader if pure else GuardedFastLoader
    loader = loader_cls(text)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        raise DataProblems([_located(exc, label)]) from None
    except yaml.YAMLError as exc:
        raise DataProblems([Problem(label, _first_line(str(exc)))]) from None
    except RecursionError:
        raise DataProblems([Problem(label, f"nesting deeper than {MAX_DEPTH} levels")]) from None
    finally:
        loader.dispose()


def _located(exc: yaml.MarkedYAMLError, label: str) -> Problem:
    """Turn a PyYAML error into a 1-based located problem."""
    mark = exc.problem_mark or exc.context_mark
    parts = [p for p in (exc.context, exc.problem) if p]
    message = "; ".join(parts) if parts else "invalid YAML"
    if isinstance(exc, _Refusal):
        message = exc.problem or message
    if "\t" in message or "found character '\\t'" in message:
        message += " (indent with spaces, not tabs)"
    if mark is None:
        return Problem(label, message)
    return Problem(label, message, line=mark.line + 1, column=mark.column + 1)


def _first_line(text: str) -> str:
    """Return the first line of a message."""
    return text.strip().splitlines()[0] if text.strip() else "invalid YAML"


def node_lines(text: str, *, pure: bool = False) -> dict[str, int]:
    """Map each JSON-path in the document to its 1-based line, for locating schema problems."""
    loader_cls = GuardedPureLoader if pure else GuardedFastLoader
    loader = loader_cls(text)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError:
        return {}
    finally:
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
