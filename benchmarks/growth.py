"""Where the numpy sweep's CPU time goes as the reports grow: user and system time, phase by phase.

    python benchmarks/growth.py [--reports 1000000 3000000] [--seed 1]

For each size, in a fresh interpreter (so that one size's memory does not shape the next), a seeded
synthetic table is encoded (``Columns.from_table``), swept (``sweep_columns``) and its days met
worked out (``to_sweep(...).arrays.met_until``), and each phase's user and system CPU time and minor
page faults are printed; then the same with ``NUMPY_MADVISE_HUGEPAGE=0``, which stops numpy asking
the kernel for transparent huge pages for its large arrays; then also with glibc told to keep freed
memory in its heap for reuse (``GLIBC_TUNABLES``), as an array larger than 32 MB is otherwise
fresh memory from the kernel each time.  The user time is the program's own
work; the system time is the kernel's, mostly in making fresh memory for the arrays.  Nothing is
written to disk; the data are generated from the seed.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys

_CHILD = """
import json, resource, sys
from asb_case_review.catalogue import CATALOGUE
from asb_case_review.analysis.columnar import Columns, sweep_columns
from asb_case_review.analysis.synthetic import synthetic_reports

def usage():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime, r.ru_stime, r.ru_minflt

table = synthetic_reports(int(sys.argv[1]), seed=int(sys.argv[2]))
policy = CATALOGUE["staffordshire-moorlands"]
marks = [usage()]
columns = Columns.from_table(table)
marks.append(usage())
result = sweep_columns(columns, policy)
marks.append(usage())
result.to_sweep(columns).arrays.met_until
marks.append(usage())
print(json.dumps(marks))
"""

PHASES = ("encode", "sweep", "met_until")
_REUSE = "glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=68719476736"


SETTINGS: dict[str, dict[str, str]] = {
    "numpy's huge pages on (the default)": {},
    "numpy's huge pages off (NUMPY_MADVISE_HUGEPAGE=0)": {"NUMPY_MADVISE_HUGEPAGE": "0"},
    # An array larger than glibc's largest mmap threshold (32 MB: 4 million 8-byte values) is
    # fresh memory from the kernel each time it is made, however often one of its size was freed.
    # With mmap off and no trimming, freed memory stays in the heap for the next array.
    f"huge pages off, and glibc keeps freed memory for reuse (GLIBC_TUNABLES={_REUSE})": {
        "NUMPY_MADVISE_HUGEPAGE": "0",
        "GLIBC_TUNABLES": _REUSE,
    },
}
"""Each setting's name and the environment variables it sets for the measured process."""


def phases(n: int, seed: int, *, settings: dict[str, str]) -> list[tuple[float, float, int]]:
    """Each phase's user seconds, system seconds and minor page faults, for *n* reports."""
    env = dict(os.environ) | settings
    done = subprocess.run([sys.executable, "-c", _CHILD, str(n), str(seed)], env=env,
                          capture_output=True, text=True, check=True)  # fmt: skip
    marks = json.loads(done.stdout)
    return [(b[0] - a[0], b[1] - a[1], b[2] - a[2]) for a, b in itertools.pairwise(marks)]


def main() -> None:
    """Print each phase's times for each size, under each of the settings."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, nargs="+", default=[1_000_000, 3_000_000])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"policy staffordshire-moorlands, seed {args.seed}; {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    for title, settings in SETTINGS.items():
        print(f"\n{title}:")
        for n in args.reports:
            for name, (user, system, faults) in zip(PHASES, phases(n, args.seed, settings=settings),
                                                    strict=True):  # fmt: skip
                print(f"  {n:>11,} reports  {name:<10} user {user:6.2f} s  system {system:5.2f} s  "
                      f"minor faults {faults:>9,}")  # fmt: skip


if __name__ == "__main__":
    main()
