"""Statutory-floor conflicts per area over a seeded synthetic national year.

    python benchmarks/conflicts.py [--reports 20000] [--seed 1] [--sample 1000] [--run-sample 100]
                                   [--plot docs/img/conflicts.png]

For every area in the built-in catalogue, every report is read as the application its reporter
could have made that day (the sweep); a conflict is an application s.104(4) says must be reviewed
that the area's policy as written turns away.  Prints one line per area, most conflicts first, and
the national figures; with --plot, draws them.  Nothing is written but the picture asked for.

Every area the numpy engine computes is swept whole.  The areas it refuses by name (windows
beginning with the first incident counted, incidents matched to separate days, households) are
decided by ``evaluate`` itself, which is exact but re-reads the matter for every application: on
a year with matters of thousands of reports that is hours per area.  Those areas are measured on
a seeded random sample of the same year's applications (--sample of them; --run-sample for the
windows beginning with the first incident counted, where evaluate tries every run), each decided
exactly, and shown with a 95% interval.
"""

from __future__ import annotations

import argparse
import bisect
import math
import random
import time
from collections.abc import Sequence

from asb_case_review.analysis import compare
from asb_case_review.analysis.columnar import NUMPY
from asb_case_review.analysis.plan import Unsupported, compile_policy
from asb_case_review.analysis.synthetic import synthetic_reports
from asb_case_review.analysis.table import ReportTable
from asb_case_review.catalogue import CATALOGUE
from asb_case_review.decision import Route, evaluate
from asb_case_review.law.logic import Outcome
from asb_case_review.law.reports import Anchor
from asb_case_review.models import Report
from asb_case_review.policy import Policy


def _wilson(hits: int, n: int) -> tuple[float, float]:
    """The 95% Wilson interval of a share of *hits* in *n*."""
    z = 1.96
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def _runs(refusal: str) -> bool:
    """Whether the engine refused a window beginning with the first report or incident counted."""
    return any(f"Window.anchor={a.value!r}" in refusal for a in (Anchor.FIRST_REPORT, Anchor.FIRST_INCIDENT))


def _sampled(
    table: ReportTable, policy: Policy, rows: Sequence[int], by_matter: dict[str, list[Report]]
) -> tuple[int, int]:
    """Conflicts and met applications among *rows*, each decided by ``evaluate``."""
    conflicts = met = 0
    for i in rows:
        pool = by_matter[table.matter[i]]
        # Reports made after the application never count (made_after_application): leaving them
        # out changes no outcome, route or rule matched, and spares re-reading them.
        made = [r.made_on for r in pool]
        behind = pool[: bisect.bisect_right(made, table.made_on[i])]
        application = table.application(table.reporter[i], table.matter[i], table.made_on[i], reports=behind)
        decision = evaluate(application, policy)
        met += decision.met
        conflicts += decision.route is Route.STATUTORY_FLOOR and decision.policy_outcome is Outcome.NOT_MET
    return conflicts, met


def main() -> None:  # noqa: PLR0915 (one report, printed and drawn)
    """Sweep every area and print its conflicts."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sample", type=int, default=1000)
    parser.add_argument("--run-sample", type=int, default=100)
    parser.add_argument("--plot", default=None)
    args = parser.parse_args()
    table = synthetic_reports(args.reports, seed=args.seed)
    n = len(table)
    swept, refused = [], []
    for name, p in sorted(CATALOGUE.items()):
        if name == "statutory":
            continue
        try:
            compile_policy(p, NUMPY)
        except Unsupported as why:
            refused.append((p, str(why).split("compute ", 1)[-1]))
        else:
            swept.append(p)
    # (conflict share, low, high, area, met share, how)
    rows: list[tuple[float, float, float, str, float, str]] = []
    started = time.perf_counter()
    comparison = compare(table, swept, engine="numpy")
    seconds = time.perf_counter() - started
    print(f"swept {len(swept)} areas whole in {seconds:.1f} s", flush=True)
    for s in comparison.sweeps:
        conflicts = sum(1 for e in s if e.floor_conflict)
        met = sum(1 for o in s.outcome if o is Outcome.MET)
        rows.append((conflicts / n, conflicts / n, conflicts / n, s.policy.id, met / n, s.engine))
    reports = sorted(table.to_reports(), key=lambda r: (r.made_on, r.id))
    by_matter: dict[str, list[Report]] = {}
    for report in reports:
        by_matter.setdefault(report.incident.matter, []).append(report)
    rng = random.Random(args.seed)
    sampled_seconds = 0.0
    for policy, why in refused:
        size = min(n, args.run_sample if _runs(why) else args.sample)
        chosen = sorted(rng.sample(range(n), size))
        began = time.perf_counter()
        conflicts, met = _sampled(table, policy, chosen, by_matter)
        took = time.perf_counter() - began
        sampled_seconds += took
        print(f"sampled {policy.id}: {size:,} applications by evaluate in {took:.1f} s", flush=True)
        low, high = _wilson(conflicts, size)
        rows.append(
            (conflicts / size, low, high, policy.id, met / size, f"evaluate, {size:,} sampled ({why})")
        )
    rows.sort(key=lambda r: (-r[0], r[3]))
    print(
        f"{n:,} synthetic reports (seed {args.seed}); {len(swept)} areas swept whole (numpy) in "
        f"{seconds:.1f} s; {len(refused)} decided by evaluate on samples in {sampled_seconds:.1f} s"
    )
    print(f"{'area':38} {'conflicts':>9} {'95% interval':>15} {'met':>7}  engine")
    for share, low, high, name, met_share, how in rows:
        interval = "" if low == high else f"{low:6.2%}-{high:6.2%}"
        print(f"{name:38} {share:9.2%} {interval:>15} {met_share:7.2%}  {how}")
    # An area decided on a sample is drawn with its interval even when the sample held no conflict.
    with_any = [r for r in rows if r[0] > 0 or r[1] != r[2]]
    without = [r[3] for r in rows if r[0] == 0 and r[1] == r[2]]
    shares = sorted(r[0] for r in rows)
    print(
        f"areas with at least one conflict (or sampled): {len(with_any)} of {len(rows)}; "
        f"median share {shares[len(shares) // 2]:.2%} of applications"
    )
    print(f"areas swept whole with none: {', '.join(without) or '-'}")
    if args.plot:
        _plot(args.plot, with_any, without, n)


def _plot(
    path: str, rows: list[tuple[float, float, float, str, float, str]], without: list[str], n: int
) -> None:
    """One bar per area with conflicts, most first, in two columns; sampled areas with their interval."""
    from matplotlib.figure import Figure  # noqa: PLC0415 (the plot extra)
    from matplotlib.patches import Patch  # noqa: PLC0415 (the plot extra)

    half = (len(rows) + 1) // 2
    columns = [rows[:half], rows[half:]]
    figure = Figure(figsize=(11, 0.16 * half + 2.2))
    axes = figure.subplots(1, 2, sharex=True)
    top = max(r[2] for r in rows) * 100 * 1.05
    for ax, part in zip(axes, columns, strict=True):
        names = [r[3] for r in part][::-1]
        shares = [r[0] * 100 for r in part][::-1]
        sampled = [r[1] != r[2] for r in part][::-1]
        colours = ["#f47738" if s else "#d4351c" for s in sampled]
        ax.barh(names, shares, color=colours, height=0.75)
        for y, r in enumerate(part[::-1]):
            if r[1] != r[2]:
                ax.plot([r[1] * 100, r[2] * 100], [y, y], color="#0b0c0c", linewidth=1)
            # The share in figures beside each bar (past the interval where there is one), so an
            # officer reads their own area without the grid.
            ax.text(r[2] * 100 + top * 0.01, y, f"{r[0]:.1%}", va="center", fontsize=5.5, color="#0b0c0c")
        ax.set_ylim(-0.6, half - 0.4)
        ax.set_xlim(0, top)
        ax.tick_params(axis="y", labelsize=6.5, length=0)
        ax.tick_params(axis="x", labelsize=8)
        ax.grid(axis="x", color="#b1b4b6", linewidth=0.5)
        ax.set_axisbelow(True)
        ax.set_xlabel("% of applications", fontsize=8)
    figure.suptitle(
        f"Statutory-floor conflicts: applications s.104(4) says must be reviewed that the area's own "
        f"wording turns away\n{len(rows)} areas, most first, over {n:,} synthetic applications; "
        f"{len(without)} more areas swept whole have none",
        x=0.01,
        ha="left",
        fontsize=10,
    )
    figure.legend(
        handles=[
            Patch(color="#d4351c", label="every application swept (numpy engine)"),
            Patch(color="#f47738", label="decided by evaluate on a random sample; line: 95% interval"),
        ],
        loc="lower center",
        ncol=2,
        fontsize=8,
        frameon=False,
    )
    figure.tight_layout(rect=(0, 0.03, 1, 1))
    figure.savefig(path, dpi=110)
    print(f"saved {path}")


if __name__ == "__main__":
    main()
