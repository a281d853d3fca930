"""Bad pages in real subprocesses: one clear line on stderr, the documented exit code, no traceback, nothing from the
page reaching the terminal as a control sequence, and long lines read in linear time."""

from __future__ import annotations

import json
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.reliability.helpers import foreign_escapes, run_process, subprocess_env


def _refused(done: subprocess.CompletedProcess[bytes], message: str, code: int = 1) -> None:
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == code, stderr
    assert done.stdout == b""
    assert "Traceback" not in stderr
    assert len(stderr.splitlines()) == 1, stderr
    assert re.fullmatch(message, stderr.rstrip("\n")), stderr
    assert foreign_escapes(stderr) == []


def test_an_empty_page_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_bytes(b"  \n\n")
    _refused(run_process("check", str(page)), rf"error: {re.escape(str(page))}: is empty; give a saved page "
                                               r"\(text, Markdown or HTML\)")


def test_a_binary_file_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "photo.png"
    page.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    _refused(run_process("check", str(page)), r"error: .*photo\.png: is a binary file, not a page "
                                               r"\(text, Markdown or HTML\)")


def test_a_directory_is_refused(tmp_path: Path) -> None:
    _refused(run_process("check", str(tmp_path)), r"error: .*: is a directory; give a saved page "
                                                   r"\(text, Markdown or HTML\)")


def test_a_missing_page_is_refused(tmp_path: Path) -> None:
    _refused(run_process("check", str(tmp_path / "gone.html")), r"error: .*gone\.html: cannot read: "
                                                                 r"No such file or directory")


def test_a_page_over_20_mb_is_refused_before_it_is_read(tmp_path: Path) -> None:
    page = tmp_path / "huge.txt"
    with page.open("wb") as stream:
        stream.truncate(20 * 1024 * 1024 + 1)  # sparse: the size says it all
    started = time.monotonic()
    _refused(run_process("check", str(page)), r"error: .*huge\.txt: is larger than the 20 MB a page may have "
                                               r"\(20,971,521 bytes\)")
    assert time.monotonic() - started < 10


def test_a_page_over_20_mb_on_standard_input_is_refused(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "stemcell_cli", "check", "-"], input=b"a" * (20 * 1024 * 1024 + 5),
                          capture_output=True, env=subprocess_env(), timeout=60, check=False)
    _refused(done, r"error: <stdin>: is larger than the 20 MB a page may have \(20,971,521 bytes\)")


def test_a_page_naming_no_condition_is_a_usage_error(tmp_path: Path) -> None:
    page = tmp_path / "recipe.txt"
    page.write_text("Bake the bread for forty minutes. It is proven to be delicious.\n", encoding="utf-8")
    _refused(run_process("check", str(page)), r"error: the page names no condition in the data; add --condition "
                                               r"\(one of: .*\)", code=2)


def test_an_unknown_condition_is_a_usage_error_with_a_suggestion(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Lupus.\n", encoding="utf-8")
    done = run_process("check", str(page), "--condition", "lupsu")
    assert done.returncode == 2
    assert "did you mean 'lupus'?" in done.stderr.decode()


def test_a_latin_1_page_is_read_with_one_warning(tmp_path: Path) -> None:
    page = tmp_path / "latin.txt"
    text = "Lupus (SLE): stem cell therapy is safe, says the clinic's café.\n"
    page.write_bytes(text.encode("latin-1"))
    done = run_process("check", str(page), "--format", "json")
    assert done.returncode == 0
    byte = text.index("é") + 1
    assert done.stderr.decode() == (f"warning: {page}: not UTF-8 (byte {byte}); read as Latin-1, so some characters "
                                    "may be wrong\n")
    assert "café" in done.stdout.decode("utf-8")


def test_a_million_character_line_is_read_in_under_two_seconds(tmp_path: Path) -> None:
    # Every pattern sees text it could take a long way: capitals, initials, "et al", years, brackets, quotes.
    unit = "Zhou Wang, D. E. F. et al ( [1, 2, 3 “SLE lupus (Deng, D 20 Phase II/III NCT0153990 10.1136/ "
    page = tmp_path / "line.txt"
    page.write_text((unit * (1_000_000 // len(unit) + 1))[:1_000_000] + "\n", encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = run_process("check", str(page), "--format", "json", timeout=60)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert done.returncode == 0, done.stderr.decode()
    # Processor time, which a machine shared with other work does not inflate as it does the time on the clock.
    seconds = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert seconds < 2, seconds


def test_a_script_posing_as_citations_is_not_page_text(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><head><script>var cite = 'Deng, D 2017 (Zhou et al) NCT01539902';</script>"
                    "<style>.x:after { content: 'Ru B et al 2017'; }</style></head><body>"
                    "<nav>Wang, D et al 2018</nav><p>Lupus patients improved with stem cell therapy.</p>"
                    "</body></html>", encoding="utf-8")
    done = run_process("check", str(page), "--format", "json")
    assert done.returncode == 0, done.stderr.decode()
    out = done.stdout.decode()
    assert '"citations": []' in out
    assert '"text": "Lupus patients improved with stem cell therapy."' in out


def test_terminal_escapes_and_bidi_controls_in_a_page_never_reach_the_terminal(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Lupus: stem cell therapy \x1b]52;c;cm0gLXJmIH4=\x07cures \u202eSLE\u202c with no side effects "
                    "(Deng, D 2017) \x1b[31mred\x1b[0m.\n", encoding="utf-8")
    for fmt in ("table", "json", "markdown", "html"):
        done = run_process("check", str(page), "--format", fmt, STEMCELL_FORCE_TTY="1")
        assert done.returncode == 0, done.stderr.decode()
        text = done.stdout.decode("utf-8")
        assert foreign_escapes(text) == [], fmt
        assert "\u202e" not in text, fmt


@pytest.mark.parametrize("name", ["-", "./-"])
def test_standard_input_is_read_as_a_page(name: str, tmp_path: Path) -> None:
    seed = (Path(__file__).resolve().parents[1] / "fixtures" / "pages" / "understanding-stem-cells-sle.txt")
    if name == "./-":
        (tmp_path / "-").write_bytes(seed.read_bytes())
    done = subprocess.run([sys.executable, "-m", "stemcell_cli", "check", name, "--format", "json"],
                          input=seed.read_bytes(), capture_output=True, env=subprocess_env(), timeout=60,
                          cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stderr.decode()
    assert '"condition": "lupus"' in done.stdout.decode()


def test_json_to_an_ascii_stream_uses_jsons_own_escapes() -> None:
    seed = Path(__file__).resolve().parents[1] / "fixtures" / "pages" / "understanding-stem-cells-sle.txt"
    done = run_process("check", str(seed), "--format", "json", PYTHONIOENCODING="ascii")
    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr == b""
    document = json.loads(done.stdout.decode("ascii"))
    assert "“butterfly rash”" in document["page"]["text"]


def test_the_page_and_the_data_cannot_both_be_standard_input() -> None:
    done = run_process("check", "-", "--data", "-")
    assert done.returncode == 2
    assert done.stderr.decode() == ("error: the page and --data cannot both be standard input; name one of them as a "
                                    "file\n")
