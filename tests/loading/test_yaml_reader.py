"""The event-stream YAML reader: the same data as PyYAML's safe loader, without its node tree, under both loaders."""

from __future__ import annotations

import math
import re
import tracemalloc
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stemcell_cli.errors import DataProblems, Problem
from stemcell_cli.loading.yaml_lines import node_lines
from stemcell_cli.loading.yaml_reader import parse_yaml

PURE = [False, True]
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SCALARS = (st.none() | st.booleans() | st.integers(-(10**12), 10**12)
           | st.floats(allow_nan=False) | st.text(max_size=12))
TREES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(st.text(max_size=6) | st.integers(0, 99), inner, max_size=4), max_leaves=25)
# Lines that anchor, alias and merge in every order; some orders are invalid, and must then be refused.
FRAGMENTS = ["a: &a {x: 1, y: 2}\n", "b: &b {y: 3, z: 4}\n", "c: {<<: *a, x: 9}\n", "d: {<<: [*a, *b]}\n",
             "e: {<<: [*b, *a], w: 0}\n", "f: [*a, *b, *a]\n", "g: &g [1, 2]\n", "h: {k: *g}\n",
             "i: !!str 12\n", "j: ! 12\n", "k: 0o17\n", "l: 2001-02-03\n", "m: '<<'\n", "=: n\n", "o: ~\n",
             "p: &p yes\n", "q: [*p, *p]\n", "r: .inf\n", "s: 1_000\n", "t: !!binary aGk=\n"]


# Pieces of YAML syntax, to be put together at random: most results are invalid, some are valid in odd ways.
TOKENS = ["a", ":", " ", "\n", "  ", "- ", "[", "]", "{", "}", ",", "&x ", "*x", "&y ", "*y", "? ", "!!str ", "!!int ",
          "!!float ", "!!bool ", "!!timestamp ", "!x ", "'q'", '"d\\u00e9"', "1", "0o7", "yes", "~", "---\n", "...\n",
          "#c", "|\n  t\n", ">\n  f\n", "=", "2001-01-01", "!!set ", "!!binary aGk=", "-", "\t", "*z", "1e3", "0x1f"]


# The refusals of data that PyYAML reads: duplicates, tags outside plain data, nesting and alias bounds.
GUARDED = re.compile(r"^(duplicate (merge )?key |tag '[^']*' is not allowed |nesting deeper than 64 levels"
                     r"|aliases (here )?expand to |an alias refers to its own anchor)")


def _same(left: Any, right: Any) -> bool:
    """Compare parsed data exactly, types included (True is not 1, 1.0 is not 1)."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return list(left) == list(right) and all(_same(left[k], right[k]) for k in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(_same(a, b) for a, b in zip(left, right, strict=True))
    if isinstance(left, float) and math.isnan(left):
        return math.isnan(right)
    return bool(left == right)


@pytest.mark.parametrize("pure", PURE, ids=["libyaml", "pure"])
@PROPERTY
@given(tree=TREES, flow=st.sampled_from([None, True, False]))
def test_any_dumped_tree_reads_back_as_pyyaml_reads_it(pure: bool, tree: Any, flow: bool | None) -> None:
    text = yaml.safe_dump({"root": tree}, default_flow_style=flow, allow_unicode=True)
    assert _same(parse_yaml(text, "t.yaml", pure=pure), yaml.safe_load(text))


@pytest.mark.parametrize("pure", PURE, ids=["libyaml", "pure"])
@PROPERTY
@given(parts=st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=8, unique=True))
def test_anchors_aliases_merges_and_tags_read_as_pyyaml_reads_them(pure: bool, parts: list[str]) -> None:
    text = "".join(parts)
    try:
        expected = yaml.safe_load(text)
    except yaml.YAMLError:
        # The only thing these fragments get wrong is an alias before its anchor: refused by both readers.
        with pytest.raises(DataProblems) as refused:
            parse_yaml(text, "t.yaml", pure=pure)
        assert "found undefined alias" in refused.value.problems[0].message
        return
    assert _same(parse_yaml(text, "t.yaml", pure=pure), expected)


@pytest.mark.parametrize("pure", PURE, ids=["libyaml", "pure"])
@PROPERTY
@given(tokens=st.lists(st.sampled_from(TOKENS), min_size=1, max_size=30))
def test_any_token_soup_is_read_as_pyyaml_reads_it_or_refused_located(pure: bool, tokens: list[str]) -> None:
    text = "".join(tokens)
    problems: list[Problem] = []
    try:
        ours = parse_yaml(text, "t.yaml", pure=pure)
    except DataProblems as refused:
        problems = list(refused.problems)
    loader = yaml.SafeLoader if pure else yaml.CSafeLoader
    if not problems:
        assert _same(ours, yaml.load(text, Loader=loader))
        return
    assert len(problems) == 1
    assert problems[0].line is not None, problems[0].message
    try:
        yaml.load(text, Loader=loader)
    except (yaml.YAMLError, ValueError, IndexError, KeyError, AttributeError):
        return  # PyYAML refuses it too, or crashes on it
    # What PyYAML reads, only the guards may refuse.
    assert GUARDED.search(problems[0].message), problems[0].message


@pytest.mark.parametrize("pure", PURE, ids=["libyaml", "pure"])
def test_merge_precedence_is_own_keys_then_the_earlier_mapping(pure: bool) -> None:
    # The merge-key spec: "Keys in mapping nodes earlier in the sequence override keys specified in later mapping
    # nodes." PyYAML 6.0.4 gets this right only for keys whose strings Python happens to share (one character).
    text = "a: &a {key: a, x: 1}\nb: &b {key: b, y: 2}\nm: {<<: [*a, *b], y: own}\n"
    assert parse_yaml(text, "m.yaml", pure=pure)["m"] == {"key": "a", "x": 1, "y": "own"}
    assert list(parse_yaml(text, "m.yaml", pure=pure)["m"]) == ["key", "x", "y"]


@pytest.mark.parametrize("pure", PURE, ids=["libyaml", "pure"])
@pytest.mark.parametrize(("text", "located"), [
    ("a: 1\nb: {<<: 2}\n", "m.yaml:2:9: error: while constructing a mapping; expected a mapping or list of mappings "
                           "for merging, but found scalar"),
    ("a: &a [1]\nb: {<<: [*a]}\n", "m.yaml:2:9: error: while constructing a mapping; expected a mapping for merging, "
                                   "but found sequence"),
    ("a: &x 1\nb: &x 2\n", "m.yaml:2:4: error: found duplicate anchor 'x'; first occurrence; second occurrence"),
    ("a: *nowhere\n", "m.yaml:1:4: error: found undefined alias 'nowhere'"),
    ("a: !!set {x: null}\n", "m.yaml:1:4: error: tag '!!set' is not allowed (only plain YAML data is read)"),
    ("a: !!omap [x: 1]\n", "m.yaml:1:4: error: tag '!!omap' is not allowed (only plain YAML data is read)"),
    ("a: !!seq {x: 1}\n", "m.yaml:1:4: error: tag '!!seq' is not allowed (only plain YAML data is read)"),
    ("a: !!map 1\n", "m.yaml:1:4: error: tag '!!map' is not allowed (only plain YAML data is read)"),
    ("a: <<\n", "m.yaml:1:4: error: tag '!!merge' is not allowed (only plain YAML data is read)"),
    ("? [a, b]\n: 1\n", "m.yaml:1:3: error: a mapping key must be a plain value"),
    ("a: &a {x: 1}\nb: {<<: *a,\n    <<: *a}\n", "m.yaml:3:5: error: duplicate merge key '<<' (first defined at "
                                                 "line 2); "
                                             "merge several mappings with one list, as in `<<: [*a, *b]`"),
    ("a: 1\n---\nb: 2\n", "m.yaml:2:1: error: expected a single document in the stream; but found another document"),
], ids=["merge-scalar", "merge-list-of-list", "duplicate-anchor", "undefined-alias", "set", "omap",
        "seq-on-mapping", "map-on-scalar", "merge-as-value", "list-key", "two-merge-keys", "two-documents"])
def test_what_plain_data_cannot_hold_is_refused_located(pure: bool, text: str, located: str) -> None:
    with pytest.raises(DataProblems) as caught:
        parse_yaml(text, "m.yaml", pure=pure)
    assert [p.located() for p in caught.value.problems] == [located]


@pytest.mark.parametrize("pure", PURE, ids=["libyaml", "pure"])
@pytest.mark.parametrize(("text", "located"), [
    ("a: !!int x\n", "m.yaml:1:4: error: 'x' cannot be read as !!int"),
    ("a: !!int\n", "m.yaml:1:4: error: '' cannot be read as !!int"),
    ("a: !!float x\n", "m.yaml:1:4: error: 'x' cannot be read as !!float"),
    ("a: !!bool maybe\n", "m.yaml:1:4: error: 'maybe' cannot be read as !!bool"),
    ("a: !!timestamp soon\n", "m.yaml:1:4: error: 'soon' cannot be read as !!timestamp"),
    ("a: " + "1" * 5000 + "\n", "m.yaml:1:4: error: '" + "1" * 37 + "...' cannot be read as !!int; quote it to keep it "
                              "as text"),
], ids=["int", "empty-int", "float", "bool", "timestamp", "5000-digits"])
def test_a_value_that_does_not_fit_its_type_is_refused_located(pure: bool, text: str, located: str) -> None:
    # PyYAML's own loaders raise a bare ValueError, IndexError, KeyError or AttributeError here.
    with pytest.raises(DataProblems) as caught:
        parse_yaml(text, "m.yaml", pure=pure)
    assert [p.located() for p in caught.value.problems] == [located]


@pytest.mark.parametrize("pure", PURE, ids=["libyaml", "pure"])
def test_sixty_four_levels_are_read_and_sixty_five_refused(pure: bool) -> None:
    nested: list[Any] = []
    for _ in range(63):
        nested = [nested]
    assert parse_yaml("[" * 64 + "]" * 64, "d.yaml", pure=pure) == nested
    with pytest.raises(DataProblems) as caught:
        parse_yaml("[" * 65 + "]" * 65, "d.yaml", pure=pure)
    assert [p.located() for p in caught.value.problems] == ["d.yaml:1:65: error: nesting deeper than 64 levels"]


def test_no_node_tree_is_composed(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object) -> None:
        raise AssertionError("a node tree was composed")

    monkeypatch.setattr(yaml.composer.Composer, "compose_node", refuse)
    monkeypatch.setattr(yaml.composer.Composer, "compose_document", refuse)
    assert parse_yaml("a: &a {b: [1, 2]}\nc: {<<: *a}\n", "s.yaml", pure=True) == {"a": {"b": [1, 2]},
                                                                                   "c": {"b": [1, 2]}}


@pytest.mark.parametrize("pure", PURE, ids=["libyaml", "pure"])
def test_reading_needs_little_more_memory_than_the_data_it_returns(pure: bool) -> None:
    text = "".join(f"- {{id: s{i}, title: 'Study {i}', n: {i}, arms: [{{name: a, n: 1}}, {{name: b, n: 2}}]}}\n"
                   for i in range(3000))
    tracemalloc.start()
    try:
        data = parse_yaml(text, "big.yaml", pure=pure)
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(data) == 3000
    # A composed node tree holds several objects per value, each with two position marks: several times the data.
    assert peak < 1.5 * kept, (peak, kept)


def test_node_lines_locate_the_asked_paths_and_their_ancestors_only() -> None:
    text = "schema_version: 1\nstudies:\n  - id: a\n    year: {value: 2001}\n  - id: b\n    doi:\n      value: x\n"
    lines = node_lines(text, ["$.studies[1].doi.value", "$.studies[0].year.src"])
    assert lines == {"$": 1, "$.studies": 2, "$.studies[0]": 3, "$.studies[0].year": 4, "$.studies[1]": 5,
                     "$.studies[1].doi": 6, "$.studies[1].doi.value": 7}
