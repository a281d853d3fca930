"""Reading a saved page: encodings (BOM, the HTML's declaration, UTF-8, Latin-1), HTML to the text a reader sees."""

from __future__ import annotations

import pytest

from stemcell_cli.errors import PageError
from stemcell_cli.pages.reading import page_from_bytes


def test_a_utf_16_page_with_a_bom_is_read_by_its_bom() -> None:
    page = page_from_bytes("Lupus – café\n".encode("utf-16"), "p")
    assert (page.text, page.warnings) == ("Lupus – café", ())


def test_a_utf_8_bom_is_not_part_of_the_text() -> None:
    assert page_from_bytes(b"\xef\xbb\xbfLupus\n", "p").text == "Lupus"


def test_the_html_declaration_names_the_encoding() -> None:
    raw = '<html><head><meta charset="windows-1252"></head><body><p>Caf\u00e9 \u201cMSC\u201d</p></body></html>'
    page = page_from_bytes(raw.encode("cp1252"), "p")
    assert (page.text, page.warnings) == ("Café “MSC”", ())


def test_a_declaration_that_lies_falls_back_with_a_warning() -> None:
    raw = '<html><head><meta charset="utf-8"></head><body><p>Caf\u00e9</p></body></html>'.encode("latin-1")
    page = page_from_bytes(raw, "p")
    assert page.text == "Café"
    assert page.warnings == ("p: the page declares utf-8 but is not written in it; read as UTF-8 or Latin-1 instead",
                             "p: not UTF-8 (byte 54); read as Latin-1, so some characters may be wrong")


def test_script_style_navigation_and_hidden_text_are_not_page_text() -> None:
    raw = (b"<!DOCTYPE html><html><head><title>T</title><style>p{}</style></head><body>"
           b"<nav><a>Home</a><nav><a>Inner</a></nav><a>More</a></nav><script>var a='Deng, D 2017'</script>"
           b"<p hidden>Hidden</p><div aria-hidden=\"true\">Also hidden</div><h1>Lupus</h1>"
           b"<ul><li>One &amp; two</li><li>Three<br>four</li></ul><noscript>No script</noscript></body></html>")
    assert page_from_bytes(raw, "p").text == "Lupus\n\n• One & two\n\n• Three\nfour"


def test_an_unclosed_head_ends_at_the_body() -> None:
    assert page_from_bytes(b"<html><head><title>T</title><body><p>Lupus text</p>", "p").text == "Lupus text"


def test_deeply_nested_html_is_read() -> None:
    raw = b"<html><body>" + b"<div>" * 100_000 + b"Lupus" + b"</div>" * 100_000 + b"</body></html>"
    assert page_from_bytes(raw, "p").text == "Lupus"


def test_the_canonical_link_and_a_first_url_line_give_the_address() -> None:
    raw = b'<html><head><link rel="canonical" href="https://clinic.example/a"></head><body><p>Lupus</p></body></html>'
    assert page_from_bytes(raw, "p").url == "https://clinic.example/a"
    first = page_from_bytes(b"https://clinic.example/b\n" + raw, "p")
    assert (first.url, first.text) == ("https://clinic.example/b", "Lupus")


@pytest.mark.parametrize(("raw", "message"), [
    (b"", "p: is empty; give a saved page (text, Markdown or HTML)"),
    (b"\x00\x01\x02binary", "p: is a binary file, not a page (text, Markdown or HTML)"),
    (b"<html><head><script>only</script></head></html>", "p: has no text a reader would see (only markup, scripts "
                                                          "or styles)"),
])
def test_pages_with_no_text_are_refused(raw: bytes, message: str) -> None:
    with pytest.raises(PageError) as refused:
        page_from_bytes(raw, "p")
    assert str(refused.value) == message
