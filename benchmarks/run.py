"""Measure stemcell's start-up, cached and cold-parse times as ratios to a floor, and print them with targets.

Run from the repository: `python benchmarks/run.py` (add `--quick` for fewer repeats, `--checks` for the start-up
checks alone, `--only REGEX` for the command rows whose description matches, e.g. `--only check`). The rows come
from the app (benchmarks/rows.py): on the generated 100-study file, every command in every format, and every option
of each command in a table and in JSON; on the shipped data, every command in every format for every condition the
data has. A table must stay within 1.25 x F, a machine format within 0.9 x F, and a command with targets of its
own (benchmarks/rows.py's COMMAND_TARGETS: check 1.5 x F as a table and 1.0 x F otherwise, a report 1.5 x F) within
those. After
the times, start-up checks (benchmarks/checks.py) say PASS or FAIL for each trick the times depend on, and the
script exits 1 if one fails. Every command runs as a
subprocess of this interpreter, the way the `stemcell` console script starts, with stdout to a pipe. Commands
are run in interleaved rounds (one of each per round, after one discarded warm-up round), with the floor run again
after every FLOOR_EVERY commands. Each ratio is the median over rounds of the command's time divided by the mean of
the floor's times just before and just after it, so that a change in machine load between rounds, and within a
round of many rows, cancels out; the same ratio of CPU time (user + system) is printed beside it, as a
check that is blind to waiting for a busy core. The floor F is the time of
`python -c "import typer, rich.console, rich.table, yaml"`. This is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from checks import print_checks, run_checks  # noqa: E402  (the modules sit next to this script)
from generate import write_all, write_edited  # noqa: E402
from rows import Row, rows, shipped_rows  # noqa: E402

FLOOR_CODE = "import typer, rich.console, rich.table, yaml"
# What the console script that pip writes for `stemcell = MODULE:FUNCTION` runs.
ENTRY_TEMPLATE = ("import re\nimport sys\nfrom {module} import {function}\n"
                  "sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\nsys.exit({function}())")
CLOADER_CODE = ("import sys, time, yaml\ntext = open(sys.argv[1], encoding='utf-8').read()\n"
                "start = time.perf_counter()\nyaml.load(text, Loader=yaml.CSafeLoader)\n"
                "print(time.perf_counter() - start)")
MB = 1024 * 1024
# The floor is timed again after this many commands: a round of every row takes minutes, and the load of a shared
# machine changes within it.
FLOOR_EVERY = 8


@dataclass
class Run:
    """One finished child process."""

    seconds: float
    cpu: float
    max_rss: int
    stdout: bytes
    # The mean time of the floor runs just before and after this one (0: not measured beside the floor).
    floor_seconds: float = 0.0
    floor_cpu: float = 0.0


@dataclass
class Series:
    """Repeated measurements of one command."""

    name: str
    argv: list[str]
    env: dict[str, str]
    before: list[str] | None = None
    exit: int = 0
    runs: list[Run] = field(default_factory=list)

    @property
    def median(self) -> float:
        """Return the median wall time in seconds."""
        return statistics.median(r.seconds for r in self.runs)

    def ratio(self, floor: Series, cpu: bool = False) -> float:
        """Return the median over rounds of this command's time over the floor's beside it (else in its round)."""
        if self.runs and all(r.floor_seconds for r in self.runs):
            return statistics.median((r.cpu / r.floor_cpu) if cpu else (r.seconds / r.floor_seconds)
                                     for r in self.runs)
        pairs = zip(self.runs, floor.runs, strict=True)
        return statistics.median((a.cpu / b.cpu) if cpu else (a.seconds / b.seconds) for a, b in pairs)

    @property
    def peak_mb(self) -> float:
        """Return the largest peak resident memory of any run, in MB."""
        return max(r.max_rss for r in self.runs) / MB


def run_child(argv: list[str], env: dict[str, str], expect: int = 0) -> Run:
    """Run one child with stdout to a pipe; return its wall time, peak memory (ru_maxrss) and output."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=errors, stdin=subprocess.DEVNULL, env=env)
        assert child.stdout is not None
        out = child.stdout.read()
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        child.stdout.close()
        if child.returncode != expect:
            errors.seek(0)
            raise SystemExit(f"failed ({child.returncode}): {' '.join(argv[2:] if argv[1] == '-c' else argv)}\n"
                             + errors.read().decode(errors="replace"))
    # Linux reports ru_maxrss in KiB, macOS in bytes.
    max_rss = usage.ru_maxrss if sys.platform == "darwin" else usage.ru_maxrss * 1024
    # Only a short output is kept (the C loader's parse time): thousands of runs' outputs would grow this process.
    return Run(seconds, usage.ru_utime + usage.ru_stime, max_rss, out if len(out) <= 64 else b"")


# A child's ru_maxrss on Linux is at least the memory of the process that started it (exec keeps the larger
# high-water mark), and this process grows over thousands of runs: peak memory is read in a small launcher instead.
PEAK_CODE = ("import os, sys\n"
             "pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ, "
             "file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])\n"
             "_pid, status, usage = os.wait4(pid, 0)\n"
             "print(usage.ru_maxrss if sys.platform == 'darwin' else usage.ru_maxrss * 1024)\n"
             "sys.exit(os.waitstatus_to_exitcode(status))")


def peak_memory(argv: list[str], env: dict[str, str]) -> int:
    """Return the peak resident memory, in bytes, of one run of a command started by a small launcher."""
    done = subprocess.run([sys.executable, "-c", PEAK_CODE, *argv], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, check=False)
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): peak memory of {' '.join(argv[3:])}")
    return int(done.stdout)


def declared_entry() -> str:
    """Return the `stemcell` console script's target from pyproject.toml, e.g. `stemcell_cli.cli.app:main`."""
    for line in (REPO / "pyproject.toml").read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "stemcell":
            return value.strip().strip('"')
    raise SystemExit("pyproject.toml declares no `stemcell` script")


def stemcell(entry: str, *args: str) -> list[str]:
    """Return the argv that runs `stemcell ARGS` the way the console script does."""
    module, function = entry.split(":")
    return [sys.executable, "-c", ENTRY_TEMPLATE.format(module=module, function=function), *args]


def base_env(cache: Path) -> dict[str, str]:
    """Return the children's environment: the source tree importable, the cache in a temporary directory."""
    # Bytecode may be written: an installed package has it, and compiling on every start is not start-up time.
    env = {k: v for k, v in os.environ.items()
           if k not in ("STEMCELL_NO_CACHE", "STEMCELL_DATA", "STEMCELL_YAML_PURE", "PYTHONPROFILEIMPORTTIME",
                        "PYTHONDONTWRITEBYTECODE")}
    probe = subprocess.run([sys.executable, "-c", "import stemcell_cli"], env=env, capture_output=True)
    if probe.returncode != 0:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), env.get("PYTHONPATH")]))
    env["STEMCELL_CACHE_DIR"] = str(cache)
    return env


def measure(series: list[Series], repeats: int, floor: Series | None = None) -> None:
    """Run every series once to warm up, then `repeats` interleaved rounds; cold series reset their cache.

    With a floor, it is run before the first command of a round and after every FLOOR_EVERY commands, and each run
    keeps the mean of the floor's times around it.
    """
    for round_index in range(repeats + 1):
        before = run_child(floor.argv, floor.env) if floor is not None else None
        pending: list[Run] = []
        for position, item in enumerate(series, start=1):
            if item.before is not None:
                shutil.rmtree(item.env["STEMCELL_CACHE_DIR"], ignore_errors=True)
            result = run_child(item.argv, item.env, item.exit)
            if round_index > 0:
                item.runs.append(result)
            pending.append(result)
            if floor is not None and before is not None and (len(pending) == FLOOR_EVERY or position == len(series)):
                after = run_child(floor.argv, floor.env)
                for run in pending:
                    run.floor_seconds = (before.seconds + after.seconds) / 2
                    run.floor_cpu = (before.cpu + after.cpu) / 2
                if round_index > 0:
                    floor.runs.append(after)
                before, pending = after, []
        print(f"  round {round_index}/{repeats} done", file=sys.stderr, flush=True)


def importtime(argv: list[str], env: dict[str, str], top: int = 15) -> list[str]:
    """Return the `-X importtime` lines of one run with the largest cumulative times."""
    traced = [argv[0], "-X", "importtime", *argv[1:]]
    done = subprocess.run(traced, env=env, capture_output=True, check=False)  # a strict validation exits 1
    rows = []
    for line in done.stderr.decode().splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        own, cumulative, name = line.split("|")
        rows.append((int(cumulative), int(own.split(":")[1]), name.strip()))
    rows.sort(reverse=True)
    return [f"{cum / 1000:8.1f} ms {own / 1000:7.1f} ms  {name}" for cum, own, name in rows[:top]]


def machine() -> str:
    """Describe the machine: CPU model, cores, Python, OS and load."""
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    return (f"{model}, {os.cpu_count()} cores; Python {platform.python_version()} ({sys.executable}); "
            f"{platform.system()} {platform.release()}; load average {load}")


def row_series(found: list[Row], entry: str, data: Path, env: dict[str, str]) -> list[tuple[Row, Series]]:
    """Return a timed series for each discovered row, run on the given data file."""
    return [(row, Series(row.label, stemcell(entry, *row.argv(data)), env, exit=row.exit)) for row in found]


def verdict(ratio: float, limit: float | None) -> str:
    """Return PASS, MISS by how much, or - when there is no target."""
    return "-" if limit is None else ("PASS" if ratio <= limit else f"MISS by {ratio / limit - 1:.1%}")


def print_rows(table: list[tuple[str, str, Series, float | None, str]], floor: Series, parse: list[float],
               cloader: Series | None = None) -> None:
    """Print the Markdown table of measurements: each ratio to F (or to the C loader's parse) against its target."""
    print("| Measurement | Target | Measured | CPU-time ratio | Time | Result |")
    print("|---|---|---|---|---|---|")
    for label, target, item, limit, unit in table:
        if unit == "s":
            # An absolute target: the median wall time, and the median CPU time beside it.
            cpu_s = statistics.median(r.cpu for r in item.runs)
            print(f"| {label} | {target} | {item.median:.2f} s | {cpu_s:.2f} s CPU | {item.median * 1000:.0f} ms "
                  f"| {verdict(item.median, limit)} |")
            continue
        if unit == "F":
            ratio, cpu = item.ratio(floor), item.ratio(floor, cpu=True)
        else:
            assert cloader is not None
            # The C loader's own parse time (no interpreter start) is the time ratio's denominator.
            ratio = statistics.median(r.seconds / p for r, p in zip(item.runs, parse, strict=True))
            cpu = item.ratio(cloader, cpu=True)
        name = "F" if unit == "F" else "C-loader"
        print(f"| {label} | {target} | {ratio:.2f} x {name} | {cpu:.2f} | {item.median * 1000:.0f} ms "
              f"| {verdict(ratio, limit)} |")


def main() -> None:
    """Generate the data, measure, and print the table of ratios, then the start-up checks."""
    parser = argparse.ArgumentParser(description="Benchmark stemcell against the import floor F.")
    parser.add_argument("--quick", action="store_true", help="5 rounds (1 for the cold parse) instead of 21 (3)")
    parser.add_argument("--checks", action="store_true", help="run the start-up checks only, without timing")
    parser.add_argument("--repeats", type=int, help="rounds of the fast commands (default 21, quick 5)")
    parser.add_argument("--cold-repeats", type=int, help="rounds of the 10,000-study cold parse (default 3)")
    parser.add_argument("--data-dir", type=Path, help="where to write the generated data (default: a temp dir)")
    parser.add_argument("--entry", help="MODULE:FUNCTION to start, instead of the script pyproject.toml declares")
    parser.add_argument("--only", metavar="REGEX", help="time only the command rows whose description matches "
                        "(e.g. check, or 'claims.*shipped'), against F; no cold parse and no start-up checks")
    args = parser.parse_args()
    repeats = args.repeats or (5 if args.quick else 21)
    cold_repeats = args.cold_repeats or (1 if args.quick else 3)
    entry = args.entry or declared_entry()
    found = rows()
    # The shipped data of every condition the data has, as users run it: no --data, the shipped file.
    shipped = shipped_rows()
    if args.only:
        wanted = re.compile(args.only)
        found = [row for row in found if wanted.search(row.described)]
        shipped = [row for row in shipped if wanted.search(row.described)]

    work = Path(tempfile.mkdtemp(prefix="stemcell-bench-"))
    try:
        data = write_all(args.data_dir or work / "data")
        small, medium, large = data[100], data[1_000], data[10_000]
        warm = base_env(work / "cache-warm")
        if args.checks:
            for row in found:  # warm the cache, as the timed rounds do
                run_child(stemcell(entry, *row.argv(small)), warm, row.exit)
            sys.exit(0 if print_checks(run_checks(found, entry, warm, small)) else 1)
        print(f"machine: {machine()}")
        print(f"data: {', '.join(f'{n} studies {p.stat().st_size / 1e6:.1f} MB' for n, p in data.items())}")
        print(f"entry point: {entry}")
        print(f"rounds: {repeats} interleaved (cold parse: {cold_repeats}); ratios are medians of per-round ratios; "
              f"stdout to a pipe; command rows from the app: {len(found)} on the generated data, {len(shipped)} on "
              "the shipped data\n")

        floor = Series("F", [sys.executable, "-c", FLOOR_CODE], warm)
        timed = row_series(found, entry, small, warm) + row_series(shipped, entry, small, warm)
        version = Series("--version", stemcell(entry, "--version"), warm)
        summary_1k = Series("summary 1k", stemcell(entry, "lupus", "summary", "--data", str(medium)), warm)
        summary_10k = Series("summary 10k", stemcell(entry, "lupus", "summary", "--data", str(large)), warm)
        # Two versions of the 10,000-study file, both cached by the warm-up round: every hundredth treated arm differs.
        diff_10k = Series("diff 10k", stemcell(entry, "diff", str(large), str(write_edited(large)), "--format",
                                               "json"), warm, exit=1)
        fixed = [] if args.only else [version, summary_1k, summary_10k, diff_10k]
        fast = [*(series for _row, series in timed), *fixed]
        cold_dir = work / "cache-cold"
        cold_env = {**warm, "STEMCELL_CACHE_DIR": str(cold_dir)}
        cold = [
            Series("C loader 10k", [sys.executable, "-c", CLOADER_CODE, str(large)], warm),
            Series("validate 10k", stemcell(entry, "validate", str(large)), cold_env, before=[]),
            Series("summary 10k cold", stemcell(entry, "lupus", "summary", "--data", str(large)), cold_env, before=[]),
        ]
        print("fast commands (the first round warms the cache and is not counted):", file=sys.stderr)
        measure(fast, repeats, floor)
        if not args.only:
            print("cold parse of 10,000 studies:", file=sys.stderr)
            measure(cold, cold_repeats)

        f = floor.median
        table: list[tuple[str, str, Series, float | None, str]] = [
            (row.described, f"{row.target} x F", series, row.target, "F") for row, series in timed]
        if args.only:
            print(f"F = {f * 1000:.1f} ms\n")
            print_rows(table, floor, [])
            missed = sum(1 for _l, _t, item, limit, _u in table if limit is not None and item.ratio(floor) > limit)
            print(f"\n{missed} of {len(table)} rows miss their target")
            sys.exit(0)
        cloader = statistics.median(float(r.stdout) for r in cold[0].runs)
        parse = [float(r.stdout) for r in cold[0].runs]
        table += [
            ("`stemcell --version`", "0.9 x F", version, 0.9, "F"),
            ("`stemcell lupus summary`, 1,000 studies, warm cache", "-", summary_1k, None, "F"),
            ("`stemcell lupus summary`, 10,000 studies, warm cache", "2 x F", summary_10k, 2.0, "F"),
            ("`stemcell diff` of two 10,000-study files, warm cache", "3 s", diff_10k, 3.0, "s"),
            ("`stemcell validate`, 10,000 studies, first run", "1.3 x C-loader parse", cold[1], 1.3, "C"),
            ("`stemcell lupus summary`, 10,000 studies, cold cache", "-", cold[2], None, "C"),
        ]
        print(f"F = {f * 1000:.1f} ms; C-loader parse of the 10,000-study file = {cloader:.2f} s "
              f"(process: {cold[0].median:.2f} s, peak {cold[0].peak_mb:.0f} MB)\n")
        print_rows(table, floor, parse, cold[0])
        for label, item, env in (("10,000 studies, warm `summary`", summary_10k, warm),
                                 ("10,000 studies, cold `validate`", cold[1], {**warm, "STEMCELL_CACHE_DIR": str(
                                     work / "cache-peak-validate")}),
                                 ("10,000 studies, cold `summary`", cold[2], {**warm, "STEMCELL_CACHE_DIR": str(
                                     work / "cache-peak-summary")})):
            peak = peak_memory(item.argv, env) / MB
            verdict_ = "PASS" if peak <= 200 else f"MISS by {peak / 200 - 1:.1%}"
            print(f"| peak memory, {label} | 200 MB | {peak:.0f} MB | - | - | {verdict_} |")
        misses = sum(1 for _l, _t, item, limit, unit in table
                     if unit == "F" and limit is not None and item.ratio(floor) > limit)
        print(f"\n{misses} of {sum(1 for row in table if row[3] is not None and row[4] == 'F')} start-up rows miss "
              "their target")

        slowest_row, slowest = max(timed, key=lambda pair: pair[1].ratio(floor) / pair[0].target)
        print(f"\nimport time of the slowest start-up command relative to its target, `{slowest_row.label}` "
              "(top 15 by cumulative; cumulative, self, module):")
        for line in importtime(slowest.argv, slowest.env):
            print("  " + line)
        passed = print_checks(run_checks(found, entry, warm, small))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
