"""Each shipped condition's HTML report, and a checked page's HTML, opened in headless Chromium (ring 3).

One Chromium run per page prints the DOM after load (`--dump-dom`), takes a screenshot at a phone's width
(`--screenshot`) and logs the page's console to stderr (`--enable-logging=stderr --v=0`, lines tagged `CONSOLE`).
These switches rather than the DevTools protocol: they need no websocket client and no port, and a run is one
process that ends by itself. The report has no script, so any console line at all (a blocked style, a
Content-Security-Policy violation, a script the data smuggled in) is a failure; a control page proves that the
capture sees such a line. `.ci/run` installs Debian's `chromium` when it is missing.
"""

from __future__ import annotations

import html.parser
import shutil
import struct
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from stemcell_cli import api
from stemcell_cli.evidence.lookup import claims_of

from .conftest import FIXTURES, SHIPPED, run

HOSTILE = FIXTURES / "hostile_report.yaml"
EVIDENCE = api.load(SHIPPED)
CONDITIONS = [condition.id for condition in EVIDENCE.dataset.conditions]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = "--window-size=412,900"


def _chromium() -> str:
    """Return the browser to run; its absence fails the test, as a report never opened is not tested."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "Chromium is needed for the browser tests: `apt-get install chromium` (.ci/run installs it)"
    return found


@dataclass
class Opened:
    """What a page gave in the browser: its DOM after load, its screenshot and its console lines."""

    dom: str
    screenshot: bytes
    console: list[str]


def _open(page: Path, tmp_path: Path) -> Opened:
    """Open a page in headless Chromium with a fresh profile; return its DOM, screenshot and console lines."""
    profile = tmp_path / f"profile-{page.stem}"
    shot = tmp_path / f"{page.stem}.png"
    done = subprocess.run([_chromium(), *FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
                           PHONE, f"--screenshot={shot}", "--dump-dom", page.as_uri()],
                          capture_output=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    console = [line for line in done.stderr.decode(errors="replace").splitlines() if ":CONSOLE" in line]
    return Opened(done.stdout.decode("utf-8"), shot.read_bytes(), console)


def _pixels(png: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB or RGBA PNG (what Chromium writes): width, height and each row's unfiltered bytes."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    offset, chunks, header = 8, [], b""
    while offset < len(png):
        length, kind = struct.unpack(">I4s", png[offset:offset + 8])
        body = png[offset + 8:offset + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        offset += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert (depth, colour in (2, 6), interlace) == (8, True, 0)
    step = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * step
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - step] if i >= step else 0
            up = previous[i]
            corner = previous[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                guess = left + up - corner
                near = min((abs(guess - left), 0, left), (abs(guess - up), 1, up), (abs(guess - corner), 2, corner))
                line[i] = (line[i] + near[2]) & 0xFF
        rows.append(bytes(line if step == 3 else b"".join(bytes(line[i:i + 3]) for i in range(0, stride, 4))))
        previous = line
    return width, height, rows


def _inked_share(png: bytes) -> float:
    """Return the share of pixels that are not white."""
    width, height, rows = _pixels(png)
    inked = sum(1 for row in rows for i in range(0, width * 3, 3) if row[i:i + 3] != b"\xff\xff\xff")
    return inked / (width * height)


class _Dom(html.parser.HTMLParser):
    """Collect the elements and the text of a DOM."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []
        self.title: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_title = tag == "title" and "svg" not in self.tags
        if any(name.startswith("on") for name, _ in attrs):
            self.tags.append("event-handler")

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        (self.title if self._in_title else self.text).append(data)


def _dom(markup: str) -> _Dom:
    parsed = _Dom()
    parsed.feed(markup)
    return parsed


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_console_capture_sees_a_page_that_breaks_its_policy(tmp_path: Path) -> None:
    page = tmp_path / "control.html"
    page.write_text('<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" '
                    "content=\"default-src 'none'\"><title>control</title></head><body><p>text</p>"
                    '<script>document.title="ran"</script></body></html>', encoding="utf-8")
    opened = _open(page, tmp_path)
    assert len(opened.console) == 1
    assert "Content Security Policy" in opened.console[0]
    assert _dom(opened.dom).title == ["control"]  # the policy stopped the script


@pytest.mark.parametrize("condition", CONDITIONS)
def test_each_report_renders_with_every_claim_and_no_console_message(condition: str, tmp_path: Path) -> None:
    page = tmp_path / f"{condition}.html"
    result = run(condition, "report", "-o", str(page))
    assert (result.exit_code, result.stderr) == (0, "")
    opened = _open(page, tmp_path)
    assert opened.console == []
    assert _inked_share(opened.screenshot) > 0.02
    dom = _dom(opened.dom)
    assert "script" not in dom.tags
    assert "event-handler" not in dom.tags
    assert dom.tags.count("svg") == len(EVIDENCE.report(condition).sof.rows) - sum(
        row.estimate is None for row in EVIDENCE.report(condition).sof.rows)
    text = _flat(" ".join(dom.text))
    for claim in claims_of(EVIDENCE.dataset, EVIDENCE.condition(condition)):
        assert _flat(claim.text) in text, claim.id


def test_hostile_data_never_runs_in_the_browser(tmp_path: Path) -> None:
    page = tmp_path / "hostile.html"
    result = run("gdg", "report", "--data", str(HOSTILE), "-o", str(page))
    assert result.exit_code == 0, result.stderr
    opened = _open(page, tmp_path)
    assert opened.console == []
    dom = _dom(opened.dom)
    expected_title = ('Gadgetitis <script>document.title="pwned"</script>: what the curated evidence shows about '
                      "the clinic pages' claims")
    assert dom.title == [expected_title]
    assert not {"script", "img", "iframe", "b", "event-handler"} & set(dom.tags)
    text = _flat(" ".join(dom.text))
    assert "Cells reduce <img src=x onerror=alert(1)> pain | ## not a heading # nor this" in text
    assert "Demo page \"><img src=x onerror=\"document.title='pwned'\">" in text
    assert _inked_share(opened.screenshot) > 0.02


def test_a_checked_page_opens_in_the_browser_with_its_hostile_text_inert(tmp_path: Path) -> None:
    saved = tmp_path / "page.txt"
    saved.write_text("https://clinic.example/sle\n"
                     'Systemic lupus erythematosus (SLE) <script>document.title="pwned"</script> and stem cells.\n'
                     "IV MSC therapy improved the SLEDAI score (Deng 2017). <img src=x onerror=alert(1)>\n",
                     encoding="utf-8")
    page = tmp_path / "checked.html"
    result = run("check", str(saved), "-o", str(page))
    assert (result.exit_code, result.stderr) == (0, "")
    opened = _open(page, tmp_path)
    assert opened.console == []  # its style sheet is admitted by the policy, and nothing else asks to run
    dom = _dom(opened.dom)
    assert dom.title == ["Page check: https://clinic.example/sle"]
    assert not {"script", "img", "event-handler"} & set(dom.tags)
    assert "mark" in dom.tags
    text = _flat(" ".join(dom.text))
    assert 'Systemic lupus erythematosus (SLE) <script>document.title="pwned"</script> and stem cells.' in text
    assert "<img src=x onerror=alert(1)>" in text
    assert _inked_share(opened.screenshot) > 0.02
