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
