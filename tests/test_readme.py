"""The README's transcripts are real output: each `$ stemcell ...` block is re-run and compared."""

from __future__ import annotations

import re
import shlex

import pytest

from .conftest import ROOT, SHIPPED, run

BLOCKS = re.findall(r"```console\n\$ (stemcell .+?)\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"),
                    re.DOTALL)


def test_readme_has_transcripts() -> None:
    assert len(BLOCKS) >= 3


@pytest.mark.parametrize(("command", "expected"), BLOCKS, ids=[b[0] for b in BLOCKS])
def test_transcript_matches_real_output(command: str, expected: str) -> None:
    args = shlex.split(command)[1:]
    result = run(*args, "--data", str(SHIPPED))
    assert result.exit_code == 0, result.stderr
    assert [line.rstrip() for line in result.stdout.splitlines()] == [line.rstrip() for line in
                                                                     expected.splitlines()]


def test_the_readme_states_every_verdict_rule_the_engine_prints() -> None:
    from stemcell_cli.evidence.rules import RULES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for n, (topic, rule) in enumerate(RULES, 1):
        assert f"{n}. **{topic[:1].upper()}{topic[1:]}**: {rule}." in readme, topic
