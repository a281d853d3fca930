"""Validation of the outcome model: unknown or repeated outcome ids, unsourced thresholds, unclear arms (ring 3)."""

from __future__ import annotations

from pathlib import Path

from .conftest import FIXTURES, run

OUTCOMES = FIXTURES / "outcome_condition.yaml"


def _broken(tmp_path: Path) -> Path:
    """Return a copy of the outcome fixture with one of each problem the outcome checks find."""
    text = OUTCOMES.read_text(encoding="utf-8")
    for old, new in (
            ("    outcomes: [pain_response, pain_score]", "    outcomes: [pain_response, pain_scor]"),
            ('        outcome: pain_response\n        timepoint: 6 months\n        reported: "11 of 20',
             '        outcome: pain_respons\n        timepoint: 6 months\n        reported: "11 of 20'),
            ("threshold: {value: 100, src: [*ex],", "threshold: {value: 100, src: [],"),
            ("arms: [{arm: cells, role: treated, events: 14, total: 20}, {arm: placebo, role: control, events: 9, "
             "total: 20}]", "arms: [{arm: cells, events: 14, total: 20}, {arm: low dose, events: 9, total: 20}]"),
            ("      - id: pain_score\n        name: Pain score\n",
             "      - id: pain_response\n        name: Pain score\n")):
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_each_outcome_problem_is_located_and_an_unclear_arm_is_a_warning(tmp_path: Path) -> None:
    path = _broken(tmp_path)
    result = run("validate", str(path))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        f"{path}: $.conditions[0].outcomes[0].threshold.src (line 20): error: a threshold for an important effect "
        "needs the page it comes from",
        f"{path}: $.conditions[0].outcomes[1].id (line 21): error: outcome 'pain_response' is listed twice for "
        "gadgetitis",
        f"{path}: $.claims[0].outcomes[1] (line 39): error: unknown outcome 'pain_scor'",
        f"{path}: $.claims[1] (line 47): warning: claim 'cure' has no supporting study",
        f"{path}: $.studies[0].outcomes[0].outcome (line 75): error: unknown outcome 'pain_score'; did you mean "
        "'pain_response'?",
        f"{path}: $.studies[1].outcomes[0].outcome (line 95): error: unknown outcome 'pain_respons'; did you mean "
        "'pain_response'?",
        f"{path}: $.studies[2].outcomes[0] (line 115): warning: the treated and control arms of 'improved' cannot be "
        "told apart (arms: cells, low dose); give each arm its `role`",
        f"{path}: $.studies[2].outcomes[1].outcome (line 122): error: unknown outcome 'pain_score'; did you mean "
        "'pain_response'?",
        f"{path}: 6 errors, 2 warnings",
    ]


def test_the_outcome_fixture_has_no_outcome_problem() -> None:
    result = run("validate", str(OUTCOMES))
    assert (result.exit_code, result.stderr.splitlines()) == (0, [
        f"{OUTCOMES}: $.claims[1] (line 47): warning: claim 'cure' has no supporting study",
        f"{OUTCOMES}: 0 errors, 1 warning"])
