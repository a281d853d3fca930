"""Schema problems are worded from the model's annotations and the value's type, never from msgspec's messages."""

from __future__ import annotations

import copy
import datetime
from collections.abc import Callable
from typing import Annotated, Any, Literal

import msgspec
import pytest
import yaml

from stemcell_cli.loading.schema import collect
from stemcell_cli.model import Condition, Dataset, Design
from tests.conftest import OTHER

BASE = yaml.safe_load(OTHER.read_text(encoding="utf-8"))
DESIGNS = ", ".join(d.value for d in Design)
YES_NO = " (YAML reads yes/no/on/off as true/false: quote the value, e.g. \"NO\")"
DIGITS = " (YAML reads unquoted digits as a number, and 010 as 8: quote the value)"
NULL = " (an empty value or ~ is null in YAML: give a value, or quote an empty string as \"\")"


def _study(field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """Return a change that sets one field of the first study."""
    return lambda data: data["studies"][0].__setitem__(field, value)


def _total(value: Any) -> Callable[[dict[str, Any]], None]:
    """Return a change that sets the first study's participant total."""
    return lambda data: data["studies"][0]["participants"].__setitem__("total", value)


CASES: list[tuple[str, Callable[[dict[str, Any]], None], list[tuple[str, str]]]] = [
    ("bool for str", _study("country", {"value": False, "src": ["u"]}),
     [("$.studies[0].country.value", "Expected str, got bool" + YES_NO)]),
    ("1e3 as text", _total("1e3"),
     [("$.studies[0].participants.total", "Expected int, got str (YAML 1.1 reads '1e3' as text, not a number: "
                                          "write it out in full, e.g. 1000 or 0.001, without quotes)")]),
    ("digits for str", _study("pmid", {"value": 12345, "src": ["u"]}),
     [("$.studies[0].pmid.value", "Expected str, got int" + DIGITS)]),
    ("bare date", _study("follow_up", {"value": datetime.date(2020, 1, 2), "src": ["u"]}),
     [("$.studies[0].follow_up.value", "Expected str, got date (YAML reads a bare date as a date: quote it)")]),
    ("bare datetime", _study("label", datetime.datetime(2020, 1, 2, 3, 4)),
     [("$.studies[0].label", "Expected str, got datetime (YAML reads a bare date as a date: quote it)")]),
    ("unknown enum value", _study("design", "anecdote"),
     [("$.studies[0].design", f"Invalid enum value 'anecdote' (one of: {DESIGNS})")]),
    ("number for an enum", _study("design", 3),
     [("$.studies[0].design", f"Expected str, got int (one of: {DESIGNS})" + DIGITS)]),
    ("null for an enum", _study("design", None),
     [("$.studies[0].design", f"Expected str, got null (one of: {DESIGNS})" + NULL)]),
    ("float for int", _total(20.5),
     [("$.studies[0].participants.total", "Expected int, got float (YAML reads 20.5 as a float: write a whole "
                                          "number such as 1000)")]),
    ("float for str", _study("pmid", {"value": 1.5, "src": ["u"]}),
     [("$.studies[0].pmid.value", "Expected str, got float (YAML reads this as a number: quote the value)")]),
    ("bool for int", _total(True), [("$.studies[0].participants.total", "Expected int, got bool")]),
    ("null for str", _study("id", None), [("$.studies[0].id", "Expected str, got null" + NULL)]),
    ("list for str", _study("id", ["a"]), [("$.studies[0].id", "Expected str, got array")]),
    ("text for a record", _study("title", "plain"), [("$.studies[0].title", "Expected object, got str")]),
    ("mapping for a list", _study("notes", {"a": 1}), [("$.studies[0].notes", "Expected array, got object")]),
    ("list item", _study("notes", ["ok", True]), [("$.studies[0].notes[1]", "Expected str, got bool" + YES_NO)]),
    ("mapping value", lambda data: data.__setitem__("sources", {"ex": 5}),
     [("$.sources.ex", "Expected str, got int" + DIGITS)]),
    ("mapping key", lambda data: data.__setitem__("sources", {5: "x"}),
     [("$.sources.5", "the key 5: Expected str, got int" + DIGITS)]),
    ("printed key", lambda data: data["studies"][0]["participants"].__setitem__("printed", {"bogus": "1"}),
     [("$.studies[0].participants.printed.bogus", "'bogus' is not one of this record's number fields (total)")]),
    ("bool for bool | null", lambda data: data["trials"][0].__setitem__("results_posted", "yes"),
     [("$.trials[0].results_posted", "Expected bool, got str")]),
    ("several at once", lambda data: (_total("n/a")(data), _study("titel", "x")(data), data["studies"][1].pop("id")),
     [("$.studies[0].participants.total", "Expected int, got str"),
      ("$.studies[0].titel", "unknown field 'titel'; did you mean 'title'?"),
      ("$.studies[1]", "missing required field(s): id")]),
]


def _problems(change: Callable[[dict[str, Any]], None]) -> list[tuple[str, str]]:
    """Return the problems collect() finds in the synthetic dataset after one change."""
    data = copy.deepcopy(BASE)
    change(data)
    return sorted(collect(data, Dataset, "$"))


@pytest.mark.parametrize(("name", "change", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_problem_is_located_and_worded_from_the_types(name: str, change: Callable[[dict[str, Any]], None],
                                                           expected: list[tuple[str, str]]) -> None:
    assert _problems(change) == sorted(expected)


@pytest.mark.parametrize(("name", "change", "expected"), CASES, ids=[c[0] for c in CASES])
def test_the_messages_do_not_depend_on_msgspec_s_wording(name: str, change: Callable[[dict[str, Any]], None],
                                                          expected: list[tuple[str, str]],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    real = msgspec.convert

    def garbled(value: Any, annotation: Any, **kwargs: Any) -> Any:
        """Convert as msgspec does, but say nothing useful (and point somewhere else) when it refuses."""
        try:
            return real(value, annotation, **kwargs)
        except msgspec.ValidationError:
            raise msgspec.ValidationError("garbled: Expected `float`, got `bytes` - at `$.elsewhere[9]`") from None

    monkeypatch.setattr(msgspec, "convert", garbled)
    assert _problems(change) == sorted(expected)


@pytest.mark.parametrize(("annotation", "value", "message"), [
    (Annotated[int, msgspec.Meta(ge=0)], -1, "Expected int >= 0, got -1"),
    (Annotated[int, msgspec.Meta(gt=0)], 0, "Expected int > 0, got 0"),
    (Annotated[float, msgspec.Meta(le=1.0)], 1.5, "Expected float <= 1.0, got 1.5"),
    (Annotated[float, msgspec.Meta(lt=1)], 1, "Expected float < 1, got 1"),
    (Annotated[int, msgspec.Meta(multiple_of=5)], 7, "Expected int that is a multiple of 5, got 7"),
    (Annotated[str, msgspec.Meta(min_length=2)], "a", "Expected str of length >= 2, got length 1"),
    (Annotated[str, msgspec.Meta(max_length=2)], "abc", "Expected str of length <= 2, got length 3"),
    (Annotated[str, msgspec.Meta(pattern="^NCT[0-9]{8}$")], "NCT1",
     "Expected str matching regex '^NCT[0-9]{8}$', got 'NCT1'"),
    (Annotated[tuple[str, ...], msgspec.Meta(min_length=1)], [], "Expected array of length >= 1, got length 0"),
    (Annotated[int, msgspec.Meta(ge=0)], "5", "Expected int, got str (YAML 1.1 reads '5' as text, not a number: "
                                              "write it out in full, e.g. 1000 or 0.001, without quotes)"),
    (Annotated[int, msgspec.Meta(ge=0)] | None, -2, "Expected int >= 0, got -2"),
    (int | str, [1], "Expected int | str, got array"),
    (int | str | None, 1.5, "Expected int | str | null, got float (YAML reads 1.5 as a float: write a whole number "
                            "such as 1000)"),
    (Literal["a", "b"], "c", "Invalid enum value 'c' (one of: a, b)"),
    (datetime.date, "soon", "Expected date, got str"),
])
def test_constraints_and_unions_are_read_from_the_annotation(annotation: Any, value: Any, message: str) -> None:
    assert collect(value, annotation, "$.x") == [("$.x", message)]


def test_a_refusal_that_the_types_cannot_explain_still_gives_one_located_problem(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(value: Any, annotation: Any, **kwargs: Any) -> Any:
        """Refuse every value, as a msgspec rule this module does not model would."""
        raise msgspec.ValidationError("no")

    monkeypatch.setattr(msgspec, "convert", refuse)
    assert collect(5, int, "$.n") == [("$.n", "Expected int; this int value does not fit")]
    assert collect({"id": "x", "name": "y"}, Condition, "$.c") == [
        ("$.c.id", "Expected str; this str value does not fit"),
        ("$.c.name", "Expected str; this str value does not fit"),
    ]
    assert collect({}, dict[str, str], "$.m") == [("$.m", "Expected object; this object value does not fit")]
