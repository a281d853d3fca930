"""Plain data built straight from YAML parser events, refusing what the stock safe loaders let through."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import yaml

from stemcell_cli.loading.printed import NumberTexts, written_as

MAX_DEPTH = 64
MAX_EXPANDED_NODES = 5_000_000
EXPANSION_FACTOR = 4
YAML_TAGS = "tag:yaml.org,2002:"
STR_TAG = YAML_TAGS + "str"
MERGE_TAG = YAML_TAGS + "merge"
VALUE_TAG = YAML_TAGS + "value"
MAP_TAG = YAML_TAGS + "map"
SEQ_TAG = YAML_TAGS + "seq"
NUMBER_TAGS = frozenset((YAML_TAGS + "int", YAML_TAGS + "float"))

# Plain data only: the scalar types of the YAML 1.1 safe schema. Sets, ordered maps and pairs are refused too.
_SCALARS: dict[str, Callable[[Any, yaml.ScalarNode], Any]] = {
    YAML_TAGS + name: yaml.SafeLoader.yaml_constructors[YAML_TAGS + name]
    for name in ("null", "bool", "int", "float", "binary", "timestamp")
}


class _Refusal(yaml.MarkedYAMLError):
    """A document the guards refuse, with the mark where it was seen."""

    def __init__(self, problem: str, mark: yaml.Mark | None, context: str | None = None) -> None:
        super().__init__(context=context, problem=problem, problem_mark=mark)


class _Open:
    """A mapping or sequence being built, with the sizes the alias guards count."""

    __slots__ = ("anchor", "has_key", "height", "key", "mark", "merges", "seen", "size", "texts", "value")

    def __init__(self, value: dict[Any, Any] | list[Any], mark: yaml.Mark, anchor: str | None) -> None:
        self.value = value
        self.mark = mark
        self.anchor = anchor
        self.size = 1
        self.height = 0
        self.has_key = False
        self.key: Any = None
        self.seen: dict[Any, int] = {}
        self.merges: list[dict[Any, Any]] = []
        self.texts: dict[str, str] | None = None


class _Built:
    """A finished node: its value, how many nodes it stands for once aliases are expanded, and its height.

    A number written in plain decimal notation also keeps its text, the form its source printed.
    """

    __slots__ = ("height", "size", "text", "value")

    def __init__(self, value: Any, size: int, height: int, text: str | None = None) -> None:
        self.value = value
        self.size = size
        self.height = height
        self.text = text


_MERGE = object()
_OPEN = _Built(None, 0, 0)


class _Builder:
    """Builds plain Python data from parser events, refusing what the stock safe loaders let through."""

    def __init__(self, loader: Any, texts: NumberTexts | None = None) -> None:
        self.loader = loader
        self.texts = texts
        self.stack: list[_Open] = []
        self.anchors: dict[str, _Built] = {}
        self.anchor_marks: dict[str, yaml.Mark] = {}
        self.written = 0
        self.root: _Built | None = None
        self.root_mark: yaml.Mark | None = None

    def document(self) -> Any:
        """Return the one document of the stream (None if there is none), as YAML's own composer would."""
        loader = self.loader
        loader.get_event()
        if loader.check_event(yaml.StreamEndEvent):
            loader.get_event()
            return None
        start = loader.get_event()
        self._nodes()
        loader.get_event()
        if not loader.check_event(yaml.StreamEndEvent):
            event = loader.get_event()
            raise yaml.composer.ComposerError("expected a single document in the stream", start.start_mark,
                                              "but found another document", event.start_mark)
        loader.get_event()
        root = self.root
        assert root is not None
        if root.size > EXPANSION_FACTOR * self.written + 10_000:
            raise _Refusal(f"aliases expand to {root.size} nodes from {self.written} written ones "
                           "(alias bomb refused)", self.root_mark)
        return root.value

    def _nodes(self) -> None:
        """Consume the events of one node and everything inside it."""
        get_event = self.loader.get_event
        while True:
            event = get_event()
            kind = type(event)
            if kind is yaml.ScalarEvent:
                self._scalar(event)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                self._start(event, kind is yaml.MappingStartEvent)
                continue
            elif kind is yaml.AliasEvent:
                self._alias(event)
            else:
                self._end()
            if not self.stack:
                return

    def _descend(self, event: Any) -> None:
        """Refuse a node nested deeper than MAX_DEPTH, and an anchor defined twice."""
        if len(self.stack) >= MAX_DEPTH:
            raise _Refusal(f"nesting deeper than {MAX_DEPTH} levels", event.start_mark)
        anchor = event.anchor
        if anchor is not None and anchor in self.anchor_marks:
            raise yaml.composer.ComposerError(f"found duplicate anchor {anchor!r}; first occurrence",
                                              self.anchor_marks[anchor], "second occurrence", event.start_mark)
        self.written += 1

    def _scalar(self, event: Any) -> None:
        """Build one scalar with the safe schema's types."""
        self._descend(event)
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        top = self.stack[-1] if self.stack else None
        is_key = top is not None and isinstance(top.value, dict) and not top.has_key
        if tag == STR_TAG or (is_key and tag == VALUE_TAG):
            value: Any = event.value
        elif is_key and tag == MERGE_TAG:
            value = _MERGE
        else:
            construct = _SCALARS.get(tag)
            if construct is None:
                raise _Refusal(_tag_refusal(tag), event.start_mark)
            node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
            try:
                value = construct(self.loader, node)
            except (ValueError, IndexError, KeyError, AttributeError, TypeError):
                # PyYAML's scalar constructors fail this way on a value that does not fit its tag (`!!int x`,
                # `!!bool maybe`) or an integer too long for Python to read.
                hint = "; quote it to keep it as text" if event.tag is None else ""
                raise _Refusal(f"{_shortened(event.value)!r} cannot be read as {_shown(tag)}{hint}",
                               event.start_mark) from None
        text = None
        if tag in NUMBER_TAGS and self.texts is not None and not is_key and written_as(event.value, value):
            text = sys.intern(event.value)  # the same few texts (`1.5`, `20`) recur thousands of times
        built = _Built(value, 1, 1, text)
        if event.anchor is not None:
            self.anchors[event.anchor] = built
            self.anchor_marks[event.anchor] = event.start_mark
        self._add(built, event.start_mark)

    def _start(self, event: Any, mapping: bool) -> None:
        """Open a mapping or a sequence."""
        self._descend(event)
        tag = event.tag
        if tag not in (None, "!", MAP_TAG if mapping else SEQ_TAG):
            raise _Refusal(_tag_refusal(tag), event.start_mark)
        if event.anchor is not None:
            self.anchors[event.anchor] = _OPEN
            self.anchor_marks[event.anchor] = event.start_mark
        self.stack.append(_Open({} if mapping else [], event.start_mark, event.anchor))

    def _alias(self, event: Any) -> None:
        """Share the node an alias names, refusing one that is undefined or still open (recursive data)."""
        built = self.anchors.get(event.anchor)
        if built is None:
            raise yaml.composer.ComposerError(None, None, f"found undefined alias {event.anchor!r}",
                                              event.start_mark)
        if built is _OPEN:
            raise _Refusal("an alias refers to its own anchor (recursive data is refused)", event.start_mark)
        self._add(built, event.start_mark)

    def _end(self) -> None:
        """Close the innermost mapping or sequence, checking what it expands to."""
        done = self.stack.pop()
        value = done.value
        texts = done.texts
        if done.merges:
            assert isinstance(value, dict)
            merged: dict[Any, Any] = {}
            for source in done.merges:
                for key, item in source.items():
                    merged.setdefault(key, item)
            texts = self._merged_texts(done, texts)
            merged.update(value)
            value = merged
        if texts and self.texts is not None:
            assert isinstance(value, dict)
            self.texts.add(value, texts)
        height = done.height + 1
        if height > MAX_DEPTH:
            # Only reachable through aliases: written nesting is refused on the way down.
            raise _Refusal(f"nesting deeper than {MAX_DEPTH} levels once aliases are expanded", done.mark)
        if done.size > MAX_EXPANDED_NODES:
            raise _Refusal(f"aliases here expand to {done.size} nodes, more than {MAX_EXPANDED_NODES} "
                           "(alias bomb refused)", done.mark)
        built = _Built(value, done.size, height)
        if done.anchor is not None:
            self.anchors[done.anchor] = built
        self._add(built, done.mark)

    def _add(self, built: _Built, mark: yaml.Mark) -> None:
        """Put a finished node into the collection that holds it, or make it the document's root."""
        if not self.stack:
            self.root, self.root_mark = built, mark
            return
        top = self.stack[-1]
        top.size += built.size
        if built.height > top.height:
            top.height = built.height
        holder = top.value
        if isinstance(holder, list):
            holder.append(built.value)
        elif not top.has_key:
            self._key(top, built.value, mark)
        else:
            top.has_key = False
            if top.key is _MERGE:
                _merge_into(top, built.value, mark)
            else:
                holder[top.key] = built.value
                if built.text is not None and isinstance(top.key, str):
                    if top.texts is None:
                        top.texts = {}
                    top.texts[top.key] = built.text

    def _merged_texts(self, done: _Open, own: dict[str, str] | None) -> dict[str, str] | None:
        """Return the texts of a merged mapping's numbers: each key's from the mapping that gives its value."""
        if self.texts is None:
            return None
        texts: dict[str, str] = {}
        given: set[Any] = set(done.value)
        for source in done.merges:
            found = self.texts.get(source) or {}
            for key in source:
                if key not in given:
                    given.add(key)
                    if key in found:
                        texts[key] = found[key]
        texts.update(own or {})
        return texts

    @staticmethod
    def _key(top: _Open, key: Any, mark: yaml.Mark) -> None:
        """Accept a mapping key unless it is not a plain value or was already given (merge keys `<<` aside)."""
        top.has_key = True
        top.key = key
        try:
            first = top.seen.get(key)
        except TypeError:
            raise _Refusal("a mapping key must be a plain value", mark) from None
        if first is not None and key is _MERGE:
            raise _Refusal(f"duplicate merge key '<<' (first defined at line {first}); merge several mappings "
                           "with one list, as in `<<: [*a, *b]`", mark)
        if first is not None:
            raise _Refusal(f"duplicate key {key!r} (first defined at line {first})", mark)
        top.seen[key] = mark.line + 1


def _merge_into(top: _Open, value: Any, mark: yaml.Mark) -> None:
    """Record the mappings a merge key `<<` brings in; own keys win over them, and earlier ones over later ones."""
    context = "while constructing a mapping"
    if isinstance(value, dict):
        top.merges.append(value)
    elif isinstance(value, list):
        for item in value:
            if not isinstance(item, dict):
                raise _Refusal(f"expected a mapping for merging, but found {_kind(item)}", mark, context)
        top.merges.extend(value)
    else:
        raise _Refusal(f"expected a mapping or list of mappings for merging, but found {_kind(value)}", mark,
                       context)


def _kind(value: Any) -> str:
    """Name the kind of YAML node a built value came from."""
    return "mapping" if isinstance(value, dict) else "sequence" if isinstance(value, list) else "scalar"


def _shown(tag: str) -> str:
    """Return a tag as it is written in YAML, `!!int` for the standard ones."""
    return "!!" + tag.removeprefix(YAML_TAGS) if tag.startswith(YAML_TAGS) else tag


def _shortened(value: str) -> str:
    """Return a scalar short enough to quote in a message."""
    return value if len(value) <= 40 else value[:37] + "..."


def _tag_refusal(tag: str) -> str:
    """Return the message that refuses a tag outside plain data, naming it."""
    return f"tag {_shown(tag)!r} is not allowed (only plain YAML data is read)"


def build_document(loader: Any, texts: NumberTexts | None = None) -> Any:
    """Return the one document a parser's events describe (None if there is none), with the guards applied.

    Given `texts`, also record there the text of every number in a mapping, as written, for `NumberTexts.get`.
    """
    return _Builder(loader, texts).document()
