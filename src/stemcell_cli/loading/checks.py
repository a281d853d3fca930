"""Checks beyond types: references, duplicate ids, identifier syntax, sums, years, finite and printed numbers."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping

import msgspec

from stemcell_cli.errors import Problem, Severity
from stemcell_cli.loading.printed import written_as
from stemcell_cli.loading.schema import Partial
from stemcell_cli.model import (
    Arm,
    ArmResult,
    Claim,
    Dataset,
    Design,
    Estimate,
    Fact,
    Outcome,
    Participants,
    QuoteStatus,
    Study,
    compared_arms,
)
from stemcell_cli.names import COMMAND_WORDS, did_you_mean, is_command_word, normalise

# ASCII digits only: `\d` alone would accept other scripts' digits, which no registry issues.
DOI = re.compile(r"^10\.[0-9]{4,9}(\.[0-9]+)*/[^\s\x00-\x1f\x7f-\x9f]+$")
PMID = re.compile(r"^[1-9][0-9]{0,8}$")
PMCID = re.compile(r"^PMC[0-9]{1,9}$")
NCT = re.compile(r"^NCT[0-9]{8}$")
WEB_ADDRESS = re.compile(r"^https?://[!-~]+$")
EARLIEST_YEAR = 1900
_SECTION_INDEX = re.compile(r"^\$\.(\w+)\[(\d+)\]")
_SAME_AS = re.compile(r"\(same as \$\.(\w+)\[(\d+)\]")

Found = tuple[str, str, Severity]
_CONTROLLED = frozenset({Design.RANDOMISED_CONTROLLED_TRIAL, Design.NON_RANDOMISED_CONTROLLED})


def check_dataset(
    data: Dataset, label: str, *, current_year: int, also_known: Mapping[str, Iterable[str]] | None = None
) -> list[Problem]:
    """Return every problem the types cannot express; `also_known` ids exist in the file but failed their types."""
    found: list[Found] = []
    found += _duplicates(data)
    found += _references(data, also_known or {})
    found += _studies(data, current_year)
    found += _claims(data)
    found += _links(data)
    found += _sources(data)
    found += _trials(data)
    found += _verdict_records(data, also_known or {})
    found += _outcome_model(data)
    return [Problem(label, message, path=path, severity=severity) for path, message, severity in found]


def _bad_characters(identifier: str) -> str | None:
    """Describe invisible, control or space characters in an id, if any."""
    for char in identifier:
        category = unicodedata.category(char)
        if category in {"Cc", "Cf", "Zs", "Zl", "Zp", "Co", "Cn", "Cs"}:
            name = unicodedata.name(char, "")
            return f"U+{ord(char):04X}" + (f" ({name})" if name else "")
    return None if identifier else "nothing (an empty id)"


def _duplicates(data: Dataset) -> Iterator[Found]:
    """Report ids that repeat after normalisation, and ids with invisible characters."""
    sections: list[tuple[str, list[str]]] = [
        ("conditions", [c.id for c in data.conditions]),
        ("studies", [s.id for s in data.studies]),
        ("pages", [p.id for p in data.pages]),
        ("claims", [c.id for c in data.claims]),
        ("citation_issues", [i.id for i in data.citation_issues]),
        ("trials", [t.id for t in data.trials]),
    ]
    for section, ids in sections:
        seen: dict[str, int] = {}
        for index, identifier in enumerate(ids):
            bad = _bad_characters(identifier)
            if bad:
                yield (f"$.{section}[{index}].id", f"id {identifier!r} contains {bad}; use visible characters only",
                       Severity.ERROR)
            key = normalise(identifier)
            if key in seen:
                first = ids[seen[key]]
                how = "" if first == identifier else f", {first!r} after Unicode normalisation and case folding"
                yield (f"$.{section}[{index}].id",
                       f"duplicate id {identifier!r} (same as $.{section}[{seen[key]}].id{how})", Severity.ERROR)
            else:
                seen[key] = index
    for index, condition in enumerate(data.conditions):
        for j, alias in enumerate(condition.aliases):
            bad = _bad_characters(alias)
            if bad:
                yield (f"$.conditions[{index}].aliases[{j}]",
                       f"alias {alias!r} contains {bad}; use visible characters only", Severity.ERROR)
    names: dict[str, str] = {}
    for index, condition in enumerate(data.conditions):
        for name in (condition.id, *condition.aliases):
            key = normalise(name)
            if key in names and names[key] != condition.id:
                yield (f"$.conditions[{index}]", f"name {name!r} is used by condition {names[key]!r} too",
                       Severity.ERROR)
            names.setdefault(key, condition.id)


def _missing(kind: str, wanted: str, known: Iterable[str]) -> str:
    """Describe a reference to an id that does not exist, with a did-you-mean."""
    return f"unknown {kind} {wanted!r}{did_you_mean(wanted, known)}"


class _Ids:
    """The ids of one kind of record that a reference may name, in data order for the did-you-mean."""

    def __init__(self, kind: str, ids: Iterable[str], also_known: Iterable[str] = ()) -> None:
        self.kind = kind
        self.ids = [*ids, *sorted(also_known)]
        self._set = frozenset(self.ids)

    def unknown(self, path: str, wanted: str | None) -> Iterator[Found]:
        """Report a reference to an id that does not exist (None names nothing), with a did-you-mean."""
        if wanted is not None and wanted not in self._set:
            yield path, _missing(self.kind, wanted, self.ids), Severity.ERROR


def _references(data: Dataset, also_known: Mapping[str, Iterable[str]]) -> Iterator[Found]:
    """Report references to conditions, pages, claims and studies that do not exist."""
    conditions = _Ids("condition", (c.id for c in data.conditions), also_known.get("conditions", ()))
    studies = _Ids("study", (s.id for s in data.studies), also_known.get("studies", ()))
    pages = _Ids("page", (p.id for p in data.pages), also_known.get("pages", ()))
    claims = _Ids("claim", (c.id for c in data.claims), also_known.get("claims", ()))
    for index, study in enumerate(data.studies):
        yield from conditions.unknown(f"$.studies[{index}].condition", study.condition)
        for j, other in enumerate(study.overlaps_with):
            yield from studies.unknown(f"$.studies[{index}].overlaps_with[{j}]", other)
    for index, page in enumerate(data.pages):
        yield from conditions.unknown(f"$.pages[{index}].condition", page.condition)
    for index, claim in enumerate(data.claims):
        yield from pages.unknown(f"$.claims[{index}].page", claim.page)
        for j, cited in enumerate(claim.cites):
            yield from studies.unknown(f"$.claims[{index}].cites[{j}]", cited)
        for side, links in (("support", claim.support), ("contrast", claim.contrast)):
            for j, link in enumerate(links):
                yield from studies.unknown(f"$.claims[{index}].{side}[{j}].study", link.study)
    for index, issue in enumerate(data.citation_issues):
        yield from claims.unknown(f"$.citation_issues[{index}].claim", issue.claim)
        yield from studies.unknown(f"$.citation_issues[{index}].study", issue.study)
    for index, trial in enumerate(data.trials):
        yield from conditions.unknown(f"$.trials[{index}].condition", trial.condition)
        yield from studies.unknown(f"$.trials[{index}].published_as", trial.published_as)


def _facts(study: Study) -> Iterator[tuple[str, Fact[object]]]:
    """Yield every sourced field of a study with its name."""
    for name in study.__struct_fields__:
        value = getattr(study, name)
        if isinstance(value, Fact):
            yield name, value


def _printed(record: Arm | Participants | ArmResult | Estimate, where: str) -> Iterator[Found]:
    """Report a printed form that belongs to no number, or that reads as another number than the field holds."""
    # The loader writes these from the file's own text, so they agree; a `printed` the file gives itself (an
    # export read back, say) must agree too, or output would show one number while the field holds another.
    for field, text in record.printed.items():
        number = getattr(record, field)
        if number is None:
            yield (f"{where}.printed.{field}", f"printed form {text!r} is given, but {field} has no value",
                   Severity.ERROR)
        elif not (isinstance(number, float) and not math.isfinite(number)) and not written_as(text, number):
            yield (f"{where}.printed.{field}", f"printed form {text!r} does not read as {field} {number!r} "
                   "(write the number in decimal, as the source prints it)", Severity.ERROR)


def _studies(data: Dataset, current_year: int) -> Iterator[Found]:
    """Run each check of a study on every study, in the order of the fields they check."""
    for index, study in enumerate(data.studies):
        base = f"$.studies[{index}]"
        yield from _sourced_facts(study, base)
        yield from _identifiers(study, base)
        yield from _overlaps_itself(study, base)
        yield from _plausible_year(study, base, current_year)
        yield from _participant_numbers(study.participants, f"{base}.participants")
        for j, outcome in enumerate(study.outcomes):
            yield from _outcome_numbers(outcome, f"{base}.outcomes[{j}]")
        yield from _quoted_conclusion(study, base)
        yield from _findable(study, base)


def _sourced_facts(study: Study, base: str) -> Iterator[Found]:
    """Report a sourced field that has a value but no source."""
    for name, fact in _facts(study):
        if fact.value is not None and not fact.src:
            yield f"{base}.{name}", "a value needs its source URL in `src`", Severity.ERROR


def _overlaps_itself(study: Study, base: str) -> Iterator[Found]:
    """Report a study listed as overlapping with itself."""
    if study.id in study.overlaps_with:
        yield f"{base}.overlaps_with", f"study {study.id!r} is listed as overlapping with itself", Severity.ERROR


def _plausible_year(study: Study, base: str, current_year: int) -> Iterator[Found]:
    """Report a year before the earliest plausible one or after next year."""
    year = study.year.value
    if year is not None and not EARLIEST_YEAR <= year <= current_year + 1:
        yield (f"{base}.year.value", f"year {year} is not plausible ({EARLIEST_YEAR}-{current_year + 1})",
               Severity.ERROR)


def _participant_numbers(people: Participants, where: str) -> Iterator[Found]:
    """Report negative sizes, printed forms that disagree, arms that do not add up to the total, and no source."""
    if people.total is not None and people.total < 0:
        yield f"{where}.total", f"negative sample size {people.total}", Severity.ERROR
    yield from _printed(people, where)
    for j, arm in enumerate(people.arms):
        if arm.n < 0:
            yield f"{where}.arms[{j}].n", f"negative sample size {arm.n}", Severity.ERROR
        yield from _printed(arm, f"{where}.arms[{j}]")
    if people.arms and people.total is not None and sum(a.n for a in people.arms) != people.total:
        arms = " + ".join(str(a.n) for a in people.arms)
        yield where, f"total {people.total} is not the sum of the arms ({arms})", Severity.ERROR
    if (people.total is not None or people.arms) and not people.src:
        yield where, "participant numbers need their source URL in `src`", Severity.ERROR


def _outcome_numbers(outcome: Outcome, where: str) -> Iterator[Found]:
    """Report an outcome without a source, and impossible numbers in its arms and its estimate."""
    if not outcome.src:
        yield where, "an outcome needs its source URL in `src`", Severity.ERROR
    for k, arm in enumerate(outcome.arms):
        yield from _arm_numbers(arm, f"{where}.arms[{k}]")
    if outcome.estimate is not None:
        yield from _estimate_numbers(outcome.estimate, f"{where}.estimate")


def _non_finite(record: ArmResult | Estimate, fields: tuple[str, ...], where: str) -> Iterator[Found]:
    """Report each of these fields that holds an infinity or NaN."""
    for field in fields:
        number = getattr(record, field)
        if number is not None and not math.isfinite(number):
            yield f"{where}.{field}", f"{number} is not a finite number", Severity.ERROR


def _arm_numbers(arm: ArmResult, where: str) -> Iterator[Found]:
    """Report an outcome arm's printed forms that disagree, numbers that are not finite, impossible counts or SD."""
    yield from _printed(arm, where)
    yield from _non_finite(arm, ("mean", "sd", "median"), where)
    events, total = arm.events, arm.total
    if total is not None and total <= 0:
        yield f"{where}.total", f"total {total} must be at least 1", Severity.ERROR
    elif events is not None and total is not None and not 0 <= events <= total:
        yield where, f"events {events} out of {total} is impossible", Severity.ERROR
    if arm.sd is not None and arm.sd < 0:
        yield f"{where}.sd", f"negative SD {arm.sd!r}", Severity.ERROR


def _estimate_numbers(estimate: Estimate, where: str) -> Iterator[Found]:
    """Report an estimate's printed forms that disagree, numbers that are not finite, and an interval out of order."""
    yield from _printed(estimate, where)
    yield from _non_finite(estimate, ("value", "ci_low", "ci_high"), where)
    low, high, value = estimate.ci_low, estimate.ci_high, estimate.value
    if low is not None and high is not None and low > high:
        yield where, f"confidence interval ({low!r}, {high!r}) has its ends swapped", Severity.ERROR
    elif low is not None and high is not None and not low <= value <= high:
        yield where, f"estimate {value!r} is outside its interval ({low!r}, {high!r})", Severity.ERROR


def _quoted_conclusion(study: Study, base: str) -> Iterator[Found]:
    """Report a quoted conclusion not verified in its source (a warning) or without a source."""
    quote = study.conclusion
    if quote.text is not None and quote.status in (QuoteStatus.UNVERIFIED, QuoteStatus.NOT_FOUND):
        yield f"{base}.conclusion", f"quote is marked {quote.status.value}", Severity.WARNING
    if quote.text is not None and not quote.src:
        yield f"{base}.conclusion", "a quote needs its source URL in `src`", Severity.ERROR


def _findable(study: Study, base: str) -> Iterator[Found]:
    """Warn about a study with neither DOI nor PMID, and no note on either saying why."""
    if study.doi.value is None and study.pmid.value is None and not (study.doi.note or study.pmid.note):
        yield base, "no DOI or PMID, and no note on `doi` or `pmid` saying why", Severity.WARNING


def _identifiers(study: Study, base: str) -> Iterator[Found]:
    """Check DOI, PMID, PMCID and trial-registry syntax."""
    checks = ((study.doi, "doi", DOI, "10.NNNN/suffix"), (study.pmid, "pmid", PMID, "digits only"),
              (study.pmcid, "pmcid", PMCID, "PMC followed by digits"))
    for fact, name, pattern, shape in checks:
        if fact.value is not None and not pattern.match(fact.value):
            yield f"{base}.{name}.value", f"{fact.value!r} is not a valid {name.upper()} ({shape})", Severity.ERROR
    registration = study.trial_registration.value
    if registration is not None and registration.startswith("NCT") and not NCT.match(registration):
        yield (f"{base}.trial_registration.value", f"{registration!r} is not a valid NCT number (NCT + 8 digits)",
               Severity.ERROR)


def _claims(data: Dataset) -> Iterator[Found]:
    """Report claims that no curated study supports."""
    by_id = {c.id: c for c in data.claims}
    for index, claim in enumerate(data.claims):
        if claim.rests_on:
            yield from _parts(claim, index, by_id)
        elif not claim.support:
            yield f"$.claims[{index}]", f"claim {claim.id!r} has no supporting study", Severity.WARNING
        for side, links in (("support", claim.support), ("contrast", claim.contrast)):
            for j, link in enumerate(links):
                if not link.finding.strip():
                    yield (f"$.claims[{index}].{side}[{j}].finding", "a link needs one line on what the study found",
                           Severity.ERROR)


def _parts(claim: Claim, index: int, by_id: Mapping[str, Claim]) -> Iterator[Found]:
    """Report a claim made of others that also has links, names unknown claims, or nests."""
    if claim.support or claim.contrast:
        yield (f"$.claims[{index}]", f"claim {claim.id!r} rests on other claims, so it takes its evidence from them "
               "and cannot have support or contrast links", Severity.ERROR)
    for j, part in enumerate(claim.rests_on):
        where = f"$.claims[{index}].rests_on[{j}]"
        if part not in by_id:
            yield where, _missing("claim", part, by_id), Severity.ERROR
        elif by_id[part].rests_on:
            yield (where, f"claim {part!r} rests on other claims itself; list the claims it rests on instead",
                   Severity.ERROR)


def _links(data: Dataset) -> Iterator[Found]:
    """Report a study linked twice on one side of a claim, and links to studies of another condition."""
    page_condition = {p.id: p.condition for p in data.pages}
    study_condition = {s.id: s.condition for s in data.studies}
    for index, claim in enumerate(data.claims):
        condition = page_condition.get(claim.page)
        sides = (("cites", claim.cites), ("support", tuple(link.study for link in claim.support)),
                 ("contrast", tuple(link.study for link in claim.contrast)))
        for side, studies in sides:
            first: dict[str, int] = {}
            for j, study in enumerate(studies):
                where = f"$.claims[{index}].{side}[{j}]"
                if study in first:
                    yield (where, f"study {study!r} is listed twice here (also at {side}[{first[study]}])",
                           Severity.ERROR)
                first.setdefault(study, j)
                owner = study_condition.get(study)
                if condition is not None and owner is not None and owner != condition:
                    yield (where, f"study {study!r} belongs to condition {owner!r}, but the claim's page is about "
                           f"{condition!r}", Severity.ERROR)


def _source_lists(value: object, path: str) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Yield every `src` list in a record tree with its path."""
    if isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _source_lists(item, f"{path}[{index}]")
        return
    fields = getattr(value, "__struct_fields__", None)
    if fields is None:
        return
    for name in fields:
        item = getattr(value, name)
        if name == "src" and isinstance(item, tuple):
            yield f"{path}.src", item
        elif isinstance(item, tuple) or hasattr(item, "__struct_fields__"):
            yield from _source_lists(item, f"{path}.{name}")


def _sources(data: Dataset) -> Iterator[Found]:
    """Report overview points and citation issues without a source, and sources that are not web addresses."""
    for index, condition in enumerate(data.conditions):
        for j, point in enumerate(condition.overview):
            if not point.src:
                yield (f"$.conditions[{index}].overview[{j}]", "an overview point needs its source URL in `src`",
                       Severity.ERROR)
        for name in (condition.id, *condition.aliases):
            if name.startswith("-") or is_command_word(name):
                yield (f"$.conditions[{index}]", f"condition name {name!r} would be read as a command or an "
                       f"option (commands: {', '.join(COMMAND_WORDS)})", Severity.ERROR)
    for index, issue in enumerate(data.citation_issues):
        if not issue.src:
            yield f"$.citation_issues[{index}]", "a citation issue needs its source URL in `src`", Severity.ERROR
    for section in ("conditions", "studies", "citation_issues", "trials"):
        for path, urls in _source_lists(getattr(data, section), f"$.{section}"):
            for k, url in enumerate(urls):
                if not WEB_ADDRESS.match(url):
                    yield f"{path}[{k}]", f"{url!r} is not a web address (http:// or https://)", Severity.ERROR


def _trials(data: Dataset) -> Iterator[Found]:
    """Report registry ids that do not fit their registry, and trials without a source."""
    for index, trial in enumerate(data.trials):
        if trial.registry == "ClinicalTrials.gov" and not NCT.match(trial.id):
            yield f"$.trials[{index}].id", f"{trial.id!r} is not a valid NCT number (NCT + 8 digits)", Severity.ERROR
        if not trial.src:
            yield f"$.trials[{index}]", "a trial needs its source URL in `src`", Severity.ERROR


def _verdict_records(data: Dataset, also_known: Mapping[str, Iterable[str]]) -> Iterator[Found]:
    """Report clusters, pooled studies and harms that the verdicts could not use."""
    studies = _Ids("study", (s.id for s in data.studies), also_known.get("studies", ()))
    err = Severity.ERROR
    for index, condition in enumerate(data.conditions):
        for j, cluster in enumerate(condition.clusters):
            where = f"$.conditions[{index}].clusters[{j}]"
            if len(set(cluster.studies)) < 2:
                yield where, f"cluster {cluster.id!r} needs at least two different studies", err
            for k, member in enumerate(cluster.studies):
                yield from studies.unknown(f"{where}.studies[{k}]", member)
            if not cluster.src:
                yield where, "a cluster needs its source URL in `src`", err
    secondary = {s.url for s in data.secondary_sources}
    for index, study in enumerate(data.studies):
        base = f"$.studies[{index}]"
        urls = study.source_urls()
        if urls and all(url in secondary for url in urls) and not study.source_note:
            yield (base, f"study {study.id!r} has only secondary sources; say in `source_note` why no journal, "
                   "PubMed, PMC or registry page was used", Severity.WARNING)
        if study.pooling is not None:
            for k, member in enumerate(study.pooling.includes):
                yield from studies.unknown(f"{base}.pooling.includes[{k}]", member)
                if member == study.id:
                    yield f"{base}.pooling.includes[{k}]", f"study {study.id!r} cannot pool itself", err
            if not study.pooling.src:
                yield f"{base}.pooling", "what a meta-analysis pools needs its source URL in `src`", err
        if study.risk_of_bias is not None and not study.risk_of_bias.src:
            yield f"{base}.risk_of_bias", "a risk-of-bias judgement needs its source URL in `src`", err
        arms = {arm.name: arm.n for arm in study.participants.arms}
        for k, harm in enumerate(study.harms):
            where = f"{base}.harms[{k}]"
            if harm.arm not in arms:
                known = ", ".join(arms) or "none: list them under participants.arms"
                yield f"{where}.arm", f"harm in arm {harm.arm!r}, which is not an arm of the study (arms: {known})", err
            elif not 0 <= harm.count <= arms[harm.arm]:
                yield f"{where}.count", f"{harm.count} events in an arm of {arms[harm.arm]} is impossible", err
            if not harm.src:
                yield where, "a harm needs its source URL in `src`", err


def check_partial(partial: Partial, label: str, *, current_year: int) -> list[Problem]:
    """Check the records of a file with type problems that fit the model, with paths back into the file."""
    problems = check_dataset(partial.dataset, label, current_year=current_year, also_known=partial.dropped_ids)

    def original(match: re.Match[str], template: str) -> str:
        indexes = partial.kept.get(match.group(1))
        index = int(match.group(2))
        return template.format(match.group(1), indexes[index] if indexes is not None else index)

    located = []
    for problem in problems:
        path = _SECTION_INDEX.sub(lambda m: original(m, "$.{}[{}]"), problem.path or "")
        message = _SAME_AS.sub(lambda m: original(m, "(same as $.{}[{}]"), problem.message)
        located.append(msgspec.structs.replace(problem, path=path or problem.path, message=message))
    return located


def _outcome_model(data: Dataset) -> Iterator[Found]:
    """Report outcome ids that repeat or are unknown, thresholds without a source, and arms whose role is unclear."""
    err = Severity.ERROR
    known: dict[str, list[str]] = {}
    for index, condition in enumerate(data.conditions):
        ids = [o.id for o in condition.outcomes]
        known[condition.id] = ids
        for j, outcome in enumerate(condition.outcomes):
            where = f"$.conditions[{index}].outcomes[{j}]"
            if ids.index(outcome.id) != j:
                yield f"{where}.id", f"outcome {outcome.id!r} is listed twice for {condition.id}", err
            if outcome.threshold is not None and not outcome.threshold.src:
                yield (f"{where}.threshold.src", "a threshold for an important effect needs the page it comes from",
                       err)
            if outcome.threshold is not None and outcome.threshold.value <= 0:
                yield f"{where}.threshold.value", "a threshold is a positive size of effect", err
    for index, study in enumerate(data.studies):
        for j, result in enumerate(study.outcomes):
            where = f"$.studies[{index}].outcomes[{j}]"
            if result.outcome is not None and result.outcome not in known.get(study.condition, ()):
                yield (f"{where}.outcome", _missing("outcome", result.outcome,
                                                    known.get(study.condition, ())), err)
            if result.outcome is not None and study.design in _CONTROLLED and len(result.arms) >= 2:
                unclear = _unclear_roles(result)
                if unclear:
                    yield where, unclear, Severity.WARNING
    page_condition = {p.id: p.condition for p in data.pages}
    for index, claim in enumerate(data.claims):
        outcomes = known.get(page_condition.get(claim.page, ""), [])
        for j, wanted in enumerate(claim.outcomes):
            if wanted not in outcomes:
                yield f"$.claims[{index}].outcomes[{j}]", _missing("outcome", wanted, outcomes), err
        if claim.at_least_months is not None and claim.at_least_months <= 0:
            yield f"$.claims[{index}].at_least_months", "a follow-up is a positive number of months", err
        if claim.magnitude is not None and claim.magnitude.value <= 0:
            yield f"$.claims[{index}].magnitude.value", "a claimed size is a positive number", err


def _unclear_roles(result: Outcome) -> str | None:
    """Say why the treated and control arms of a mapped controlled result cannot be told apart, if they cannot."""
    if compared_arms(result.arms) is not None:
        return None
    names = ", ".join(arm.arm for arm in result.arms)
    return (f"the treated and control arms of {result.measure!r} cannot be told apart (arms: {names}); give each "
            "arm its `role`")
