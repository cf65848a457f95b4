"""What-if analysis: batch sweeps, policy comparisons and published statistics.

Nothing here is imported by the core library.  numpy and pandas (the
``analysis`` extra) and matplotlib (the ``plot`` extra) are imported only by
the functions that need them.
"""

from __future__ import annotations

from .sweep import Eligibility, Standing, Sweep, sweep
from .table import ReportTable, RowProblem, reports_from_csv, reports_from_dataframe, reports_from_records

__all__ = [
    "Eligibility",
    "ReportTable",
    "RowProblem",
    "Standing",
    "Sweep",
    "reports_from_csv",
    "reports_from_dataframe",
    "reports_from_records",
    "sweep",
]
