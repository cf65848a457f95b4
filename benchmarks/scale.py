"""What-if at national scale, end to end, side by side with an exact pandas reference (issue 11).

    python benchmarks/scale.py [--reports 1000000] [--seed 1] [--runs 3] [--decade]

Every figure is the median of --runs runs (ours and the reference's taken in turn, so that both
meet the same load), printed next to the reference's and the target's ratio,
and under it the ratio of the CPU times (this process's and its children's), which a shared
machine's load stretches less than the wall times.
The CSV is written to a temporary directory and removed.  --decade adds a 10,000,000-report sweep
(time and peak memory).  Nothing here is a timed test: the machine it runs on decides the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))

from bench import pandas_reference, prepare_frame, twenty_reports

from asb_case_review import CATALOGUE, Application, Incident, Report, evaluate
from asb_case_review.analysis.columnar import Columns, sweep_columns
from asb_case_review.analysis.plan import Unsupported, compile_policy
from asb_case_review.analysis.sweep import sweep
from asb_case_review.analysis.synthetic import synthetic_reports
from asb_case_review.analysis.table import reports_from_csv, reports_from_dataframe
from asb_case_review.dates import earliest_start
from asb_case_review.render import for_officer

POLICY = "staffordshire-moorlands"
THREE = ("statutory", "staffordshire-moorlands", "merseyside")


CPU: list[float] = [0.0]
"""The median CPU time of the last :func:`median` (this process's and its children's)."""


def _cpu() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def median(step: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """The median wall time of *step* over *runs* runs, and its last result (its median CPU time in CPU)."""
    times, cpus, result = [], [], None
    for _ in range(runs):
        cpu = _cpu()
        began = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - began)
        cpus.append(_cpu() - cpu)
    CPU[0] = statistics.median(cpus)
    return statistics.median(times), result


def paired(ours: Callable[[], Any], reference: Callable[[], Any], runs: int) -> tuple[Any, ...]:
    """Our step and the reference's, run in turn *runs* times (so that both meet the same load).

    Returns our median wall time, CPU time and last result, then the reference's.
    """
    mine: list[tuple[float, float, Any]] = []
    theirs: list[tuple[float, float, Any]] = []
    for _ in range(runs):
        for step, into in ((reference, theirs), (ours, mine)):
            seconds, result = median(step, 1)
            into.append((seconds, CPU[0], result))
    return (
        statistics.median(m[0] for m in mine), statistics.median(m[1] for m in mine), mine[-1][2],
        statistics.median(t[0] for t in theirs), statistics.median(t[1] for t in theirs), theirs[-1][2],
    )  # fmt: skip


def line(
    label: str,
    ours: float,
    reference: float | None = None,
    target: float | None = None,
    cpu: tuple[float, float] | None = None,
) -> None:
    """One figure; with a reference, the ratio (on wall time) and, with *cpu*, the CPU times' ratio too.

    On a machine shared with other work the wall times stretch with the load; the CPU times less so.
    """
    if reference is None:
        print(f"{label:<58} {ours:9.3f} s")
        return
    ratio = ours / reference
    met = "met" if target is not None and ratio <= target else "NOT met"
    verdict = "" if target is None else f" (target {target}x)  target {met}"
    print(f"{label:<58} {ours:9.3f} s | reference {reference:7.3f} s | {ratio:5.2f}x{verdict}")
    if cpu is not None:
        print(f"{'':<58} CPU {cpu[0]:6.3f} s | reference {cpu[1]:7.3f} s | {cpu[0] / cpu[1]:5.2f}x")


def reference_frame(frame: pd.DataFrame) -> Any:
    """The reference's own DataFrame → sweep: encode the analyst's frame, then sweep."""
    made = pd.to_datetime(frame["made_on"])
    began = pd.to_datetime(frame["began_on"])
    ended = pd.to_datetime(frame["ended_on"]).fillna(began)
    base = began.min()
    encoded = pd.DataFrame(
        {
            "made": (made - base).dt.days.astype("int64"),
            "began": (began - base).dt.days.astype("int64"),
            "ended": (ended - base).dt.days.astype("int64"),
            "matter": pd.factorize(frame["matter"])[0].astype("int64"),
            "reporter": pd.factorize(frame["reporter"])[0].astype("int64"),
            "incident": pd.factorize(frame["incident"])[0].astype("int64"),
            "hate": frame["hate"].astype(bool),
            "kind": frame["kind"].astype("category"),
        }
    )
    return pandas_reference(encoded, base.date(), CATALOGUE[POLICY])


# The command line, run so that it reports its own peak memory.  ru_maxrss of a child counts the
# memory of the benchmark itself (the child begins as its copy, or borrows it, before exec); VmHWM
# read by the child at its end is the peak of its own program alone (Linux).
_WRAP = """
import runpy, sys
sys.argv = ["asb-case-review", *sys.argv[1:]]
try:
    runpy.run_module("asb_case_review", run_name="__main__")
finally:
    with open("/proc/self/status") as status:
        sys.stderr.write(next(line for line in status if line.startswith("VmHWM")))
"""
PEAKS: list[float] = []


def child(argv: list[str], out: Path) -> float:
    """Run the command line with output to *out*; its wall time (its peak memory goes to PEAKS, in MB)."""
    began = time.perf_counter()
    with out.open("w") as sink:
        done = subprocess.run([sys.executable, "-c", _WRAP, *argv], stdout=sink, stderr=subprocess.PIPE,
                              text=True, check=True)  # fmt: skip
    seconds = time.perf_counter() - began
    PEAKS.append(int(done.stderr.rsplit("VmHWM:", 1)[1].split()[0]) / 1024)
    return seconds


def import_time() -> float:
    """``import asb_case_review`` in a fresh interpreter, in ms (python -X importtime's cumulative)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import asb_case_review"],
        capture_output=True,
        text=True,
        check=True,
    )
    for row in done.stderr.splitlines():
        found = re.match(r"import time:\s+\d+ \|\s+(\d+) \|\s+asb_case_review$", row)
        if found:
            return int(found.group(1)) / 1000
    raise AssertionError(done.stderr)


def bare_count(application: Application, policy: Any) -> int:
    """A bare pure-Python count of the policy's counts: units in each window, no reasons kept."""
    met = 0
    for c in compile_policy(policy).counts:
        window = c.selection.window
        first = earliest_start(application.made_on, window.span, window.arithmetic)
        units = set()
        for r in application.reports:
            if first <= r.made_on <= application.made_on:
                units.add((r.reporter, r.incident.id) if c.unit.value == "complaints" else r.incident.id)
        met += len(units) >= c.at_least
    return met


def small(runs: int) -> None:
    """Print the single-application figures: evaluate against a bare count, the officer text, the import."""
    application = twenty_reports()
    print(f"\nevaluate() on one application of {len(application.reports)} reports (best of 5 x autorange):")
    for name, policy in sorted(CATALOGUE.items()):
        try:
            compile_policy(policy)
        except Unsupported as refused:
            print(f"  {name:<30} (no bare count: {refused})")
            continue
        ours = _best(lambda p=policy: evaluate(application, p))
        bare = _best(lambda p=policy: bare_count(application, p))
        verdict = "met" if ours <= 2 * bare else "NOT met"
        print(
            f"  {name:<30} {ours * 1e6:7.0f} us | bare count {bare * 1e6:6.0f} us | "
            f"{ours / bare:5.1f}x ({verdict})"
        )
    policy = CATALOGUE["merseyside"]
    base = application.reports[0]
    for size in (20, 220):
        extra = tuple(
            Report(f"E{n}", reporter=f"Q{n % 7}", made_on=base.made_on,
                   incident=Incident(f"EI{n}", matter=base.incident.matter, began_on=base.made_on))
            for n in range(size - 20)
        )  # fmt: skip
        grown = Application("G", applicant=application.applicant, made_on=application.made_on,
                            matter=application.matter, reports=application.reports + extra)  # fmt: skip
        if size == 20:
            small_time = _best(lambda g=grown: evaluate(g, policy))
        else:
            per = (_best(lambda g=grown: evaluate(g, policy)) - small_time) / 200
            print(
                f"  cost per extra report (merseyside, 20 → 220 reports): {per * 1e6:.2f} us (target ≤ 2 us)"
            )
    decided = evaluate(application, policy)
    plain = _best(lambda: evaluate(application, policy))
    until = _best(lambda: evaluate(application, policy).met_until)
    print(f"  met_until (evaluate + met_until) {until * 1e6:.0f} us vs evaluate {plain * 1e6:.0f} us: "
          f"{until / plain:.1f}x (target ≤ 5x; met: {decided.met})")  # fmt: skip
    reports = tuple(
        Report(f"R{i}", reporter=f"P{i % 50}", made_on=dt.date(2025, 1, 1) + dt.timedelta(days=i % 150),
               incident=Incident(f"I{i}", matter="M",
                                 began_on=dt.date(2025, 1, 1) + dt.timedelta(days=i % 150)))
        for i in range(100_000)
    )  # fmt: skip
    big = evaluate(Application("A", applicant="P1", made_on=dt.date(2025, 6, 1), matter="M", reports=reports),
                   CATALOGUE["statutory"])  # fmt: skip
    big.met_until  # noqa: B018 (computed once, as the decision caches it, so the figure is for_officer's own)
    seconds, _ = median(lambda: for_officer(big), runs)
    print(f"  for_officer, 100,000 reports: {seconds:.2f} s (target < 2 s)")
    imports = sorted(import_time() for _ in range(max(runs, 3)))
    print(
        f"  import asb_case_review: median {statistics.median(imports):.0f} ms of {imports} (target ≤ 50 ms)"
    )


def _best(step: Callable[[], Any]) -> float:
    timer = timeit.Timer(step)
    loops, _ = timer.autorange()
    return min(timer.repeat(5, loops)) / loops


def main() -> None:  # noqa: PLR0915 - one benchmark after another, as the options ask
    """Run the benchmarks the command line asks for and print their figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--decade", action="store_true")
    parser.add_argument(
        "--no-single",
        action="store_true",
        help="leave out evaluate() on single applications (benchmarks/bench.py measures those too)",
    )
    args = parser.parse_args()
    n, runs = args.reports, args.runs
    print(f"{n:,} reports, seed {args.seed}, policy {POLICY}, medians of {runs} runs; "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    table = synthetic_reports(n, seed=args.seed)
    frame = pd.DataFrame.from_records(list(table.records()))
    policy = CATALOGUE[POLICY]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "reports.csv"
        frame.to_csv(path, index=False)
        print(f"CSV: {path.stat().st_size / 2**20:.0f} MB\n")

        ours_df, ours_df_cpu, got, ref_df, ref_df_cpu, want = paired(
            lambda: sweep(reports_from_dataframe(frame), policy), lambda: reference_frame(frame), runs
        )
        assert np.array_equal(np.array([o.value == "met" for o in got.outcome]), want)
        line("DataFrame → sweep result", ours_df, ref_df, 1.5, (ours_df_cpu, ref_df_cpu))
        # The days each application stays met are worked out when first read (the reference has none).
        until, until_cpu, _, ref_df, ref_df_cpu, _ = paired(
            lambda: sweep(reports_from_dataframe(frame), policy).arrays.met_until,
            lambda: reference_frame(frame),
            runs,
        )
        line("  the same, met_until read too", until, ref_df, None, (until_cpu, ref_df_cpu))

        def read_csv() -> Any:
            text = pd.read_csv(path, dtype=str, keep_default_na=False)
            return reference_frame(text.replace({"ended_on": {"": None}}))

        ours_csv, ours_csv_cpu, _, ref_csv, ref_csv_cpu, _ = paired(
            lambda: sweep(reports_from_csv(path.read_bytes()), policy), read_csv, runs
        )
        line("CSV file → sweep result", ours_csv, ref_csv, 2.0, (ours_csv_cpu, ref_csv_cpu))

        command = ["sweep", str(path), "--policy", POLICY, "--no-progress"]
        cli, cli_cpu, _, ref_csv, ref_csv_cpu, _ = paired(
            lambda: child(command, Path(folder) / "out.csv"), read_csv, runs
        )
        line("asb-case-review sweep FILE.csv > out.csv", cli, ref_csv, 3.0, (cli_cpu, ref_csv_cpu))
        print(f"{'':<58} peak RSS {max(PEAKS):.0f} MB (target ≤ 800 MB)")
        PEAKS.clear()
        three = [a for p in THREE for a in ("--policy", p)]
        cmp, cmp_cpu, _, ref_csv, ref_csv_cpu, _ = paired(
            lambda: child(["compare", str(path), *three, "--no-progress"], Path(folder) / "cmp.csv"),
            read_csv,
            runs,
        )
        line("asb-case-review compare FILE.csv, 3 policies", cmp, ref_csv, 4.0, (cmp_cpu, ref_csv_cpu))
        print(f"{'':<58} peak RSS {max(PEAKS):.0f} MB")

    columns = Columns.from_table(table)
    frame_codes, base = prepare_frame(table)

    def cold() -> Any:
        columns.drop_indexes()
        return sweep_columns(columns, policy)

    engine, engine_cpu, result, reference, reference_cpu, want = paired(
        cold, lambda: pandas_reference(frame_codes, base, policy), runs
    )
    assert np.array_equal(result.met, want)
    line("the engine, cold, on encoded arrays", engine, reference, 0.8, (engine_cpu, reference_cpu))
    timeline, _ = median(lambda: result.to_sweep(columns).arrays.met_until, runs)
    line("  + met_until, standings and the Sweep (to_sweep)", timeline)
    if not args.no_single:
        small(runs)
    if args.decade:
        # The year's own sweep, in this process as the decade's will be (peak memory is already past).
        # Each sweep reads met_until too: the days each application stays met are the engine's
        # longest work (worked out when first read), and a writer of results reads them.
        one_year, _ = median(lambda: sweep(table, policy).arrays.met_until, 1)
        one_year /= n / 1_000_000
        year_cpu = CPU[0] / (n / 1_000_000)
        del frame, table, columns, frame_codes
        began = time.perf_counter()
        decade = synthetic_reports(10_000_000, seed=args.seed)
        made = time.perf_counter() - began
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        seconds, _ = median(lambda: sweep(decade, policy).arrays.met_until, 1)
        decade_cpu = CPU[0]
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"\n10,000,000 reports (generated in {made:.0f} s): sweep with met_until {seconds:.1f} s, "
              f"process peak RSS {grown:.0f} MB (was {rss:.0f} MB with the table alone)")  # fmt: skip
        # n log n: ten times the rows should take a little over ten times as long as the year did.
        print(f"  per million reports: {seconds / 10:.2f} s (the year above: {one_year:.2f} s per million, "
              f"so {seconds / one_year:.1f}x the time for 10x the rows); the sweep added "
              f"{(grown - rss) / 10:.0f} MB per million to the table's memory")  # fmt: skip
        print(f"  CPU time per million reports: {decade_cpu / 10:.2f} s (the year: {year_cpu:.2f} s), "
              f"so {decade_cpu / year_cpu:.1f}x the CPU time for 10x the rows")  # fmt: skip


if __name__ == "__main__":
    main()
