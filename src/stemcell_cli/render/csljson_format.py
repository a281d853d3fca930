"""CSL-JSON output, the citation format of Zotero, Mendeley and pandoc: one item per study, fields as curated."""

from __future__ import annotations

from typing import Any

from stemcell_cli.evidence.results import CiteResult
from stemcell_cli.render.json_format import to_json
from stemcell_cli.render.references import Reference, reference


def _item(ref: Reference) -> dict[str, Any]:
    """Return one CSL item; each author's name is given whole (`literal`), as the data writes it."""
    item: dict[str, Any] = {"id": ref.key, "type": "article-journal" if ref.journal else "article"}
    if ref.authors:
        item["author"] = [{"literal": name} for name in ref.authors]
    for name, value in (("title", ref.title), ("container-title", ref.journal)):
        if value:
            item[name] = value
    if ref.year is not None:
        item["issued"] = {"date-parts": [[ref.year]]}
    for name, value in (("volume", ref.volume), ("issue", ref.issue), ("page", ref.pages),
                        ("number", ref.article_number), ("DOI", ref.doi), ("PMID", ref.pmid), ("PMCID", ref.pmcid)):
        if value:
            item[name] = value
    if ref.registration:
        item["note"] = f"Trial registration: {ref.registration}"
    return item


def to_csljson(result: CiteResult, *, ascii_only: bool = False) -> str:
    """Return a CSL-JSON array of the studies."""
    return to_json([_item(reference(study)) for study in result.studies], ascii_only=ascii_only)
