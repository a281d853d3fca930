"""`effects` for people: one table of outcome rows, forest plots only where they say something (ring 3)."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import FIXTURES, run

OUTCOMES = FIXTURES / "outcome_condition.yaml"
WARNING = f"{OUTCOMES}: $.claims[1] (line 47): warning: claim 'cure' has no supporting study\n"
# Dunn 2004's pain score as a reported estimate, its numbers printed with other than two decimals.
DUNN_ARMS = ("        arms: [{arm: cells, role: treated, mean: 3.0, sd: 1.2, total: 20}, {arm: placebo, role: control, "
             "mean: 4.1, sd: 1.4, total: 20}]\n")
DUNN_ESTIMATE = "        estimate: {metric: MD, value: -1.1, ci_low: -1.913, ci_high: -0.287, ci_level: 95}\n"


def effects(data: Path, *args: str, width: int = 100) -> list[str]:
    """Run `gdg effects` on a terminal of this width and return its lines."""
    done = run("gdg", "effects", "--data", str(data), "--no-pager", *args, env={"STEMCELL_FORCE_TTY": str(width)})
    assert done.exit_code == 0, done.stderr
    return done.stdout.splitlines()


def printed_data(tmp_path: Path) -> Path:
    """Write the outcomes fixture with Dunn 2004's pain score reported as an estimate printed to other decimals."""
    text = OUTCOMES.read_text(encoding="utf-8")
    assert text.count(DUNN_ARMS) == 1
    path = tmp_path / "printed.yaml"
    path.write_text(text.replace(DUNN_ARMS, DUNN_ESTIMATE), encoding="utf-8")
    return path


def test_one_table_row_per_outcome_row_with_k_estimate_i2_and_certainty() -> None:
    lines = effects(OUTCOMES)
    assert lines[6] == ("│ Outcome                  │ Comparison      │ k │ Estimate (95% CI)         │ I² │ Certainty"
                        "     │")
    assert lines[8:10] == [
        "│ Pain response (6 months) │ placebo or sham │ 2 │ RR 1.32 (0.09 to 18.54)   │ 0% │ ⊕◯◯◯ very low │",
        "│ Pain score (6 months)    │ placebo or sham │ 1 │ MD -1.10 (-1.91 to -0.29) │ -  │ ⊕⊕◯◯ low      │"]
    # The certainty is the verdict rules' own: the same as the Summary of Findings gives.
    sof = json.loads(run("gdg", "sof", "--data", str(OUTCOMES), "-f", "json").stdout)["outcomes"]
    assert [(row["name"], row["certainty"]) for row in sof] == [("Pain response", "very_low"), ("Pain score", "low")]


def test_only_a_row_of_two_or_more_results_gets_a_forest_plot() -> None:
    lines = effects(OUTCOMES)
    titles = [line for line in lines if line.startswith(("Pain response:", "Pain score:"))]
    assert titles == ["Pain response: stem-cell therapy vs placebo or sham, 6 months (risk ratio, log scale; pooled by"]
    assert "Direction of effect" not in "\n".join(lines)
    assert "sign test" not in "\n".join(lines)
    assert lines[-2:] == ["--continuous: `stemcell gdg effects --format json` (or csv). 1 row rests on one result and "
                          "has no", "forest plot; `--outcome NAME` draws one for every row of the outcomes it names."]


def test_a_plot_has_weights_a_pooled_diamond_the_null_line_and_what_each_side_favours() -> None:
    lines = effects(OUTCOMES)
    start = lines.index("Study       Design   n  RR (95% CI)           Weight")
    plot = lines[start:start + 7]
    assert [line[:54] for line in plot[1:4]] == [
        "Baker 2002  RCT     40  1.10 (0.61 to 1.99)    47.6%  ",
        "Dunn 2004   RCT     40  1.56 (0.89 to 2.73)    52.4%  ",
        "Pooled              80  1.32 (0.09 to 18.54)    100%  "]
    null = plot[1].index("┼")
    assert all(line[null] in "┼│┴" for line in plot[1:5])
    assert "◆" in plot[3]
    # Symmetric about no effect on the log scale: the far end is 1 / 18.54, not a number of the source.
    assert plot[5].split() == ["0.0539", "1", "18.54"]
    assert plot[6].strip() == "← favours control favours treatment →"
    assert plot[6].index("← favours control") + len("← favours control") == null


def test_outcome_plots_each_of_its_rows_and_a_lower_is_better_outcome_favours_treatment_on_the_left() -> None:
    lines = effects(OUTCOMES, "--outcome", "pain score")
    assert lines[0] == "Gadgetitis (synthetic): effect sizes (outcomes matching “pain score”)"
    title = lines.index("Pain score: stem-cell therapy vs placebo or sham, 6 months (mean difference)")
    null = lines[title + 2].index("│")
    assert lines[title + 5].strip() == "← favours treatment favours control →"
    assert lines[title + 5].index("favours control") == null + 1


def test_numbers_are_shown_and_drawn_as_their_source_printed_them(tmp_path: Path) -> None:
    data = printed_data(tmp_path)
    lines = effects(data, "--outcome", "pain_score")
    assert any("│ MD -1.1 (-1.913 to -0.287) │" in line for line in lines)
    row = next(line for line in lines if line.startswith("Dunn 2004"))
    assert row.startswith("Dunn 2004  RCT     40  -1.1 (-1.913 to -0.287)  100.0%  ")
    # The axis ends at the interval's ends, labelled as printed (never -1.91 or -0.29).
    axis = lines[lines.index(row) + 2].split()
    assert axis == ["-1.913", "0", "1.913"]
    payload = json.loads(run("gdg", "effects", "--data", str(data), "-f", "json").stdout)
    dunn = next(e for o in payload["outcomes"] for e in o["effects"] if e["study"]["id"] == "dunn2004"
                and e["outcome"] == "pain score at 6 months")
    assert dunn["effect"]["printed"] == {"value": "-1.1", "ci_low": "-1.913", "ci_high": "-0.287"}
    assert [row["relative"] for row in payload["outcome_rows"] if row["outcome"] == "pain_score"] == [
        {"measure": "MD", "estimate": -1.1, "ci_low": -1.913, "ci_high": -0.287}]


def test_no_sign_test_below_three_effects(tmp_path: Path) -> None:
    payload = json.loads(run("gdg", "effects", "--data", str(OUTCOMES), "-f", "json").stdout)
    assert [(o["outcome"], len([e for e in o["effects"] if e["effect"]]), o["votes"]) for o in payload["outcomes"]] == [
        ("pain score", 0, None), ("improved", 2, None), ("pain score at 6 months", 1, None)]


def test_an_outcome_that_matches_nothing_is_a_usage_error_listing_the_outcomes() -> None:
    done = run("gdg", "effects", "--data", str(OUTCOMES), "--outcome", "zzz")
    assert (done.exit_code, done.stdout) == (2, "")
    assert done.stderr == WARNING + "error: --outcome: no outcome matches 'zzz' (outcomes: Pain response; Pain score)\n"


def test_estimator_and_measure_options_say_they_change_the_records_not_the_table() -> None:
    plain = effects(OUTCOMES)
    chosen = effects(OUTCOMES, "--method", "DL", "--binary", "OR", "--hartung-knapp")
    said = " ".join(chosen[:6])
    assert ("--method DL, --binary OR, --hartung-knapp change the study-level estimates and fits of `stemcell gdg "
            "effects --format json` (or csv, tsv), not this table, which keeps the verdict rules' own "
            "estimates.") in said
    assert "--method" not in " ".join(plain[:6])
    # The table itself is the verdict rules' in both runs.
    rows = [line for line in plain if line.startswith("│ Pain")]
    assert len(rows) == 2
    assert [line for line in chosen if line.startswith("│ Pain")] == rows
