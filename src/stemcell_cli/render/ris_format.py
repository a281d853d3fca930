"""RIS output: one record per study, one `TAG  - value` line per field, as curated; a value never spans lines."""

from __future__ import annotations

from stemcell_cli.evidence.results import CiteResult
from stemcell_cli.render.references import Reference, page_range, reference


def _lines(ref: Reference) -> list[tuple[str, str]]:
    """Return a record's tags and values in the order the RIS specification lists them, only those with a value."""
    lines = [("TY", "JOUR" if ref.journal else "GEN"), ("ID", ref.key)]
    lines += [("AU", name) for name in ref.authors]
    if ref.title:
        lines.append(("TI", ref.title))
    if ref.journal:
        lines.append(("T2", ref.journal))
    if ref.year is not None:
        lines.append(("PY", str(ref.year)))
    for tag, value in (("VL", ref.volume), ("IS", ref.issue)):
        if value:
            lines.append((tag, value))
    if ref.pages:
        first, last = page_range(ref.pages)
        lines.append(("SP", first))
        if last is not None:
            lines.append(("EP", last))
    # EndNote's tags, which other reference managers read too: C7 article number, AN accession number (PubMed), C2
    # PMCID.
    for tag, value in (("C7", ref.article_number), ("DO", ref.doi), ("AN", ref.pmid), ("C2", ref.pmcid)):
        if value:
            lines.append((tag, value))
    if ref.registration:
        lines.append(("N1", f"Trial registration: {ref.registration}"))
    return [*lines, ("ER", "")]


def to_ris(result: CiteResult) -> str:
    """Return one RIS record per study."""
    return "\n".join("".join(f"{tag}  - {value}\n" for tag, value in _lines(reference(study)))
                     for study in result.studies)
