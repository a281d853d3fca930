"""Numbers exactly as printed: the loader keeps each number's text, every format shows it, the cache keeps it."""

from __future__ import annotations

import csv
import io
import json
import math
import os
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from stemcell_cli.loading import cache as cache_module
from stemcell_cli.loading import examine, load
from stemcell_cli.loading.source import DataText
from stemcell_cli.model import ArmResult, Dataset, Estimate, Outcome
from stemcell_cli.render.labels import number_text, outcome_text, p_text

from .conftest import OTHER, SHIPPED, run

PURE = pytest.mark.parametrize("pure", [False, True], ids=["libyaml", "pure"])
BASE = OTHER.read_text(encoding="utf-8")
ARMS = "        arms: [{arm: baseline, mean: 7.1, sd: 1.0}, {arm: 6 months, mean: 3.2, sd: 1.5}]\n"
MARKDOWN = MarkdownIt("commonmark").enable("table")


def _examine(arms: str, *, pure: bool) -> tuple[Dataset | None, list[tuple[str | None, str]]]:
    """Load the synthetic data with able2001's outcome arms written as given; return it and its errors."""
    assert BASE.count(ARMS) == 1
    text = BASE.replace(ARMS, f"        arms: {arms}\n")
    dataset, problems = examine(DataText("t.yaml", text.encode()), pure=pure)
    return dataset, [(p.path, p.message) for p in problems if p.severity.value == "error"]


def _arm(arms: str, *, pure: bool) -> ArmResult:
    """Return able2001's first outcome arm as loaded from the given YAML."""
    dataset, errors = _examine(arms, pure=pure)
    assert errors == []
    assert dataset is not None
    return dataset.studies[0].outcomes[0].arms[0]


# ---- the loader keeps each number's own text beside its value ----

@PURE
@pytest.mark.parametrize(("written", "value", "printed"), [
    ("-1.00", -1.0, "-1.00"), ("1.0", 1.0, "1.0"), ("2505.0", 2505.0, "2505.0"), ("2.60", 2.6, "2.60"),
    (".5", 0.5, ".5"), ("-0.0", -0.0, "-0.0"), ("+1.5", 1.5, "+1.5"), ("7", 7.0, "7"), ("1.5e+3", 1500.0, "1.5e+3"),
])
def test_a_number_keeps_its_text_and_its_value(pure: bool, written: str, value: float, printed: str) -> None:
    arm = _arm(f"[{{arm: a, mean: {written}}}]", pure=pure)
    assert (arm.mean, arm.printed) == (value, {"mean": printed})
    assert isinstance(arm.mean, float)
    assert math.copysign(1, arm.mean) == math.copysign(1, value)


@PURE
@pytest.mark.parametrize(("written", "value"), [("010", 8.0), ("0x1f", 31.0), ("1_000.5", 1000.5), ("1:30", 90.0)])
def test_a_form_yaml_reads_unlike_a_reader_still_loads_as_today_with_no_printed_form(
    pure: bool, written: str, value: float,
) -> None:
    arm = _arm(f"[{{arm: a, mean: {written}}}]", pure=pure)
    assert (arm.mean, arm.printed) == (value, {})


@PURE
def test_1e3_is_still_refused_with_the_hint_to_write_it_out(pure: bool) -> None:
    dataset, errors = _examine("[{arm: a, mean: 1e3}]", pure=pure)
    assert dataset is None
    assert errors == [("$.studies[0].outcomes[0].arms[0].mean",
                       "Expected float, got str (YAML 1.1 reads '1e3' as text, not a number: write it out "
                       "in full, e.g. 1000 or 0.001, without quotes)")]


@PURE
def test_010_where_text_belongs_is_still_refused_with_the_hint_to_quote(pure: bool) -> None:
    dataset, errors = _examine("[{arm: 010, mean: 1.0}]", pure=pure)
    assert dataset is None
    assert errors == [("$.studies[0].outcomes[0].arms[0].arm",
                       "Expected str, got int (YAML reads unquoted digits as a number, and 010 as 8: quote the "
                       "value)")]


@PURE
def test_every_number_field_of_a_record_keeps_its_text_and_nothing_else_does(pure: bool) -> None:
    arm = _arm('[{arm: "1.0", events: 05, total: 12, mean: 1.0, sd: 1.0, median: 2.50, range: "1-2"}]',
               pure=pure)
    # 05 is octal to YAML 1.1 too, but it reads as 5 either way, so it is kept (010, read as 8, is not).
    assert arm.printed == {"events": "05", "total": "12", "mean": "1.0", "sd": "1.0", "median": "2.50"}
    assert (arm.events, arm.total) == (5, 12)


@PURE
def test_anchors_aliases_and_merges_carry_the_text_of_the_number_they_bring(pure: bool) -> None:
    dataset, errors = _examine("[&base {arm: a, mean: 1.0, sd: 9.90}, {<<: *base, arm: b, sd: &sd 2.60}, "
                               "{<<: *base, arm: c, sd: null}, {arm: d, mean: *sd}, *base]", pure=pure)
    assert errors == []
    assert dataset is not None
    arms = dataset.studies[0].outcomes[0].arms
    assert [(a.arm, a.mean, a.sd, a.printed) for a in arms] == [
        ("a", 1.0, 9.9, {"mean": "1.0", "sd": "9.90"}),
        ("b", 1.0, 2.6, {"mean": "1.0", "sd": "2.60"}),
        ("c", 1.0, None, {"mean": "1.0"}),
        ("d", 2.6, None, {"mean": "2.60"}),
        ("a", 1.0, 9.9, {"mean": "1.0", "sd": "9.90"}),
    ]


def test_a_quoted_number_is_text_and_gets_no_printed_form() -> None:
    dataset, errors = _examine('[{arm: a, mean: 1.0, range: "2.50"}]', pure=False)
    assert errors == []
    assert dataset is not None
    assert dataset.studies[0].outcomes[0].arms[0].printed == {"mean": "1.0"}


# ---- a printed form the file gives itself (an export read back) ----

@PURE
def test_a_printed_form_given_in_the_file_is_kept_over_the_scalar_s_text(pure: bool) -> None:
    arm = _arm('[{arm: a, mean: 1.0, sd: 1.0, printed: {mean: "1.00"}}]', pure=pure)
    assert arm.printed == {"mean": "1.00", "sd": "1.0"}


def test_a_printed_form_may_keep_the_source_s_minus_sign() -> None:
    arm = _arm('[{arm: a, mean: -1.00, printed: {mean: "\u22121.00"}}]', pure=False)
    assert (arm.mean, arm.printed) == (-1.0, {"mean": "\u22121.00"})
    assert outcome_text(Outcome(measure="m", reported="r", arms=(arm,))) == "m: a \u22121.00 — “r”"


@pytest.mark.parametrize(("arms", "error"), [
    ('[{arm: a, mean: 1.0, printed: {mean: "1.5"}}]',
     ("$.studies[0].outcomes[0].arms[0].printed.mean",
      "printed form '1.5' does not read as mean 1.0 (write the number in decimal, as the source prints it)")),
    ('[{arm: a, mean: 1.0, printed: {sd: "1.0"}}]',
     ("$.studies[0].outcomes[0].arms[0].printed.sd", "printed form '1.0' is given, but sd has no value")),
    ('[{arm: a, mean: 1.0, printed: {range: "1.0"}}]',
     ("$.studies[0].outcomes[0].arms[0].printed.range",
      "'range' is not one of this record's number fields (events, total, mean, sd, median)")),
    ('[{arm: a, mean: 1.0, printed: {mean: 1.0}}]',
     ("$.studies[0].outcomes[0].arms[0].printed.mean",
      "Expected str, got float (YAML reads this as a number: quote the value)")),
])
def test_a_printed_form_that_is_not_its_field_s_number_is_an_error(arms: str, error: tuple[str, str]) -> None:
    assert _examine(arms, pure=False)[1] == [error]


def test_an_export_of_the_shipped_data_reads_back_to_the_same_records(tmp_path: Path) -> None:
    import msgspec

    shipped = load(SHIPPED, use_cache=False).dataset
    exported = tmp_path / "export.json"
    exported.write_bytes(msgspec.json.encode(shipped))  # JSON writes -1.0 for -1.00; printed keeps "-1.00"
    assert load(exported, use_cache=False).dataset == shipped


# ---- the renderers ----

@pytest.mark.parametrize(("p", "shown"), [("<0.0001", "p<0.0001"), ("≤0.05", "p≤0.05"), (">0.05", "p>0.05"),
                                          ("≥0.1", "p≥0.1"), ("=0.2", "p=0.2"), ("0.03", "p=0.03"),
                                          ("< 0.00001", "p < 0.00001")])
def test_a_p_value_shows_its_own_comparison_once(p: str, shown: str) -> None:
    assert p_text(p) == shown


@pytest.mark.parametrize(("printed", "value", "shown"), [
    ("-1.00", -1.0, "-1.00"), ("1.0", 1.0, "1.0"), (None, 1.0, "1"), (None, -1.0, "-1"), (None, 2.6, "2.6"),
    (None, 123456.7, "123456.7"), (None, 12, "12"), (None, 1e16, "1e+16"), (None, 0.1, "0.1"),
])
def test_a_number_shows_its_printed_form_else_its_shortest_exact_one(
    printed: str | None, value: float, shown: str,
) -> None:
    assert number_text(printed, value) == shown


def test_an_outcome_line_uses_the_printed_forms() -> None:
    outcome = Outcome(measure="m", reported="r", arms=(
        ArmResult(arm="a", mean=1.0, sd=1.0, printed={"mean": "1.0", "sd": "1.0"}),
        ArmResult(arm="b", events=3, total=12, printed={"events": "3", "total": "12"}),
        ArmResult(arm="c", median=9.0, range="4-20")),
        estimate=Estimate(metric="WMD", value=-1.0, ci_low=-3.13, ci_high=1.14, p="<0.0001",
                          printed={"value": "-1.00", "ci_low": "-3.13", "ci_high": "1.14"}))
    assert outcome_text(outcome) == ("m: a 1.0 (1.0); b 3/12; c median 9 (4-20); WMD -1.00 (-3.13, 1.14), p<0.0001"
                                     " — “r”")


# ---- the real CLI, every format ----

SHOWN = {
    "zhou2020": ["SLEDAI (RCTs, MSC vs control) at 12 months: WMD -1.00 (-3.13, 1.14), p=0.36",
                 "SLEDAI (RCTs, MSC vs control) at 2 months: WMD -6.25 (-9.04, -3.46), p<0.0001",
                 "proteinuria (RCTs, MSC vs control) at 6 months: WMD -2.00 (-3.81, -0.19), p=0.03",
                 "proteinuria (RCTs, MSC vs control) at 2 months: WMD -1.74 (-5.00, 1.52), p=0.30",
                 "serum albumin (RCTs, MSC vs control) at 12 months: WMD 0.94 (-0.53, 2.40), p=0.21",
                 "complement C3 (RCTs, MSC vs control) at 3 months: WMD 0.28 (0.16, 0.40), p<0.00001"],
    "deng2017": ["24-hour urine protein at 6 months, g, mean (SD) at 6 months: hUC-MSC 1.0 (1.0); placebo 3.1 (2.7)",
                 "participants", "18 (hUC-MSC 12, placebo 6)"],
    "liang2010": ["proteinuria, mg/24 h at 12 months: baseline 2505.0 (1323.9); 12 months 858.0 (800.7)"],
    "gu2014": ["renal BILAG at 12 months: baseline 4.48 (2.60); 12 months 1.09 (0.83)"],
}
# What the tool printed before numbers kept their text.
REFORMATTED = ["p=<", "WMD -1 (", "(-5, 1.52)", "2.4)", "0.4)", "hUC-MSC 1 (1)", "baseline 2505 ", "858 (",
               "(2.6)"]
FORMATS = ["table", "csv", "markdown", "json"]


def _visible(args: list[str], fmt: str) -> str:
    """Return a command's output as a reader sees it: table cells unwrapped, CSV and Markdown unescaped."""
    result = run("lupus", *args, "--format", fmt, env={"COLUMNS": "3000"})
    assert (result.exit_code, result.stderr) == (0, "")
    out = result.stdout
    if fmt == "csv":
        return "\n".join("\t".join(row) for row in csv.reader(io.StringIO(out, newline=""), strict=True))
    if fmt == "markdown":
        tokens = MARKDOWN.parse(out)
        return "\n".join("".join(child.content for child in token.children or []) for token in tokens
                         if token.type == "inline")
    return out


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
@pytest.mark.parametrize("study", list(SHOWN))
def test_study_shows_each_number_as_printed_in_every_text_format(study: str, fmt: str) -> None:
    text = _visible(["study", study], fmt)
    for expected in SHOWN[study]:
        assert expected in text
    for wrong in REFORMATTED:
        assert wrong not in text


def _outcome(payload: dict[str, Any], measure: str, timepoint: str | None = None) -> dict[str, Any]:
    """Return the one outcome of a study payload with this measure (and time point)."""
    found = [o for o in payload["study"]["outcomes"]
             if o["measure"] == measure and (timepoint is None or o["timepoint"] == timepoint)]
    assert len(found) == 1
    return found[0]  # type: ignore[no-any-return]


def _json(study: str) -> dict[str, Any]:
    """Return the JSON payload of `study`, read with a strict parser."""
    result = run("lupus", "study", study, "--format", "json")
    assert (result.exit_code, result.stderr) == (0, "")
    payload: dict[str, Any] = json.loads(result.stdout, parse_constant=lambda name: pytest.fail(name))
    return payload


def test_study_json_gives_each_number_and_its_printed_form() -> None:
    zhou = _json("zhou2020")
    sledai = _outcome(zhou, "SLEDAI (RCTs, MSC vs control)", "12 months")["estimate"]
    assert (sledai["value"], sledai["ci_low"], sledai["ci_high"], sledai["p"]) == (-1.0, -3.13, 1.14, "0.36")
    assert sledai["printed"] == {"value": "-1.00", "ci_low": "-3.13", "ci_high": "1.14", "ci_level": "95",
                                 "studies": "2"}
    early = _outcome(zhou, "SLEDAI (RCTs, MSC vs control)", "2 months")["estimate"]
    assert (early["p"], early["printed"]["value"]) == ("<0.0001", "-6.25")
    deng = _json("deng2017")
    protein = _outcome(deng, "24-hour urine protein at 6 months, g, mean (SD)")["arms"]
    assert protein[0] == {"arm": "hUC-MSC", "role": "treated", "events": None, "total": None, "mean": 1.0, "sd": 1.0,
                          "median": None, "range": None, "printed": {"mean": "1.0", "sd": "1.0"}}
    assert deng["study"]["participants"]["printed"] == {"total": "18"}
    assert [a["printed"] for a in deng["study"]["participants"]["arms"]] == [{"n": "12"}, {"n": "6"}]
    liang = _outcome(_json("liang2010"), "proteinuria, mg/24 h")["arms"]
    assert [(a["mean"], a["printed"]["mean"]) for a in liang] == [(2505.0, "2505.0"), (858.0, "858.0")]
    gu = _outcome(_json("gu2014"), "renal BILAG")["arms"]
    assert [(a["sd"], a["printed"]["sd"]) for a in gu] == [(2.6, "2.60"), (0.83, "0.83")]


@pytest.mark.parametrize("fmt", FORMATS)
def test_claims_show_the_numbers_of_their_findings_as_printed(fmt: str) -> None:
    text = _visible(["claims"], fmt)
    if fmt == "json":
        text = "\n".join(link["finding"] for claim in json.loads(text)["claims"]
                         for link in claim["support"] + claim["contrast"])
    for expected in ("12-month SLEDAI -1.00 (-3.13, 1.14), p=0.36", "WMD -6.25 (-9.04, -3.46), p<0.0001",
                     "proteinuria 2505.0 ± 1323.9 to 858.0 ± 800.7", "renal BILAG 4.48 ± 2.60",
                     "24-hour urine protein -2.1 (1.8) vs -1.4 (1.1) g"):
        assert expected in text
    assert "p=<" not in text


# ---- the parse cache ----

def test_a_warm_run_shows_the_printed_forms_without_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = load(SHIPPED, use_cache=False, condition="lupus").dataset
    cold = _json("deng2017")
    assert load(SHIPPED, condition="lupus").dataset == parsed
    assert list(Path(os.environ["STEMCELL_CACHE_DIR"]).glob("*.cache"))

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the data file was parsed")

    monkeypatch.setattr("stemcell_cli.loading.examine", refuse)
    warm = _json("deng2017")
    assert warm == cold
    assert _outcome(warm, "24-hour urine protein at 6 months, g, mean (SD)")["arms"][0]["printed"] == {
        "mean": "1.0", "sd": "1.0"}
    assert "hUC-MSC 1.0 (1.0)" in _visible(["study", "deng2017"], "table")


def test_the_cache_key_covers_the_code_that_decides_the_printed_forms() -> None:
    assert cache_module.FORMAT == 5
    fingerprint = cache_module._code_fingerprint()
    for module in ("model.py", "loading/printed.py", "loading/yaml_builder.py"):
        assert f"{module}:" in fingerprint
