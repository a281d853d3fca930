"""Find the claims on a page: sentences and bullets that assert benefit, safety or a number, and quoted conclusions."""

from __future__ import annotations

import re

from stemcell_cli.pages.names import lower_keeping_offsets
from stemcell_cli.pages.records import ClaimSpan

# Linear patterns only (see citations.py). The word patterns read the page in lower case (lower_keeping_offsets),
# so they are written in lower case and compiled without IGNORECASE, which makes them three times faster: a
# case-sensitive alternative whose first letter differs is skipped without being tried.
# A character beyond Latin-1 is a branch of its own, not part of a class (why: see _JOINER in citations.py).
_SENTENCE_END = re.compile(r"[.!?](?=(?:[\")]|”{1}|’{1})?\s+(?:[\"(]|“{1})?(?:[A-Z0-9]|•{1}))")
_BULLET = re.compile(r"\s*(?:[·*-]|•{1}|▪{1}|◦{1}|‣{1}|\d{1,2}[.)])\s+")
_QUOTE = re.compile(r"[“\"](?P<inner>[^“”\"\n]{25,1500})[”\"]")
_ASSERTS = re.compile(
    r"\b(?:improv\w*|reduc\w*|effective\w*|efficac\w*|safe(?:ly|ty)?|benefit\w*|promising|proven|prove[sd]?|"
    r"demonstrat\w*|shown|shows?|cure[sd]?|heal(?:s|ed|ing)?|repair\w*|restor\w*|halt\w*|stabili[sz]\w*|regenerat\w*|"
    r"relie[fv]\w*|better|lower(?:s|ed|ing)?|slow(?:s|ed|ing)?|increas\w*|decreas\w*|significant\w*|success\w*|"
    r"tolerat\w*|side effects?|"
    r"adverse|boost\w*|remission|effect\w*|works?|help\w*|delay\w*|prevent\w*|encouraging|compelling|"
    r"staggering|dramatic\w*|useful|non-?invasive|easily|painless|no (?:apparent )?(?:additional )?effect|"
    r"percent)\b|%", re.ASCII)
_THERAPY = re.compile(
    r"\b(?:stem|cells?|mscs?|msct|therap\w*|treat\w*|transplant\w*|injection\w*|infusion\w*|protocol|"
    r"product|procedure|study|trial|dose|patients?|participants|subjects|[a-z]+-mscs?)\b", re.ASCII)
_NOT_CLAIMS = re.compile(r"\b(?:disclaimer|not intended|consult|terms and conditions|privacy|cookies?|"
                        r"click here|subscribe|contact us|read more)\b", re.ASCII)

def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split one line into sentences."""
    spans = []
    at = start
    for match in _SENTENCE_END.finditer(text, start, end):
        spans.append((at, match.end()))
        at = match.end()
        while at < end and text[at] == " ":
            at += 1
    if at < end:
        spans.append((at, end))
    return spans


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Return a span without outer white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def find_claims(text: str, products: tuple[str, ...] = ()) -> list[ClaimSpan]:
    """Return the claims in page order; a sentence must assert something of the therapy (or a named product)."""
    found: list[ClaimSpan] = []
    # The quoted conclusions' offsets: a sentence that holds one is that conclusion, found already.
    quoted = bytearray(len(text))
    lower = lower_keeping_offsets(text)
    for match in _QUOTE.finditer(text):
        inner_start, inner_end = _trimmed(text, match.start("inner"), match.end("inner"))
        inner = lower[inner_start:inner_end]
        if len(inner.split()) >= 5 and _ASSERTS.search(inner):
            found.append(ClaimSpan(inner_start, inner_end, quoted=True))
            quoted[match.start():match.end()] = b"\x01" * (match.end() - match.start())
    start = 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if end - start < 12:  # too short to hold a claim: most such lines are empty
            start = end + 1
            continue
        bullet = _BULLET.match(text, start, end)
        line_start = bullet.end() if bullet else start
        for s, e in _sentences(text, line_start, end):
            s, e = _trimmed(text, s, e)
            if e - s < 12 or any(quoted[s:e]):
                continue
            said = lower[s:e]
            if len(said.split()) < 4 or said.endswith("?") or not _ASSERTS.search(said):
                continue
            if (_THERAPY.search(said) or any(p in text[s:e] for p in products)) and not _NOT_CLAIMS.search(said):
                found.append(ClaimSpan(s, e))
        start = end + 1
    return sorted(found, key=lambda c: c.start)
