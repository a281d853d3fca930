"""Command-line values converted to what a command takes: choices in any case, bounded whole numbers, paths, text."""

from __future__ import annotations

import re
from enum import Enum
from pathlib import Path
from typing import Any

from stemcell_cli.model import Design

DESIGN_EXAMPLES = ("'rct'", "'meta-analysis'", "'single-arm'")


class BadValue(ValueError):
    """A value the command line gave that its parameter does not take; the message says why in plain words."""


def convert(value: Any, kind: type, *, case_sensitive: bool = True, low: float | None = None,
            high: float | None = None) -> Any:
    """Convert one command-line value to its parameter's type, or raise BadValue."""
    if isinstance(value, kind):
        return value
    text = str(value)
    if kind is str:
        return text
    if kind is Path:
        return Path(text)
    if issubclass(kind, Enum):
        return choice(kind, text, case_sensitive=case_sensitive)
    return whole_number(text, low, high)


def _words(text: str) -> str:
    """Return text as lower-case words: `Single-arm`, `single_arm` and `single arm` read the same."""
    return " ".join(re.split(r"[\s_/-]+", text.casefold())).strip()


def choice(kind: type[Enum], text: str, *, case_sensitive: bool) -> Enum:
    """Return the str-Enum member the text names (any case unless case-sensitive); designs also by screen names."""
    wanted = text if case_sensitive else text.casefold()
    for member in kind:
        value = str(member.value)
        if (value if case_sensitive else value.casefold()) == wanted:
            return member
    if kind is Design:
        found = design_names().get(_words(text))
        if found is not None:
            return found
    names = ", ".join(repr(str(member.value)) for member in kind)
    shown = f" (or their names on screen, e.g. {', '.join(DESIGN_EXAMPLES)})" if kind is Design else ""
    raise BadValue(f"{text!r} is not one of {names}{shown}.")


def design_names() -> dict[str, Design]:
    """Return every name a design answers to on the command line: its code and the words the screens use."""
    from stemcell_cli.render.labels import design_label, short_design

    names = {_words(design.value): design for design in Design}
    for label in (design_label, short_design):
        names.update({_words(label(design)): design for design in Design})
    names[_words("meta-analysis")] = Design.SYSTEMATIC_REVIEW
    names[_words("systematic review")] = Design.SYSTEMATIC_REVIEW
    return names


def whole_number(text: str, low: float | None, high: float | None) -> int:
    """Return the whole number a text writes, within the option's bounds."""
    try:
        number = int(text.strip())
    except ValueError:
        raise BadValue(f"{text!r} is not a whole number.") from None
    if low is not None and number < low:
        raise BadValue(f"{number} is below the lowest allowed value, {low:g}.")
    if high is not None and number > high:
        raise BadValue(f"{number} is above the highest allowed value, {high:g}.")
    return number
