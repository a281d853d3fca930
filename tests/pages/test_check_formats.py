"""`check` in each format: the JSON's fixed keys and offsets, the annotated page through a CommonMark/GFM parser and
in headless Chromium (rendered, and inert whatever the page holds), the table, and the unverified YAML stubs."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

from tests.app_commands import PAGES
from tests.conftest import run

SEED = PAGES / "understanding-stem-cells-sle.txt"
HOSTILE = ("https://clinic.example/lupus\n"
           "Lupus (SLE) clinic: stem cell therapy is FDA approved and cures lupus with no side effects "
           "(Deng, D 2017).\n"
           "<script>document.title='pwned'</script> <img src=x onerror=\"document.title='pwned'\"> "
           "[click](javascript:alert(1)) **bold** MSC therapy improved SLEDAI (Wang, D et al 2018).\n"
           "\"><iframe src=https://evil.example></iframe> Our patient testimonials prove it works "
           "(Zhou, T et al 2020; see https://evil.example/x).\n")
PAGE_KEYS = {"source", "url", "condition", "text"}
CITATION_KEYS = {"text", "start", "end", "status", "study", "candidates", "reasons"}
CLAIM_KEYS = {"text", "start", "end", "verdict", "effect", "certainty", "statement", "citations", "issues",
              "omitted"}
FLAG_KEYS = {"kind", "text", "start", "end"}


def _check(*args: str) -> str:
    result = run("check", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    page = tmp_path / "hostile.txt"
    page.write_text(HOSTILE, encoding="utf-8")
    return page


def test_the_json_has_the_fixed_keys_and_offsets_that_index_the_page_text() -> None:
    document = json.loads(_check(str(SEED), "--format", "json"))
    assert set(document) == {"schema", "version", "page", "citations", "claims", "red_flags"}
    assert (document["schema"], document["version"]) == ("stemcell-cli/check", 1)
    assert set(document["page"]) == PAGE_KEYS
    text = document["page"]["text"]
    assert document["page"]["condition"] == "lupus"
    for citation in document["citations"]:
        assert set(citation) == CITATION_KEYS
        assert text[citation["start"]:citation["end"]] == citation["text"]
    for claim in document["claims"]:
        assert set(claim) == CLAIM_KEYS
        assert text[claim["start"]:claim["end"]] == claim["text"]
        assert all(0 <= i < len(document["citations"]) for i in claim["citations"])
    for flag in document["red_flags"]:
        assert set(flag) == FLAG_KEYS
        assert text[flag["start"]:flag["end"]] == flag["text"]


def test_a_page_address_on_the_first_line_is_the_pages_url(hostile: Path) -> None:
    document = json.loads(_check(str(hostile), "--format", "json"))
    assert document["page"]["url"] == "https://clinic.example/lupus"
    assert document["page"]["text"].startswith("Lupus (SLE) clinic:")


def test_red_flags_name_approval_cure_no_risk_testimonials_and_proof(hostile: Path) -> None:
    document = json.loads(_check(str(hostile), "--format", "json"))
    flags = [(f["kind"], f["text"]) for f in document["red_flags"]]
    assert flags == [("approval_claim", "FDA approved"), ("cure", "cures"), ("no_risk", "no side effects"),
                     ("testimonial", "testimonials"), ("certainty_overstated", "prove")]


def test_a_claim_with_no_curated_outcome_says_it_was_not_checked(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Lupus (SLE): stem cell therapy restores the energy of patients.\n", encoding="utf-8")
    document = json.loads(_check(str(page), "--format", "json"))
    [claim] = document["claims"]
    assert (claim["verdict"], claim["certainty"], claim["statement"]) == (
        "not_checkable", None, "Not checked: no curated outcome matches this claim.")


def test_an_uncurated_claim_is_graded_through_the_conditions_outcomes(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Lupus (SLE): MSC therapy lowers proteinuria in lupus nephritis.\n", encoding="utf-8")
    document = json.loads(_check(str(page), "--format", "json"))
    [claim] = document["claims"]
    sof = json.loads(run("lupus", "sof", "--format", "json").stdout)
    rows = [r for r in sof["outcomes"] if r["outcome"] == "proteinuria"]
    assert claim["verdict"] == "very_uncertain"
    assert claim["certainty"] == "very_low"
    assert claim["statement"] in {r["statement"] for r in rows}
    # Deng 2017, the placebo-controlled trial that found no added benefit, is not cited on this page.
    assert [o["study"] for o in claim["omitted"]] == ["deng2017"]


def test_the_annotated_markdown_renders_the_page_literally(hostile: Path) -> None:
    text = _check(str(hostile), "--format", "markdown")
    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(text)
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in (t.children or [])}
    assert "html_inline" not in kinds
    assert "html_block" not in kinds
    assert "link_open" not in kinds  # neither the page's [click](javascript:...) nor its bare URL is a link
    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text)
    assert "<script" not in html
    assert "<iframe" not in html
    assert "<img" not in html
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in html
    assert "<strong>Lupus (SLE) clinic: stem cell therapy is FDA approved" in html
    assert "**bold**" in html  # the page's own markup stays text


def test_the_html_is_one_escaped_document_with_a_strict_policy(hostile: Path) -> None:
    text = _check(str(hostile), "--format", "html")
    assert text.count("<script") == 0
    assert "<iframe" not in text
    assert "<img" not in text
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src ' in text
    assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in text
    hrefs = re.findall(r'href="([^"]*)"', text)
    assert hrefs
    assert all(h.startswith(("#note-", "https://doi.org/10.", "https://pubmed.ncbi.nlm.nih.gov/"))
                         for h in hrefs)
    assert "https://doi.org/10.1136/annrheumdis-2017-211073" in hrefs


def _chromium(tmp_path: Path, page: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("chromium") or "/usr/bin/chromium"
    return subprocess.run([binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                           "--disable-background-networking", "--disable-component-update", "--disable-sync",
                           f"--user-data-dir={tmp_path / 'profile'}", *extra, page.as_uri()],
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.skipif(not (shutil.which("chromium") or Path("/usr/bin/chromium").exists()),
                    reason="headless Chromium (Debian package chromium) is not installed")
def test_headless_chromium_shows_the_annotated_page_and_runs_nothing_from_it(hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "check.html"
    assert run("check", str(hostile), "-o", str(out)).exit_code == 0
    dom = _chromium(tmp_path, out, "--dump-dom").stdout
    assert "<title>Page check: https://clinic.example/lupus</title>" in dom  # no script renamed it
    assert "pwned</title>" not in dom
    assert "<script" not in dom
    assert "<iframe" not in dom
    assert "<img" not in dom
    assert 'class="claim"' in dom
    assert 'class="citation"' in dom
    assert 'class="flag"' in dom
    assert "Deng, D 2017" in dom
    shot = tmp_path / "check.png"
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><html><head><title>b</title></head><body></body></html>", encoding="utf-8")
    blank_shot = tmp_path / "blank.png"
    _chromium(tmp_path, out, f"--screenshot={shot}", "--window-size=1000,800")
    _chromium(tmp_path, blank, f"--screenshot={blank_shot}", "--window-size=1000,800")
    # A page of marked text compresses far worse than a white one.
    assert shot.stat().st_size > 4 * blank_shot.stat().st_size


def test_the_table_lists_claims_citations_and_red_flags(hostile: Path) -> None:
    text = _check(str(hostile))
    for heading in ("Claims", "Citations", "Red flags"):
        assert re.search(rf"^{heading}$", text, re.MULTILINE), heading
    assert "Deng, D 2017" in text
    assert "Deng 2017 (deng2017)" in text
    assert "\x1b" not in text


def test_emit_yaml_writes_unverified_stubs_of_the_citations_not_on_file(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Lupus (SLE): MSC therapy improved SLEDAI (Smith, J et al 2021; Deng, D 2017).\n",
                    encoding="utf-8")
    stubs = tmp_path / "stubs.yaml"
    assert run("check", str(page), "--emit-yaml", str(stubs), "--format", "json").exit_code == 0
    document = yaml.safe_load(stubs.read_text(encoding="utf-8"))
    start = page.read_text(encoding="utf-8").index("Smith")
    assert document["citation_stubs"] == [{
        "cited_as": "Smith, J et al 2021", "condition": "lupus", "verification": "unverified",
        "page_span": [start, start + len("Smith, J et al 2021")], "citation": 0, "kinds": ["author_year"],
        "note": "author Smith J: no study on file"}]
    assert "Every value below is unverified" in stubs.read_text(encoding="utf-8")
    again = run("check", str(page), "--emit-yaml", str(stubs))
    assert again.exit_code == 1
    assert "already exists; add --force to replace it" in again.stderr
