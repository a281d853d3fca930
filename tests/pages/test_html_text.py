"""The page reader's own tokeniser gives the text the standard library's HTML parser gives, on well-formed markup.

The reference below is the reader as it was written on `html.parser` (Python 3.11's behaviour): the two must agree
on every page of markup that is well formed, generated or real. Where they may differ is broken markup (an
unterminated tag or comment at the end) and a repeated attribute, where the new reader follows the HTML standard
(the first value counts), as browsers do; those cases are pinned by exact expectations instead.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from stemcell_cli.pages.html_text import BLOCKS, SKIPPED, VOID, visible_text

_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_BLANKS = re.compile(r"\n{3,}")
_URL = re.compile(r"https?://[^\s<>\"]+")
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


class _Reference(HTMLParser):
    """The reader on the standard library's parser, as it was before the tokeniser replaced it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []
        self.canonical: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "link" and self.canonical is None:
            values = dict(attrs)
            href = values.get("href") or ""
            if (values.get("rel") or "").lower() == "canonical" and _URL.fullmatch(href):
                self.canonical = href
        if tag == "body" and "head" in self.skipping:
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
        if self.skipping:
            if tag in self.skipping:
                while self.skipping and self.skipping.pop() != tag:
                    pass
            return
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data.replace("\r", " ").replace("\n", " "))


def reference_text(html: str) -> tuple[str, str | None]:
    """Return what the reader on html.parser returned."""
    reader = _Reference()
    reader.feed(html)
    reader.close()
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(reader.parts).split("\n"))
    return _BLANKS.sub("\n\n", "\n".join(lines)), reader.canonical


TAGS = ["p", "div", "br", "li", "ul", "span", "a", "b", "nav", "head", "body", "title", "h2", "td", "tr", "img",
        "svg", "section", "noscript"]
ATTRIBUTES = ['class="x"', "class='a > b'", 'hidden', 'aria-hidden="true"', 'aria-hidden="false"', "id=plain",
              'title="Deng &amp; Wang"', 'data-x="</p>"', 'HIDDEN', 'style="color:red"']
TEXTS = ["Deng 2017 found no benefit", " ", "\n", "MSC &amp; lupus", "5 &lt; 6", "&eacute;t&eacute;", "a\r\nb",
         "café", "&#8212;", "x > y", "• item", "&nbsp;", "&amp"]


@st.composite
def _tag(draw: st.DrawFn) -> str:
    """Return a start, end or self-closing tag with attributes, a comment, a script or a text run."""
    kind = draw(st.sampled_from(["start", "end", "self", "comment", "script", "text", "text", "link"]))
    name = draw(st.sampled_from(TAGS))
    # Each name once: a repeated attribute is where the two readers differ on purpose (see below).
    attrs = draw(st.lists(st.sampled_from(ATTRIBUTES), max_size=3, unique_by=lambda a: a.split("=")[0].lower()))
    shown = "".join(f" {a}" for a in attrs)
    if kind == "start":
        return f"<{draw(st.sampled_from([name, name.upper()]))}{shown}>"
    if kind == "end":
        return f"</{name}>"
    if kind == "self":
        return f"<{name}{shown}/>"
    if kind == "comment":
        return f"<!-- {draw(st.sampled_from(TEXTS))} <p> -->"
    if kind == "script":
        tag = draw(st.sampled_from(["script", "style", "SCRIPT"]))
        return f"<{tag}>if (a < b && c > d) {{ x = '</p>'; }}</{tag}>"
    if kind == "link":
        return draw(st.sampled_from(['<link rel="canonical" href="https://clinic.example/sle">',
                                     "<link rel='CANONICAL' href='http://a.example/x?a=1&amp;b=2'>",
                                     '<link rel="stylesheet" href="https://a.example/s.css">']))
    return draw(st.sampled_from(TEXTS))


@settings(max_examples=400, deadline=None)
@given(st.lists(_tag(), max_size=40))
def test_generated_well_formed_markup_reads_as_html_parser_read_it(pieces: list[str]) -> None:
    html = "".join(pieces)
    assert visible_text(html) == reference_text(html)


def test_the_shipped_lupus_page_and_the_hostile_fixtures_read_as_before() -> None:
    pages = [path for path in FIXTURES.rglob("*") if path.suffix in {".html", ".htm", ".txt", ".md"}]
    assert len(pages) >= 14
    for path in pages:
        html = path.read_text(encoding="utf-8", errors="replace")
        assert visible_text(html) == reference_text(html), path.name


def test_a_page_of_the_benchmarks_size_reads_as_before() -> None:
    rows = "".join(f'<tr><td class="c{i}">Study {i} &amp; follow-up</td><td>{i * 3}</td></tr>' for i in range(800))
    html = (f"<!DOCTYPE html><html><head><title>SLE</title><style>.a > b {{}}</style></head><body><nav>Menu</nav>"
            f"<script>var s = '<div>';</script><table>{rows}</table><p hidden>secret</p><ul><li>one<li>two</ul>"
            "</body></html>")
    assert visible_text(html) == reference_text(html)
    assert "Study 799 & follow-up" in visible_text(html)[0]


def test_what_looks_like_markup_inside_a_script_or_style_is_not() -> None:
    for html in ("<script>if (a <!-- b) x();</script><p>after</p>", "<style>/* <p title='</style> */</style>seen",
                 "<script>document.write('<a href=\"x\">');</script>text<!-- c --> more"):
        assert visible_text(html) == reference_text(html), html
    assert visible_text("<script>if (a <!-- b) x();</script><p>after</p>") == ("\nafter\n", None)


def test_where_the_reader_departs_from_html_parser_it_follows_the_html_standard() -> None:
    # A repeated attribute: the first value counts, as in a browser.
    assert visible_text('<b aria-hidden="false" aria-hidden="true">seen</b>') == ("seen", None)
    assert visible_text('<link rel="canonical" href="https://a.example/1" href="https://b.example/2">') == (
        "", "https://a.example/1")
    # A tag or comment left open at the end of the page hides the rest, and script runs to the end unclosed.
    assert visible_text("before <a href='x") == ("before", None)
    assert visible_text("before <!-- never closed <p>hidden") == ("before", None)
    assert visible_text("before<script>x = 1; <p>not text") == ("before", None)
    # A `/` that ends an unquoted value is the value's; after a name or a quote it closes the tag.
    assert visible_text("<br id=x/>a<br/>b<br hidden/>c") == ("\na\n\nb\n\nc", None)
    assert visible_text("<br id=x/>a<br/>b<br hidden/>c") == reference_text("<br id=x/>a<br/>b<br hidden/>c")
    # A `<` that starts no markup is text.
    assert visible_text("3 < 4 and <= 5, </ 6") == ("3 < 4 and <= 5,", None)
