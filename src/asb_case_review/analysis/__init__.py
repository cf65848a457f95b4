"""What-if analysis: batch sweeps, policy comparisons and published statistics.

Nothing here is imported by the core library.  numpy and pandas (the
``analysis`` extra) and matplotlib (the ``plot`` extra) are imported only by
the functions that need them.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
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

# Names are imported from their modules the first time they are used (PEP 562), so that importing
# this package imports none of its submodules.  A package that imported its submodules here would
# hold its own import lock while doing so, and a thread importing one of those submodules directly
# (which first takes that submodule's lock, then waits for the package) could deadlock with it.
_LAZY: Final = {
    "Comparison": "compare",
    "Eligibility": "sweep",
    "Flip": "compare",
    "ReportTable": "table",
    "RowProblem": "table",
    "Standing": "sweep",
    "Sweep": "sweep",
    "compare": "compare",
    "financial_period": "stats",
    "published_figures": "stats",
    "reports_from_csv": "table",
    "reports_from_dataframe": "table",
    "reports_from_records": "table",
    "sweep": "sweep",
}


# The same few lines stand in each of the library's packages on purpose: a shared helper would be
# a submodule the package imports while being imported, which is what these lines avoid.
def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # what `from module import name` would have bound; the same object
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(types.ModuleType):
    """The package, keeping ``compare`` and ``sweep`` the functions when their modules are imported.

    Python binds a submodule to its package's attribute of the same name once it
    is imported; eagerly re-exported functions used to be bound after that, and
    these two names have always meant the functions.
    """

    def __setattr__(self, name: str, value: object) -> None:
        if name in ("compare", "sweep") and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
