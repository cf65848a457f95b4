"""Statutory-floor conflicts per area over a seeded synthetic national year.

    python benchmarks/conflicts.py [--reports 50000] [--seed 1] [--plot docs/img/conflicts.png]

For every area in the built-in catalogue, every report is read as the application its reporter
could have made that day (the sweep); a conflict is an application s.104(4) says must be reviewed
that the area's policy as written turns away.  Prints one line per area, most conflicts first, and
the national figures; with --plot, draws them.  Nothing is written but the picture asked for.
"""

from __future__ import annotations

import argparse
import time

from asb_case_review.analysis import compare
from asb_case_review.analysis.plan import PYTHON, Unsupported, compile_policy
from asb_case_review.analysis.synthetic import synthetic_reports
from asb_case_review.catalogue import CATALOGUE


def main() -> None:
    """Sweep every area and print its conflicts."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--plot", default=None)
    args = parser.parse_args()
    table = synthetic_reports(args.reports, seed=args.seed)
    # Areas neither sweep computes (windows placed by the first report, say) are decided report by
    # report with evaluate, far too slowly for a year of reports: they are listed, not swept.
    policies, skipped = [], []
    for name, p in sorted(CATALOGUE.items()):
        if name == "statutory":
            continue
        try:
            compile_policy(p, PYTHON)
        except Unsupported as refused:
            skipped.append(f"{name} ({refused})")
        else:
            policies.append(p)
    started = time.perf_counter()
    comparison = compare(table, policies)
    seconds = time.perf_counter() - started
    rows = []
    for s in comparison.sweeps:
        conflicts = sum(1 for e in s if e.floor_conflict)
        met = sum(1 for o in s.outcome if o.value == "met")
        rows.append((conflicts, s.policy.id, met, s.engine))
    rows.sort(key=lambda r: (-r[0], r[1]))
    n = len(table)
    print(f"{n:,} synthetic reports (seed {args.seed}), {len(policies)} areas, swept in {seconds:.1f} s")
    print(f"{'area':38} {'conflicts':>9} {'share':>7} {'met':>8}  engine")
    for conflicts, name, met, engine in rows:
        print(f"{name:38} {conflicts:9,} {conflicts / n:7.2%} {met:8,}  {engine}")
    for line in skipped:
        print(f"not swept: {line}")
    with_any = sum(1 for r in rows if r[0])
    print(f"areas with at least one conflict: {with_any} of {len(rows)}; "
          f"median conflicts {sorted(r[0] for r in rows)[len(rows) // 2]:,} of {n:,} applications")
    if args.plot:
        from matplotlib.figure import Figure  # noqa: PLC0415 (the plot extra)

        shown = rows[:40]
        figure = Figure(figsize=(8, 0.22 * len(shown) + 1.4))
        ax = figure.subplots()
        ax.barh([r[1] for r in shown][::-1], [r[0] / n * 100 for r in shown][::-1], color="#d4351c")
        ax.set_xlabel(f"% of {n:,} applications s.104(4) says must be reviewed that the wording turns away")
        ax.set_title(f"Statutory-floor conflicts: the {len(shown)} areas with most, of {len(rows)}", loc="left")
        ax.tick_params(axis="y", labelsize=7)
        figure.tight_layout()
        figure.savefig(args.plot, dpi=110)
        print(f"saved {args.plot}")


if __name__ == "__main__":
    main()
