"""Find the claims on a page: sentences and bullets that assert benefit, safety or a number, and quoted conclusions."""

from __future__ import annotations

import re

from stemcell_cli.pages.records import ClaimSpan

# Linear patterns only (see citations.py).
_SENTENCE_END = re.compile(r"[.!?](?=[\"”’)]?\s+[\"“(]?[A-Z0-9•])")
_BULLET = re.compile(r"\s*(?:[•·▪◦‣*-]|\d{1,2}[.)])\s+")
_QUOTE = re.compile(r"[“\"](?P<inner>[^“”\"\n]{25,1500})[”\"]")
ASSERTS = re.compile(
    r"\b(?:improv\w*|reduc\w*|effective\w*|efficac\w*|safe(?:ly|ty)?|benefit\w*|promising|proven|prove[sd]?|"
    r"demonstrat\w*|shown|shows?|cure[sd]?|heal(?:s|ed|ing)?|repair\w*|restor\w*|halt\w*|stabili[sz]\w*|regenerat\w*|"
    r"relie[fv]\w*|better|lower(?:s|ed|ing)?|slow(?:s|ed|ing)?|increas\w*|decreas\w*|significant\w*|success\w*|"
    r"tolerat\w*|side effects?|"
    r"adverse|boost\w*|remission|effect\w*|works?|help\w*|delay\w*|prevent\w*|encouraging|compelling|"
    r"staggering|dramatic\w*|useful|non-?invasive|easily|painless|no (?:apparent )?(?:additional )?effect|"
    r"percent)\b|%", re.IGNORECASE | re.ASCII)
THERAPY = re.compile(
    r"\b(?:stem|cells?|MSCs?|MSCT|therap\w*|treat\w*|transplant\w*|injection\w*|infusion\w*|protocol|"
    r"product|procedure|study|trial|dose|patients?|participants|subjects|[A-Za-z]+-MSCs?)\b", re.IGNORECASE | re.ASCII)
NOT_CLAIMS = re.compile(r"\b(?:disclaimer|not intended|consult|terms and conditions|privacy|cookies?|"
                        r"click here|subscribe|contact us|read more)\b", re.IGNORECASE | re.ASCII)


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
    for match in _QUOTE.finditer(text):
        inner_start, inner_end = _trimmed(text, match.start("inner"), match.end("inner"))
        inner = text[inner_start:inner_end]
        if len(inner.split()) >= 5 and ASSERTS.search(inner):
            found.append(ClaimSpan(inner_start, inner_end, quoted=True))
            quoted[match.start():match.end()] = b"\x01" * (match.end() - match.start())
    start = 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        bullet = _BULLET.match(text, start, end)
        line_start = bullet.end() if bullet else start
        for s, e in _sentences(text, line_start, end):
            s, e = _trimmed(text, s, e)
            if e - s < 12 or any(quoted[s:e]):
                continue
            sentence = text[s:e]
            if len(sentence.split()) < 4 or NOT_CLAIMS.search(sentence) or sentence.endswith("?"):
                continue
            if ASSERTS.search(sentence) and (THERAPY.search(sentence) or any(p in sentence for p in products)):
                found.append(ClaimSpan(s, e))
        start = end + 1
    return sorted(found, key=lambda c: c.start)
