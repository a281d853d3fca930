"""Which text becomes a link in Markdown and HTML: an http(s) URL as the data writes it, and nothing else (ring 2)."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from stemcell_cli.render.blocks import Document, Paragraph, Table
from stemcell_cli.render.html_format import to_html
from stemcell_cli.render.links import split_links
from stemcell_cli.render.markdown_format import to_markdown


@pytest.mark.parametrize(("text", "pieces"), [
    ("see https://example.org/a_b?x=1&y=2.", [("see ", False), ("https://example.org/a_b?x=1&y=2", True),
                                              (".", False)]),
    ("(https://en.wikipedia.org/wiki/Lupus_(disease))", [("(", False), ("https://en.wikipedia.org/wiki/Lupus_(disease)",
                                                                        True), (")", False)]),
    ("HTTP://EXAMPLE.ORG/X;", [("HTTP://EXAMPLE.ORG/X", True), (";", False)]),
    ("https://example.org/doc/type-1-dia... (cut)", [("https://example.org/doc/type-1-dia...", True),
                                                     (" (cut)", False)]),
    ("https://example.org/doc/type-1-dia...: a mirror", [("https://example.org/doc/type-1-dia...", True),
                                                         (": a mirror", False)]),
    ("javascript:alert(1) ftp://example.org data:text/html,x http://", [
        ("javascript:alert(1) ftp://example.org data:text/html,x http://", False)]),
    ("https://example.org/\x1b]52;c;x\x07", [("https://example.org/", True), ("\x1b]52;c;x\x07", False)]),
    ('https://example.org/"onmouseover="alert(1)', [("https://example.org/", True),
                                                    ('"onmouseover="alert(1)', False)]),
])
def test_only_http_and_https_urls_are_links(text: str, pieces: list[tuple[str, bool]]) -> None:
    assert split_links(text) == pieces


HOSTILE = ('<a href="javascript:alert(1)">x</a> [y](javascript:alert(1)) <https://example.org/ok> '
           'https://example.org/q?a=1&b=<2> javascript:alert(1)')


def test_html_links_only_the_http_urls_and_escapes_the_rest() -> None:
    page = to_html(Document("T", (Paragraph(HOSTILE), Table(("A",), ((HOSTILE,),)))))
    body = page.split("<main>")[1]
    assert body.count("<a ") == 4  # two URLs, in the paragraph and in the cell
    assert body.count('<a href="https://example.org/ok" rel="noreferrer">https://example.org/ok</a>') == 2
    assert body.count('<a href="https://example.org/q?a=1&amp;b=" rel="noreferrer">') == 2
    assert "&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;" in body
    assert 'href="javascript' not in body


def test_markdown_links_only_the_http_urls_and_escapes_the_rest() -> None:
    markdown = to_markdown(Document("T", (Paragraph(HOSTILE), Table(("A",), ((HOSTILE,),)))))
    rendered = MarkdownIt("commonmark").enable("table").render(markdown)
    assert rendered.count("<a ") == 4
    assert rendered.count('<a href="https://example.org/ok">https://example.org/ok</a>') == 2
    assert 'href="javascript' not in rendered
    assert "[y](javascript:alert(1))" in rendered


def test_a_pipe_in_a_url_stays_in_its_table_cell() -> None:
    markdown = to_markdown(Document("T", (Table(("A", "B"), (("https://example.org/a|b", "next"),)),)))
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    cells = [t for t in tokens if t.type == "td_open"]
    assert len(cells) == 2
    links = [c.attrs["href"] for t in tokens for c in t.children or [] if c.type == "link_open"]
    assert links == ["https://example.org/a%7Cb"]  # the parser's own encoding of the curated "a|b"
