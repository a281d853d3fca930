r"""BibTeX output: one entry per study, every field as curated, TeX specials escaped so the data cannot run TeX.

Braces, backslashes and TeX's special characters (`# $ % & _ ~ ^`) are written as TeX's own escapes, so that a
title holding `}` or `\input{...}` stays text. Author names are each braced whole: the data writes names in
several orders (`Lingyun Sun`, `Sun L`, `Aljabri, Ammar`), and BibTeX would split an unbraced `Sun L` wrongly.
"""

from __future__ import annotations

import re

from stemcell_cli.evidence.results import CiteResult
from stemcell_cli.render.references import Reference, reference

_TEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "#": r"\#", "$": r"\$", "%": r"\%", "&": r"\&",
        "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "@": "{@}"}
_SPECIAL = re.compile("[" + re.escape("".join(_TEX)) + "]")
# A DOI is read verbatim by biblatex and by reference managers: written as it is unless it holds a character
# that could end the field or start a command.
_VERBATIM_UNSAFE = re.compile(r"[{}\\@]")
_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9_\-:.+/]")


def tex(text: str) -> str:
    """Return text with TeX's special characters escaped."""
    return _SPECIAL.sub(lambda m: _TEX[m.group()], text)


def _verbatim(text: str) -> str:
    """Return an identifier as it is, or escaped when it holds a character that could break out of the field."""
    return tex(text) if _VERBATIM_UNSAFE.search(text) else text


def _key(study_id: str, taken: set[str]) -> str:
    """Return a citation key from a study id: characters BibTeX keys cannot hold become `_`, and it is unique."""
    base = _KEY_UNSAFE.sub("_", study_id) or "study"
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}_{number}"
    taken.add(key)
    return key


def _fields(ref: Reference) -> list[tuple[str, str]]:
    """Return the entry's fields in BibTeX's usual order, only those with a value."""
    fields: list[tuple[str, str]] = []
    if ref.authors:
        fields.append(("author", " and ".join("{" + tex(name) + "}" for name in ref.authors)))
    if ref.title:
        # Braced again, so that a style keeps the title's capitals as written.
        fields.append(("title", "{" + tex(ref.title) + "}"))
    if ref.journal:
        fields.append(("journal", tex(ref.journal)))
    if ref.year is not None:
        fields.append(("year", str(ref.year)))
    for name, value in (("volume", ref.volume), ("number", ref.issue), ("pages", ref.pages),
                        ("eid", ref.article_number)):
        if value:
            fields.append((name, tex(value)))
    for name, value in (("doi", ref.doi), ("pmid", ref.pmid), ("pmcid", ref.pmcid)):
        if value:
            fields.append((name, _verbatim(value)))
    if ref.registration:
        fields.append(("note", "Trial registration: " + tex(ref.registration)))
    return fields


def to_bibtex(result: CiteResult) -> str:
    """Return one BibTeX entry per study: @article with a journal, else @misc."""
    taken: set[str] = set()
    entries = []
    for study in result.studies:
        ref = reference(study)
        kind = "article" if ref.journal else "misc"
        body = "".join(f",\n  {name} = {{{value}}}" for name, value in _fields(ref))
        entries.append(f"@{kind}{{{_key(ref.key, taken)}{body}\n}}\n")
    return "\n".join(entries)
