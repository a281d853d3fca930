"""YAML stubs of the citations a page check could not match, for a curator to confirm or drop."""

from __future__ import annotations

from stemcell_cli.evidence.check_records import CheckResult
from stemcell_cli.render.safe_text import one_line


def _yaml_text(value: str) -> str:
    """Return a string as a YAML double-quoted scalar (JSON's string syntax is YAML's), control characters escaped."""
    import msgspec

    return msgspec.json.encode(value).decode("utf-8")


def citation_stubs(result: CheckResult) -> str:
    """Return YAML stubs, marked unverified, of the citations not on file, for a curator to confirm or drop."""
    page = result.page
    lines = [
        "# Stubs of citations that `stemcell check` found on a page and could not match to a curated study.",
        "# Every value below is unverified: it is the page's own wording. Confirm each on a source page (journal,",
        "# PubMed or a registry) and record its URL before anything here enters data/studies.yaml.",
        f"# Page: {one_line(page.url or page.source)}",
        "citation_stubs:",
    ]
    stubs = [(i, c) for i, c in enumerate(result.citations) if c.status == "not_on_file"]
    for i, citation in stubs:
        lines += [
            f"  - cited_as: {_yaml_text(citation.text)}",
            f"    condition: {_yaml_text(page.condition)}",
            "    verification: \"unverified\"",
            f"    page_span: [{citation.start}, {citation.end}]",
            f"    citation: {i}",
            f"    kinds: [{', '.join(_yaml_text(k) for k in citation.kinds)}]",
            f"    note: {_yaml_text('; '.join(citation.reasons))}",
        ]
    if not stubs:
        lines[-1] = "citation_stubs: []"
    return "\n".join(lines) + "\n"
