"""The numpy sweep's CPU time for the catalogue's lags that bind only the first report counted.

    python benchmarks/first_lag.py [--reports 1000000] [--seed 1]

A seeded synthetic table is encoded once; each policy is swept from cold (``drop_indexes``) and
its days met worked out (``to_sweep(...).arrays.met_until``), and the least CPU time of three
rounds is printed beside the statute's.  Under ``LagScope.FIRST`` a report counts until the day
``law.reports.held_days`` gives it, which need not grow with the day it was made, so the days met
are found by replaying each group (``columnar._replay``), as for windows dated by the incident.
Nothing is written to disk; the data are generated from the seed.
"""

from __future__ import annotations

import argparse
import time

from asb_case_review.analysis.columnar import Columns, sweep_columns
from asb_case_review.analysis.synthetic import synthetic_reports
from asb_case_review.catalogue import CATALOGUE

POLICIES = ("statutory", "east-devon", "mid-devon", "north-devon", "oadby-and-wigston")


def main() -> None:
    """Print each policy's least CPU time to sweep the table and work out its days met."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    table = synthetic_reports(arguments.reports, seed=arguments.seed)
    columns = Columns.from_table(table)
    size, seed = arguments.reports, arguments.seed
    print(f"numpy sweep of {size:,} synthetic reports (seed {seed}), least of 3 rounds:")
    for name in POLICIES:
        best = float("inf")
        for _ in range(3):
            columns.drop_indexes()
            began = time.process_time()
            days_met = sweep_columns(columns, CATALOGUE[name]).to_sweep(columns).arrays.met_until
            assert len(days_met) == size
            best = min(best, time.process_time() - began)
        print(f"  {name:<20} {best:6.2f} s CPU")


if __name__ == "__main__":
    main()
