"""Resolve the citations found on a page to curated studies, with reasons; never a silent best guess.

Each thing a citation gives (an author, the year, title words, the journal, a trial or product name, a registry id,
a DOI or PMID, an institution) names the studies it fits; a citation is resolved when they agree on exactly one,
ambiguous (with the candidates) when they fit several or disagree, and not on file when nothing fits.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import Enum

import msgspec

from stemcell_cli.model import Study
from stemcell_cli.pages.names import Gazetteer, words
from stemcell_cli.pages.records import Mention, MentionKind

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}
# Words of an institution's name that say what it is, not which one it is.
_GENERIC = frozenset([
    "university", "clinic", "hospital", "institute", "association", "college", "foundation", "medical", "center",
    "centre", "of", "in", "for", "the", "at", "and", "national", "american", "international", "research", "health"
])


class Status(str, Enum):
    """What a citation resolves to."""

    RESOLVED = "resolved"
    AMBIGUOUS = "ambiguous"
    NOT_ON_FILE = "not_on_file"


class Resolution(msgspec.Struct, frozen=True, gc=False):
    """A citation's status, the study it resolves to, the candidates when several fit, and why."""

    status: Status
    study: str | None
    candidates: tuple[str, ...]
    reasons: tuple[str, ...]


class _Author(msgspec.Struct, frozen=True, gc=False):
    """One author's name as words, with the word taken to be the family name."""

    shown: str
    tokens: tuple[str, ...]
    family: str


def _author(name: str) -> _Author:
    """Return an author's words and family name from `Given Family`, `Family I`, `Family, Given` or `X (Romanised)`."""
    romanised = re.search(r"\(([^()]+)\)", name)
    shown = romanised.group(1) if romanised else name
    tokens = tuple(words(shown))
    if not tokens:
        return _Author(name, (), "")
    if "," in shown:
        family = words(shown.split(",")[0])[-1:] or [tokens[0]]
        return _Author(shown, tokens, family[0])
    last = shown.split()[-1]
    if romanised or (len(tokens) > 1 and last.isupper() and len(last) <= 3):
        return _Author(shown, tokens, tokens[0])
    return _Author(shown, tokens, tokens[-1])


def study_year(study: Study) -> int | None:
    """Return a study's year, or the year its curated label gives when the year itself is not confirmed."""
    if study.year.value is not None:
        return study.year.value
    found = _YEAR.search(study.label or "")
    return int(found.group()) if found else None


def _phase(text: str) -> set[str]:
    """Return the phase numbers a phase text names (`II/III` is 2 and 3)."""
    return {_ROMAN.get(part, part) for part in re.findall(r"iv|i{1,3}|\d", text.lower())}


class Matcher:
    """Resolves one page's citations against one condition's studies."""

    def __init__(self, studies: Sequence[Study], names: Gazetteer) -> None:
        self.studies = {s.id: s for s in studies}
        self.names = names
        self.authors = {s.id: [_author(a) for a in (s.authors.value or ())] for s in studies}
        # Each word of each author's name, to the studies and places it occurs in (an author's first place only).
        self.by_token: dict[str, list[tuple[str, int, _Author]]] = {}
        for sid, authors in self.authors.items():
            for index, author in enumerate(authors):
                for token in dict.fromkeys(author.tokens):
                    self.by_token.setdefault(token, []).append((sid, index, author))
        self._record_text: dict[str, str] | None = None
        self.labels: dict[str, str] = {}

    def label(self, study_id: str) -> str:
        """Return a study's short label for reasons (each worked out once)."""
        from stemcell_cli.evidence.lookup import study_label

        if study_id not in self.labels:
            self.labels[study_id] = study_label(self.studies[study_id])
        return self.labels[study_id]

    def _by_author(self, mention: Mention) -> tuple[set[str], set[str], list[str]]:
        """Return the studies with an author of this name (initials agreeing), those it leads, and the reasons."""
        surname = words(mention.surnames[0])
        if not surname:
            return set(), set(), []
        name = surname[-1]
        fits: set[str] = set()
        first: set[str] = set()
        notes: list[str] = []
        for sid, index, author in self.by_token.get(name, ()):
            if sid in fits:
                continue
            others = [t for t in author.tokens if t != name]
            if mention.initials and others and not any(t[0] == mention.initials[0].lower() for t in others):
                continue
            fits.add(sid)
            if index == 0:
                first.add(sid)
            inverted = author.family != name
            notes.append(f"{self.label(sid)}: author {author.shown}" + (" (first author)" if index == 0 else
                         f" (author {index + 1})") + (", given and family name inverted on the page" if inverted
                                                       else ""))
        return fits, first, notes

    def _by_title(self, title: str) -> set[str]:
        """Return the studies whose title this one matches (most of its words, in any order)."""
        wanted = set(words(title))
        if len(wanted) < 4:
            return set()
        found = set()
        for sid, study in self.studies.items():
            have = set(words(study.title.value or ""))
            if have and len(wanted & have) >= max(4, 0.6 * min(len(wanted), len(have))):
                found.add(sid)
        return found

    @property
    def record_text(self) -> dict[str, str]:
        """Return each study's whole record as words, built the first time an institution is looked up."""
        if self._record_text is None:
            self._record_text = {sid: " ".join(words(msgspec.json.encode(s).decode()))
                                 for sid, s in self.studies.items()}
        return self._record_text

    def _by_institution(self, name: str) -> set[str]:
        """Return the studies whose record names the institution; else those that name its distinctive word."""
        phrase = " ".join(w for w in words(name) if w not in {"the"})
        found = {sid for sid, text in self.record_text.items() if f" {phrase} " in f" {text} "}
        if found:
            return found
        core = [w for w in words(name) if w not in _GENERIC and len(w) >= 5]
        if not core:
            return set()
        return {sid for sid, text in self.record_text.items() if f" {core[0]} " in f" {text} "}

    def resolve(self, mention: Mention) -> Resolution:
        """Return what one citation resolves to, with the reason for each step."""
        reasons: list[str] = []
        if mention.doi:
            found = {sid for sid, s in self.studies.items() if (s.doi.value or "").lower() == mention.doi}
            return self._identified(found, f"DOI {mention.doi}", reasons)
        if mention.pmid:
            found = {sid for sid, s in self.studies.items() if s.pmid.value == mention.pmid}
            return self._identified(found, f"PMID {mention.pmid}", reasons)
        fields: list[tuple[str, set[str]]] = []
        first: set[str] = set()
        if mention.surnames:
            fits, first, notes = self._by_author(mention)
            fields.append((f"author {mention.surnames[0]}" + (f" {mention.initials}" if mention.initials else ""),
                           fits))
            reasons += notes
            if mention.year is None:
                reasons.append("no year on the page")
        if mention.title:
            found = {sid for sid in self.names.titles.get(mention.title, ())} or self._by_title(mention.title)
            fields.append(("title", found))
        for journal in mention.journals:
            key = tuple(journal.split())
            fields.append((f"journal {journal}", set(self.names.journals.get(key, ()))))
        for trial in mention.trials:
            fields.append((f"trial {trial}", set(self.names.trials.get(trial, ()))))
        for registry in mention.registry:
            fields.append((f"registry id {registry}", set(self.names.registry.get(registry, ()))))
        for product in mention.products:
            fields.append((f"product {product}", set(self.names.products.get(product, ()))))
        for institution in mention.institutions:
            fields.append((f"institution {institution}", self._by_institution(institution)))
        for name, found in fields:
            shown = ", ".join(self.label(s) for s in sorted(found)) or "no study on file"
            reasons.append(f"{name}: {shown}")
        union = set().union(*(found for _n, found in fields)) if fields else set()
        if not union:
            return Resolution(Status.NOT_ON_FILE, None, (), tuple(reasons) or ("nothing on the page names a study",))
        together = set.intersection(*(found for _n, found in fields))
        if not together:
            reasons.append("what the citation gives points to different studies")
            return self._ambiguous(union, reasons)
        if mention.year is not None:
            dated = {sid for sid in together if study_year(self.studies[sid]) == mention.year}
            undated = {sid for sid in together if study_year(self.studies[sid]) is None}
            if not dated:
                elsewhere = {sid for sid in union if study_year(self.studies[sid]) == mention.year}
                if undated and not elsewhere:
                    together = undated
                    reasons.append(f"year {mention.year}: not confirmed on file for "
                                   + ", ".join(self.label(s) for s in sorted(undated)))
                else:
                    reasons.append(f"year {mention.year}: fits none of "
                                   + ", ".join(self.label(s) for s in sorted(together)))
                    return self._ambiguous(together | elsewhere, reasons)
            else:
                reasons.append(f"year {mention.year}: " + ", ".join(self.label(s) for s in sorted(dated)))
                together = dated
        if len(together) > 1 and mention.surnames and mention.first_author and len(together & first) == 1:
            together &= first
            reasons.append(f"{mention.surnames[0]} is the first author of {self.label(next(iter(together)))} only")
        if len(together) > 1 and mention.phase:
            wanted = _phase(mention.phase)
            phased = {sid for sid in together if _phase(self.names.phases.get(sid, "")) == wanted}
            if len(phased) == 1:
                together = phased
                reasons.append(f"phase {mention.phase}: the registered phase of {self.label(next(iter(phased)))}")
        if len(together) == 1 and mention.surnames and not mention.first_author and len(fields) == 1 and \
                mention.year is None:
            reasons.append("a researcher is named, not a paper, so it is not taken as a match")
            return Resolution(Status.AMBIGUOUS, None, tuple(sorted(together)), tuple(reasons))
        if len(together) == 1 and mention.surnames and mention.first_author and not together & first and \
                fields[0][0].startswith("author") and len(fields) == 1:
            # "Wang et al 2019" names a first author: a paper where Wang is the fourth author is a candidate only.
            reasons.append(f"{mention.surnames[0]} is not the first author of {self.label(next(iter(together)))}, "
                           "so it is not taken as a match")
            return Resolution(Status.AMBIGUOUS, None, tuple(sorted(together)), tuple(reasons))
        if len(together) == 1:
            return Resolution(Status.RESOLVED, next(iter(together)), (), tuple(reasons))
        return self._ambiguous(together, reasons)

    def _identified(self, found: set[str], what: str, reasons: list[str]) -> Resolution:
        """Return the resolution of a citation by an identifier, which settles it either way."""
        if len(found) == 1:
            sid = next(iter(found))
            return Resolution(Status.RESOLVED, sid, (), (*reasons, f"{what}: {self.label(sid)}"))
        if found:
            return self._ambiguous(found, [*reasons, f"{what}: several studies on file"])
        return Resolution(Status.NOT_ON_FILE, None, (), (*reasons, f"{what}: no study on file has it"))

    def _ambiguous(self, candidates: set[str], reasons: list[str]) -> Resolution:
        """Return an ambiguous resolution with its candidates in id order."""
        if len(candidates) == 1:
            reasons.append("so it is not taken as a match")
        return Resolution(Status.AMBIGUOUS, None, tuple(sorted(candidates)), tuple(reasons))


def settle_short_citations(mentions: Sequence[Mention], found: list[Resolution]) -> list[Resolution]:
    """Let a citation given in full on the page ("Wang, D et al 2018") settle a short one ("Wang et al")."""
    settled = list(found)
    full_by_name: dict[tuple[str, ...], list[tuple[int, Mention]]] = {}
    for index, mention in enumerate(mentions):
        if mention.surnames and mention.year is not None and found[index].status is Status.RESOLVED:
            full_by_name.setdefault(tuple(words(mention.surnames[0])), []).append((index, mention))
    for index, mention in enumerate(mentions):
        if found[index].status is Status.RESOLVED or not mention.surnames or mention.year is not None:
            continue
        full = full_by_name.get(tuple(words(mention.surnames[0])), [])
        studies = {found[i].study for i, _o in full}
        candidates = set(found[index].candidates)
        if len(studies) == 1 and (not candidates or studies <= candidates):
            _i, other = full[0]
            study = next(iter(studies))
            settled[index] = Resolution(Status.RESOLVED, study, (), (
                *found[index].reasons,
                f"no year on the page here; settled by the full citation at {other.start}-{other.end} "
                f"(author {other.surnames[0]}{' ' + other.initials if other.initials else ''}, {other.year})"))
    return settled


def mention_kinds(mention: Mention) -> tuple[str, ...]:
    """Return a citation's kinds as words."""
    return tuple(kind.value for kind in mention.kinds if kind is not MentionKind.REFERENCE) or ("reference",)
