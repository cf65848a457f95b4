"""Redraw the pictures in docs/img from the examples and a seeded synthetic table.

    python tools/pictures.py

Each picture is drawn exactly as the page that shows it says (the same call, the same seed), so a
change to the drawing is seen in the docs.  docs/img/conflicts.png is drawn by
``python benchmarks/conflicts.py --reports 100000 --plot docs/img/conflicts.png`` (a national sweep).
"""

from __future__ import annotations

import json
from pathlib import Path

from asb_case_review import CATALOGUE, STATUTORY, evaluate
from asb_case_review.analysis import compare
from asb_case_review.analysis.synthetic import synthetic_reports
from asb_case_review.examples import example_application
from asb_case_review.parsing import application_from_mapping
from asb_case_review.plots import timeline

ROOT = Path(__file__).parent.parent
IMG = ROOT / "docs" / "img"


def main() -> None:
    """Draw docs/img/timeline.png, window-edge.png and compare.png."""
    timeline(evaluate(example_application(), STATUTORY)).savefig(IMG / "timeline.png", dpi=100)
    edge = json.loads((ROOT / "examples" / "not-met-window-edge.json").read_text(encoding="utf-8"))
    decision = evaluate(application_from_mapping(edge), STATUTORY)
    timeline(decision, private=True).savefig(IMG / "window-edge.png", dpi=100)
    # docs/what-if.md: the statute beside three areas, over 3,000 synthetic reports (seed 11).
    names = ("statutory", "merseyside", "staffordshire-moorlands", "gosport")
    comparison = compare(synthetic_reports(3000, seed=11), [CATALOGUE[n] for n in names])
    comparison.plot().figure.savefig(IMG / "compare.png", dpi=100)
    for name in ("timeline", "window-edge", "compare"):
        print(f"drew docs/img/{name}.png")


if __name__ == "__main__":
    main()
