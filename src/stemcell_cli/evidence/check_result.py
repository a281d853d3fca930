"""Check a saved page against the curated evidence of its condition.

Find the condition, resolve the citations, grade the claims through the condition's outcomes, check what each
citation is used for, list the contrary controlled trials the page leaves out, and flag the warning signs.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from stemcell_cli.errors import ConditionNotDetected, assert_never
from stemcell_cli.evidence.certainty import Level
from stemcell_cli.evidence.check_records import (
    CheckResult,
    CitationCheck,
    CitationProblem,
    ClaimCheck,
    OmittedStudy,
    PageInfo,
    RedFlag,
)
from stemcell_cli.evidence.citation_matching import Matcher, Resolution, Status, settle_short_citations, study_year
from stemcell_cli.evidence.designs import is_controlled
from stemcell_cli.evidence.grades import ClaimGrade, Shown, Verdict
from stemcell_cli.evidence.lookup import claims_of, studies_of, study_label
from stemcell_cli.evidence.results import ClaimView
from stemcell_cli.model import (
    Assertion,
    Claim,
    ClaimKind,
    Condition,
    Dataset,
    Design,
    Direction,
    HarmKind,
    Study,
)
from stemcell_cli.pages.citations import find_citations
from stemcell_cli.pages.claims import find_claims
from stemcell_cli.pages.names import gazetteer, named_in, product_names, words
from stemcell_cli.pages.records import ClaimSpan, Mention, PageText

__all__ = ["CheckResult", "check_page", "detect_condition"]

NOT_CHECKED = "Not checked: no curated outcome matches this claim."
# Single words of a condition's name that say little about which condition a page is on.
_WEAK_NAME_WORDS = frozenset([
    "chronic", "acute", "systemic", "multiple", "lateral", "disease", "disorder", "failure", "syndrome", "type"
])
_OUTCOME_STOP = frozenset([
    "the", "and", "or", "of", "in", "on", "with", "as", "each", "its", "it", "to", "a", "an", "by", "for", "any", "at",
    "least", "one", "patients", "patient", "trial", "trials", "study", "studies", "defines", "define", "complete",
    "partial", "other", "number", "score", "scale", "change", "from", "baseline", "overall", "rate", "difficulty",
    "measure", "measured", "questionnaires"
])
_SAFETY = re.compile(r"\b(?:safe(?:ly|ty)?|side[- ]effects?|adverse|tolerat\w*|complications?|risks?)\b",
                     re.I | re.A)
_NO_BENEFIT = re.compile(r"\bno (?:apparent |significant |additional |added |clear )*(?:effect|benefit|difference|"
                         r"improvement)\b|\bdid not (?:improve|reduce|show)\b|\bnot (?:effective|superior)\b",
                         re.I | re.A)
_RESEARCH = re.compile(r"\b(?:stud(?:y|ies)|research|trials?|evidence|data|scientists|researchers)\b", re.I | re.A)
_CONTROLLED_WORDS = re.compile(r"\b(?:randomi[sz]ed|placebo[- ]controlled|double[- ]blind|controlled)\b",
                               re.I | re.A)
_META_WORDS = re.compile(r"\bmeta-?analys[ie]s\b|\bsystematic review\b", re.I | re.A)
_NUMBER_PATIENTS = re.compile(r"\b(\d{1,5}) (?:patients|participants|subjects|people|volunteers)\b", re.I | re.A)
_NOT_REVIEWED = re.compile(r"\b(?:press release|announce[ds]?|presented at|conference|congress|meeting abstract|"
                           r"top-?line|topline)\b", re.I | re.A)
# The warning signs, one pattern each, read in one pass over the page as the groups of one pattern.
RED_FLAG_PATTERNS: tuple[tuple[str, str], ...] = (
    ("approval_claim", r"\b(?:FDA|government|Health Canada|EMA)[- ](?:approved|cleared)\b|\bapproved by "
                       r"(?:the )?(?:FDA|Food and Drug Administration|government)\b"),
    ("no_risk", r"\bno (?:known )?(?:risks?|side[- ]effects?|negative side[- ]effects?|adverse effects?)\b|"
                r"\brisk[- ]free\b|\bwithout (?:any )?(?:negative |serious )?(?:side[- ]effects?|risks?|"
                r"adverse effects?)\b|\b(?:100%|completely|totally) safe\b"),
    ("cure", r"\bcur(?:e|es|ed|ing)\b"),
    ("testimonial", r"\btestimonials?\b|\bpatient stories\b|\bsuccess stories\b|\bwhat our patients say\b|"
                    r"\bhear from our patients\b"),
    ("own_survey_or_registry", r"\bour (?:own )?(?:patient )?(?:surveys?|registry|registries|outcomes? data|"
                               r"patient data|internal data)\b|\b(?:survey|registry) of our patients\b"),
)
# Every warning sign starts a word with one of these characters: the one pass over the page tries the signs only
# there (three times faster than trying each sign at every character).
RED_FLAG_STARTS = "acefghnoprstw1"
RED_FLAGS = re.compile(rf"\b(?=[{RED_FLAG_STARTS}])(?:" + "|".join(f"(?P<{kind}>{pattern})"
                                                                   for kind, pattern in RED_FLAG_PATTERNS) + ")",
                       re.I | re.A)
_CERTAIN_WORDS = re.compile(r"\b(?:prove[nsd]?|definitely|guarantee[sd]?)\b", re.I | re.A)
_NEGATED = re.compile(r"(?:\bno|\bnot a|\bnot|\bwithout a)\s+$", re.I | re.A)


_CAPITAL = re.compile(r"[A-Z]")
_NOT_LETTER = re.compile(r"[^A-Za-z]+")


# A final s after three letters but not after another s, before a space. The pattern starts with its s, not with
# the look-behind, so that a search skips to each s: five times faster on a long page.
_PLURAL = re.compile(r"s(?<=[a-z]{3}s)(?<!ss)(?= )")


def _stemmed(text: str) -> str:
    """Return a text's words, a plural's final s dropped, each followed by one space: for counting names."""
    return _PLURAL.sub("", " ".join(words(text)) + " ")


def _stems(text: str) -> list[str]:
    """Return a text's words with a plural's final s dropped, for counting names."""
    return _stemmed(text).split()


def _count_named(text: str, name: str) -> int:
    """Return how many times a name occurs in a text as a whole word, as written."""
    count = 0
    at = text.find(name)
    while at >= 0:
        after = at + len(name)
        if (at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "-")) and (
                after >= len(text) or not (text[after].isalnum() or text[after] == "-")):
            count += 1
        at = text.find(name, after)
    return count


def detect_condition(conditions: Sequence[Condition], text: str) -> Condition:
    """Return the one condition a page is about, from the names and aliases in the data; else say why not."""
    # No stem is empty (an s is dropped after three letters only), so this is the stems joined by single spaces.
    joined = " " + _stemmed(text)
    sample = text[:200_000]
    # A page printed all in lower case ("als") still names its condition by its short alias. The letters are
    # counted only when the capitals are few enough for it to matter.
    capitals = len(_CAPITAL.findall(sample))
    lower_case = capitals * 200 < len(sample) and capitals * 200 < len(_NOT_LETTER.sub("", sample))
    named = {c.id: {w for name in (c.name, *c.all_names()) for w in _stems(name)} for c in conditions}
    scores: list[tuple[int, Condition]] = []
    for condition in conditions:
        others = {w for c in conditions if c.id != condition.id for w in named[c.id]}
        name = _stems(condition.name)
        score = 5 * joined.count(f" {' '.join(name)} ")
        for size in range(2, len(name)):
            for at in range(len(name) - size + 1):
                score += 3 * joined.count(f" {' '.join(name[at:at + size])} ")
        for word in name:
            if len(word) >= 4 and word not in _WEAK_NAME_WORDS and word not in others:
                score += joined.count(f" {word} ")
        for alias in condition.all_names():
            parts = _stems(alias)
            if len(parts) > 1:
                score += 3 * joined.count(f" {' '.join(parts)} ")
            elif parts and len(parts[0]) <= 3:
                shown = parts[0] if lower_case else parts[0].upper()
                score += 2 * _count_named(text.lower() if lower_case else text, shown)
            elif parts and parts != name:
                score += 2 * joined.count(f" {parts[0]} ")
        scores.append((score, condition))
    scores.sort(key=lambda pair: -pair[0])
    known = ", ".join(c.id for c in conditions)
    if not scores or scores[0][0] < 2:
        raise ConditionNotDetected(f"the page names no condition in the data; add --condition (one of: {known})")
    if len(scores) > 1 and scores[1][0] * 3 > scores[0][0] * 2:
        raise ConditionNotDetected(f"the page names several conditions ({scores[0][1].id}, {scores[1][1].id}); "
                                   f"add --condition to choose one")
    return scores[0][1]


def _outcome_terms(condition: Condition) -> list[tuple[str, set[str]]]:
    """Return each outcome's terms a claim may name it by: its id, the abbreviation in its name, its main words."""
    found: list[tuple[str, set[str]]] = []
    for outcome in condition.outcomes:
        terms = {" ".join(words(outcome.id.replace("_", " ")))}
        terms |= {m.lower() for m in re.findall(r"\(([A-Z][A-Za-z0-9-]{1,10})\b", outcome.name)}
        content = [w for w in words(re.sub(r"\([^)]*\)", " ", outcome.name)) if w not in _OUTCOME_STOP and len(w) >= 4]
        terms |= {w for w in content if len(w) >= 6}
        if len(content) >= 2:
            terms.add(" ".join(content[:2]))
        terms = {" ".join(w.rstrip("s") if len(w) > 3 else w for w in t.split()) for t in terms if t}
        found.append((outcome.id, terms))
    return found


def _outcomes_named(terms: list[tuple[str, set[str]]], text: str) -> tuple[str, ...]:
    """Return the outcomes a claim speaks about, by their terms."""
    joined = " " + " ".join(w.rstrip("s") if len(w) > 3 else w for w in words(text)) + " "
    return tuple(outcome for outcome, named in terms if any(f" {term} " in joined for term in named))


class _Page:
    """One page's check against one condition."""

    def __init__(self, data: Dataset, condition: Condition, page: PageText) -> None:
        from stemcell_cli.evidence.command_results import grader

        self.data = data
        self.condition = condition
        self.page = page
        self.studies = studies_of(data, condition)
        self.by_id = {s.id: s for s in self.studies}
        self.names = gazetteer(self.studies, [t for t in data.trials if t.condition == condition.id])
        self.curated = {c.id: c for c in claims_of(data, condition)}
        self.grader = grader(data, condition)
        self.curated_words = [(claim, " ".join(words(claim.text))) for claim in self.curated.values()]
        self.terms = _outcome_terms(condition)
        self.harms = {o.id for o in condition.outcomes if o.harm}
        self.graded: dict[tuple[object, ...], ClaimGrade] = {}
        self.views: dict[str, ClaimView] | None = None

    def citations(self) -> tuple[list[Mention], list[Resolution]]:
        """Return the page's citations and what each resolves to (markers take their reference entry's)."""
        text = self.page.text
        mentions = find_citations(text, self.names)
        matcher = Matcher(self.studies, self.names)
        entries = {m.number: i for i, m in enumerate(mentions) if m.number is not None}
        known: dict[tuple[object, ...], Resolution] = {}
        resolved = []
        for mention in mentions:
            if mention.numbers:
                resolved.append(Resolution(Status.NOT_ON_FILE, None, (), ()))
                continue
            # A page repeats its citations: one that gives the same things resolves the same way.
            key = tuple(getattr(mention, name) for name in mention.__struct_fields__ if name not in ("start", "end"))
            if key not in known:
                known[key] = matcher.resolve(mention)
            resolved.append(known[key])
        resolved = settle_short_citations(mentions, resolved)
        expanded_m: list[Mention] = []
        expanded_r: list[Resolution] = []
        for mention, resolution in zip(mentions, resolved, strict=True):
            if not mention.numbers:
                expanded_m.append(mention)
                expanded_r.append(resolution)
                continue
            for number in mention.numbers:
                entry = resolved[entries[number]]
                expanded_m.append(mention)
                expanded_r.append(Resolution(entry.status, entry.study, entry.candidates,
                                             (f"marker of reference {number}", *entry.reasons)))
        return expanded_m, expanded_r

    def grade(self, span: ClaimSpan) -> tuple[Claim, Verdict, Shown | None, Level | None, str, str | None]:
        """Return a claim graded: as curated when the curators recorded this sentence, else on its outcomes."""
        text = self.page.text[span.start:span.end]
        said = " ".join(words(text))
        for claim, wanted in self.curated_words:
            if wanted and (wanted in said or (len(said.split()) >= 6 and said in wanted)):
                view = self._curated_view(claim.id)
                return (claim, view.grade.verdict, view.grade.effect, view.grade.certainty, view.grade.statement,
                        claim.id)
        asserts = (Assertion.NO_BENEFIT if _NO_BENEFIT.search(text) else
                   Assertion.SAFE if _SAFETY.search(text) else Assertion.BENEFIT)
        if asserts is Assertion.SAFE:
            outcomes = tuple(o.id for o in self.condition.outcomes if o.harm)
        else:
            outcomes = tuple(o for o in _outcomes_named(self.terms, text) if o not in self.harms)
        kind = ClaimKind.QUOTED_CONCLUSION if span.quoted else ClaimKind.BENEFIT
        claim = Claim(id="page", page="page", kind=kind, text=text, outcome=", ".join(outcomes) or "none",
                      asserts=asserts, outcomes=outcomes)
        if not outcomes:
            return claim, Verdict.NOT_CHECKABLE, None, None, NOT_CHECKED, None
        # The verdict depends only on what the claim asserts about which outcomes: many claims share one.
        key = (kind, asserts, outcomes)
        if key not in self.graded:
            self.graded[key] = self.grader.core(claim)
        grade = self.graded[key]
        return claim, grade.verdict, grade.effect, grade.certainty, grade.statement, None

    def _curated_view(self, claim_id: str) -> ClaimView:
        """Return the curated claim's view as `claims` shows it, computed once for the page."""
        if self.views is None:
            from stemcell_cli.evidence.command_results import claim_views

            self.views = {v.claim.id: v for v in claim_views(self.data, self.condition)}
        return self.views[claim_id]


def _problems(claim: Claim, text: str, cited: list[tuple[int, str]], by_id: dict[str, Study],
              studies: Sequence[Study], data: Dataset, curated: str | None) -> list[CitationProblem]:
    """Return what is wrong with how the claim uses its citations."""
    found: list[CitationProblem] = []
    if curated is not None:
        for issue in data.citation_issues:
            if issue.claim == curated:
                index = next((i for i, sid in cited if sid == issue.study), None)
                found.append(CitationProblem(issue.kind.value, issue.summary, index, issue.study))
    for index, sid in cited:
        study = by_id[sid]
        label = study_label(study)
        if study.direction is Direction.NO_BENEFIT and claim.asserts is not Assertion.NO_BENEFIT and \
                not any(p.kind == "negative_study_cited_as_support" and p.study == sid for p in found):
            found.append(CitationProblem("negative_study_cited_as_support",
                                         f"{label} found no benefit, but is cited for this claim", index, sid))
        if _CONTROLLED_WORDS.search(text) and not is_controlled(study.design) and \
                study.design is not Design.SYSTEMATIC_REVIEW:
            found.append(CitationProblem("misstated_design", f"the page describes a controlled trial; {label} is "
                                         f"a {study.design.value.replace('_', ' ')}", index, sid))
        if _META_WORDS.search(text) and study.design is not Design.SYSTEMATIC_REVIEW:
            found.append(CitationProblem("misstated_design", f"the page describes a review; {label} is a "
                                         f"{study.design.value.replace('_', ' ')}", index, sid))
        total = study.participants.total
        numbers = [int(m.group(1)) for m in _NUMBER_PATIENTS.finditer(text)]
        if total is not None and numbers and total not in numbers and not any(
                arm.n in numbers for arm in study.participants.arms):
            found.append(CitationProblem("number_mismatch", f"the page says {', '.join(map(str, numbers))} "
                                         f"participants; {label} had {total}", index, sid))
        named = [s for s in studies if s.id != sid and s.product and s.product != study.product and any(
            named_in(text, name) for name in product_names(s.product))]
        if named:
            found.append(CitationProblem("different_product", f"the claim names {named[0].product}; {label} "
                                         f"tested {study.product or 'another product'}", index, sid))
        later = [s for s in studies if s.id != sid and study.product and s.product == study.product and
                 is_controlled(s.design) and (study_year(s) or 0) > (study_year(study) or 9999)]
        if later:
            found.append(CitationProblem("superseded", f"a later controlled trial of the same product is on file: "
                                         f"{study_label(later[0])} ({later[0].direction.value.replace('_', ' ')})",
                                         index, sid))
    if _NOT_REVIEWED.search(text):
        found.append(CitationProblem("not_peer_reviewed", "the claim rests on a press release, announcement or "
                                     "conference report, not a peer-reviewed paper"))
    return found


def _omitted(claim: Claim, studies: Sequence[Study], cited: set[str]) -> tuple[OmittedStudy, ...]:
    """Return the controlled trials of the claim's outcomes that point the other way and that the page omits."""
    if not claim.outcomes:
        return ()
    wanted = set(claim.outcomes)
    found = []
    for study in studies:
        if not is_controlled(study.design) or study.id in cited:
            continue
        reports = any(o.outcome in wanted for o in study.outcomes)
        match claim.asserts:
            case Assertion.NO_BENEFIT:
                contrary = study.direction is Direction.SUPPORTS_BENEFIT
            case Assertion.SAFE:
                # Deaths or serious events in a controlled trial speak against "safe", whatever outcome it reports.
                contrary = any(h.kind in (HarmKind.DEATH, HarmKind.SERIOUS_ADVERSE_EVENT) for h in study.harms)
                reports = True
            case Assertion.BENEFIT:
                contrary = study.direction in (Direction.NO_BENEFIT, Direction.MIXED)
            case _:
                assert_never(claim.asserts)
        if reports and contrary:
            found.append(OmittedStudy(study.id, study_label(study), study.design.value, study.participants.total,
                                      study.direction.value))
    return tuple(found)


def _red_flags(text: str, claims: Sequence[ClaimCheck]) -> list[RedFlag]:
    """Return the warning signs on the page in page order."""
    found: list[RedFlag] = []
    for match in RED_FLAGS.finditer(text):
        kind = match.lastgroup or ""
        if kind == "cure" and _NEGATED.search(text, max(0, match.start() - 12), match.start()):
            continue
        found.append(RedFlag(kind, match.group(), match.start(), match.end()))
    for claim in claims:
        if claim.certainty in (None, Level.VERY_LOW) and claim.verdict is not Verdict.SUPPORTED:
            for match in _CERTAIN_WORDS.finditer(text, claim.start, claim.end):
                found.append(RedFlag("certainty_overstated", match.group(), match.start(), match.end()))
    return sorted(found, key=lambda f: (f.start, f.kind))


def check_page(data: Dataset, page: PageText, condition: Condition | None = None) -> CheckResult:
    """Return the check of one page against the curated evidence of its condition."""
    condition = condition or detect_condition(data.conditions, page.text)
    checker = _Page(data, condition, page)
    text = page.text
    mentions, resolutions = checker.citations()
    from stemcell_cli.evidence.citation_matching import mention_kinds

    citations = tuple(CitationCheck(text=text[m.start:m.end], start=m.start, end=m.end, status=r.status.value,
                                    study=r.study, candidates=r.candidates, reasons=r.reasons,
                                    kinds=mention_kinds(m)) for m, r in zip(mentions, resolutions, strict=True))
    cited_anywhere = {c.study for c in citations if c.study}
    checks: list[ClaimCheck] = []
    starts = [c.start for c in citations]
    omitted: dict[tuple[object, ...], tuple[OmittedStudy, ...]] = {}

    def left_out(claim: Claim) -> tuple[OmittedStudy, ...]:
        """Return the contrary trials a claim's page leaves out, once per assertion and set of outcomes."""
        key = (claim.asserts, claim.outcomes)
        if key not in omitted:
            omitted[key] = _omitted(claim, checker.studies, cited_anywhere)
        return omitted[key]

    for span in find_claims(text, tuple(checker.names.products)):
        claim, verdict, effect, certainty, statement, curated = checker.grade(span)
        line_end = text.find("\n", span.end)
        line_end = len(text) if line_end < 0 else line_end
        reach = min(line_end, span.end + (200 if span.quoted else 8))
        attached = tuple(range(bisect.bisect_left(starts, span.start), bisect.bisect_left(starts, reach)))
        if span.quoted and attached:
            attached = attached[:1]
        cited = [(i, citations[i].study) for i in attached if citations[i].study]
        issues = _problems(claim, text[span.start:span.end], [(i, s) for i, s in cited if s],
                           checker.by_id, checker.studies, data, curated)
        if not attached and _RESEARCH.search(text[span.start:span.end]) and not citations:
            issues.append(CitationProblem("reference_missing", "the claim speaks of research but the page cites "
                                          "nothing for it"))
        checks.append(ClaimCheck(text=text[span.start:span.end], start=span.start, end=span.end, verdict=verdict,
                                 effect=effect, certainty=certainty, statement=statement, citations=attached,
                                 issues=tuple(issues), omitted=left_out(claim),
                                 curated=curated, outcomes=claim.outcomes))
    flags = _red_flags(text, checks)
    shown = {c.study for c in citations if c.study} | {s for c in citations for s in c.candidates} | {
        o.study for c in checks for o in c.omitted}
    labels = {sid: study_label(checker.by_id[sid]) for sid in sorted(shown) if sid in checker.by_id}
    links = {sid: _link(checker.by_id[sid]) for sid in labels if _link(checker.by_id[sid])}
    return CheckResult(PageInfo(page.source, page.url, condition.id, text), condition.name, citations, tuple(checks),
                       tuple(flags), labels, links, page.warnings)


def _link(study: Study) -> str:
    """Return a study's DOI or PubMed address, or nothing."""
    if study.doi.value:
        return f"https://doi.org/{study.doi.value}"
    if study.pmid.value:
        return f"https://pubmed.ncbi.nlm.nih.gov/{study.pmid.value}/"
    return ""
