"""The red-flag pass over a page: one pattern, tried only where a sign can start, finds every sign's wording."""

from __future__ import annotations

import re

import pytest

from stemcell_cli.evidence.check_result import RED_FLAG_PATTERNS, RED_FLAGS

# One wording of each alternative of each sign.
WORDINGS = {
    "approval_claim": ("FDA approved", "government-approved", "Health Canada cleared", "EMA approved",
                       "approved by the FDA", "approved by Food and Drug Administration", "approved by government"),
    "no_risk": ("no risk", "no known risks", "no side effects", "no negative side-effects", "no adverse effect",
                "risk-free", "without any side effects", "without negative risks", "without serious adverse effects",
                "100% safe", "completely safe", "totally safe"),
    "cure": ("cure", "cures", "cured", "curing"),
    "testimonial": ("testimonials", "patient stories", "success stories", "what our patients say",
                    "hear from our patients"),
    "own_survey_or_registry": ("our survey", "our own patient registry", "our outcomes data", "our patient data",
                               "our internal data", "survey of our patients", "registry of our patients"),
}
# The same signs without the pass's guard on a sign's first character.
UNGUARDED = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in RED_FLAG_PATTERNS), re.I | re.A)


def test_every_sign_has_wordings_here() -> None:
    assert set(WORDINGS) == {kind for kind, _ in RED_FLAG_PATTERNS}


@pytest.mark.parametrize(("kind", "wording"), [(k, w) for k, ws in WORDINGS.items() for w in ws])
@pytest.mark.parametrize("case", [str, str.upper, str.title])
def test_each_wording_is_found_as_its_sign(kind: str, wording: str, case: type[str]) -> None:
    text = f"Our clinic: {case(wording)}, as we say."
    found = [(m.lastgroup, m.group()) for m in RED_FLAGS.finditer(text)]
    assert (kind, case(wording)) in found
    assert found == [(m.lastgroup, m.group()) for m in UNGUARDED.finditer(text)]


def test_the_guard_finds_what_the_unguarded_pattern_finds_in_a_long_text() -> None:
    text = " ".join(f"Line {i}: {w}, (FDA-approved) not a cure; no risks at all? 100% safe." for i, ws in
                    enumerate(WORDINGS.values()) for w in ws) * 20
    assert [m.span() for m in RED_FLAGS.finditer(text)] == [m.span() for m in UNGUARDED.finditer(text)]
    assert len(list(RED_FLAGS.finditer(text))) > 20 * 35
