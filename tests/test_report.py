"""The report a medical writer shares, and every Markdown export, read back by a CommonMark/GFM parser (ring 3).

Every curated http(s) URL must come out as a link with the exact address, headings must never skip a level, hostile
text must stay text, and each JSON, Markdown and HTML output must name its data file, schema version and hash.
"""

from __future__ import annotations

import errno
import hashlib
import html.parser
import itertools
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest
from markdown_it import MarkdownIt

from stemcell_cli import __version__, api
from stemcell_cli.evidence.lookup import claims_of, studies_of
from stemcell_cli.render import OutputFormat, output, render
from stemcell_cli.render.labels import doi_url, pubmed_url
from stemcell_cli.render.links import split_links

from .conftest import FIXTURES, SHIPPED, run

HOSTILE = FIXTURES / "hostile_report.yaml"
EVIDENCE = api.load(SHIPPED)
CONDITIONS = [condition.id for condition in EVIDENCE.dataset.conditions]
PARSER = MarkdownIt("commonmark").enable("table")


def is_link(text: str) -> bool:
    """Tell whether a whole text is one http(s) URL, as curated."""
    return split_links(text) == [(text, True)]


def _strings(value: Any) -> Iterator[str]:
    """Yield every string in a tree of builtins."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _addresses(dataset: Any) -> set[str]:
    """Return every address a Markdown or HTML output may link: each curated URL, and the DOI and PubMed pages."""
    curated = {text for text in _strings(msgspec.to_builtins(dataset)) if is_link(text)}
    # A note may name a page in running text: the address, without the punctuation around it, is the data's too.
    curated |= {piece for text in _strings(msgspec.to_builtins(dataset)) for piece, link in split_links(text) if link}
    derived = {url for study in dataset.studies for url in (doi_url(study.doi.value), pubmed_url(study.pmid.value))
               if url is not None}
    return curated | derived


def _read(markdown: str) -> tuple[list[str], list[str], list[int]]:
    """Return the hrefs of every link, the text outside links and each heading's level, as a parser reads them."""
    hrefs: list[str] = []
    texts: list[str] = []
    levels: list[int] = []
    for token in PARSER.parse(markdown):
        if token.type == "heading_open":
            levels.append(int(token.tag[1]))
        depth = 0
        for child in token.children or []:
            if child.type == "link_open":
                hrefs.append(str(child.attrs["href"]))
                depth += 1
            elif child.type == "link_close":
                depth -= 1
            elif child.type == "text" and depth == 0:
                texts.append(child.content)
    return hrefs, texts, levels


def _check_links_and_headings(markdown: str, addresses: set[str]) -> list[str]:
    """Assert the Markdown links only curated addresses, leaves no URL as text and skips no heading; return hrefs."""
    hrefs, texts, levels = _read(markdown)
    allowed = {PARSER.normalizeLink(url) for url in addresses}
    assert set(hrefs) <= allowed, set(hrefs) - allowed
    # Each curated address the export shows is a link to exactly that address.
    shown = {url for url in addresses if is_link(url) and f"<{url}>" in markdown}
    assert {PARSER.normalizeLink(url) for url in shown} <= set(hrefs)
    unlinked = [text for text in texts if re.search(r"https?://\S", text)]
    assert not unlinked, unlinked
    assert levels[:1] == [1]
    assert all(later <= earlier + 1 for earlier, later in itertools.pairwise(levels)), levels
    return hrefs


def _report(condition: str, fmt: str, *args: str) -> str:
    """Return a condition's report from the real command line."""
    result = run(condition, "report", "--format", fmt, *args)
    assert (result.exit_code, result.stderr) == (0, ""), result.stderr
    return result.stdout


@pytest.mark.parametrize("condition", CONDITIONS)
def test_every_report_links_each_curated_url_exactly_and_skips_no_heading(condition: str) -> None:
    markdown = _report(condition, "markdown")
    hrefs = set(_check_links_and_headings(markdown, _addresses(EVIDENCE.dataset)))
    data = EVIDENCE.dataset
    found = EVIDENCE.report(condition)
    wanted = {page.url for page in found.summary.pages if page.url}
    wanted |= {url for issue in found.summary.issues for url in issue.src}
    wanted |= {url for trial in found.summary.trials_without_results for url in trial.src}
    wanted |= {url for study in studies_of(data, found.summary.condition) if (url := doi_url(study.doi.value))}
    wanted |= {url for study in studies_of(data, found.summary.condition) if (url := pubmed_url(study.pmid.value))}
    assert wanted
    assert {PARSER.normalizeLink(url) for url in wanted} <= hrefs
    # Every claim in full, and every study as a numbered reference.
    _, texts, _ = _read(markdown)
    text = " ".join(texts)
    for claim in claims_of(data, found.summary.condition):
        assert " ".join(claim.text.split()) in " ".join(text.split())
    assert len(re.findall(r"^\\\[\d+\\\] ", markdown, re.MULTILINE)) == len(found.references)


def test_the_report_has_its_parts_in_order() -> None:
    markdown = _report("lupus", "markdown")
    sections = re.findall(r"^## (.+)$", markdown, re.MULTILINE)
    assert sections == ["Clinic pages checked", "Bottom line", "Summary of Findings", "Claims", "Citation issues",
                        "Key evidence", "Trials without posted results", "Forest plots", "Methods", "References"]
    assert "Below 1: favours placebo or sham; above 1: favours MSC therapy." in markdown
    assert "| supports | \\[1\\] | Liu 2018 (systematic review/meta-analysis, n=?) |" in markdown
    assert re.search(r"^\\\[1\\\] Shuang LIU, .* DOI <https://doi\.org/10\.19723/j\.issn\.1671-167X\.2018\.06\.013>\.$",
                     markdown, re.MULTILINE)


def _exports(condition: str) -> Iterator[tuple[str, Any]]:
    """Yield every Markdown export of a condition with its name: each command, each study and each claim."""
    data = EVIDENCE.dataset
    found = EVIDENCE.condition(condition)
    yield "summary", EVIDENCE.summary(condition)
    yield "overview", EVIDENCE.overview(condition)
    yield "sof", EVIDENCE.sof(condition)
    yield "claims", EVIDENCE.claims(condition)
    yield "claims --explain", EVIDENCE.claims(condition, explain=True)
    yield "contrasts", EVIDENCE.contrasts(condition)
    yield "studies", EVIDENCE.studies(condition)
    yield "trials", EVIDENCE.trials(condition)
    yield "effects", EVIDENCE.effects(condition)
    for study in studies_of(data, found):
        yield f"study {study.id}", EVIDENCE.study(condition, study.id)
    for claim in claims_of(data, found):
        yield f"claim {claim.id}", EVIDENCE.claim(condition, claim.id)


@pytest.mark.parametrize("condition", CONDITIONS)
def test_every_markdown_export_links_its_urls_exactly_and_skips_no_heading(condition: str) -> None:
    addresses = _addresses(EVIDENCE.dataset)
    linked = 0
    exports = 0
    for name, result in _exports(condition):
        markdown = render(result, OutputFormat.MARKDOWN, provenance=EVIDENCE.provenance)
        try:
            linked += len(_check_links_and_headings(markdown, addresses))
        except AssertionError as exc:
            raise AssertionError(f"{condition} {name}: {exc}") from None
        exports += 1
    assert exports > 10
    assert linked > 50


def test_a_url_in_running_text_links_without_the_punctuation_after_it() -> None:
    markdown = render(EVIDENCE.study("lupus", "wang2018"), OutputFormat.MARKDOWN)
    hrefs, _, _ = _read(markdown)
    # The data writes "(... https://ard.bmj.com/content/76/Suppl_2/866.1)": the bracket closes the sentence's.
    assert "https://ard.bmj.com/content/76/Suppl_2/866.1" in hrefs
    assert not any("%5C" in href or href.endswith(")") for href in hrefs)


def test_a_report_is_the_same_bytes_on_every_run() -> None:
    first, second = _report("lupus", "html"), _report("lupus", "html")
    assert first == second
    assert not re.search(r"\b20\d\d-\d\d-\d\dT|\d\d:\d\d:\d\d", first)
    assert _report("lupus", "markdown") == _report("sle", "markdown")


class _Page(html.parser.HTMLParser):
    """Collect a page's tags, attributes and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "h3", "h4", "h5", "h6", "p",
                "a", "div", "table", "thead", "tbody", "tr", "th", "td", "figure", "figcaption", "svg", "desc", "line",
                "rect", "polygon", "text"}


def _page(markup: str) -> _Page:
    page = _Page()
    page.feed(markup)
    return page


def test_hostile_text_stays_text_in_the_html_report() -> None:
    result = run("gdg", "report", "--data", str(HOSTILE), "--format", "html")
    assert result.exit_code == 0, result.stderr
    page = _page(result.stdout)
    assert {tag for tag, _ in page.tags} <= ALLOWED_TAGS
    assert not [attrs for _, attrs in page.tags if any(name.startswith("on") for name in attrs)]
    hrefs = [attrs["href"] for tag, attrs in page.tags if tag == "a"]
    assert hrefs
    assert all(href in _addresses(api.load(HOSTILE).dataset) for href in hrefs)
    assert "https://example.org/page_(one)?a=1&b=2" in hrefs
    # The issue's URL in running text ends before the bracket that closes the sentence.
    assert "https://example.org/a_b_c&d=e" in hrefs
    text = "".join(page.text)
    assert '<script>document.title="pwned"</script>' in text
    assert "\"><img src=x onerror=\"document.title='pwned'\">" in text
    assert "[x](javascript:alert(1))" in text
    assert "\\x1b]52;c;cGF3bmVk\\x07" in text  # the terminal escape is shown, never passed on
    assert "\x1b" not in result.stdout
    csp = next(attrs["content"] for tag, attrs in page.tags
               if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy")
    assert csp is not None
    assert csp.startswith("default-src 'none'; style-src 'sha256-")
    assert "script" not in csp


def test_hostile_text_stays_text_in_the_markdown_report() -> None:
    result = run("gdg", "report", "--data", str(HOSTILE), "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    rendered = PARSER.render(result.stdout)
    assert not re.search(r"<(script|img|svg|iframe|b)\b", rendered)
    page = _page(rendered)
    hrefs = [attrs["href"] for tag, attrs in page.tags if tag == "a"]
    assert "https://example.org/page_(one)?a=1&b=2" in hrefs
    assert all(href and href.startswith("https://") for href in hrefs)
    _check_links_and_headings(result.stdout, _addresses(api.load(HOSTILE).dataset))
    # A pipe or a closing tag in a cell cannot break its table: every row keeps its columns.
    tokens = PARSER.parse(result.stdout)
    widths: list[int] = []
    for token in tokens:
        if token.type == "tr_open":
            widths.append(0)
        elif token.type in ("td_open", "th_open"):
            widths[-1] += 1
    assert 4 in widths
    assert 5 in widths
    text = "".join(page.text)
    assert "Cells reduce <img src=x onerror=alert(1)> pain | ## not a heading # nor this" in text
    assert "Pain fell </td></tr></table><script>document.title='pwned'</script> javascript:alert(1)" in text


@pytest.mark.parametrize(("args", "message"), [
    (["--format", "json"], "error: --format: 'json' is not one of 'markdown', 'html'"),
    (["-o", "{dir}/lupus.csv"], "lupus.csv: this command cannot write csv; its formats are markdown (.md, .markdown), "
                                "html (.html, .htm)\n"),
])
def test_a_report_is_markdown_or_html_only(tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = run("lupus", "report", *[arg.format(dir=out) for arg in args])
    assert (result.exit_code, result.stdout) == (2, "")
    assert message in result.stderr
    assert list(out.iterdir()) == []


def test_html_is_a_report_format_only(tmp_path: Path) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    result = run("lupus", "summary", "-o", str(tmp_path / "lupus.html"))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (f"error: --output {tmp_path / 'lupus.html'}: this command cannot write html; its formats "
                             "are table (.txt), json (.json), csv (.csv), markdown (.md, .markdown), tsv (.tsv)\n")
    assert list(tmp_path.iterdir()) == []


def test_the_output_file_extension_chooses_the_report_format(tmp_path: Path) -> None:
    assert run("lupus", "report", "-o", str(tmp_path / "r.html")).exit_code == 0
    assert run("lupus", "report", "-o", str(tmp_path / "r.md")).exit_code == 0
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>\n")
    assert (tmp_path / "r.md").read_text(encoding="utf-8") == _report("lupus", "markdown")
    assert run("lupus", "report").stdout == _report("lupus", "markdown")  # piped without --format: Markdown


@pytest.mark.parametrize("name", ["lupus.html", "lupus.md"])
def test_a_failed_report_output_leaves_no_partial_file(tmp_path: Path, name: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(output.os, "fsync", full_disk)
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    target = tmp_path / name
    result = run("lupus", "report", "-o", str(target))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"error: {target}: cannot write: {os.strerror(errno.ENOSPC)}\n"
    assert list(tmp_path.iterdir()) == []


# Provenance: in every JSON, Markdown and HTML output, never in CSV or TSV.

def _provenance(path: Path, name: str) -> dict[str, Any]:
    return {"version": __version__, "data": [{"file": name, "schema_version": 1,
                                              "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}]}


@pytest.mark.parametrize("command", [["conditions"], ["lupus", "summary"], ["lupus", "sof"], ["lupus", "claims"],
                                     ["lupus", "study", "deng2017"], ["lupus", "effects"], ["lupus", "trials"]])
def test_every_json_output_names_its_data_file_by_base_name_and_hash(command: list[str], tmp_path: Path) -> None:
    copy = tmp_path / "deep" / "mine.yaml"
    copy.parent.mkdir()
    copy.write_bytes(SHIPPED.read_bytes())
    result = run(*command, "--data", str(copy), "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert list(document)[:3] == ["schema", "version", "provenance"]
    assert document["provenance"] == _provenance(copy, "mine.yaml")
    assert str(tmp_path) not in result.stdout


def test_markdown_and_html_name_their_source_and_csv_stays_rectangular() -> None:
    digest = hashlib.sha256(SHIPPED.read_bytes()).hexdigest()
    line = f"Data: studies.yaml (schema version 1, SHA-256 {digest}). Made by stemcell-cli {__version__}."
    markdown = run("lupus", "summary", "--format", "markdown").stdout
    assert markdown.splitlines()[2] == line
    assert f'<p class="provenance">{line}</p>' in _report("lupus", "html")
    assert _report("lupus", "markdown").splitlines()[2] == markdown.splitlines()[2]
    for fmt in ("csv", "tsv"):
        text = run("lupus", "summary", "--format", fmt).stdout
        assert digest not in text
        assert "provenance" not in text


def test_standard_input_is_named_as_such() -> None:
    done = subprocess.run([sys.executable, "-m", "stemcell_cli", "conditions", "--data", "-", "--format", "json"],
                          input=SHIPPED.read_bytes(), capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["provenance"] == _provenance(SHIPPED, "<stdin>")


def test_validate_names_the_file_it_checked(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_bytes(b"schema_version: 1\nconditions: [\n")
    for path, version in ((SHIPPED, 1), (broken, None)):
        result = run("validate", str(path), "--format", "json")
        document = json.loads(result.stdout)
        assert document["provenance"] == {"version": __version__, "data": [
            {"file": path.name, "schema_version": version, "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}]}
    missing = run("validate", str(tmp_path / "none.yaml"), "--format", "json")
    assert json.loads(missing.stdout)["provenance"] == {"version": __version__, "data": []}


def test_an_ascii_only_stream_gets_the_html_with_character_references() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    done = subprocess.run([sys.executable, "-m", "stemcell_cli", "lupus", "report", "--format", "html"],
                          capture_output=True, timeout=120, check=False, env=env)
    assert (done.returncode, done.stderr) == (0, b"")
    page = done.stdout.decode("ascii")
    assert "&#8853;&#9711;&#9711;&#9711; very low" in page  # ⊕◯◯◯, as the UTF-8 page shows it
    assert _page(page).text == _page(_report("lupus", "html")).text


def test_the_html_report_hashes_its_style_without_hashlib() -> None:
    # hashlib loads OpenSSL (about 3 ms a run); the CSP's style hash uses the interpreter's own SHA-256.
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "stemcell_cli", "lupus", "report", "--format",
                           "html"], capture_output=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr.decode()
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.decode().splitlines() if "|" in line}
    assert "stemcell_cli.render.html_format" in imported
    assert "hashlib" not in imported
    assert "'sha256-" + base64_style_hash() + "'" in done.stdout.decode()


def base64_style_hash() -> str:
    """Return the style sheet's SHA-256 in base64, computed here by hashlib as a reference."""
    import base64

    from stemcell_cli.render.html_format import STYLE

    return base64.b64encode(hashlib.sha256(STYLE.encode("utf-8")).digest()).decode("ascii")
