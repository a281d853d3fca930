"""Names the data knows a study by (journals, trials, products, titles), gathered once for finding them on a page."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence

import msgspec

from stemcell_cli.model import Study, Trial

_WORD = re.compile(r"[A-Za-z0-9]+")
_PLAIN = re.compile(r"[A-Za-z0-9 ]*")
_ACRONYM = re.compile(r"^[A-Za-z0-9]*[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*$")
_TITLE_ACRONYM = re.compile(r"\(([A-Z][A-Za-z0-9-]{3,})(?: [Tt]rial| [Ss]tudy)?\)")
_REGISTRY = re.compile(r"\b(NCT\d{8}|ISRCTN\d{6,}|ChiCTR[-\w]{6,}|ACTRN\d{10,}|IRCT\d{6,}N\d+|"
                       r"EudraCT \d{4}-\d{6}-\d{2})")


# The only characters whose lower case would shift offsets or make an ASCII letter: İ becomes two characters and the
# Kelvin sign a k. A page that has either keeps them as they are, so that its offsets and its words stay the page's.
_UNSAFE = ("\u0130", "\u212a")


def lower_keeping_offsets(text: str) -> str:
    """Return a page's text in lower case with every offset kept, for case-blind word searches and patterns."""
    if text.isascii() or not any(c in text for c in _UNSAFE):
        return text.lower()
    return "".join(c if c in _UNSAFE else c.lower() for c in text)


def words(text: str) -> list[str]:
    """Return the words of a text, lower-cased and without accents, for comparing names."""
    if text.isascii():
        return text.lower().replace("_", " ").split() if _PLAIN.fullmatch(text) else _WORD.findall(text.lower())
    plain = unicodedata.normalize("NFKD", text)
    folded = plain.encode("ascii", "ignore").decode("ascii")
    if len(folded) * 2 >= len(plain):
        # Latin script with accents and typographic marks: the accents fall away (Fernández is fernandez).
        return _WORD.findall(folded.lower())
    return [w.lower() for w in _unicode_word().findall("".join(c for c in plain if not unicodedata.combining(c)))]


def named_in(text: str, name: str) -> bool:
    """Tell whether a name occurs in a text as a whole word or phrase (as written)."""
    at = text.find(name)
    while at >= 0:
        after = at + len(name)
        if (at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "-")) and (
                after >= len(text) or not (text[after].isalnum() or text[after] == "-")):
            return True
        at = text.find(name, at + 1)
    return False


@functools.cache
def _unicode_word() -> re.Pattern[str]:
    """Return the pattern of a word in any script, compiled the first time a name is not ASCII."""
    return re.compile(r"[^\W_]+")


def _capitals(token: str) -> int:
    """Return how many upper-case letters a token has."""
    return sum(1 for c in token if c.isupper())


def _acronym(token: str) -> bool:
    """Tell whether a token reads as a trial's or product's name (DREAM-HF, RIMECARD, ixCELL-DCM)."""
    return len(token) >= 4 and _ACRONYM.match(token) is not None and _capitals(token) >= 2


class Gazetteer(msgspec.Struct, frozen=True, gc=False):
    """Names of one condition's studies: journal word runs, trial and product names, titles, registry ids."""

    journals: dict[tuple[str, ...], tuple[str, ...]]
    trials: dict[str, tuple[str, ...]]
    products: dict[str, tuple[str, ...]]
    titles: dict[str, tuple[str, ...]]
    registry: dict[str, tuple[str, ...]]
    phases: dict[str, str]
    title_words: tuple[tuple[str, list[str]], ...] = ()


def _add(table: dict[str, list[str]], key: str, study: str) -> None:
    """File a study under a name once."""
    found = table.setdefault(key, [])
    if study not in found:
        found.append(study)


def _frozen(table: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    """Return a table's lists as tuples."""
    return {key: tuple(values) for key, values in table.items()}


def trial_names(study: Study) -> list[str]:
    """Return the trial names a study's label and title give (DREAM-HF (Perin 2023), Mautner 2023 (MILES))."""
    found: list[str] = []
    label = study.label or ""
    main, _, rest = label.partition(" (")
    inner = rest.rstrip(")")
    if " " not in main and _acronym(main):
        found.append(main)
    if inner and " " not in inner and _acronym(inner):
        found.append(inner)
    found += [m.group(1) for m in _TITLE_ACRONYM.finditer(study.title.value or "") if _capitals(m.group(1)) >= 3]
    return found


def product_names(product: str | None) -> list[str]:
    """Return the names a curated product goes by: `NurOwn (MSC-NTF)` is NurOwn and MSC-NTF."""
    if not product:
        return []
    main, _, rest = product.replace("®", "").partition(" (")
    names = [main.strip(), rest.rstrip(")").strip()]
    return [name for name in names if len(name) >= 4 and _capitals(name) >= 1 and " " not in name]


def gazetteer(studies: Sequence[Study], trials: Iterable[Trial]) -> Gazetteer:
    """Return the names of these studies (and of the registered trials that report as them) to look for."""
    journals: dict[tuple[str, ...], list[str]] = {}
    trial_table: dict[str, list[str]] = {}
    products: dict[str, list[str]] = {}
    titles: dict[str, list[str]] = {}
    registry: dict[str, list[str]] = {}
    phases: dict[str, str] = {}
    for study in studies:
        if study.journal.value:
            run = tuple(words(study.journal.value))
            run = run[1:] if run and run[0] == "the" else run
            if run:
                journals.setdefault(run, [])
                if study.id not in journals[run]:
                    journals[run].append(study.id)
        for name in trial_names(study):
            _add(trial_table, name, study.id)
        for name in product_names(study.product):
            _add(products, name, study.id)
        if study.title.value:
            _add(titles, study.title.value, study.id)
        for found in _REGISTRY.findall(study.trial_registration.value or ""):
            _add(registry, found.upper(), study.id)
    for trial in trials:
        key = trial.id.upper()
        registry.setdefault(key, [])
        if trial.published_as:
            _add(registry, key, trial.published_as)
            if trial.phase:
                phases[trial.published_as] = trial.phase
        for match in _TITLE_ACRONYM.finditer(trial.title):
            if _capitals(match.group(1)) >= 3:
                trial_table.setdefault(match.group(1), [])
                if trial.published_as:
                    _add(trial_table, match.group(1), trial.published_as)
    return Gazetteer({k: tuple(v) for k, v in journals.items()}, _frozen(trial_table), _frozen(products),
                     _frozen(titles), _frozen(registry), phases, tuple((t, words(t)) for t in titles))
