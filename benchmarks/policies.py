"""Benchmark the policy files: reading the catalogue, checking it, and running its cases.

Run: python benchmarks/policies.py
Prints the median of several runs of each step, in milliseconds.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from asb_case_review.cases import load_cases, run_cases
from asb_case_review.catalogue import AREAS, catalogue_files, catalogue_text
from asb_case_review.conformance import check_area
from asb_case_review.policyfile import dump, load_area


def median_ms(step: Callable[[], object], repeat: int = 7) -> float:
    """The median wall time of *step* over *repeat* runs, in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    """Print the figures."""
    texts = {name: catalogue_text(name) for name in catalogue_files()}
    cases = {name: load_cases(catalogue_text(f"{name}.cases.toml")) for name in AREAS}
    count = sum(len(c.cases) for c in cases.values())
    steps: dict[str, Callable[[], object]] = {
        f"read all {len(texts)} catalogue policy files": lambda: [load_area(t) for t in texts.values()],
        f"write all {len(AREAS)} areas back as TOML": lambda: [dump(a) for a in AREAS.values()],
        f"check_area for all {len(AREAS)} areas": lambda: [check_area(a) for a in AREAS.values()],
        f"run all {count} catalogue cases": lambda: [run_cases(cases[n], AREAS[n]) for n in AREAS],
    }
    for label, step in steps.items():
        print(f"{label:45} {median_ms(step):8.1f} ms")


if __name__ == "__main__":
    main()
