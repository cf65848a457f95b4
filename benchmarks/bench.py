"""Benchmark the what-if sweeps on a seeded synthetic national year, and evaluate() on one application.

    python benchmarks/bench.py [--reports 1000000] [--seed 1] [--skip-python] [--single]

Prints reports per second and peak memory for each path, the ratio against a
pandas implementation with exact calendar months written here, and then, for
one application, each of issue 11's targets beside its figure: evaluate() on
20 reports under every catalogue policy against a bare pure-Python count of
the same rules (worst and median ratio, and every policy's figure), both
repeated on one application and on the first evaluation of fresh copies of it
with their reports shuffled, the cost per extra report, met_until
against evaluate, for_officer at 25,000 to 100,000 reports, and the import
time.  --single prints only the one-application targets.  Nothing is written
to disk; the data are generated from the seed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import re
import resource
import statistics
import subprocess
import sys
import time
import timeit
import tracemalloc

import attrs
import numpy as np
import pandas as pd

from asb_case_review import CATALOGUE, Application, Incident, Outcome, Report, evaluate
from asb_case_review.analysis.columnar import Columns, sweep_columns
from asb_case_review.analysis.plan import compile_policy
from asb_case_review.analysis.sweep import sweep
from asb_case_review.analysis.synthetic import synthetic_reports
from asb_case_review.dates import earliest_start, period_last_day
from asb_case_review.law.floor import floor_rule
from asb_case_review.law.logic import CountLeaf
from asb_case_review.qualifying import Anchor, BehaviourDay, DateOf, LagScope, Who
from asb_case_review.render import for_officer
from asb_case_review.rules import AllOf, AnyOf, Consent, Count, CountUnit, FactIs, Not, Recency, Rule

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
    assert plan.mandatory == CountLeaf(0)
    assert plan.local == tuple(CountLeaf(k) for k in range(1, plan.routes))
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
            lag_last = np.array(
                [(period_last_day(d, lag.span, lag.arithmetic) - base).days for d in calendar]
            )
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
                frame["reporter"].to_numpy() * (int(frame["incident"].max()) + 1)
                + frame["incident"].to_numpy()
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
        extra = [
            Report(
                f"X{n}",
                reporter=f"Q{n % 4}",
                made_on=base.made_on + dt.timedelta(days=n * 5),
                incident=Incident(
                    f"XI{n}", matter=base.incident.matter, began_on=base.made_on + dt.timedelta(days=n * 5)
                ),
            )
            for n in range(20 - len(chosen))
        ]
        chosen = chosen + tuple(extra)
    last = max(r.made_on for r in chosen)
    return Application(
        "A20", applicant=chosen[0].reporter, made_on=last, matter=chosen[0].incident.matter, reports=chosen
    )


def _numpy_computes(policy) -> bool:
    # The numpy engine is imported only when a benchmark asks whether it computes a policy.
    from asb_case_review.analysis.columnar import NUMPY  # noqa: PLC0415
    from asb_case_review.analysis.plan import Unsupported  # noqa: PLC0415

    try:
        compile_policy(policy, NUMPY)
    except Unsupported:
        return False
    return True


# ------------------------------------------------------------------ one application (evaluate)
#
# The bare count is what an analyst would write by hand for one policy: for each count of its
# rules, one loop over the reports applying the same tests (matter, date, whose, kinds, agencies,
# hate, lag, window) and a set of unit keys, then the rules' and/or/not and the statutory floor on
# outcome codes.  No reasons, wording, fates or critical dates.  The policy's rules are read into
# that form once, outside the timing; the benchmark checks that it gives evaluate()'s outcome.

MET, UNKNOWN, NOT_MET = 2, 1, 0


def _bare_unit(unit, report, day):
    match unit:
        case CountUnit.REPORTS:
            return report.id
        case CountUnit.COMPLAINTS:
            return (report.reporter, report.incident.id, day)
        case CountUnit.INCIDENTS:
            return report.incident.id
        case CountUnit.REPORTERS:
            return report.reporter
        case CountUnit.HOUSEHOLDS:
            return report.household
        case CountUnit.INCIDENT_DATES:
            return (report.incident.id, day)
    raise AssertionError(unit)


def _bare_units(unit, chosen):
    """The outcome code of counting *unit* over *chosen* (report, behaviour day) pairs."""
    if unit is CountUnit.INCIDENT_DATES:
        # As many incidents as can each be given a separate day they were reported on (Kuhn).
        days = {}
        for report, day in chosen:
            days.setdefault(report.incident.id, set()).add(day)
        holder = {}

        def place(incident, seen):
            for day in days[incident]:
                if day not in seen:
                    seen.add(day)
                    if day not in holder or place(holder[day], seen):
                        holder[day] = incident
                        return True
            return False

        return sum(place(i, set()) for i in days), 0
    keys = {_bare_unit(unit, r, d) for r, d in chosen}
    unknown = unit is CountUnit.HOUSEHOLDS and None in keys
    keys.discard(None)
    return len(keys), (len({r.reporter for r, _ in chosen if r.household is None}) if unknown else 0)


def _after_first_in_time(chosen, late):
    """*chosen* (in the order made) from its first report made in time.

    A lag binding only the first report binds the first report counted in each window or run.
    """
    for index, (report, _) in enumerate(chosen):
        if report.id not in late:
            return chosen[index:] if index else chosen
    return []


def bare_count(count, application, as_of):  # noqa: PLR0912, PLR0915 - one pass, every test inline, on purpose
    """The outcome code of one count: its tests applied in one pass over the reports."""
    s, at_least, unit = count.selection, count.at_least, count.unit
    window, lag = s.window, s.lag
    victim = application.victim
    chosen = []
    late = set()
    reports = application.reports
    if lag is not None and lag.applies_to is LagScope.FIRST:
        # Only a lag held to the first report needs the reports in the order they were made.
        reports = sorted(reports, key=lambda r: (r.made_on, r.id))
    for report in reports:
        incident = report.incident
        if incident.matter != application.matter or report.made_on > as_of:
            continue
        if s.who is Who.VICTIM and report.reporter != victim:
            continue
        if s.exclude_kinds and report.kind in s.exclude_kinds:
            continue
        if s.agencies and report.agency not in s.agencies:
            continue
        if s.hate_only and not incident.hate:
            continue
        if s.behaviour_day is BehaviourDay.FIRST_DAY:
            day = incident.began_on
        else:
            day = min(incident.ended_on or incident.began_on, report.made_on)
        if lag is not None and report.made_on > period_last_day(day, lag.span, lag.arithmetic):
            if lag.applies_to is LagScope.EVERY:
                continue
            late.add(report.id)  # counts only after a report made in time (_after_first_in_time)
        chosen.append((report, day))
    start_of = (lambda r, d: r.made_on) if window.date_of is DateOf.REPORT else (lambda r, d: d)
    if window.anchor in (Anchor.EACH_REPORT, Anchor.APPLICATION):
        first = earliest_start(as_of, window.span, window.arithmetic)
        chosen = _after_first_in_time([(r, d) for r, d in chosen if first <= start_of(r, d)], late)
    elif window.anchor is Anchor.FIRST_REPORT_AND_APPLICATION and chosen:
        chosen = _after_first_in_time(chosen, late)
        if chosen:
            last = period_last_day(min(r.made_on for r, _ in chosen), window.span, window.arithmetic)
            chosen = [(r, d) for r, d in chosen if r.made_on <= last] if as_of <= last else []
    elif window.anchor is Anchor.LATEST_INCIDENT and chosen:
        latest = max(d for _, d in chosen)
        first = earliest_start(latest, window.span, window.arithmetic)
        in_time = as_of <= period_last_day(latest, window.span, window.arithmetic)
        chosen = _after_first_in_time([(r, d) for r, d in chosen if first <= d], late) if in_time else []
    elif window.anchor in (Anchor.FIRST_REPORT, Anchor.FIRST_INCIDENT) and chosen:
        # The best run of reports within the span beginning with one of them.
        by = (lambda r, d: d) if window.anchor is Anchor.FIRST_INCIDENT else (lambda r, d: r.made_on)
        best = (NOT_MET, 0)
        for start in sorted({by(r, d) for r, d in chosen}):
            end = period_last_day(start, window.span, window.arithmetic)
            run = _after_first_in_time([(r, d) for r, d in chosen if start <= by(r, d) <= end], late)
            if not run:
                continue
            latest = max(r.made_on for r, _ in run)
            if window.application_within is not None and as_of > period_last_day(
                latest, window.application_within, window.arithmetic
            ):
                continue
            counted, unknown = _bare_units(unit, run)
            code = MET if counted >= at_least else UNKNOWN if counted + unknown >= at_least else NOT_MET
            best = max(best, (code, counted))
        return best[0]
    counted, unknown = _bare_units(unit, chosen)
    return MET if counted >= at_least else UNKNOWN if counted + unknown >= at_least else NOT_MET


def bare_tree(predicate):  # noqa: PLR0911 - one return per rule kind
    """The rule as a function of (application, day) giving an outcome code, read once from *predicate*."""
    match predicate:
        case Rule():
            return bare_tree(predicate.predicate)
        case AllOf(parts=parts):
            trees = [bare_tree(p) for p in parts]
            return lambda a, d: min((t(a, d) for t in trees), default=MET)
        case AnyOf(parts=parts):
            trees = [bare_tree(p) for p in parts]
            return lambda a, d: max((t(a, d) for t in trees), default=NOT_MET)
        case Not(part=part):
            tree = bare_tree(part)
            return lambda a, d: MET - tree(a, d)
        case Recency():
            count = predicate.as_count()
            return lambda a, d: bare_count(count, a, d)
        case Count():
            return lambda a, d: bare_count(predicate, a, d)
        case FactIs(fact=fact, expected=expected):

            def known(a, d):
                value = a.fact(fact)
                return UNKNOWN if value is None else MET if value is expected else NOT_MET

            return known
        case Consent():

            def consented(a, d):
                if a.on_behalf_of is None or a.on_behalf_of == a.applicant or a.consent:
                    return MET
                return UNKNOWN if a.consent is None else NOT_MET

            return consented
    raise AssertionError(predicate)


def bare_policy(policy):
    """The policy as one function of an application giving its outcome code, the floor enforced."""
    routes = [bare_tree(r) for r in (policy.mandatory, *policy.local)]
    conditions = [bare_tree(c) for c in policy.conditions]
    same = floor_rule(policy) is policy.mandatory
    floor = bare_tree(floor_rule(policy))

    def decide(application):
        day = application.made_on
        codes = [r(application, day) for r in routes]
        written = max(codes)
        for condition in conditions:
            written = min(written, condition(application, day))
        if written == MET:
            return MET
        # The floor is counted only when it can decide, and not again when it is the mandatory rule.
        return MET if (codes[0] if same else floor(application, day)) == MET else written

    return decide


def _loops(step, seconds=0.02):
    """How many calls of *step* take about *seconds* of CPU time."""
    began = time.process_time()
    step()
    once = max(time.process_time() - began, 1e-6)
    return max(1, int(seconds / once))


def _best(*steps, rounds=7):
    """The least CPU time per call of each of *steps*, timed in turn, round after round.

    CPU time of this process (time.process_time), not wall time, and the rounds
    interleaved, so that other work on a shared machine slows every step alike.
    """
    timers = [(timeit.Timer(step, timer=time.process_time), _loops(step)) for step in steps]
    best = [float("inf")] * len(steps)
    for _ in range(rounds):
        for index, (timer, loops) in enumerate(timers):
            best[index] = min(best[index], timer.timeit(loops) / loops)
    return best if len(steps) > 1 else best[0]


def _officer_reports(n):
    return tuple(
        Report(f"R{i}", reporter=f"P{i % 50}", made_on=dt.date(2025, 1, 1) + dt.timedelta(days=i % 150),
               incident=Incident(f"I{i}", matter="M",
                                 began_on=dt.date(2025, 1, 1) + dt.timedelta(days=i % 150)))
        for i in range(n)
    )  # fmt: skip


def import_ms():
    """``import asb_case_review`` in a fresh interpreter: (CPU ms, wall ms as -X importtime counts it)."""
    script = (
        "import time; began = time.process_time(); import asb_case_review; print(time.process_time() - began)"
    )
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", script],
                          capture_output=True, text=True, check=True)  # fmt: skip
    for row in done.stderr.splitlines():
        found = re.match(r"import time:\s+\d+ \|\s+(\d+) \|\s+asb_case_review$", row)
        if found:
            return float(done.stdout) * 1000, int(found.group(1)) / 1000
    raise AssertionError(done.stderr)


def unsorted(application, seed=11):
    """*application* with its reports in a seeded shuffled order, as a case system may hold them."""
    reports = list(application.reports)
    random.Random(seed).shuffle(reports)
    return attrs.evolve(application, reports=tuple(reports))


def _first_evaluations(application, policy, decide, copies=500, rounds=7):
    """The least CPU time per call of evaluate() on copies of *application* never evaluated before.

    Each round builds *copies* new applications (outside the timing), times the bare count
    *decide* once on each, then evaluate() once on each: both start from the same fresh, unsorted
    reports, and each pays its own sorting and grouping (the bare count keeps nothing between
    calls).  Returns (evaluate, bare count), the least of *rounds* each.
    """
    ours = bare = float("inf")
    for _ in range(rounds):
        fresh = [attrs.evolve(application) for _ in range(copies)]
        # The garbage collector is off while timing, as timeit (and so _best) keeps it.
        gc.disable()
        try:
            began = time.process_time()
            for copy in fresh:
                decide(copy)
            bare = min(bare, (time.process_time() - began) / copies)
            began = time.process_time()
            for copy in fresh:
                evaluate(copy, policy)
            ours = min(ours, (time.process_time() - began) / copies)
        finally:
            gc.enable()
    return ours, bare


def verdict(met):
    """How a figure stands against its target."""
    return "target met" if met else "target NOT met"


def single_application():
    """Every target of issue 11 for one application, each printed beside its figure."""
    application = twenty_reports()
    print(f"\nevaluate() on one application of {len(application.reports)} reports, every catalogue policy "
          f"(least CPU time of 7 interleaved rounds; the bare count: see bare_count in bench.py):"
    )  # fmt: skip
    # Repeated: one application evaluated again and again, as a what-if or a comparison of policies
    # does; the reports' order and days of behaviour are worked out on its first evaluation and kept
    # with it (models.in_order).  First: each of many fresh copies of the application, its reports
    # in a shuffled order, evaluated once, as a case system evaluates an application when it
    # arrives; the bare count is timed on the same copies in the same rounds.
    shuffled = unsorted(application)
    ratios, firsts = {}, {}
    for name, policy in sorted(CATALOGUE.items()):
        decide = bare_policy(policy)
        assert Outcome.of(decide(application)) is evaluate(application, policy).outcome, name
        assert Outcome.of(decide(shuffled)) is evaluate(shuffled, policy).outcome, name
        ours, bare = _best(lambda p=policy: evaluate(application, p), lambda d=decide: d(application))
        ratios[name] = (ours / bare, ours, bare)
        ours, bare = _first_evaluations(shuffled, policy, decide)
        firsts[name] = (ours / bare, ours, bare)
    for title, found in (("repeated", ratios), ("first evaluation", firsts)):
        ordered = sorted(found.items(), key=lambda item: item[1][0])
        worst_name, (worst, ours, bare) = ordered[-1]
        middle = statistics.median(r for r, _, _ in found.values())
        print(f"  {title}: {len(found)} policies, evaluate / bare count, median {middle:.2f}x, worst "
              f"{worst:.2f}x ({worst_name}: {ours * 1e6:.0f} us vs {bare * 1e6:.0f} us); target every policy "
              f"<= 2x: {verdict(worst <= 2)} ({sum(r <= 2 for r, _, _ in found.values())} of {len(found)} "
              f"within)")  # fmt: skip
    print("  every policy, in CPU us per evaluation (OVER 2x marks a ratio above the target):")
    print(f"    {'policy':<34} {'repeated: evaluate':>18} {'bare':>5} {'ratio':>5} | "
          f"{'first: evaluate':>15} {'bare':>5} {'ratio':>5}")  # fmt: skip
    for name in sorted(CATALOGUE):
        (ratio, ours, bare), (first, fours, fbare) = ratios[name], firsts[name]
        over = "  OVER 2x" if max(ratio, first) > 2 else ""
        print(f"    {name:<34} {ours * 1e6:18.1f} {bare * 1e6:5.1f} {ratio:4.2f}x | "
              f"{fours * 1e6:15.1f} {fbare * 1e6:5.1f} {first:4.2f}x{over}")  # fmt: skip

    policy = CATALOGUE["merseyside"]
    base = application.reports[0]
    extra = tuple(
        Report(f"E{n}", reporter=f"Q{n % 7}", made_on=base.made_on,
               incident=Incident(f"EI{n}", matter=base.incident.matter, began_on=base.made_on))
        for n in range(200)
    )  # fmt: skip
    grown = attrs.evolve(application, reports=application.reports + extra)
    small, large = _best(lambda: evaluate(application, policy), lambda: evaluate(grown, policy))
    per = (large - small) / len(extra)
    print(f"  cost per extra report (merseyside, 20 -> 220 reports: "
          f"{small * 1e6:.0f} -> {large * 1e6:.0f} us): "
          f"{per * 1e6:.2f} us; target <= 2 us: {verdict(per <= 2e-6)}")  # fmt: skip

    until = {}
    for name in ("statutory", "staffordshire-moorlands", "merseyside"):
        p = CATALOGUE[name]
        assert evaluate(application, p).met, name
        both, alone = _best(
            lambda p=p: evaluate(application, p).met_until, lambda p=p: evaluate(application, p)
        )
        until[name] = both / alone
    print("  met_until (evaluate + met_until) / evaluate: "
          + ", ".join(f"{n} {r:.1f}x" for n, r in until.items())
          + f"; target <= 5x: {verdict(max(until.values()) <= 5)}")  # fmt: skip

    officer = {}
    for n in (25_000, 50_000, 100_000):
        big = evaluate(Application("A", applicant="P1", made_on=dt.date(2025, 6, 1), matter="M",
                                   reports=_officer_reports(n)), CATALOGUE["statutory"])  # fmt: skip
        big.met_until  # noqa: B018 - computed once, as the decision caches it: the figure is for_officer's own
        began = time.process_time()
        for_officer(big)
        officer[n] = time.process_time() - began
    growth = officer[100_000] / officer[25_000]
    print("  for_officer (CPU time): " + ", ".join(f"{n:,} reports {s:.2f} s" for n, s in officer.items())
          + f"; 4x the reports takes {growth:.1f}x the time (linear: about 4); "
          f"target 100,000 under 2 s: {verdict(officer[100_000] < 2)}")  # fmt: skip

    imports = [import_ms() for _ in range(5)]
    cpu = statistics.median(c for c, _ in imports)
    wall = statistics.median(w for _, w in imports)
    print(f"  import asb_case_review in a fresh interpreter: median of 5 {cpu:.0f} ms CPU "
          f"({wall:.0f} ms wall by -X importtime); target <= 50 ms: {verdict(cpu <= 50)}")  # fmt: skip


def main() -> None:
    """Run the benchmarks the command line asks for and print their figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-python", action="store_true")
    parser.add_argument("--single", action="store_true", help="only the one-application targets")
    args = parser.parse_args()
    n = args.reports
    if args.single:
        single_application()
        return

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
        result, seconds, mb = peak(lambda policy=policy: cold(policy))
        _, warm, _ = peak(lambda policy=policy: sweep_columns(columns, policy), traced=False)
        ref, ref_seconds, ref_mb = peak(lambda policy=policy: pandas_reference(frame, base, policy))
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
            result, seconds, _ = peak(
                lambda name=name: sweep(table, CATALOGUE[name], engine="python"), traced=False
            )
            grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss) / 1024
            print(
                f"pure-Python sweep {name:<18} {seconds:6.2f} s  {n / seconds / 1e6:5.2f} M reports/s  "
                f"process peak grew {grown:5.0f} MB  (standings: {len(result.standings):,})"
            )
            del result

    single_application()
    print(f"process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
