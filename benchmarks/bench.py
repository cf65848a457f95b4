"""Benchmark the what-if sweeps on a seeded synthetic national year, and evaluate() on one application.

    python benchmarks/bench.py [--reports 1000000] [--seed 1] [--skip-python]

Prints reports per second and peak memory for each path, the ratio against a
pandas implementation with exact calendar months written here, and the time
of one evaluate() call on an application with 20 reports.  Nothing is written
to disk; the data are generated from the seed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import time
import timeit
import tracemalloc

import numpy as np
import pandas as pd

from asb_case_review import CATALOGUE, Application, evaluate
from asb_case_review.analysis.columnar import Columns, sweep_columns
from asb_case_review.analysis.plan import compile_policy
from asb_case_review.law.logic import CountLeaf
from asb_case_review.analysis.sweep import sweep
from asb_case_review.analysis.synthetic import synthetic_reports
from asb_case_review.dates import earliest_start, period_last_day

BENCHED = {name: CATALOGUE[name] for name in ("statutory", "staffordshire-moorlands", "merseyside")}


def prepare_frame(table):
    """The analyst's one-off load: a DataFrame with day numbers and integer codes (not timed)."""
    made = pd.to_datetime(pd.Series(table.made_on))
    began = pd.to_datetime(pd.Series(table.began_on))
    ended = pd.to_datetime(pd.Series(table.ended_on)).fillna(began)
    base = began.min()
    return pd.DataFrame(
        {
            "made": (made - base).dt.days.astype("int64"),
            "began": (began - base).dt.days.astype("int64"),
            "ended": (ended - base).dt.days.astype("int64"),
            "matter": pd.factorize(pd.Series(table.matter))[0].astype("int64"),
            "reporter": pd.factorize(pd.Series(table.reporter))[0].astype("int64"),
            "incident": pd.factorize(pd.Series(table.incident))[0].astype("int64"),
            "hate": pd.Series(table.hate, dtype=bool),
            "kind": pd.Series(table.kind, dtype="category"),
        }
    ), base.date()


def pandas_reference(frame, base, policy):
    """An analyst's exact pandas sweep: calendar months by lookup, windows by searchsorted.

    Per count rule it sorts the qualifying reports by group, unit and day to
    find repeats within the window, then counts distinct units in the window
    with prefix sums along the (group, day) order.  Returns, per report,
    whether the policy (with the statutory floor) is met.
    """
    plan = compile_policy(policy)
    # The reference covers policies whose rules are each one count, as the three benchmarked are.
    assert plan.mandatory == CountLeaf(0) and plan.local == tuple(CountLeaf(k) for k in range(1, plan.routes))
    assert not plan.conditions
    made = frame["made"].to_numpy()
    horizon = int(made.max()) + 1
    calendar = [base + dt.timedelta(days=d) for d in range(horizon)]
    results = []
    for c in plan.counts:
        window, lag, selection = c.selection.window, c.selection.lag, c.selection
        last = np.array([(period_last_day(d, window.span, window.arithmetic) - base).days for d in calendar])
        start = np.array([(earliest_start(d, window.span, window.arithmetic) - base).days for d in calendar])
        ok = np.ones(len(frame), bool)
        if lag is not None:
            lag_last = np.array([(period_last_day(d, lag.span, lag.arithmetic) - base).days for d in calendar])
            ok &= made <= lag_last[np.minimum(frame["ended"].to_numpy(), made)]
        if selection.hate_only:
            ok &= frame["hate"].to_numpy()
        if selection.exclude_kinds:
            ok &= ~frame["kind"].isin(list(selection.exclude_kinds)).to_numpy()
        group = frame["matter"].to_numpy()
        if c.victim:
            group = pd.factorize(group * (int(frame["reporter"].max()) + 1) + frame["reporter"].to_numpy())[0]
        behaviour = np.minimum(frame["ended"].to_numpy(), made)
        unit = {
            # A complaint is a reporter's report of an incident on one day of the behaviour.
            "complaints": (
                frame["reporter"].to_numpy() * (int(frame["incident"].max()) + 1) + frame["incident"].to_numpy()
            )
            * (horizon + 1)
            + behaviour,
            "incidents": frame["incident"].to_numpy(),
            "reporters": frame["reporter"].to_numpy(),
        }[c.unit.value]
        events = pd.DataFrame({"group": group, "unit": unit, "made": made, "row": np.arange(len(frame))})[ok]
        events = events.sort_values(["group", "unit", "made"])
        g, u, m = events["group"].to_numpy(), events["unit"].to_numpy(), events["made"].to_numpy()
        early = (g[1:] == g[:-1]) & (u[1:] == u[:-1]) & (m[1:] <= last[m[:-1]])
        rows = events["row"].to_numpy()
        cut = np.zeros(len(frame), bool)
        repeat = np.zeros(len(frame), bool)
        cut[rows[:-1]] = early
        repeat[rows[1:]] = early
        composite = group.astype(np.int64) * (horizon + 1) + made
        order = np.argsort(composite)
        ordered = composite[order]
        first = np.concatenate([[0], np.cumsum((ok & ~repeat)[order])])
        kept = np.concatenate([[0], np.cumsum((ok & ~cut)[order])])
        group_start = np.searchsorted(ordered, group[order].astype(np.int64) * (horizon + 1), "left")
        day_end = np.searchsorted(ordered, ordered, "right")
        lo = np.searchsorted(
            ordered, group[order].astype(np.int64) * (horizon + 1) + np.maximum(start[made[order]], 0), "left"
        )
        met = np.empty(len(frame), bool)
        met[order] = first[day_end] - first[group_start] - (kept[lo] - kept[group_start]) >= c.at_least
        results.append(met)
    rules = np.column_stack(results)
    return rules[:, : plan.routes].any(axis=1) | rules[:, plan.floor]


def peak(fn, *, traced=True):
    """Run *fn* twice: timed untraced, then (if *traced*) under tracemalloc for its peak memory in MB.

    tracemalloc slows Python allocations many times over, so it never runs
    inside the timed run; numpy reports its buffers to it.
    """
    began = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - began
    if not traced:
        return result, seconds, float("nan")
    tracemalloc.start()
    fn()
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, seconds, top / 2**20


def twenty_reports():
    """The application with 20 reports from the synthetic data's busiest early matter."""
    table = synthetic_reports(400, seed=3)
    reports = table.to_reports()
    by_matter = {}
    for r in reports:
        by_matter.setdefault(r.incident.matter, []).append(r)
    pool = max(by_matter.values(), key=len)
    chosen = tuple(sorted(pool, key=lambda r: r.made_on)[:20])
    if len(chosen) < 20:
        base = chosen[0]
        from asb_case_review import Incident, Report

        extra = [
            Report(f"X{n}", reporter=f"Q{n % 4}", made_on=base.made_on + dt.timedelta(days=n * 5),
                   incident=Incident(f"XI{n}", matter=base.incident.matter,
                                     began_on=base.made_on + dt.timedelta(days=n * 5)))
            for n in range(20 - len(chosen))
        ]
        chosen = chosen + tuple(extra)
    last = max(r.made_on for r in chosen)
    return Application("A20", applicant=chosen[0].reporter, made_on=last, matter=chosen[0].incident.matter,
                       reports=chosen)


def _numpy_computes(policy) -> bool:
    from asb_case_review.analysis.columnar import NUMPY
    from asb_case_review.analysis.plan import Unsupported

    try:
        compile_policy(policy, NUMPY)
    except Unsupported:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-python", action="store_true")
    args = parser.parse_args()
    n = args.reports

    began = time.perf_counter()
    table = synthetic_reports(n, seed=args.seed)
    print(f"generated {n:,} reports (seed {args.seed}) in {time.perf_counter() - began:.1f} s")

    columns, seconds, mb = peak(lambda: Columns.from_table(table))
    print(f"columnar encoding of the table (once, shared by every policy): {seconds:.2f} s, peak {mb:.0f} MB")
    (frame, base), seconds, mb = peak(lambda: prepare_frame(table))
    print(f"pandas DataFrame for the reference (once, likewise not in the figures below): {seconds:.2f} s")

    def cold(policy):
        columns.drop_indexes()
        return sweep_columns(columns, policy)

    total_cold = total_ref = 0.0
    for name, policy in BENCHED.items():
        result, seconds, mb = peak(lambda: cold(policy))
        _, warm, _ = peak(lambda: sweep_columns(columns, policy), traced=False)
        ref, ref_seconds, ref_mb = peak(lambda: pandas_reference(frame, base, policy))
        assert np.array_equal(ref, result.met), name
        total_cold += seconds
        total_ref += ref_seconds
        print(
            f"numpy sweep {name:<24} cold {seconds:6.3f} s ({n / seconds / 1e6:5.2f} M reports/s, "
            f"peak {mb:4.0f} MB), with sort orders shared {warm:6.3f} s | "
            f"pandas reference {ref_seconds:6.3f} s (peak {ref_mb:4.0f} MB) | "
            f"pandas/library {ref_seconds / seconds:4.2f}x | met {int(result.met.sum()):,}"
        )
    def together_cold(policies):
        columns.drop_indexes()
        return [sweep_columns(columns, p) for p in policies]

    _, together, mb = peak(lambda: together_cold(BENCHED.values()))
    print(
        f"numpy sweep of these {len(BENCHED)} policies together, sort orders shared: {together:.3f} s "
        f"({together / len(BENCHED):.3f} s per policy, peak {mb:.0f} MB); cold one by one: "
        f"{total_cold / len(BENCHED):.3f} s per policy; pandas reference {total_ref / len(BENCHED):.3f} s "
        f"per policy"
    )
    computed = [p for p in CATALOGUE.values() if _numpy_computes(p)]
    _, together, mb = peak(lambda: together_cold(computed))
    print(
        f"numpy sweep of the catalogue's {len(computed)} policies it computes (of {len(CATALOGUE)}; the rest "
        f"it refuses by name) together: {together:.3f} s ({together / len(computed):.3f} s per policy, "
        f"peak {mb:.0f} MB)"
    )

    if not args.skip_python:
        for name in ("statutory", "merseyside"):
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            result, seconds, _ = peak(lambda: sweep(table, CATALOGUE[name], engine="python"), traced=False)
            grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss) / 1024
            print(f"pure-Python sweep {name:<18} {seconds:6.2f} s  {n / seconds / 1e6:5.2f} M reports/s  "
                  f"process peak grew {grown:5.0f} MB  (standings: {len(result.standings):,})")
            del result

    application = twenty_reports()
    for name, policy in BENCHED.items():
        timer = timeit.Timer(lambda: evaluate(application, policy))
        loops, _ = timer.autorange()
        best = min(timer.repeat(5, loops)) / loops
        print(f"evaluate(), one application with {len(application.reports)} reports, {name:<24} {best * 1e6:6.0f} us")
    print(f"process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
