"""Write deterministic synthetic data files of 100, 1,000 and 10,000 studies for the benchmark."""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

# (studies, conditions): the sizes the benchmark measures.
SIZES: tuple[tuple[int, int], ...] = ((100, 1), (1_000, 10), (10_000, 100))
SEED = 20_240_601

DESIGNS = (
    ("randomised_controlled_trial", 3),
    ("non_randomised_controlled", 2),
    ("single_arm", 5),
    ("retrospective_cohort", 2),
    ("case_series", 4),
    ("long_term_follow_up", 1),
    ("systematic_review_meta_analysis", 1),
)
DIRECTIONS = (("supports_benefit", 6), ("no_benefit", 2), ("mixed", 2), ("safety_only", 1))
SURNAMES = ("able", "baker", "chen", "dai", "evans", "fang", "garcia", "huang", "ito", "jones", "kim", "li",
            "meyer", "nakamura", "ortiz", "patel", "quinn", "rossi", "sato", "tan", "ueda", "vogel", "wang",
            "xu", "yang", "zhou")
JOURNALS = ("Journal of Examples", "Stem Cells Examples", "Annals of Synthetic Medicine", "Example Research")
CELLS = ("umbilical cord MSC", "bone marrow MSC", "adipose-derived MSC", "placental MSC")
OUTCOMES = ("remission", "disease activity score", "proteinuria", "adverse events", "quality of life")


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    """Pick one value by weight."""
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _q(text: str) -> str:
    """Quote a string for YAML (a JSON string is a valid double-quoted YAML scalar)."""
    return json.dumps(text, ensure_ascii=False)


def _outcome_id(name: str) -> str:
    """Return the id of a synthetic outcome: its name in lower case with underscores."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def _condition_ids(count: int) -> list[str]:
    """Return the condition ids: `lupus` first, then numbered synthetic ones."""
    return ["lupus"] + [f"condition{i:03d}" for i in range(1, count)]


def _study_ids(rng: random.Random, count: int) -> list[str]:
    """Return unique author-year ids; the first one is `deng2017`."""
    ids = ["deng2017"]
    seen = set(ids)
    while len(ids) < count:
        base = f"{rng.choice(SURNAMES)}{rng.randint(2000, 2024)}"
        candidate, suffix = base, 0
        while candidate in seen:
            suffix += 1
            candidate = f"{base}{chr(ord('a') + suffix - 1)}" if suffix <= 26 else f"{base}x{suffix}"
        seen.add(candidate)
        ids.append(candidate)
    return ids


def _study(rng: random.Random, study_id: str, condition: str, index: int) -> str:
    """Return one study record as YAML lines."""
    design = "randomised_controlled_trial" if study_id == "deng2017" else _pick(rng, DESIGNS)
    direction = "no_benefit" if study_id == "deng2017" else _pick(rng, DIRECTIONS)
    year = int(study_id[-4:]) if study_id[-4:].isdigit() else rng.randint(2000, 2024)
    author = re.match(r"[a-z]+", study_id).group()  # type: ignore[union-attr]
    src = f"*s{index % 50}"
    lines = [
        f"  - id: {study_id}",
        f"    condition: {condition}",
        f"    verification: {rng.choice(('verified', 'verified', 'partially_verified'))}",
        f"    design: {design}",
        f"    direction: {direction}",
        f"    authors: {{value: [{_q(author.capitalize() + ' A')}, {_q('Other B')}], src: [{src}]}}",
        f"    title: {{value: {_q(f'{rng.choice(CELLS).capitalize()} in {condition}: study {index}')}, src: [{src}]}}",
        f"    journal: {{value: {_q(rng.choice(JOURNALS))}, src: [{src}]}}",
        f"    year: {{value: {year}, src: [{src}]}}",
        f"    doi: {{value: {_q(f'10.5555/{study_id}.{index}')}, src: [{src}]}}",
        f"    pmid: {{value: {_q(str(10_000_000 + index))}, src: [{src}]}}",
    ]
    total = rng.randint(4, 400)
    if design in ("randomised_controlled_trial", "non_randomised_controlled"):
        cells = total // 2
        lines += [
            "    participants:",
            f"      total: {total}",
            f"      arms: [{{name: cells, n: {cells}, role: treated}}, {{name: control, n: {total - cells}, "
            "role: control}]",
            f"      src: [{src}]",
            "    comparator: placebo_or_sham",
            "    outcomes:",
            f"      - measure: {(measure := rng.choice(OUTCOMES))}",
            f"        outcome: {_outcome_id(measure)}",
            "        timepoint: 6 months",
            f"        reported: {_q(f'{cells // 2} of {cells} vs {(total - cells) // 3} of {total - cells}')}",
            f"        arms: [{{arm: cells, role: treated, events: {cells // 2}, total: {cells}}}, "
            f"{{arm: control, role: control, events: {(total - cells) // 3}, total: {total - cells}}}]",
            f"        src: [{src}]",
        ]
    else:
        before = round(rng.uniform(5, 15), 1)
        after = round(before * rng.uniform(0.4, 1.1), 1)
        lines += [
            f"    participants: {{total: {total}, src: [{src}]}}",
            "    outcomes:",
            f"      - measure: {(measure := rng.choice(OUTCOMES))}",
            f"        outcome: {_outcome_id(measure)}",
            f"        reported: {_q(f'from {before} to {after}')}",
            f"        arms: [{{arm: baseline, mean: {before}, sd: 1.5}}, {{arm: 6 months, mean: {after}, sd: 1.5}}]",
            f"        src: [{src}]",
        ]
    # One study in a hundred carries an unverified quote: real files have a few warnings.
    status = "unverified" if index % 100 == 7 else "verified"
    lines.append(f"    conclusion: {{text: {_q('Cells may help some patients.')}, status: {status}, src: [{src}]}}")
    return "\n".join(lines)


def dataset_text(studies: int, conditions: int, seed: int = SEED) -> str:
    """Return a complete, valid data file of `studies` studies spread over `conditions` conditions."""
    rng = random.Random(seed + studies * 1_000 + conditions)
    condition_ids = _condition_ids(conditions)
    study_ids = _study_ids(rng, studies)
    owner = [condition_ids[i % conditions] for i in range(studies)]
    by_condition: dict[str, list[str]] = {c: [] for c in condition_ids}
    for study_id, condition in zip(study_ids, owner, strict=True):
        by_condition[condition].append(study_id)

    out = [
        "# Synthetic benchmark data written by benchmarks/generate.py; nothing here describes a real study.",
        "schema_version: 1",
        "sources:",
    ]
    out += [f"  s{i}: &s{i} \"https://example.org/source/{i}\"" for i in range(50)]
    out.append("conditions:")
    for condition in condition_ids:
        name = "Systemic lupus erythematosus (synthetic)" if condition == "lupus" else f"Synthetic {condition}"
        aliases = "[sle]" if condition == "lupus" else "[]"
        out += [
            f"  - id: {condition}",
            f"    name: {_q(name)}",
            f"    aliases: {aliases}",
            "    overview:",
            f"      - {{topic: what_it_is, text: {_q(f'{name} is a made-up condition.')}, src: [*s0]}}",
            "    outcomes:",
        ]
        out += [f"      - {{id: {_outcome_id(o)}, name: {_q(o)}, kind: binary, better: higher, importance: critical, "
                f"threshold_note: {_q('No threshold is on record for this made-up outcome.')}}}" for o in OUTCOMES]
    out.append("pages:")
    for condition in condition_ids:
        out += [
            f"  - id: {condition}-clinic",
            f"    condition: {condition}",
            f"    title: {_q(f'Stem cells for {condition} (synthetic clinic page)')}",
            "    publisher: Example Clinic",
            f"    url: \"https://example.org/clinic/{condition}\"",
        ]
    out.append("claims:")
    issues: list[str] = []
    trials: list[str] = []
    for c_index, condition in enumerate(condition_ids):
        ids = by_condition[condition]
        # One claim per ten studies (at least one), each citing three supporting and one contrasting study.
        for k in range(max(1, len(ids) // 10)):
            chosen = [ids[(k * 10 + j) % len(ids)] for j in range(4)]
            claim_id = f"{condition}-claim{k}"
            out += [
                f"  - id: {claim_id}",
                f"    page: {condition}-clinic",
                f"    kind: {'benefit' if k % 3 else 'quoted_conclusion'}",
                f"    text: {_q(f'Stem cells improve {OUTCOMES[k % len(OUTCOMES)]}')}",
                f"    outcome: {OUTCOMES[k % len(OUTCOMES)]}",
                f"    outcomes: [{_outcome_id(OUTCOMES[k % len(OUTCOMES)])}]",
                f"    cites: [{', '.join(chosen[:3])}]",
                "    support:",
            ]
            out += [f"      - {{study: {s}, finding: {_q(f'Improved in {s}')}}}" for s in chosen[:3]]
            out += ["    contrast:", f"      - {{study: {chosen[3]}, finding: {_q('No change')}}}"]
            if k % 4 == 0:
                issues += [
                    f"  - id: {claim_id}-issue",
                    f"    claim: {claim_id}",
                    "    kind: misdescribed_result",
                    f"    study: {chosen[0]}",
                    f"    summary: {_q('The page overstates what the study found.')}",
                    "    src: [*s1]",
                ]
        for t in range(3):
            number = 10_000_000 + c_index * 10 + t
            trials += [
                f"  - id: NCT{number:08d}",
                f"    condition: {condition}",
                f"    title: {_q(f'A registered {condition} trial {t}')}",
                f"    phase: Phase {t % 3 + 1}",
                f"    status: {('Completed', 'Recruiting', 'Unknown status')[t]}",
                f"    results_posted: {('false', 'true', 'null')[t]}",
                "    src: [*s2]",
            ]
    out.append("citation_issues:")
    out += issues
    out.append("studies:")
    out += [_study(rng, s, c, i) for i, (s, c) in enumerate(zip(study_ids, owner, strict=True))]
    out.append("trials:")
    out += trials
    return "\n".join(out) + "\n"


EDITED_EVERY = 100
_TREATED = re.compile(r"(role: treated, events: )(\d+)(, total: )(\d+)")


def edited_text(text: str, every: int = EDITED_EVERY) -> str:
    """Return a data file's text with every `every`-th treated arm's events set to its total: a later version of it."""
    count = 0

    def edit(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        if count % every:
            return match.group()
        return f"{match.group(1)}{match.group(4)}{match.group(3)}{match.group(4)}"

    return _TREATED.sub(edit, text)


def write_edited(path: Path) -> Path:
    """Write the edited version of a generated file beside it (`studies-10000-edited.yaml`) and return its path."""
    edited = path.with_name(f"{path.stem}-edited{path.suffix}")
    text = edited_text(path.read_text(encoding="utf-8"))
    if not edited.exists() or edited.read_text(encoding="utf-8") != text:
        edited.write_text(text, encoding="utf-8")
    return edited


def write_all(directory: Path, sizes: tuple[tuple[int, int], ...] = SIZES) -> dict[int, Path]:
    """Write one file per size into `directory` (unchanged files are left alone); return them by study count."""
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    for studies, conditions in sizes:
        path = directory / f"studies-{studies}.yaml"
        text = dataset_text(studies, conditions)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written[studies] = path
    write_page(directory)
    return written


PAGE_NAME = "page-100k.html"
PAGE_BYTES = 100_000


def page_text(seed: int = SEED) -> str:
    """Return a clinic page of about 100 KB of HTML on the synthetic lupus condition, built as such pages are.

    About a quarter is text a reader sees (claims, author-year citations, quoted conclusions, a reference list);
    the rest is what such pages carry around it: styles, scripts (holding text that looks like citations, which
    must not count), a navigation menu and a footer.
    """
    rng = random.Random(seed)
    head = ["<!DOCTYPE html>", "<html lang=\"en\"><head><meta charset=\"utf-8\">",
            "<title>Stem cell therapy for systemic lupus erythematosus</title>", "<style>"]
    head += [f".c{i} {{ margin: {i % 7}px; padding: {i % 5}px; color: #{i * 4099 % 0xFFFFFF:06x}; }}"
             for i in range(400)]
    head.append("</style>")
    script = ["<script>", "var refs = ["]
    script += [f"  {{label: 'Quinn et al {2000 + i % 25}', href: '/r/{i}'}}," for i in range(350)]
    script += ["];", "</script>", "</head><body>"]
    nav = ["<nav><ul>"] + [f"<li><a href=\"/conditions/{i}\">Condition {i} treatment</a></li>" for i in range(300)]
    nav.append("</ul></nav><main><article><h1>Stem cell therapy for systemic lupus erythematosus</h1>")
    body: list[str] = []
    visible = 0
    background = (
        "Systemic lupus erythematosus is a long-term autoimmune disease in which the immune system attacks the body's "
        "own tissues; it can affect the joints, skin, kidneys, blood cells, brain, heart and lungs.",
        "Symptoms vary from person to person and may come and go in flares, with fatigue, joint pain and rashes "
        "among the most common; many people live with the condition for decades.",
        "Our clinic is located near the city centre, with parking for patients and their families; appointments can "
        "be booked by telephone or through the contact form on this page.",
    )
    while visible < PAGE_BYTES // 4:
        first, second = rng.choice(SURNAMES).capitalize(), rng.choice(SURNAMES).capitalize()
        year = rng.randint(2000, 2024)
        outcome = rng.choice(OUTCOMES)
        # Three paragraphs of background for every paragraph of claims, as such pages read.
        paragraph = [f"<p>{rng.choice(background)}</p>" for _ in range(6)] + [
            f"<p>Numerous studies have shown that {rng.choice(CELLS)} therapy is safe and improves {outcome} in "
            f"SLE ({first} et al, {second} et al).</p>",
            f"<ul><li>MSC therapy reduced {outcome} in {rng.randint(10, 200)} patients ({first}, {first[0]} et al "
            f"{year}).</li>",
            f"<li>&ldquo;Treatment with {rng.choice(CELLS)} was effective and well tolerated in refractory "
            f"lupus.&rdquo; ({second} {second[0]} {year})</li></ul>",
            f"<p class=\"c{rng.randint(0, 399)}\">Published in {rng.choice(JOURNALS)} {year}.</p>",
        ]
        body += paragraph
        visible += sum(len(re.sub(r"<[^>]*>", "", line)) for line in paragraph)
    size = sum(len(line) + 1 for line in head + script + nav + body)
    footer = ["</article></main><footer>"]
    while size < PAGE_BYTES:
        line = f"<div class=\"c{size % 400}\"><a href=\"/legal/{size}\">Terms</a> <span>&copy; Clinic</span></div>"
        footer.append(line)
        size += len(line) + 1
    footer.append("</footer></body></html>")
    return "\n".join(head + script + nav + body + footer) + "\n"


def write_page(directory: Path) -> Path:
    """Write the 100 KB page the `check` rows read (an unchanged file is left alone)."""
    path = directory / PAGE_NAME
    text = page_text()
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def main() -> None:
    """Write the benchmark data files into a directory."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("directory", type=Path, help="where to write studies-100.yaml, studies-1000.yaml, ...")
    args = parser.parse_args()
    for studies, path in write_all(args.directory).items():
        print(f"{studies:>6} studies: {path} ({path.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
