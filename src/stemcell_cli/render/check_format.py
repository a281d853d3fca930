"""`check` output: the table's document, and the annotated page as Markdown and as HTML (the JSON is payloads.py's).

The HTML is escaped throughout, has no script, carries a strict Content-Security-Policy, and links only to the
curated studies' http(s) addresses.
"""

from __future__ import annotations

import bisect
import itertools
import re
from typing import TYPE_CHECKING, Any

from stemcell_cli.evidence.check_records import CheckResult, ClaimCheck, OmittedStudy
from stemcell_cli.render.blocks import Document, Heading, Paragraph, Table
from stemcell_cli.render.markdown_format import backslash_second, backslashed, provenance_line
from stemcell_cli.render.markdown_format import escape as escape_linked
from stemcell_cli.render.safe_text import one_line, safe

if TYPE_CHECKING:
    from stemcell_cli.model import Provenance

_SAFE_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d+)?(?:/[!#-;=?-~]*)?$")
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'"


def _words(value: str | None) -> str:
    """Return an enum value as words (`very_uncertain` is `very uncertain`)."""
    return (value or "-").replace("_", " ")


def _verdict(claim: ClaimCheck) -> str:
    """Return a claim's verdict and certainty as words."""
    certainty = f" ({_words(claim.certainty.value)} certainty)" if claim.certainty else ""
    return _words(claim.verdict.value) + certainty


def _study_words(result: CheckResult, study: str | None, candidates: tuple[str, ...]) -> str:
    """Return the study a citation resolves to, or its candidates, by label and id."""
    if study:
        return f"{result.labels.get(study, study)} ({study})"
    return ", ".join(f"{result.labels.get(c, c)} ({c})" for c in candidates) or "-"


def check_document(result: CheckResult) -> Document:
    """Return the table view: claims with verdicts, citations with status, red flags."""
    page = result.page
    where = page.url or page.source
    claims = tuple((str(i + 1), c.text, _verdict(c), ", ".join(str(n + 1) for n in c.citations) or "-")
                   for i, c in enumerate(result.claims))
    issues = tuple((str(i + 1), _words(p.kind), p.summary) for i, c in enumerate(result.claims) for p in c.issues)
    # A page repeats its citations, and one trial is left out of many claims: each is one row, with its numbers.
    left_out: dict[str, tuple[OmittedStudy, list[str]]] = {}
    for i, claim in enumerate(result.claims):
        for study in claim.omitted:
            left_out.setdefault(study.study, (study, []))[1].append(str(i + 1))
    omitted = tuple((o.label, _words(o.design), str(o.n) if o.n is not None else "-", _words(o.direction),
                     ", ".join(claims)) for o, claims in left_out.values())
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for i, c in enumerate(result.citations):
        grouped.setdefault((c.text, _words(c.status), _study_words(result, c.study, c.candidates)), []).append(
            str(i + 1))
    citations = tuple((", ".join(numbers), *key) for key, numbers in grouped.items())
    flags = tuple((_words(f.kind), f.text, f"{f.start}-{f.end}") for f in result.red_flags)
    counts = {status: sum(c.status == status for c in result.citations)
              for status in ("resolved", "ambiguous", "not_on_file")}
    blocks: list[Any] = [
        Paragraph(f"Condition: {result.condition_name} ({page.condition}). {len(result.claims)} claims, "
                  f"{len(result.citations)} citations ({counts['resolved']} resolved, {counts['ambiguous']} "
                  f"ambiguous, {counts['not_on_file']} not on file), {len(result.red_flags)} red flags."),
        Table(("#", "Claim", "Verdict", "Cites"), claims, title="Claims", wrap=(1,)),
        Table(("#", "Citation", "Status", "Study"), citations, title="Citations", wrap=(1, 3), separators=False),
    ]
    if issues:
        blocks.append(Table(("Claim", "Citation issue", "What"), issues, title="Citation issues", wrap=(2,)))
    if omitted:
        blocks.append(Table(("Controlled trial not cited", "Design", "n", "Direction", "Claims"), omitted,
                            title="Contrary controlled trials the page leaves out", wrap=(4,)))
    blocks.append(Table(("Red flag", "Page's words", "Offsets"), flags, title="Red flags", wrap=(1,)) if flags
                  else Paragraph("Red flags: none found."))
    blocks.append(Heading("How to read this"))
    blocks.append(Paragraph("Verdicts come from the curated outcome estimates (`stemcell "
                            f"{page.condition} claims` shows the curated claims); the JSON, Markdown and HTML formats "
                            "give each claim's statement and each citation's reasons."))
    return Document(f"Page check: {where}", tuple(blocks))


def _marks(result: CheckResult) -> list[tuple[int, int, str, str]]:
    """Return the spans to mark in page order, as (start, end, kind, note); claims and citations may nest."""
    marks = []
    for i, claim in enumerate(result.claims):
        note = f"claim {i + 1}: {_verdict(claim)}. {claim.statement}"
        marks.append((claim.start, claim.end, "claim", note))
    for i, citation in enumerate(result.citations):
        shown = _study_words(result, citation.study, citation.candidates)
        note = f"citation {i + 1}: {_words(citation.status)}: {shown}"
        marks.append((citation.start, citation.end, "citation", note))
    for flag in result.red_flags:
        marks.append((flag.start, flag.end, "flag", f"red flag: {_words(flag.kind)}"))
    return sorted(marks, key=lambda m: (m[0], -m[1]))


def _segments(text: str, marks: list[tuple[int, int, str, str]]) -> list[tuple[str, list[tuple[int, str, str]]]]:
    """Cut the text where any mark starts or ends; each piece carries the marks that cover it."""
    cuts = sorted({0, len(text), *(m[0] for m in marks), *(m[1] for m in marks)})
    out = []
    # One sweep: the marks (in start order) open as the cuts reach them and close at their ends; every cut is a
    # mark's start or end, so a mark open at a piece's left covers the whole piece.
    active: list[int] = []
    following = 0
    for left, right in itertools.pairwise(cuts):
        while following < len(marks) and marks[following][0] <= left:
            active.append(following)
            following += 1
        active = [i for i in active if marks[i][1] > left]
        out.append((text[left:right], [(i, marks[i][2], marks[i][3]) for i in active if right <= marks[i][1]]))
    return out


_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~&#!])")
_MD_LEADING = re.compile(r"^(\d*)([+=.)-])")


def _md_piece(text: str, line_start: bool) -> str:
    """Return a piece of page text that Markdown shows literally (a line's start cannot open a list or heading)."""
    escaped = _MD_INLINE.sub(backslashed, one_line(text))
    return _MD_LEADING.sub(backslash_second, escaped) if line_start else escaped


def check_markdown(result: CheckResult, provenance: Provenance | None = None) -> str:
    """Return the annotated page as Markdown: claims in bold, a numbered note after each claim, citation and flag."""
    def escape(text: str) -> str:
        # The page's own addresses are not curated: they stay text, never links.
        return escape_linked(text, links=False)

    page = result.page
    marks = _marks(result)
    out = [f"# Page check: {escape(page.url or page.source)}", ""]
    if provenance is not None:
        out += [provenance_line(provenance), ""]
    out += [escape(f"Condition: {result.condition_name}. Claims are in bold; each claim, citation and red flag is "
                  "followed by the number of its note below."), "", "## The page", ""]
    opens: dict[int, list[int]] = {}
    closes: dict[int, list[int]] = {}
    for i, (start, end, _kind, _note) in enumerate(marks):
        opens.setdefault(start, []).append(i)
        closes.setdefault(end, []).append(i)
    # Every offset where a mark opens or closes, in order: each line takes its own by bisection.
    places = sorted({*opens, *closes})
    lines = []
    offset = 0
    for line in page.text.split("\n"):
        stripped = line.lstrip(" \t")
        at = offset + len(line) - len(stripped)
        end = offset + len(line)
        inside = places[bisect.bisect_left(places, at):bisect.bisect_right(places, end)]
        if not inside:  # most lines: no mark opens or closes on them
            lines.append(_md_piece(page.text[at:end], line_start=True) if end > at else "")
            offset += len(line) + 1
            continue
        cuts = sorted({at, end, *inside})
        built = ""
        for left, right in zip(cuts, [*cuts[1:], None], strict=True):
            for i in sorted(closes.get(left, []), reverse=True):
                built += ("**" if marks[i][2] == "claim" else "") + f" \\[{i + 1}\\]"
            for i in opens.get(left, []):
                if marks[i][2] == "claim":
                    built += "**"
            if right is not None:
                built += _md_piece(page.text[left:right], line_start=left == at)
        lines.append(built)
        offset += len(line) + 1
    text = "  \n".join(lines)
    out += [text, "", "## Notes", ""]
    out += [f"{i + 1}. {escape(m[3])}" for i, m in enumerate(marks)]
    out += ["", "## Citations", ""]
    for i, c in enumerate(result.citations):
        out.append(f"{i + 1}. {escape(c.text)}: {escape(_words(c.status))}, "
                   f"{escape(_study_words(result, c.study, c.candidates))}; " + escape("; ".join(c.reasons)))
    return "\n".join(out).rstrip("\n") + "\n"


def _html(text: str) -> str:
    """Return text escaped for HTML content and attributes, control characters shown as escapes."""
    return (safe(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("'", "&#39;"))


def check_html(result: CheckResult, provenance: Provenance | None = None) -> str:
    """Return the annotated page as one self-contained HTML document with no script."""
    from stemcell_cli.render.html_format import provenance_paragraph

    page = result.page
    source = "\n" + provenance_paragraph(provenance) if provenance is not None else ""
    marks = _marks(result)
    title = _html(one_line(f"Page check: {page.url or page.source}"))
    body = []
    offset = 0
    # A mark that spans several pieces (a claim cut by its citations) has its note on each: escaped once.
    titles = [_html(one_line(note)) for _start, _end, _kind, note in marks]
    for piece, covering in _segments(page.text, marks):
        offset += len(piece)
        chunk = _html(piece).replace("\n", "<br>\n")
        for i, kind, _note in sorted(covering, key=lambda c: c[0], reverse=True):
            chunk = f'<mark class="{kind}" title="{titles[i]}">{chunk}</mark>'
        closing = [i for i, _k, _n in covering if marks[i][1] == offset]
        chunk += "".join(f'<sup><a href="#note-{i + 1}">[{i + 1}]</a></sup>' for i in closing)
        body.append(chunk)
    notes = "\n".join(f'<li id="note-{i + 1}">{title}</li>' for i, title in enumerate(titles))
    rows = []
    for i, c in enumerate(result.citations):
        studies = [c.study] if c.study else list(c.candidates)
        cells = []
        for sid in studies:
            label = _html(f"{result.labels.get(sid, sid)} ({sid})")
            link = result.links.get(sid, "")
            cells.append(f'<a href="{_html(link)}" rel="noopener noreferrer">{label}</a>'
                         if _SAFE_URL.match(link) else label)
        rows.append(f"<tr><td>{i + 1}</td><td>{_html(one_line(c.text))}</td><td>{_html(_words(c.status))}</td>"
                    f"<td>{', '.join(cells) or '-'}</td><td>{_html(one_line('; '.join(c.reasons)))}</td></tr>")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<style>
body {{ font-family: sans-serif; max-width: 60em; margin: 2em auto; line-height: 1.5; }}
mark.claim {{ background: #fff3b0; }}
mark.citation {{ background: #cfe8ff; font-style: italic; }}
mark.flag {{ background: #ffc9c9; }}
td {{ vertical-align: top; border-top: 1px solid #ccc; padding: 0.2em 0.5em; }}
.provenance {{ font-size: .85rem; color: #444; }}
</style>
</head>
<body>
<h1>{title}</h1>{source}
<p>Condition: {_html(result.condition_name)}. Claims, citations and red flags are marked; each has a numbered note.</p>
<h2>The page</h2>
<div class="page">{"".join(body)}</div>
<h2>Notes</h2>
<ol>
{notes}
</ol>
<h2>Citations</h2>
<table><tr><th>#</th><th>Citation</th><th>Status</th><th>Study</th><th>Reasons</th></tr>
{chr(10).join(rows)}
</table>
</body>
</html>
"""
