"""Every rule of the grading in words, in the order a reader applies them; the JSON and the README print them."""

from __future__ import annotations

from stemcell_cli.evidence.domains import ENOUGH_EVENTS, ENOUGH_PARTICIPANTS, SERIOUS_I2, VERY_SERIOUS_I2

RULES: tuple[tuple[str, str], ...] = (
    ("outcomes", "each condition lists its outcomes (kind, which way is better, importance, surrogate, harm) and "
                 "the threshold for an important effect with its source; with none on record the null is the "
                 "threshold"),
    ("rows", "results are grouped by outcome, comparison (placebo or sham, active, usual care, none, mixed) and "
             "time point; only controlled comparisons enter a row: randomised or non-randomised controlled trials, "
             "and meta-analyses of randomised arms; uncontrolled reports and reviews that pool before/after data "
             "are signals, shown and never pooled"),
    ("arms", "the treated and control arms are the curated roles (several treated arms are combined, Cochrane "
             "Handbook 6.5.2.10; other treated arms are never controls); without roles, the one arm named placebo, "
             "control, sham, usual or standard care is the control"),
    ("measures", "events as a risk ratio, means as a mean difference (medians give none); a reported estimate is "
                 "used as printed, and stands in where the arms lack what a computation needs; a row pools one "
                 "measure, the one most of its results use"),
    ("each trial once", "a review's estimate stands in only for trials whose own results are not on file: it is "
                        "left out when a trial it pools (its list, or that of a review curated as pooling the same "
                        "trials) has its own result for the outcome at that time point (at any time point when the "
                        "review states none); a review that does not list its trials is left out beside trials; of "
                        "several reviews in a row only one counts: the one with the most studies (then the one that "
                        "lists its trials, then the newest); the others are listed as left out, naming the trials "
                        "both are known to pool, or as possibly pooling the same trials when their lists do not show "
                        "it"),
    ("zero events", "a trial with no events in either arm says nothing about direction and is left out of ratio "
                    "pooling"),
    ("pooling", "two or more results: random effects, REML, Hartung-Knapp (metafor's rma with test='knha'); one: "
                "its own estimate"),
    ("absolute effects", "binary rows per 1000: the comparator risk is the control arms' events over their "
                         "patients; the intervention's is that risk times the RR (and its CI), capped at 1000; "
                         "when no control patient had an event, the risk difference is used instead; GRADEpro "
                         "rounds each to a whole number"),
    ("what the estimate shows", "on the scale where positive is better: with a threshold, the CI entirely beyond "
                                "it is benefit or harm, entirely inside it little or no difference, crossing one "
                                "threshold the zone of the point estimate, crossing both uncertain; with no "
                                "threshold, a CI entirely above or below the null is benefit or harm and one that "
                                "includes it is uncertain; a binary threshold is judged on the difference per 1000"),
    ("start", "randomised comparisons start high; a row with any non-randomised comparison starts low"),
    ("risk of bias", "two levels if trials at high risk carry more than half the weight; one if any weight comes "
                     "from a trial at high risk, or more than half from trials with some concerns or not assessed; "
                     "a result's own curated risk of bias (a review's estimate restricted to trials at low risk) "
                     "stands before its study's"),
    ("inconsistency", f"two or more results: one level if point estimates lie on both sides of the threshold and "
                      f"the CIs do not overlap or I² is at least {SERIOUS_I2:g}%; two if both and I² is at least "
                      f"{VERY_SERIOUS_I2:g}%; one trial, or one review whose heterogeneity is not curated: not "
                      "judged; a subgroup result is not pooled and never counts as inconsistency"),
    ("indirectness", "one level for a surrogate outcome; one more if results from another population, product or "
                     "outcome (curated as indirect, or another product than the claim's) carry more than half the "
                     "weight"),
    ("imprecision", f"one level per threshold the CI crosses (the null counts once when there is no threshold), "
                    f"plus one if the information is below GRADE's rule of thumb ({ENOUGH_EVENTS} events for binary, "
                    f"{ENOUGH_PARTICIPANTS} participants for continuous outcomes), two at most; binary events "
                    "unknown but participants known is 'cannot judge' and adds no level, no size known at all adds "
                    "one; no estimate at all: two levels"),
    ("publication bias", "one level if registered trials of the condition are completed with no posted results and "
                         "no publication on file, or if trials a cell maker funded carry most of the weight and "
                         "favour its cells; a maker's null or unfavourable trial never lowers certainty"),
    ("certainty", "the start, less the levels of the five domains, never below very low; the engine does not rate "
                  "up"),
    ("vote count", "only where no result of the outcome has an estimate: trials reported in words only (or with an "
                   "estimate printed without its CI) whose curated `finding` states a direction, weighted by "
                   "participants; benefit or harm when more than half the weight says so, else uncertain; labelled, "
                   "judged for risk of bias and indirectness by the same weights, imprecision two levels, never "
                   "against an estimate (beside one, such results are listed as left out)"),
    ("choosing the row", "a claim is answered at the longest follow-up with a controlled estimate (then the row "
                         "with the most studies, then placebo or sham first), or at its own follow-up when it names "
                         "one, and only on its own comparison when it names one (`comparator`); the other rows stay "
                         "in `sof`"),
    ("products", "a claim that names a product is answered on that product's trials when they give an estimate; "
                 "otherwise on every product's, rated down for indirectness"),
    ("verdict", "very low certainty is always very_uncertain; otherwise, for a benefit claim benefit is supported, "
                "little or no difference or harm not_supported; for a no-benefit claim the reverse; for a safety "
                "claim (harm outcomes) benefit or little or no difference is supported and harm not_supported; an "
                "uncertain effect is very_uncertain; only uncontrolled reports: very_uncertain; nothing curated: "
                "not_checkable"),
    ("magnitude", "a claimed size is supported only if the whole CI reaches it, not_supported if the whole CI falls "
                  "short of it, else very_uncertain; a claimed ratio cannot be read from a difference"),
    ("compound claims", "a claim of several outcomes, or made of other claims, is supported when every part is, "
                        "not_supported when any part is (at that part's certainty), not_checkable when no part can "
                        "be checked, else very_uncertain at its parts' lowest certainty"),
    ("quoted conclusions", "graded on the whole body, its source included; independent_confirmation is true when "
                           "the verdict is supported or not_supported and stays the same without the source, the "
                           "reports that share its patients and the reviews that pool it"),
    ("robustness", "each claim is graded again on placebo- or sham-controlled comparisons only, on the claim's "
                   "product only, without reviews whose trial lists are unknown, and without trials at high risk "
                   "of bias"),
)
