"""Read YAML text into plain data with the guards, or raise the problem located in the file."""

from __future__ import annotations

import re
from typing import Any

import yaml

from stemcell_cli.errors import DataProblems, Problem
from stemcell_cli.loading.printed import NumberTexts
from stemcell_cli.loading.source import LINE_BREAK, position, pure_requested
from stemcell_cli.loading.yaml_builder import build_document

FastSafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The characters YAML 1.1 allows in a stream (spec 5.1); both loaders refuse the rest, unlocated or differently.
_NOT_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def safe_loader(text: str, pure: bool) -> Any:
    """Return a safe loader over the text (only its parser and resolver are used), libyaml unless told not to."""
    cls = yaml.SafeLoader if pure_requested(pure) else FastSafeLoader
    return cls(text)


def parse_yaml(text: str, label: str, *, pure: bool = False, texts: NumberTexts | None = None) -> Any:
    """Parse one YAML document or raise DataProblems located in `label`; given `texts`, record numbers' texts there."""
    _check_printable(text, label)
    loader = None
    try:
        loader = safe_loader(text, pure)
        return build_document(loader, texts)
    except yaml.MarkedYAMLError as exc:
        raise DataProblems([_located(exc, text, label)]) from None
    except yaml.YAMLError as exc:
        raise DataProblems([Problem(label, _first_line(str(exc)))]) from None
    finally:
        if loader is not None:
            loader.dispose()


def _check_printable(text: str, label: str) -> None:
    """Refuse characters YAML does not allow, located, the same way under both loaders."""
    found = _NOT_PRINTABLE.search(text)
    if found is None:
        return
    line, column = position(text, found.start())
    code = ord(found.group())
    escape = f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    message = (f"character U+{code:04X} is not allowed in YAML; to keep it, write the escape \"{escape}\" "
               "inside a double-quoted string")
    raise DataProblems([Problem(label, message, line=line, column=column)])


def _located(exc: yaml.MarkedYAMLError, text: str, label: str) -> Problem:
    """Turn a PyYAML error into a 1-based located problem."""
    mark = exc.problem_mark or exc.context_mark
    parts = [p for p in (exc.context, exc.problem) if p]
    message = "; ".join(parts) if parts else "invalid YAML"
    if mark is None:
        return Problem(label, message)
    if "\\t" in message or " tab " in message or _char_at(text, mark.line, mark.column) == "\t":
        message += " (indent with spaces, not tabs)"
    return Problem(label, message, line=mark.line + 1, column=mark.column + 1)


def _char_at(text: str, line: int, column: int) -> str:
    """Return the character at a 0-based YAML mark, or an empty string."""
    lines = LINE_BREAK.split(text, maxsplit=line + 1)
    if line >= len(lines):
        return ""
    return lines[line][column : column + 1]


def _first_line(text: str) -> str:
    """Return the first line of a message."""
    return text.strip().splitlines()[0] if text.strip() else "invalid YAML"
