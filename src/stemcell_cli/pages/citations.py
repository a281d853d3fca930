"""Find the citations on a page, each with its span.

The forms: author-year (with initials, in lists, without a year), reference lists and their numbered markers,
titles, journals, trial names and phases, registry ids, DOIs, PMIDs, products and institutions.

Every pattern here matches in linear time: no quantified group can match the same text two ways, so a
million-character line is read in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stemcell_cli.pages.names import Gazetteer, lower_keeping_offsets, words
from stemcell_cli.pages.records import Mention, MentionKind

_UP = r"[A-ZÀ-ÖØ-Þ]"
_LOW = r"[a-zß-öø-ÿ]"
# A class that holds a character beyond Latin-1 (the typographic apostrophe) compiles into a map of 65,536 entries,
# about 0.15 ms on every run for each surname in the patterns below; the apostrophe is a branch of its own instead
# (`{1}` keeps the parser from folding it back into the class).
_JOINER = r"(?:[-']|’{1})"
SURNAME = rf"{_UP}{_LOW}+(?:{_JOINER}{_UP}?{_LOW}+)?"
# A surname that does not continue a word. The check sits after the capital, not before it: a pattern that
# starts with a character class is searched for by skipping to that class, about twice as fast on a long page.
_WORD_START_SURNAME = rf"{_UP}(?<![\w-].){_LOW}+(?:{_JOINER}{_UP}?{_LOW}+)?"
INITIALS = r"[A-Z](?:\.?\s?[A-Z]){0,2}\.?"
YEAR = r"(?:19|20)\d\d"
ET_AL = r"(?:et\.?\s?al\.?|and\s(?:colleagues|co-?workers))"
_ET_AL = re.compile(rf"(?P<sur>{_WORD_START_SURNAME})(?:,?\s(?P<ini>{INITIALS}))?,?\s{ET_AL}"
                    rf"(?:,?\s\(?(?P<year>{YEAR})[a-z]?\b\)?)?", re.ASCII)
_NAME_YEAR = re.compile(rf"(?P<sur>{_WORD_START_SURNAME})(?:,?\s(?P<ini>{INITIALS}))?"
                        rf"(?:\s(?:and|&)\s(?P<sur2>{SURNAME}))?,?\s\(?(?P<year>{YEAR})[a-z]?\b\)?", re.ASCII)
_VANCOUVER = re.compile(rf"(?P<sur>{_WORD_START_SURNAME})\s(?P<ini>[A-Z]{{1,3}})(?:,\s{SURNAME}\s[A-Z]{{1,3}})+"
                        rf"(?:,?\s{ET_AL})?", re.ASCII)
_DOCTOR = re.compile(rf"\bDr\.? (?:{_UP}{_LOW}+ )?(?P<sur>{SURNAME})\b", re.ASCII)
_PHASE = re.compile(r"[Pp](?<!\w.)hase\s?(?P<phase>(?:I{1,3}V?|IV|[1-4])[ab]?(?:\s?/\s?(?:I{1,3}V?|[1-4])[ab]?)?)\b")
_INSTITUTION = re.compile(
    rf"{_UP}[\w’'-]+ (?:{_UP}[\w’'-]+ ){{0,2}}(?:University|Clinic|Hospital|Institute|Association|College|Foundation)\b"
    rf"(?: {_UP}[\w’'-]+){{0,2}}", re.ASCII)
_REF_HEADING = re.compile(r"(?:references?|sources?|bibliography|citations|works cited|literature cited|"
                          r"further reading)\s*:?", re.IGNORECASE | re.ASCII)
_REF_LABEL = re.compile(r"\s*(?:references?|sources?|ref\.?|citation)\s?:\s?", re.IGNORECASE | re.ASCII)
_ANY_YEAR = re.compile(r"(?:19|20)(?<!\d..)\d\d(?!\d)")  # YEAR not after a digit
_WORD_SPAN = re.compile(r"[^\W_]+")
# Patterns that most pages never need (identifiers, numbered markers, reference entries) stay strings here and
# are compiled where first used (re.compile keeps them): compiling every pattern costs each run about 1 ms.
_LEAD_AUTHOR = rf"(?P<sur>{SURNAME}),?\s(?P<ini>[A-Z](?:\.?\s?[A-Z]){{0,2}})\.?(?=[\s,.])"
_DOI = r"\b(10\.\d{4,9}/[^\s\"<>]+)"
_PMID = r"\bPMID:?\s?(\d{1,9})\b|pubmed\.ncbi\.nlm\.nih\.gov/(\d{1,9})\b"
_REGISTRY = (r"\b(NCT\d{8}|ISRCTN\d{6,}|ChiCTR[-\w]{6,}|ACTRN\d{10,}|IRCT\d{6,}N\d+|"
             r"EudraCT\s\d{4}-\d{6}-\d{2})\b")
_MARKER = r"\[(?P<list>\d{1,3}(?:\s?[-–,]\s?\d{1,3}){0,12})\]"
_PAREN_MARKER = r"\((?P<list>\d{1,3}(?:\s?[-–,]\s?\d{1,3}){0,12})\)"
_REF_LEAD = r"\s*(?:\[(\d{1,3})\]|(\d{1,3})[.)])\s"
_QUOTED = r"[\"“]([^\"“”\n]{12,400})[\"”]"
# Capitalised words that start a sentence or name a time, never an author.
NOT_NAMES = frozenset([
    "in", "on", "at", "by", "of", "for", "from", "since", "until", "to", "the", "this", "that", "these", "those", "and",
    "or", "but", "a", "an", "as", "after", "before", "during", "between", "january", "february", "march", "april",
    "may", "june", "july", "august", "september", "october", "november", "december", "spring", "summer", "autumn",
    "fall", "winter", "phase", "figure", "table", "year", "years", "study", "studies", "trial", "trials", "patients",
    "copyright", "published", "updated", "posted", "page", "volume", "issue", "level", "type", "grade", "class",
    "stage", "group", "week", "weeks", "month", "months", "day", "days", "day", "between", "over", "under", "about",
    "around", "approximately", "nearly", "almost", "some", "all", "each", "every", "both", "new", "our", "their", "his",
    "her", "its", "we", "they", "it", "is", "was"
])
# Trial names that are also ordinary words are matched only as written; a small gap joins parts of one citation.
MERGE_GAP = 60


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """Yield each line's start and end offsets."""
    start = 0
    while start <= len(text):
        end = text.find("\n", start)
        if end < 0:
            end = len(text)
        yield start, end
        start = end + 1


def reference_lines(text: str) -> list[tuple[int, int, int | None]]:
    """Return the page's reference entries as (start, end, number): under a References heading, or one line."""
    found: list[tuple[int, int, int | None]] = []
    in_list = False
    for start, end in _lines(text):
        line = text[start:end]
        stripped = line.strip()
        if not stripped:
            continue
        if _REF_HEADING.fullmatch(stripped):
            in_list = True
            continue
        labelled = _REF_LABEL.match(line) or (_VANCOUVER.match(line) if _ANY_YEAR.search(line) else None)
        if labelled is not None and labelled.re is _VANCOUVER:
            found.append((start, end, None))
            continue
        if labelled is not None:
            found.append((start + labelled.end(), end, None))
            continue
        if in_list:
            lead = re.compile(_REF_LEAD).match(line)
            looks = lead is not None or _ANY_YEAR.search(line) is not None or "doi" in line.lower()
            if not looks or len(line) > 2000:
                in_list = False
                continue
            number = int(lead.group(1) or lead.group(2)) if lead is not None else None
            found.append((start + (lead.end() if lead is not None else len(line) - len(line.lstrip())), end, number))
    return found


def _numbers(listed: str) -> tuple[int, ...]:
    """Return the numbers a marker lists: `1-3, 5` is 1, 2, 3 and 5."""
    found: list[int] = []
    for part in re.split(r"\s?,\s?", listed):
        bounds = re.split(r"\s?[-–]\s?", part)
        first, last = int(bounds[0]), int(bounds[-1])
        if last < first or last - first > 50:
            last = first
        found += range(first, last + 1)
    return tuple(found)


class _Finder:
    """One page's search: inline mentions, then reference entries and the markers that point at them."""

    def __init__(self, text: str, names: Gazetteer) -> None:
        self.text = text
        self.names = names
        self.lower = lower_keeping_offsets(text)

    def _occurrences(self, word: str, start: int, end: int) -> list[int]:
        """Return where a lower-case word starts as a whole word in a stretch of the page (found by str.find)."""
        found = []
        at = self.lower.find(word, start, end)
        while at >= 0:
            after = at + len(word)
            if (at == 0 or not self.lower[at - 1].isalnum()) and (after >= len(self.lower) or
                                                                   not self.lower[after].isalnum()):
                found.append(at)
            at = self.lower.find(word, after, end)
        return found

    def _window(self, at: int, count: int) -> list[tuple[str, int, int]]:
        """Return up to `count` words from an offset, with their spans."""
        found = []
        for match in _WORD_SPAN.finditer(self.text, at, min(len(self.text), at + 40 * count)):
            word = match.group()
            found.append((word.lower() if word.isascii() else (words(word) or [""])[0], match.start(), match.end()))
            if len(found) == count:
                break
        return found

    def authors(self, start: int, end: int) -> list[Mention]:
        """Return author-year and author-only mentions (et al, initials, lists, `Dr Name`)."""
        found: list[Mention] = []
        # Offsets already taken by a longer form, so that "Zhou, T et al 2020" is not found again as "T et al 2020".
        taken = bytearray(end - start)
        for pattern in (_VANCOUVER, _ET_AL, _NAME_YEAR, _DOCTOR):
            for match in pattern.finditer(self.text, start, end):
                if match.group("sur").lower() in NOT_NAMES or match.group("sur").endswith(("’s", "'s")):
                    continue
                if pattern is _NAME_YEAR and not groups_have(match, "ini", "sur2") and _after_capital(self.text,
                                                                                                   match.start()):
                    continue
                if any(taken[match.start() - start:match.end() - start]):
                    continue
                groups = match.groupdict()
                surnames = [match.group("sur")] + ([groups["sur2"]] if groups.get("sur2") else [])
                year = groups.get("year")
                stop = match.end() - 1 if match.group().endswith(")") and "(" not in match.group() else match.end()
                found.append(Mention(kinds=(MentionKind.AUTHOR_YEAR,), start=match.start(), end=stop,
                                     surnames=tuple(surnames), initials=_initials(groups.get("ini")),
                                     first_author=pattern is not _DOCTOR, year=int(year) if year else None))
                taken[match.start() - start:match.end() - start] = b"\x01" * (match.end() - match.start())
        return found

    def identifiers(self, start: int, end: int) -> list[Mention]:
        """Return DOI, PMID and registry-id mentions."""
        found: list[Mention] = []
        # Each pattern runs only on a page that holds its fixed part: most pages hold no identifier at all.
        stretch = self.lower[start:end]
        if "10." not in stretch:
            return self._registries(start, end, stretch, found)
        for match in re.compile(_DOI).finditer(self.text, start, end):
            doi = match.group(1).rstrip(".,;:)]}’'\"")
            found.append(Mention(kinds=(MentionKind.DOI,), start=match.start(), end=match.start() + len(doi),
                                 doi=doi.lower()))
        return self._registries(start, end, stretch, found)

    def _registries(self, start: int, end: int, stretch: str, found: list[Mention]) -> list[Mention]:
        """Add PMIDs and registry ids to the mentions found."""
        if "pmid" in stretch or "pubmed" in stretch:
            for match in re.compile(_PMID).finditer(self.text, start, end):
                found.append(Mention(kinds=(MentionKind.PMID,), start=match.start(), end=match.end(),
                                     pmid=match.group(1) or match.group(2)))
        if any(mark in stretch for mark in ("nct", "isrctn", "chictr", "actrn", "irct", "eudract")):
            for match in re.compile(_REGISTRY).finditer(self.text, start, end):
                found.append(Mention(kinds=(MentionKind.REGISTRY,), start=match.start(), end=match.end(),
                                     registry=(re.sub(r"\s+", " ", match.group(1)).upper(),)))
        return found

    def named(self, start: int, end: int) -> list[Mention]:
        """Return mentions of names the data knows: trials, products (as written), journals and titles (by words)."""
        found: list[Mention] = []
        for table, kind in ((self.names.trials, MentionKind.TRIAL), (self.names.products, MentionKind.PRODUCT)):
            for name in table:
                at = self.text.find(name, start, end)
                while at >= 0:
                    after = at + len(name)
                    edge = (at == 0 or not self.text[at - 1].isalnum()) and (
                        after >= len(self.text) or not self.text[after].isalnum())
                    if edge:
                        field = {"trials": (name,)} if kind is MentionKind.TRIAL else {"products": (name,)}
                        found.append(Mention(kinds=(kind,), start=at, end=after, **field))  # type: ignore[arg-type]
                    at = self.text.find(name, after, end)
        found += self._journals(start, end)
        found += self._titles(start, end)
        for match in _INSTITUTION.finditer(self.text, start, end):
            first = match.group().split()[0]
            if first.lower() in NOT_NAMES or first in {"Stem", "Cell"}:
                continue
            found.append(Mention(kinds=(MentionKind.INSTITUTION,), start=match.start(), end=match.end(),
                                 institutions=(match.group(),)))
        return found

    def _journals(self, start: int, end: int) -> list[Mention]:
        """Return journal names found as runs of words; a one-word name needs `journal` or `published` before it."""
        found: list[Mention] = []
        for key in self.names.journals:
            for at in self._occurrences(key[0], start, end):
                page = self._window(at, len(key))
                if tuple(w[0] for w in page) != key:
                    continue
                if len(key) == 1:
                    before = {w for w in words(self.text[max(start, at - 40):at])[-3:]}
                    if not before & {"journal", "published", "publication"}:
                        continue
                found.append(Mention(kinds=(MentionKind.JOURNAL,), start=at, end=page[-1][2],
                                     journals=(" ".join(key),)))
        return found

    def _titles(self, start: int, end: int) -> list[Mention]:
        """Return the curated titles a page quotes: five or more of a title's words in order, from its start."""
        found: list[Mention] = []
        # Titles by their first word, then by their first four: each word is looked for once, however many titles.
        by_start: dict[str, dict[tuple[str, ...], list[tuple[str, list[str]]]]] = {}
        for title, wanted in self.names.title_words:
            if len(wanted) >= 5:
                by_start.setdefault(wanted[0], {}).setdefault(tuple(wanted[:4]), []).append((title, wanted))
        for first, prefixes in by_start.items():
            for at in self._occurrences(first, start, end):
                # A page quotes a title from its start: its first four words come whole, then words may drop out.
                titles = prefixes.get(tuple(w[0] for w in self._window(at, 4)))
                if not titles:
                    continue
                page = self._window(at, max(len(wanted) for _t, wanted in titles) + 8)
                for title, wanted in titles:
                    last = _title_end(page, wanted)
                    if last is not None:
                        found.append(Mention(kinds=(MentionKind.TITLE,), start=at, end=page[last][2], title=title))
        return found


def _title_end(page: list[tuple[str, int, int]], wanted: list[str]) -> int | None:
    """Return the index of the page word that ends a quoted title, or None when too few of its words follow."""
    matched, position, last = 0, 0, 0
    for word in wanted:
        # A page may drop a word or two of a title ("in patients with"), never more.
        step = next((k for k in range(position, min(position + 3, len(page))) if page[k][0] == word), None)
        if step is None:
            if position - last > 2:
                break
            continue
        matched, position, last = matched + 1, step + 1, step
    return last if matched >= 5 and (matched >= 8 or matched >= 0.4 * len(wanted)) else None


def groups_have(match: re.Match[str], *names: str) -> bool:
    """Tell whether any of these named groups took part in a match."""
    groups = match.groupdict()
    return any(groups.get(name) for name in names)


def _after_capital(text: str, at: int) -> bool:
    """Tell whether a name follows a capitalised word, as in a place name (`UC San Francisco (2014)`)."""
    before = text[max(0, at - 40):at].rstrip(" ")
    if len(before) == len(text[max(0, at - 40):at]):
        return False
    last = before.rsplit(" ", 1)[-1].rsplit("\n", 1)[-1]
    return bool(last) and last[0].isupper() and last.isalpha()


def _initials(raw: str | None) -> str | None:
    """Return initials as bare capitals (`N.H.` is NH)."""
    if not raw:
        return None
    return "".join(c for c in raw if c.isupper()) or None


def _merge(group: list[Mention]) -> Mention:
    """Return the mentions of one citation as one: the union of what each gives."""
    first = group[0]
    if len(group) == 1:
        return first
    kinds: list[MentionKind] = []
    for mention in group:
        kinds += [k for k in mention.kinds if k not in kinds]
    authors = [m for m in group if m.surnames]
    def union(name: str) -> tuple[str, ...]:
        values: list[str] = []
        for mention in group:
            values += [v for v in getattr(mention, name) if v not in values]
        return tuple(values)
    return Mention(
        kinds=tuple(kinds), start=min(m.start for m in group), end=max(m.end for m in group),
        surnames=authors[0].surnames if authors else (), initials=authors[0].initials if authors else None,
        first_author=authors[0].first_author if authors else True,
        year=next((m.year for m in group if m.year is not None), None),
        title=next((m.title for m in group if m.title), None), journals=union("journals"), trials=union("trials"),
        phase=next((m.phase for m in group if m.phase), None), registry=union("registry"),
        doi=next((m.doi for m in group if m.doi), None), pmid=next((m.pmid for m in group if m.pmid), None),
        products=union("products"), institutions=union("institutions"), numbers=first.numbers,
        number=next((m.number for m in group if m.number is not None), None))


def _joinable(text: str, left: Mention, right: Mention) -> bool:
    """Tell whether two mentions are parts of one citation: close, on one line, not two authors."""
    if left.surnames and right.surnames:
        return False
    if right.start < left.end:
        return True
    gap = text[left.end:right.start]
    return len(gap) <= MERGE_GAP and "\n" not in gap and not re.search(r"[.!?]\s+[A-Z]", gap)


# The kinds whose phase or year the sentence around them may give.
_IN_CONTEXT = frozenset({MentionKind.TRIAL, MentionKind.PRODUCT, MentionKind.JOURNAL, MentionKind.INSTITUTION,
                         MentionKind.REFERENCE})


def _with_context(text: str, mention: Mention, start: int, end: int) -> Mention:
    """Add the phase and year said beside a trial, journal, product or institution in the same sentence."""
    if not set(mention.kinds) & _IN_CONTEXT or (MentionKind.AUTHOR_YEAR in mention.kinds and mention.year is not None):
        return mention
    left = max(start, mention.start - 60)
    right = min(end, mention.end + 60)
    sentence_start = max(text.rfind(". ", left, mention.start) + 1, text.rfind("\n", left, mention.start) + 1, left)
    stops = [at for at in (text.find(". ", mention.end, right), text.find("\n", mention.end, right)) if at >= 0]
    sentence_end = min(stops) if stops else right
    phase = _PHASE.search(text, sentence_start, sentence_end)
    year = None
    if MentionKind.JOURNAL in mention.kinds or MentionKind.INSTITUTION in mention.kinds or MentionKind.REFERENCE in \
            mention.kinds:
        found = _ANY_YEAR.search(text, mention.start, sentence_end) or _ANY_YEAR.search(text, sentence_start,
                                                                                        sentence_end)
        year = int(found.group()) if found else None
    if phase is None and year is None:
        return mention
    values = {name: getattr(mention, name) for name in mention.__struct_fields__}
    if phase is not None and mention.phase is None and (
            MentionKind.TRIAL in mention.kinds or MentionKind.PRODUCT in mention.kinds or
            MentionKind.JOURNAL in mention.kinds):
        values["phase"] = phase.group("phase")
        values["start"] = min(mention.start, phase.start()) if phase.end() + 45 >= mention.start else mention.start
        values["end"] = max(mention.end, phase.end()) if phase.start() <= mention.end + 45 else mention.end
    if mention.year is None and year is not None:
        values["year"] = year
    return Mention(**values)


def find_citations(text: str, names: Gazetteer) -> list[Mention]:
    """Return every citation on the page in page order: reference entries, markers and inline mentions."""
    finder = _Finder(text, names)
    found: list[Mention] = []
    references = reference_lines(text)
    numbered = {number for _s, _e, number in references if number is not None}
    covered: list[tuple[int, int]] = []
    for start, end, number in references:
        parts = (finder.authors(start, end) + finder.identifiers(start, end) + finder.named(start, end))
        year = _ANY_YEAR.search(text, start, end)
        parts = sorted(parts, key=lambda m: m.start)
        authors = [m for m in parts if m.surnames][:1]
        lead = re.compile(_LEAD_AUTHOR, re.ASCII).match(text, start, end)
        if not authors and lead is not None and lead.group("sur").lower() not in NOT_NAMES:
            # A reference entry starts with its first author, even alone and without "et al" ("Smith J. Title.").
            authors = [Mention(kinds=(MentionKind.AUTHOR_YEAR,), start=lead.start(), end=lead.end(),
                               surnames=(lead.group("sur"),), initials=_initials(lead.group("ini")))]
        merged = _merge(authors + [m for m in parts if not m.surnames]) if parts or authors else None
        title = _title_of(text, start, end)
        values = {name: getattr(merged, name) for name in Mention.__struct_fields__} if merged else {}
        values.update(kinds=(MentionKind.REFERENCE, *(merged.kinds if merged else ())), start=start, end=end,
                      number=number, year=(merged.year if merged and merged.year else
                                           int(year.group()) if year else None))
        if title and not values.get("title"):
            values["title"] = title
        found.append(Mention(**values))
        covered.append((start, end))
    inline: list[Mention] = []
    for start, end in _gaps(len(text), covered):
        parts = finder.authors(start, end) + finder.identifiers(start, end) + finder.named(start, end)
        parts = _without_overlaps(sorted(parts, key=lambda m: (m.start, -m.end)))
        group: list[Mention] = []
        for mention in parts:
            if group and not _joinable(text, group[-1], mention):
                inline.append(_with_context(text, _merge(group), start, end))
                group = []
            group.append(mention)
        if group:
            inline.append(_with_context(text, _merge(group), start, end))
        if numbered:
            for pattern in (re.compile(_MARKER), re.compile(_PAREN_MARKER)):
                for match in pattern.finditer(text, start, end):
                    listed = _numbers(match.group("list"))
                    if listed and all(n in numbered for n in listed):
                        inline.append(Mention(kinds=(MentionKind.MARKER,), start=match.start(), end=match.end(),
                                              numbers=listed))
    found += inline
    return sorted(found, key=lambda m: m.start)


def _gaps(length: int, covered: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Return the stretches of the page outside the reference entries."""
    out: list[tuple[int, int]] = []
    at = 0
    for start, end in sorted(covered):
        if start > at:
            out.append((at, start))
        at = max(at, end)
    if at < length:
        out.append((at, length))
    return out


def _without_overlaps(parts: list[Mention]) -> list[Mention]:
    """Drop a mention inside a longer one of the same kind (a product inside a trial name, a name inside a list)."""
    kept: list[Mention] = []
    for mention in parts:
        if kept and mention.start >= kept[-1].start and mention.end <= kept[-1].end and (
                set(mention.kinds) <= {MentionKind.PRODUCT, MentionKind.TRIAL, MentionKind.INSTITUTION} or
                mention.kinds == kept[-1].kinds):
            continue
        kept.append(mention)
    return kept


def _title_of(text: str, start: int, end: int) -> str | None:
    """Return a reference entry's quoted title, if it quotes one."""
    quoted = re.compile(_QUOTED).search(text, start, end)
    return quoted.group(1).strip(" .,") if quoted else None
