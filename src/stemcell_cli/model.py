"""Frozen records and str-Enums that describe the curated evidence; no I/O."""

# No `from __future__ import annotations`: msgspec reads these records' annotations when it builds a decoder
# or encoder on each run, and string annotations would each be compiled and evaluated there.

import re
from enum import Enum
from typing import Annotated, Generic, Literal, TypeVar

import msgspec

# Alike in shape on purpose, like every module of records: each record and enum is declared field by field, as its own
# type for msgspec to decode and mypy to check, and none derives from another to look less alike.
T = TypeVar("T")

SCHEMA_VERSION = 1


class Record(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """Base of every record: immutable, keyword-only, unknown keys rejected."""


class Fact(Record, Generic[T], frozen=True):
    """One curated value with the URLs it was read from, or null with a note saying why."""

    value: T | None = None
    src: tuple[str, ...] = ()
    note: str | None = None


class Design(str, Enum):
    """Study designs, a fixed vocabulary."""

    RANDOMISED_CONTROLLED_TRIAL = "randomised_controlled_trial"
    NON_RANDOMISED_CONTROLLED = "non_randomised_controlled"
    SINGLE_ARM = "single_arm"
    RETROSPECTIVE_COHORT = "retrospective_cohort"
    CASE_SERIES = "case_series"
    LONG_TERM_FOLLOW_UP = "long_term_follow_up"
    SYSTEMATIC_REVIEW = "systematic_review_meta_analysis"


class Direction(str, Enum):
    """What a study's own results say about the therapy."""

    SUPPORTS_BENEFIT = "supports_benefit"
    NO_BENEFIT = "no_benefit"
    MIXED = "mixed"
    SAFETY_ONLY = "safety_only"


class Verification(str, Enum):
    """How much of a study's bibliographic core the curator confirmed on source pages."""

    VERIFIED = "verified"
    PARTIALLY_VERIFIED = "partially_verified"


class QuoteStatus(str, Enum):
    """Whether a quoted sentence was found, word for word, on a source page."""

    VERIFIED = "verified"
    TRUNCATED = "truncated"
    TRANSLATED = "translated"
    UNVERIFIED = "unverified"
    NOT_FOUND = "not_found"


class ClaimKind(str, Enum):
    """A page's headline statement, a bullet-point benefit claim, or a conclusion it quotes from a study."""

    HEADLINE = "headline"
    BENEFIT = "benefit"
    QUOTED_CONCLUSION = "quoted_conclusion"


class IssueKind(str, Enum):
    """Kinds of problems found with how a page cites a study."""

    AUTHOR_MISMATCH = "author_mismatch"
    QUOTE_NOT_FOUND = "quote_not_found"
    QUOTE_UNCONFIRMED = "quote_unconfirmed"
    MISDESCRIBED_RESULT = "misdescribed_result"
    NEGATIVE_STUDY_CITED_AS_SUPPORT = "negative_study_cited_as_support"
    SOURCE_CONTRADICTS_CLAIM = "source_contradicts_claim"
    SOURCE_PARTLY_SUPPORTS_CLAIM = "source_partly_supports_claim"
    INTERNAL_INCONSISTENCY = "internal_inconsistency"


class Assertion(str, Enum):
    """What a claim asserts about its outcome: that the therapy helps, adds nothing, or is safe."""

    BENEFIT = "benefit"
    NO_BENEFIT = "no_benefit"
    SAFE = "safe"


class BiasLevel(str, Enum):
    """A curated risk-of-bias judgement of one study (for a meta-analysis: of the trials it pools)."""

    LOW = "low"
    SOME_CONCERNS = "some_concerns"
    HIGH = "high"


class BiasReason(str, Enum):
    """Why a study's risk of bias is judged as it is; `manufacturer_funded` feeds the sponsor-bias step."""

    NO_CONTROL = "no_control"
    OPEN_LABEL = "open_label"
    NO_BLINDING = "no_blinding"
    STOPPED_EARLY = "stopped_early"
    UNCLEAR_ALLOCATION = "unclear_allocation"
    SELECTED_COHORT = "selected_cohort"
    RETROSPECTIVE = "retrospective"
    MANUFACTURER_FUNDED = "manufacturer_funded"


class Comparison(str, Enum):
    """What a meta-analysis's pooled effects compare."""

    RANDOMISED_ARMS = "randomised_arms"
    MIXED = "mixed"
    BEFORE_AFTER = "before_after"


class HarmKind(str, Enum):
    """Deaths and serious events count in the harm balance; an event the source does not grade is listed only."""

    DEATH = "death"
    SERIOUS_ADVERSE_EVENT = "serious_adverse_event"
    ADVERSE_EVENT = "adverse_event"


class Attribution(str, Enum):
    """What the authors say caused a harm."""

    RELATED = "related"
    POSSIBLY_RELATED = "possibly_related"
    UNRELATED = "unrelated"
    NOT_STATED = "not_stated"


class OutcomeKind(str, Enum):
    """How an outcome is measured: events in patients, a value on a scale, or time until an event."""

    BINARY = "binary"
    CONTINUOUS = "continuous"
    TIME_TO_EVENT = "time_to_event"


class Better(str, Enum):
    """Which way an outcome's numbers move when patients are better off."""

    HIGHER = "higher"
    LOWER = "lower"


class Importance(str, Enum):
    """GRADE's importance of an outcome for decisions."""

    CRITICAL = "critical"
    IMPORTANT = "important"


class ArmRole(str, Enum):
    """What an arm received: the therapy in question, the comparison, or another cell product or dose."""

    TREATED = "treated"
    CONTROL = "control"
    OTHER_TREATED = "other_treated"


class Comparator(str, Enum):
    """What the control arm of a comparison received (`mixed`: a review's trials differ or do not say)."""

    PLACEBO_OR_SHAM = "placebo_or_sham"
    ACTIVE = "active"
    USUAL_CARE = "usual_care"
    NONE = "none"
    MIXED = "mixed"


class Finding(str, Enum):
    """What a trial reported in words for an outcome when no numbers were seen (used only for a vote count)."""

    FAVOURS_TREATMENT = "favours_treatment"
    NO_DIFFERENCE = "no_difference"
    FAVOURS_CONTROL = "favours_control"


class ClusterKind(str, Enum):
    """Why studies are grouped: shared patients or trials are counted once; a shared group feeds sponsor bias."""

    OVERLAPPING_COHORT = "overlapping_cohort"
    POOLED_SAME_TRIALS = "pooled_same_trials"
    SERIAL_REPORTS = "serial_reports"
    SAME_GROUP = "same_group"


# The text of each number as the data file writes it (`-1.00`, `2505.0`), by field name: the loader fills it in
# from the YAML scalars, so that output shows a number as its source printed it while the field keeps its value.
PRINTED_NOTE = ("Each number's text as the data file writes it, by field name (filled in by the loader; a value "
                "given here must read as the field's number).")
_Printed = msgspec.Meta(description=PRINTED_NOTE)
ArmNumber = Literal["n"]
ParticipantsNumber = Literal["total"]
ArmResultNumber = Literal["events", "total", "mean", "sd", "median"]
EstimateNumber = Literal["value", "ci_low", "ci_high", "ci_level", "studies"]


class Arm(Record, frozen=True):
    """One arm of a study and how many participants it had."""

    name: str
    n: int
    role: ArmRole | None = None
    printed: Annotated[dict[ArmNumber, str], _Printed] = {}


class Participants(Record, frozen=True):
    """How many took part, in total and per arm."""

    total: int | None = None
    arms: tuple[Arm, ...] = ()
    src: tuple[str, ...] = ()
    note: str | None = None
    printed: Annotated[dict[ParticipantsNumber, str], _Printed] = {}


class ArmResult(Record, frozen=True):
    """One arm's reported result: events out of a total, or a mean with its SD."""

    arm: str
    role: ArmRole | None = None
    events: int | None = None
    total: int | None = None
    mean: float | None = None
    sd: float | None = None
    median: float | None = None
    range: str | None = None
    printed: Annotated[dict[ArmResultNumber, str], _Printed] = {}


class Estimate(Record, frozen=True):
    """A reported effect estimate with its confidence interval, as printed."""

    metric: str
    value: float
    ci_low: float | None = None
    ci_high: float | None = None
    ci_level: int | float | None = None
    p: str | None = None
    studies: int | None = None
    model: str | None = None
    printed: Annotated[dict[EstimateNumber, str], _Printed] = {}


class RiskOfBias(Record, frozen=True):
    """A curated risk-of-bias judgement with its reasons and sources."""

    level: BiasLevel
    reasons: tuple[BiasReason, ...] = ()
    note: str | None = None
    src: tuple[str, ...] = ()


# Without curated roles, the one arm whose name says it received no active treatment is the comparison arm.
CONTROL_NAME = re.compile(r"\b(placebo|controls?|standard (care|treatment|therapy)|usual care|sham|no treatment|"
                          r"untreated|conventional (care|treatment|therapy))\b", re.IGNORECASE)


def named_control(name: str) -> bool:
    """Tell whether an arm's name marks it as the control (placebo, control, standard care, ...)."""
    return CONTROL_NAME.search(name) is not None


def compared_arms(arms: tuple[ArmResult, ...]) -> tuple[tuple[ArmResult, ...], ArmResult] | None:
    """Return the treated arms and the control arm: by the curated roles, else by the arms' names; None if unclear."""
    if any(arm.role is not None for arm in arms):
        treated = tuple(arm for arm in arms if arm.role is ArmRole.TREATED)
        control = [arm for arm in arms if arm.role is ArmRole.CONTROL]
        return (treated, control[0]) if treated and len(control) == 1 else None
    named = [arm for arm in arms if named_control(arm.arm)]
    others = tuple(arm for arm in arms if not named_control(arm.arm))
    return (others, named[0]) if len(named) == 1 and len(others) == 1 else None


class Outcome(Record, frozen=True):
    """One reported result: the measure, its numbers exactly as reported, the words, and the outcome it measures."""

    measure: str
    reported: str
    outcome: str | None = None
    timepoint: str | None = None
    comparator: Comparator | None = None
    arms: tuple[ArmResult, ...] = ()
    estimate: Estimate | None = None
    finding: Finding | None = None
    subgroup: str | None = None
    indirect: str | None = None
    risk_of_bias: RiskOfBias | None = None
    src: tuple[str, ...] = ()
    note: str | None = None


class PooledStudy(Record, frozen=True):
    """A study a meta-analysis pools that has no record of its own in the data."""

    label: str
    design: Design
    n: int | None = None


class Pooling(Record, frozen=True):
    """What a meta-analysis pools: curated studies, others by design, and what its effects compare."""

    comparison: Comparison
    includes: tuple[str, ...] = ()
    others: tuple[PooledStudy, ...] = ()
    participants: int | None = None
    note: str | None = None
    src: tuple[str, ...] = ()


class Harm(Record, frozen=True):
    """Deaths or serious adverse events in one arm, with the authors' attribution."""

    kind: HarmKind
    event: str
    arm: str
    count: int
    attribution: Attribution = Attribution.NOT_STATED
    note: str | None = None
    src: tuple[str, ...] = ()


class Quote(Record, frozen=True):
    """A sentence quoted verbatim, with whether it was seen on a source page."""

    text: str | None = None
    status: QuoteStatus = QuoteStatus.UNVERIFIED
    src: tuple[str, ...] = ()
    note: str | None = None


class Study(Record, frozen=True):
    """One published study, every value with its source."""

    id: str
    condition: str
    verification: Verification
    design: Design
    direction: Direction
    label: str | None = None
    cited_as: str | None = None
    verification_note: str | None = None
    authors: Fact[tuple[str, ...]] = Fact()
    title: Fact[str] = Fact()
    journal: Fact[str] = Fact()
    year: Fact[int] = Fact()
    volume: Fact[str] = Fact()
    issue: Fact[str] = Fact()
    pages: Fact[str] = Fact()
    article_number: Fact[str] = Fact()
    doi: Fact[str] = Fact()
    pmid: Fact[str] = Fact()
    pmcid: Fact[str] = Fact()
    trial_registration: Fact[str] = Fact()
    language: Fact[str] = Fact()
    country: Fact[str] = Fact()
    design_detail: Fact[str] = Fact()
    product: str | None = None
    comparator: Comparator | None = None
    participants: Participants = Participants()
    cell_type: Fact[str] = Fact()
    cell_source: Fact[str] = Fact()
    route: Fact[str] = Fact()
    dose: Fact[str] = Fact()
    follow_up: Fact[str] = Fact()
    outcomes: tuple[Outcome, ...] = ()
    adverse_events: Fact[str] = Fact()
    deaths: Fact[str] = Fact()
    funding: Fact[str] = Fact()
    competing_interests: Fact[str] = Fact()
    conclusion: Quote = Quote()
    direction_note: str | None = None
    source_note: str | None = None
    risk_of_bias: RiskOfBias | None = None
    pooling: Pooling | None = None
    harms: tuple[Harm, ...] = ()
    overlaps_with: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def source_urls(self) -> list[str]:
        """Return every source URL the study's record gives, each once, in the order they appear."""
        found: list[str] = []
        _collect_sources(self, found)
        return list(dict.fromkeys(found))


def _collect_sources(value: object, found: list[str]) -> None:
    """Add the URLs of every `src` list in a record tree to `found`."""
    if isinstance(value, tuple):
        for item in value:
            _collect_sources(item, found)
        return
    for name in getattr(value, "__struct_fields__", ()):
        item = getattr(value, name)
        if name == "src" and isinstance(item, tuple):
            found.extend(url for url in item if isinstance(url, str))
        elif isinstance(item, tuple) or hasattr(item, "__struct_fields__"):
            _collect_sources(item, found)


class OverviewPoint(Record, frozen=True):
    """One sentence of a condition's overview, in our words, with its sources."""

    topic: str
    text: str
    src: tuple[str, ...] = ()


class Cluster(Record, frozen=True):
    """Studies that are not independent evidence: shared patients, the same pooled trials, or one group."""

    id: str
    kind: ClusterKind
    studies: tuple[str, ...]
    reason: str
    src: tuple[str, ...] = ()


ThresholdNumber = Literal["value"]


class Threshold(Record, frozen=True):
    """The smallest effect that matters to patients, with the page it comes from.

    Continuous outcomes: a difference in the outcome's unit; binary outcomes: an absolute difference per 1000.
    """

    value: float
    src: tuple[str, ...]
    note: str | None = None
    printed: Annotated[dict[ThresholdNumber, str], _Printed] = {}


class OutcomeDefinition(Record, frozen=True):
    """An outcome the condition's evidence is graded on, with the threshold for an important effect."""

    id: str
    name: str
    kind: OutcomeKind
    better: Better
    importance: Importance
    surrogate: str | None = None
    harm: bool = False
    unit: str | None = None
    threshold: Threshold | None = None
    threshold_note: str | None = None


class Condition(Record, frozen=True):
    """A disease the data covers."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    therapy: str = "stem-cell therapy"
    overview: tuple[OverviewPoint, ...] = ()
    outcomes: tuple[OutcomeDefinition, ...] = ()
    clusters: tuple[Cluster, ...] = ()

    def all_names(self) -> tuple[str, ...]:
        """Return every name the condition answers to: its id, then its aliases."""
        return (self.id, *self.aliases)


class Page(Record, frozen=True):
    """A web page whose claims the data checks."""

    id: str
    condition: str
    title: str
    publisher: str | None = None
    author: str | None = None
    url: str | None = None
    seen: str | None = None
    note: str | None = None


class Link(Record, frozen=True):
    """A study tied to a claim, with one line on what it found for that claim's outcome."""

    study: str
    finding: str
    indirect: str | None = None


MagnitudeNumber = Literal["value"]


class MagnitudeScale(str, Enum):
    """How a claimed size is expressed: a ratio of the arms (fourfold: 4) or a difference in the outcome's unit."""

    RATIO = "ratio"
    DIFFERENCE = "difference"


class Magnitude(Record, frozen=True):
    """The size of effect a claim asserts ("fourfold", "90 percent"), as the curator reads it, with why."""

    scale: MagnitudeScale
    value: float
    note: str
    printed: Annotated[dict[MagnitudeNumber, str], _Printed] = {}


class Claim(Record, frozen=True):
    """A claim a page makes, verbatim, with the studies it cites and what they show."""

    id: str
    page: str
    kind: ClaimKind
    text: str
    outcome: str
    cited_as: str | None = None
    cites: tuple[str, ...] = ()
    asserts: Assertion = Assertion.BENEFIT
    outcomes: tuple[str, ...] = ()
    at_least_months: int | None = None
    product: str | None = None
    comparator: Comparator | None = None
    magnitude: Magnitude | None = None
    support: tuple[Link, ...] = ()
    contrast: tuple[Link, ...] = ()
    rests_on: tuple[str, ...] = ()
    note: str | None = None


class CitationIssue(Record, frozen=True):
    """Something wrong with how a page cites a study for a claim."""

    id: str
    claim: str
    kind: IssueKind
    summary: str
    study: str | None = None
    src: tuple[str, ...] = ()


class Trial(Record, frozen=True):
    """A registered trial, with its status as the registry pages show it."""

    id: str
    condition: str
    title: str
    registry: str = "ClinicalTrials.gov"
    phase: str | None = None
    design: str | None = None
    enrollment: str | None = None
    status: str | None = None
    results_posted: bool | None = None
    sponsor: str | None = None
    published_as: str | None = None
    src: tuple[str, ...] = ()
    note: str | None = None


class SourceKind(str, Enum):
    """What kind of page a secondary source is: anything but the journal, PubMed, PMC or a registry."""

    MIRROR = "mirror"
    AGGREGATOR = "aggregator"
    INDEX = "index"
    VENDOR = "vendor"
    CLINIC = "clinic"
    NEWS = "news"
    OTHER_PAPER = "other_paper"


class SecondarySource(Record, frozen=True):
    """A page that is not the journal's, PubMed's, PMC's or a registry's, used where nothing better was seen."""

    url: str
    kind: SourceKind
    note: str | None = None


class Dataset(Record, frozen=True):
    """The whole curated data file."""

    schema_version: int
    conditions: tuple[Condition, ...]
    sources: dict[str, str] = {}
    secondary_sources: tuple[SecondarySource, ...] = ()
    studies: tuple[Study, ...] = ()
    pages: tuple[Page, ...] = ()
    claims: tuple[Claim, ...] = ()
    citation_issues: tuple[CitationIssue, ...] = ()
    trials: tuple[Trial, ...] = ()


class DataFile(msgspec.Struct, frozen=True, gc=False, kw_only=True):
    """A data file as a result's source: its base name, its schema version and the SHA-256 of its bytes."""

    file: str
    schema_version: int | None  # None only for a file `validate` could not read as a dataset
    sha256: str


class Provenance(msgspec.Struct, frozen=True, gc=False, kw_only=True):
    """Where a result came from: the tool's version and each data file it read."""

    version: str
    data: tuple[DataFile, ...]


def sha256_hex(raw: bytes) -> str:
    """Return the SHA-256 of bytes in hex, by the interpreter's own module where it has one."""
    # As the cache does for BLAKE2: importing hashlib loads OpenSSL first, about 3 ms of a run that names its source.
    # The interpreter's module is _sha2 from Python 3.12 on and _sha256 before, hence a lookup by name.
    import importlib

    for name in ("_sha2", "_sha256", "hashlib"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        return str(module.sha256(raw).hexdigest())
    raise ImportError("no SHA-256 in this interpreter")
