"""Read a saved page (text, Markdown or HTML; a file or standard input) into plain text with its address."""

from __future__ import annotations

import os
import re
import stat
import sys

from stemcell_cli.errors import PageError
from stemcell_cli.pages.records import PageText

MAX_BYTES = 20 * 1024 * 1024
STDIN_NAME = "-"
# A page's first line may be its address alone.
_URL_LINE = re.compile(r"[ \t]*(https?://[^\s<>\"]+)[ \t]*\r?\n")
_HTML_START = re.compile(r"\s*<(?:!doctype\s+html|html|head|body|meta|title|div|p|article|section|main|h[1-6]|ul|ol|"
                         r"table|span|a|!--)[\s>/]", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})", re.IGNORECASE)
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xef\xbb\xbf", "utf-8-sig"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
# Controls that never occur in a page's text; many of them mean a binary file.
_BINARY = frozenset(range(0, 9)) | {11, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 28, 29, 30, 31}


def read_page(name: str) -> PageText:
    """Return the page a path (or `-`, standard input) names as text; unreadable pages raise PageError."""
    raw = _read_stdin() if name == STDIN_NAME else _read_file(name)
    label = "<stdin>" if name == STDIN_NAME else name
    return page_from_bytes(raw, label)


def page_from_bytes(raw: bytes, label: str) -> PageText:
    """Return a page's text from its bytes: encoding from a BOM or the HTML's declaration, else UTF-8 or Latin-1."""
    if len(raw) > MAX_BYTES:
        raise PageError(label, f"is larger than the 20 MB a page may have ({len(raw):,} bytes)")
    if not raw.strip():
        raise PageError(label, "is empty; give a saved page (text, Markdown or HTML)")
    warnings: list[str] = []
    text = _decode(raw, label, warnings)
    if _binary(text):
        raise PageError(label, "is a binary file, not a page (text, Markdown or HTML)")
    url: str | None = None
    first = _URL_LINE.match(text)
    if first is not None:
        url, text = first.group(1), text[first.end():]
    if _HTML_START.match(text):
        from stemcell_cli.pages.html_text import visible_text  # only HTML pages pay for the parser's import

        text, canonical = visible_text(text)
        url = url if url is not None else canonical
    else:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.strip("\n")
    if not text.strip():
        raise PageError(label, "has no text a reader would see (only markup, scripts or styles)")
    return PageText(label, url, text, tuple(warnings))


def _read_stdin() -> bytes:
    """Return standard input's bytes, refusing a terminal and more than the limit."""
    stream = sys.stdin
    if stream is None or stream.isatty():
        raise PageError("<stdin>", "is a terminal; pipe or redirect a saved page into it, or name a file")
    raw: bytes = stream.buffer.read(MAX_BYTES + 1)
    return raw


def _read_file(name: str) -> bytes:
    """Return a file's bytes; a directory, special file, missing file or one over the limit raises PageError."""
    try:
        info = os.stat(name)
    except OSError as exc:
        raise PageError(name, f"cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise PageError(name, "is a directory; give a saved page (text, Markdown or HTML)")
    if not stat.S_ISREG(info.st_mode):
        raise PageError(name, "is not a regular file (a device, FIFO or socket)")
    if info.st_size > MAX_BYTES:
        raise PageError(name, f"is larger than the 20 MB a page may have ({info.st_size:,} bytes)")
    try:
        with open(name, "rb") as stream:
            return stream.read(MAX_BYTES + 1)
    except OSError as exc:
        raise PageError(name, f"cannot read: {exc.strerror or exc}") from None


def _decode(raw: bytes, label: str, warnings: list[str]) -> str:
    """Decode by BOM, then by the HTML's own declaration, then as UTF-8, then as Latin-1 with a warning."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError:
                raise PageError(label, f"starts with a {codec.upper()} byte-order mark but is not {codec.upper()}"
                                ) from None
    if b"\x00" in raw[:4096]:
        raise PageError(label, "is a binary file, not a page (text, Markdown or HTML)")
    declared = _META_CHARSET.search(raw[:4096])
    if declared is not None:
        named = _codec(declared.group(1).decode("ascii"))
        if named is not None:
            try:
                return raw.decode(named)
            except UnicodeDecodeError:
                warnings.append(f"{label}: the page declares {declared.group(1).decode('ascii')} but is not "
                                "written in it; read as UTF-8 or Latin-1 instead")
        else:
            warnings.append(f"{label}: the page declares an unknown encoding; read as UTF-8 or Latin-1 instead")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        warnings.append(f"{label}: not UTF-8 (byte {exc.start + 1}); read as Latin-1, so some characters may be "
                        "wrong")
        return raw.decode("latin-1")


def _codec(name: str) -> str | None:
    """Return the Python codec a declared charset names, or None when there is none."""
    import codecs

    try:
        found = codecs.lookup(name).name
    except LookupError:
        return None
    # HTML's rule: a page that declares UTF-16 in ASCII bytes is really UTF-8; Latin-1 means windows-1252.
    if found.startswith("utf-16") or found.startswith("utf-32"):
        return "utf-8"
    return "cp1252" if found in {"latin-1", "iso8859-1"} else found


def _binary(text: str) -> bool:
    """Tell whether decoded text holds controls that only a binary file has (NUL, or many others)."""
    sample = text[:65536]
    if "\x00" in sample:
        return True
    odd = sum(1 for char in sample if ord(char) in _BINARY)
    return odd > max(8, len(sample) // 100)
