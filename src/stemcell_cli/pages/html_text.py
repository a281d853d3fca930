"""The text a reader sees in an HTML page: tags read by one pattern, script, style and navigation dropped."""

# The standard library's HTMLParser took about 40% of checking a 100 KB page, and what it does with broken markup
# has changed between Python releases (comments, script ends). This reader tokenises the markup itself, the same
# way on every version: comments, declarations and processing instructions are dropped, script and style are raw
# text up to their own end tag, and only the attributes it needs (rel, href, hidden, aria-hidden) are read.

from __future__ import annotations

import re
from html import unescape

# Text a reader does not see as the page's own words.
SKIPPED = frozenset({"script", "style", "nav", "noscript", "template", "svg", "iframe", "object", "head"})
BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "main",
                    "header", "footer", "aside", "blockquote", "ul", "ol", "table", "dd", "dt", "hr", "figcaption",
                    "pre", "address", "title", "form", "fieldset", "details", "summary"})
VOID = frozenset({"br", "hr", "img", "meta", "link", "input"})
# Elements whose content is raw text up to their own end tag, never markup: the pattern of that end tag.
RAW_TEXT = {tag: re.compile(rf"</{tag}(?=[\t\n\r\f />])[^>]*(?:>|\Z)", re.IGNORECASE) for tag in ("script", "style")}
_MARKUP = re.compile(r"""
    <!--.*?(?:--!?>|\Z)                                   # a comment
  | <[!?][^>]*(?:>|\Z)                                    # a declaration or processing instruction
  | </(?P<end>[a-zA-Z][^\t\n\r\f />]*)[^>]*(?:>|\Z)       # an end tag
  | </[^a-zA-Z>][^>]*(?:>|\Z) | </>                       # a stray end (dropped)
  | <(?P<start>[a-zA-Z][^\t\n\r\f />]*)                   # a start tag: its name,
    (?P<attrs>(?:[^>"'=]+|=\s*"[^"]*"|=\s*'[^']*'|[="'])*)  # then attributes (a quoted value may hold `>`)
    (?:>|\Z)
""", re.DOTALL | re.VERBOSE)
# A `/` at the end of an unquoted value is the value's (`<a href=/>`), not the mark of a self-closing tag.
_UNQUOTED_END = re.compile(r"=\s*[^\s\"'>]*\Z")
_ATTRIBUTE = re.compile(r"""([^\s/>="']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]*))?""")
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_BLANKS = re.compile(r"\n{3,}")
_URL = re.compile(r"https?://[^\s<>\"]+")


def visible_text(html: str) -> tuple[str, str | None]:
    """Return the text of an HTML page (script, style and navigation dropped) and its canonical address."""
    reader = _TextReader()
    position = 0
    tokens = _MARKUP.finditer(html)
    while (found := next(tokens, None)) is not None:
        if found.start() > position:
            reader.data(html[position:found.start()])
        position = found.end()
        if found["end"] is not None:
            reader.end(found["end"].lower())
        elif found["start"] is not None:
            tag, attrs = found["start"].lower(), found["attrs"]
            reader.start(tag, attrs)
            if attrs.endswith("/") and not _UNQUOTED_END.search(attrs):
                reader.end(tag)  # `<br/>`: a start and an end
            elif tag in RAW_TEXT:
                after = RAW_TEXT[tag].search(html, position)
                position = after.end() if after is not None else len(html)
                reader.end(tag)
                tokens = _MARKUP.finditer(html, position)  # what looked like markup inside it is not
    if position < len(html):
        reader.data(html[position:])
    return reader.text(), reader.canonical


def attributes(text: str) -> dict[str, str]:
    """Return a start tag's attributes by lower-case name, values unquoted and unescaped (the first of a name wins)."""
    found: dict[str, str] = {}
    for name, value in _ATTRIBUTE.findall(text):
        if value[:1] in ("'", '"'):
            value = value[1:-1]
        found.setdefault(name.lower(), unescape(value))
    return found


class _TextReader:
    """HTML to the text a reader sees: script, style and navigation dropped, blocks on lines of their own."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.skipping: list[str] = []
        self.canonical: str | None = None

    def start(self, tag: str, attrs: str) -> None:
        """Open an element: start skipping, break a line, or mark a list item."""
        if tag == "link" and self.canonical is None:
            values = attributes(attrs)
            href = values.get("href") or ""
            if values.get("rel", "").lower() == "canonical" and _URL.fullmatch(href):
                self.canonical = href
        if tag == "body" and "head" in self.skipping:
            # A head left open ends where the body starts.
            self.skipping = [t for t in self.skipping if t != "head"]
        hidden = "hidden" in attrs.lower() and any(name == "hidden" or (name == "aria-hidden" and value == "true")
                                                   for name, value in attributes(attrs).items())
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

    def end(self, tag: str) -> None:
        """Close an element: stop skipping at the skipped element's own end tag."""
        if self.skipping:
            if tag in self.skipping:
                while self.skipping and self.skipping.pop() != tag:
                    pass
            return
        if tag in BLOCKS:
            self.parts.append("\n")

    def data(self, text: str) -> None:
        """Keep visible text, its character references resolved."""
        if not self.skipping:
            self.parts.append(unescape(text).replace("\r", " ").replace("\n", " "))

    def text(self) -> str:
        """Return the text with spaces collapsed and at most one blank line between blocks."""
        # The spaces collapsed are never line breaks: collapsing them in the whole text is collapsing them per line.
        lines = (line.strip() for line in _SPACES.sub(" ", "".join(self.parts)).split("\n"))
        return _BLANKS.sub("\n\n", "\n".join(lines))
