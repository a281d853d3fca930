"""How names typed by people are compared and suggested: one normalisation, one did-you-mean."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Protocol, TypeVar


class _Named(Protocol):
    def all_names(self) -> tuple[str, ...]: ...


N = TypeVar("N", bound=_Named)

# Fixed top-level commands; no condition may be called by one of these names.
COMMAND_WORDS: tuple[str, ...] = ("conditions", "find", "validate", "schema", "help", "diff", "completion",
                                  "check")
COMMAND_CUTOFF = 0.8


def normalise(name: str) -> str:
    """Return a name as a reader compares two: NFKC, case-folded, outer spaces dropped."""
    return unicodedata.normalize("NFKC", name).casefold().strip()


def condition_called(name: str, conditions: Iterable[N]) -> N | None:
    """Return the first condition whose id or alias is the typed name (both normalised), or None: the one resolution."""
    wanted = normalise(name)
    for condition in conditions:
        if wanted in {normalise(n) for n in condition.all_names()}:
            return condition
    return None


def closest(word: str, options: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """Return the option closest to a word, ignoring case, or None when none is close."""
    import difflib

    by_key = {normalise(option): option for option in options}
    match = difflib.get_close_matches(normalise(word), list(by_key), n=1, cutoff=cutoff)
    return by_key[match[0]] if match else None


def did_you_mean(word: str, options: Iterable[str], *, cutoff: float = 0.6) -> str:
    """Return '; did you mean 'x'?' for a near miss, or nothing."""
    match = closest(word, options, cutoff=cutoff)
    return f"; did you mean {match!r}?" if match else ""


def reads_as_command(name: str) -> bool:
    """Tell whether a word is a fixed command or close enough to be taken for a mistyped one."""
    return closest(name, COMMAND_WORDS, cutoff=COMMAND_CUTOFF) is not None


def is_command_word(name: str) -> bool:
    """Tell whether a name is one of the fixed commands, as typed in any case."""
    return normalise(name) in COMMAND_WORDS
