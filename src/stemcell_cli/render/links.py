"""Find the http(s) URLs in text from the data, so that Markdown and HTML link exactly those and nothing else."""

from __future__ import annotations

import re

# A URL runs to white space, a control character, or a character that would end it in HTML or Markdown (`<`, `>`,
# `"`); a backslash ends it too, as control characters escaped for display (`\x1b`) begin with one.
_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f-\x9f<>\"\\]+", re.IGNORECASE)
# Punctuation that ends a sentence, not a URL (GFM's autolink rule); a closing bracket only when unbalanced.
_TRAILING = ".,;:!?'*_~"
_PAIRS = {")": "(", "]": "["}


def _trimmed(url: str) -> str:
    """Return a URL found in running text without the punctuation after it."""
    # An address cut short is written with an ellipsis, as a site printed it; a sentence never ends in two dots.
    while url and not url.endswith(".."):
        last = url[-1]
        if last in _TRAILING or (last in _PAIRS and url.count(last) > url.count(_PAIRS[last])):
            url = url[:-1]
        else:
            break
    return url


def split_links(text: str) -> list[tuple[str, bool]]:
    """Return text as pieces in order, each marked True where it is an http(s) URL to link."""
    pieces: list[tuple[str, bool]] = []
    start = 0
    for match in _URL.finditer(text):
        url = _trimmed(match.group())
        # A scheme alone ("http://") links nowhere.
        if len(url) <= len(url.split("//", 1)[0]) + 2:
            continue
        if match.start() > start:
            pieces.append((text[start:match.start()], False))
        pieces.append((url, True))
        start = match.start() + len(url)
    if start < len(text):
        pieces.append((text[start:], False))
    return pieces

