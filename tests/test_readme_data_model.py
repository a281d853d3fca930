"""The README's data model is complete and its example is a valid data file (ring 4)."""

from __future__ import annotations

import re
from pathlib import Path

import msgspec

from stemcell_cli import model

from .conftest import ROOT, run

SECTION = (ROOT / "README.md").read_text(encoding="utf-8").split("\n## The data\n", 1)[1].split("\n## ", 1)[0]


def _records() -> list[type[msgspec.Struct]]:
    return [value for value in vars(model).values()
            if isinstance(value, type) and issubclass(value, model.Record) and value not in (model.Record, model.Fact)]


def _documented() -> set[str]:
    """Return the names the section shows as code: a bare `name`, or `name:` inside a code span."""
    prose = re.sub(r"```.*?```", "", SECTION, flags=re.DOTALL)
    spans = re.findall(r"`([^`]+)`", prose)
    return {span for span in spans if re.fullmatch(r"[a-z_]+", span)} | {
        name for span in spans for name in re.findall(r"([a-z_]+):", span)}


def test_every_field_of_every_record_is_documented() -> None:
    documented = _documented()
    missing = sorted({f"{record.__name__}.{name}" for record in _records() for name in record.__struct_fields__
                      if name not in documented})
    assert missing == []


def test_every_allowed_value_of_every_vocabulary_is_documented() -> None:
    documented = _documented()
    vocabularies = [model.Design, model.Direction, model.Verification, model.QuoteStatus, model.ClaimKind,
                    model.IssueKind, model.Assertion, model.BiasLevel, model.BiasReason, model.Comparison,
                    model.HarmKind, model.Attribution, model.ClusterKind, model.SourceKind, model.OutcomeKind,
                    model.Better, model.Importance, model.ArmRole, model.Comparator, model.Finding,
                    model.MagnitudeScale]
    missing = sorted(f"{vocabulary.__name__}.{member.value}" for vocabulary in vocabularies for member in vocabulary
                     if member.value not in documented)
    assert missing == []


def test_the_example_file_validates_cleanly(tmp_path: Path) -> None:
    examples = re.findall(r"```yaml\n(schema_version: 1\n.*?)```", SECTION, re.DOTALL)
    assert len(examples) == 1
    path = tmp_path / "example.yaml"
    path.write_text(examples[0], encoding="utf-8")
    result = run("validate", str(path))
    assert (result.exit_code, result.stderr) == (0, f"{path}: 0 errors, 0 warnings\n")
    summary = run("wdg", "claim", "pain", "--data", str(path), "--format", "csv")
    assert summary.exit_code == 0, summary.stderr
