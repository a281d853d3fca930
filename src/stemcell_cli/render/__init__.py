"""Output formats: every choice of a format and every switch on one is here; only render/ imports rich."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from stemcell_cli.errors import UsageProblem, assert_never

if TYPE_CHECKING:
    from stemcell_cli.errors import ValidationReport
    from stemcell_cli.evidence.results import CiteResult, Result
    from stemcell_cli.model import Provenance


class OutputFormat(str, Enum):
    """The --format choices."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"
    TSV = "tsv"
    HTML = "html"


# Enums alike in shape on purpose: each command's --format choices are their own type for Typer, values of OutputFormat.
class RecordFormat(str, Enum):
    """The --format choices of a command that prints records: every format but HTML."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"
    TSV = "tsv"


class DocumentFormat(str, Enum):
    """The --format choices of a command that writes a document to share (`report`): values of OutputFormat."""

    MARKDOWN = "markdown"
    HTML = "html"


class CheckFormat(str, Enum):
    """The --format choices of `check`: the table, the JSON, and the annotated page in Markdown or HTML."""

    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"


class CiteFormat(str, Enum):
    """The --format choices of `cite`: the files reference managers read (its own path, not the pipeline's)."""

    BIBTEX = "bibtex"
    RIS = "ris"
    CSLJSON = "csljson"


# Enums alike in shape to the model's on purpose: each set of choices is its own type for Typer and the matches.
class ReportFormat(str, Enum):
    """How `validate` reports problems."""

    TEXT = "text"
    JSON = "json"


class ColorMode(str, Enum):
    """The --color choices."""

    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


STDOUT_NAME = "-"
# Every extension a format is known by, for any command: each command takes the first of the formats it has, and
# an extension that names only formats the command lacks (`.html` for `summary`) is a usage error.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    ".json": ("json", "csljson"), ".csv": ("csv",), ".tsv": ("tsv",), ".md": ("markdown",),
    ".markdown": ("markdown",), ".txt": ("table",), ".html": ("html",), ".htm": ("html",), ".bib": ("bibtex",),
    ".ris": ("ris",),
}
# What a command that prints records writes; a document to share (`report`) is written as Markdown or HTML alone.
RECORD_FORMATS = tuple(OutputFormat(choice.value) for choice in RecordFormat)
DOCUMENT_FORMATS = tuple(OutputFormat(choice.value) for choice in DocumentFormat)
CHECK_FORMATS = tuple(OutputFormat(choice.value) for choice in CheckFormat)
CITE_FORMATS = tuple(CiteFormat)
# `schema` writes the JSON Schema as JSON, whatever an --output file's name says.
SCHEMA_FORMAT = OutputFormat.JSON
F = TypeVar("F", bound=Enum)


def _formats_text(choices: tuple[Enum, ...]) -> str:
    """Return a command's formats with the extensions that name them, e.g. `json (.json), csv (.csv)`."""
    named = []
    for member in choices:
        known = [suffix for suffix, names in EXTENSIONS.items() if member.value in names]
        named.append(f"{member.value} ({', '.join(known)})" if known else str(member.value))
    return ", ".join(named)


def output_format(fmt: F | None, output: str | None, *, choices: tuple[F, ...], terminal: bool = True) -> F:
    """Return the format asked for, else the output file's extension's, else the command's default."""
    to_stdout = output in (None, STDOUT_NAME)
    named: F | None = None
    suffix = "" if to_stdout else Path(str(output)).suffix.lower()
    if fmt is not None and fmt not in choices:
        raise UsageProblem(f"--format {fmt.value} is not a format of this command (it writes "
                           f"{' or '.join(str(choice.value) for choice in choices)})")
    if suffix:
        have = {member.value: member for member in choices}
        known = EXTENSIONS.get(suffix)
        if known is not None:
            named = next((have[name] for name in known if name in have), None)
            if named is None:
                raise UsageProblem(f"--output {output}: this command cannot write {known[0]}; its formats are "
                                   f"{_formats_text(choices)}")
        elif fmt is None:
            raise UsageProblem(f"--output {output}: the extension {suffix} names no format; use one of "
                               f"{_formats_text(choices)}, or name the format with --format")
    if fmt is not None and named is not None and fmt is not named:
        raise UsageProblem(f"--format {fmt.value} contradicts the extension of --output {output} "
                           f"(which means --format {named.value}); drop one of them")
    return fmt or named or default_format(choices, piped=to_stdout and not terminal)


def default_format(choices: tuple[F, ...], *, piped: bool) -> F:
    """Return the format without --format: TSV into a pipe and the table on a terminal where the command has them."""
    # Piped standard output gets one record per line with a header, as gh prints when stdout is not a terminal.
    have = {member.value: member for member in choices}
    for wanted in ((OutputFormat.TSV.value,) if piped else ()) + (OutputFormat.TABLE.value,):
        if wanted in have:
            return have[wanted]
    return choices[0]


def formats_of(result: Result) -> tuple[OutputFormat, ...]:
    """Return the formats a result is written in: a report's, a page check's, or every other result's records."""
    from stemcell_cli.evidence.results import CheckResult, ReportResult

    if isinstance(result, CheckResult):
        return CHECK_FORMATS
    return DOCUMENT_FORMATS if isinstance(result, ReportResult) else RECORD_FORMATS


def drawn(fmt: OutputFormat) -> bool:
    """Tell whether a format is drawn for a screen (a width, colours, a pager) rather than written for programs."""
    match fmt:
        case OutputFormat.TABLE:
            return True
        case OutputFormat.JSON | OutputFormat.CSV | OutputFormat.MARKDOWN | OutputFormat.TSV | OutputFormat.HTML:
            return False
        case _:
            assert_never(fmt)


def names_source(fmt: OutputFormat) -> bool:
    """Tell whether a format carries its provenance: JSON, Markdown and HTML do; tables, CSV and TSV stay records."""
    match fmt:
        case OutputFormat.JSON | OutputFormat.MARKDOWN | OutputFormat.HTML:
            return True
        case OutputFormat.TABLE | OutputFormat.CSV | OutputFormat.TSV:
            return False
        case _:
            assert_never(fmt)


def render(
    result: Result, fmt: OutputFormat, *, color: bool = False, width: int = 100, ascii_only: bool = False,
    links: bool = False,
    provenance: Provenance | None = None,
) -> str:
    """Return the complete text of a result in one format; JSON, Markdown and HTML name their source if given."""
    from stemcell_cli.evidence.results import CheckResult

    # The imports are inside the cases, so that a run pays for its own format's modules only.
    match fmt:
        case OutputFormat.TABLE:
            from stemcell_cli.render.documents import document
            from stemcell_cli.render.table_format import to_table

            return to_table(document(result), color=color, width=width, ascii_only=ascii_only, links=links)
        case OutputFormat.JSON:
            from stemcell_cli.render.json_format import to_json
            from stemcell_cli.render.payloads import payload

            return to_json(payload(result, provenance), ascii_only=ascii_only)
        case OutputFormat.CSV:
            from stemcell_cli.render.csv_format import to_csv
            from stemcell_cli.render.records import records

            return to_csv(*records(result))
        case OutputFormat.MARKDOWN if isinstance(result, CheckResult):
            from stemcell_cli.render.check_format import check_markdown

            # A page check in Markdown or HTML is the annotated page rather than its table.
            return check_markdown(result, provenance)
        case OutputFormat.MARKDOWN:
            from stemcell_cli.render.documents import document
            from stemcell_cli.render.markdown_format import to_markdown

            return to_markdown(document(result), provenance)
        case OutputFormat.TSV:
            from stemcell_cli.render.records import records
            from stemcell_cli.render.tsv_format import to_tsv

            return to_tsv(*records(result))
        case OutputFormat.HTML:
            if isinstance(result, CheckResult):
                from stemcell_cli.render.check_format import check_html

                page = check_html(result, provenance)
            else:
                from stemcell_cli.render.documents import document
                from stemcell_cli.render.html_format import to_html

                page = to_html(document(result), provenance)
            # A stream without the characters gets them as character references, which a browser shows the same.
            return page.encode("ascii", "xmlcharrefreplace").decode("ascii") if ascii_only else page
        case _:
            assert_never(fmt)


def render_references(result: CiteResult, fmt: CiteFormat, *, ascii_only: bool = False) -> str:
    """Return a condition's references in a reference manager's format."""
    match fmt:
        case CiteFormat.BIBTEX:
            from stemcell_cli.render.bibtex_format import to_bibtex

            return to_bibtex(result)
        case CiteFormat.RIS:
            from stemcell_cli.render.ris_format import to_ris

            return to_ris(result)
        case CiteFormat.CSLJSON:
            from stemcell_cli.render.csljson_format import to_csljson

            return to_csljson(result, ascii_only=ascii_only)
        case _:
            assert_never(fmt)


def escapable(fmt: CiteFormat) -> bool:
    """Tell whether a reference format can write a character the stream lacks as an escape that reads back."""
    match fmt:
        case CiteFormat.BIBTEX:
            # A `\x` or `\u` escape would be a TeX command in BibTeX.
            return False
        case CiteFormat.RIS | CiteFormat.CSLJSON:
            return True
        case _:
            assert_never(fmt)


def all_ascii(result: Result) -> bool:
    """Tell whether every text of a result is ASCII, as its JSON (which escapes no other character) shows."""
    return render(result, OutputFormat.JSON).isascii()


def render_report(found: ValidationReport, fmt: ReportFormat, *, ascii_only: bool = False,
                  provenance: Provenance | None = None) -> tuple[str, list[str]]:
    """Return a validation report as the text for stdout and the lines for stderr, as its format says."""
    match fmt:
        case ReportFormat.TEXT:
            # The problems are diagnostics: one line each on stderr, and nothing on stdout.
            return "", found.lines()
        case ReportFormat.JSON:
            from stemcell_cli.render.json_format import to_json
            from stemcell_cli.render.payloads import validation_payload

            return to_json(validation_payload(found, provenance), ascii_only=ascii_only), []
        case _:
            assert_never(fmt)


def render_schema(document: dict[str, Any], *, ascii_only: bool = False) -> str:
    """Return the data file's JSON Schema in its one format."""
    from stemcell_cli.render.json_format import to_json

    return to_json(document, ascii_only=ascii_only)
