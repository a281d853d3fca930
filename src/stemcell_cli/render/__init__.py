"""Output formats, switched in one place; the only layer that imports rich (in table and console)."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from stemcell_cli.errors import assert_never

if TYPE_CHECKING:
    from stemcell_cli.evidence.results import Result


class OutputFormat(str, Enum):
    """The --format choices."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"
    TSV = "tsv"


class ColorMode(str, Enum):
    """The --color choices."""

    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


def render(
    result: Result, fmt: OutputFormat, *, color: bool = False, width: int = 100, ascii_only: bool = False
) -> str:
    """Return the complete text of a result in one format; machine formats never touch rich."""
    # Each format imports its modules only when it is the one asked for.
    match fmt:
        case OutputFormat.TABLE:
            from stemcell_cli.render.documents import document
            from stemcell_cli.render.table_format import to_table

            return to_table(document(result), color=color, width=width, ascii_only=ascii_only)
        case OutputFormat.JSON:
            from stemcell_cli.render.json_format import to_json
            from stemcell_cli.render.payloads import payload

            return to_json(payload(result), ascii_only=ascii_only)
        case OutputFormat.CSV:
            from stemcell_cli.render.csv_format import to_csv
            from stemcell_cli.render.records import records

            return to_csv(*records(result))
        case OutputFormat.MARKDOWN:
            from stemcell_cli.render.documents import document
            from stemcell_cli.render.markdown_format import to_markdown

            return to_markdown(document(result))
        case OutputFormat.TSV:
            from stemcell_cli.render.records import records
            from stemcell_cli.render.tsv_format import to_tsv

            return to_tsv(*records(result))
        case _:
            assert_never(fmt)
