"""What-if analysis: batch sweeps, policy comparisons and published statistics.

Nothing here is imported by the core library.  numpy and pandas (the
``analysis`` extra) and matplotlib (the ``plot`` extra) are imported only by
the functions that need them.
"""

from __future__ import annotations

from .compare import Comparison, Flip, compare
from .stats import financial_period, published_figures
from .sweep import Eligibility, Standing, Sweep, sweep
from .table import ReportTable, RowProblem, reports_from_csv, reports_from_dataframe, reports_from_records

__all__ = [
    "Comparison",
    "Eligibility",
    "Flip",
    "ReportTable",
    "RowProblem",
    "Standing",
    "Sweep",
    "compare",
    "financial_period",
    "published_figures",
    "reports_from_csv",
    "reports_from_dataframe",
    "reports_from_records",
    "sweep",
]
