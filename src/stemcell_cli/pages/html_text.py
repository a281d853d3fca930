"""The text a reader sees in an HTML page, read with the standard library's HTML parser."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Text a reader does not see as the page's own words.
SKIPPED = frozenset({"script", "style", "nav", "noscript", "template", "svg", "iframe", "object", "head"})
BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "main",
                    "header", "footer", "aside", "blockquote", "ul", "ol", "table", "dd", "dt", "hr", "figcaption",
                    "pre", "address", "title", "form", "fieldset", "details", "summary"})
VOID = frozenset({"br", "hr", "img", "meta", "link", "input"})
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_BLANKS = re.compile(r"\n{3,}")
_URL = re.compile(r"https?://[^\s<>\"]+")


def visible_text(html: str) -> tuple[str, str | None]:
    """Return the text of an HTML page (script, style and navigation dropped) and its canonical address."""
    reader = _TextReader()
    reader.feed(html)
    reader.close()
    return reader.text(), reader.canonical


class _TextReader(HTMLParser):
    """HTML to the text a reader sees: script, style and navigation dropped, blocks on lines of their own."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []
        self.canonical: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open an element: start skipping, break a line, or mark a list item."""
        if tag == "link" and self.canonical is None:
            values = dict(attrs)
            href = values.get("href") or ""
            if (values.get("rel") or "").lower() == "canonical" and _URL.fullmatch(href):
                self.canonical = href
        if tag == "body" and "head" in self.skipping:
            # A head left open ends where the body starts.
            self.skipping = [t for t in self.skipping if t != "head"]
        hidden = any(name == "hidden" or (name == "aria-hidden" and value == "true") for name, value in attrs)
        if tag in SKIPPED or (hidden and tag not in VOID):
            if tag not in VOID:
                self.skipping.append(tag)
            return
        if self.skipping:
            return
        if tag in BLOCKS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("• ")

    def handle_endtag(self, tag: str) -> None:
        """Close an element: stop skipping at the skipped element's own end tag."""
        if self.skipping:
            if tag in self.skipping:
                while self.skipping and self.skipping.pop() != tag:
                    pass
            return
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        """Keep visible text."""
        if not self.skipping:
            self.parts.append(data.replace("\r", " ").replace("\n", " "))

    def text(self) -> str:
        """Return the text with spaces collapsed and at most one blank line between blocks."""
        lines = (_SPACES.sub(" ", line).strip() for line in "".join(self.parts).split("\n"))
        return _BLANKS.sub("\n\n", "\n".join(lines))
