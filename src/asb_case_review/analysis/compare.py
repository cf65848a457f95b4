"""Comparison of policies over the same reports: counts met, flips and statutory-floor conflicts.

Every report is read as the application its reporter could have made that day
about its matter (see :mod:`.sweep`).  :func:`compare` sweeps each policy
and gives

* how many such applications each policy meets (after the statutory floor,
  and as written), and how many reporter-matter pairs were ever met;
* every application that one policy meets and another does not, with the
  rules each matched (the *flips*, for every pair of policies);
* every statutory-floor conflict: the floor met, the policy as written not.

>>> from asb_case_review.analysis.synthetic import synthetic_reports
>>> from asb_case_review.catalogue import CATALOGUE
>>> c = compare(synthetic_reports(300, seed=2), [CATALOGUE["statutory"], CATALOGUE["merseyside"]])
>>> [row["policy"] for row in c.summary()]
['statutory@2014-10-20', 'merseyside@2024-01-01']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Final

import attrs

from ..errors import InvalidInput, InvalidPolicy
from ..models import Fact
from ..policy import Policy
from ..rules import Outcome
from .plan import Unsupported
from .sweep import EngineChoice, Sweep, numpy_installed, sweep
from .table import ReportTable

__all__ = ["Comparison", "Flip", "compare"]

Engine = EngineChoice
_MET: Final = 2
"""The outcome code of met in :class:`.sweep.SweepArrays`."""
_FLOOR: Final = 3
"""The route code of the statutory floor in :class:`.sweep.SweepArrays`."""


@attrs.frozen
class Flip:
    """One application met under one policy and not under another, and the rules that decided."""

    report: str
    reporter: str
    matter: str
    day: dt.date
    met_under: str
    """The policy (id@version) under which it is met."""
    matched: tuple[str, ...]
    """The rules it matched there."""
    not_met_under: str


@attrs.frozen(eq=False)
class Comparison:
    """The sweeps of several policies over one table, and what differs between them."""

    sweeps: tuple[Sweep, ...]

    def summary(self) -> list[dict[str, Any]]:
        """One row per policy: applications met, met as written, floor conflicts, pairs ever met."""
        rows = []
        for s in self.sweeps:
            a = s.arrays
            if a is not None:
                import numpy as np  # noqa: PLC0415 (the arrays are numpy's)

                met = a.outcome == _MET
                counts = (
                    int(met.sum()),
                    int((a.policy_outcome == _MET).sum()),
                    int(((a.route == _FLOOR) & (a.policy_outcome == 0)).sum()),
                    int(np.unique(a.pair[met]).size),
                )
            else:
                counts = (
                    sum(o is Outcome.MET for o in s.outcome),
                    sum(o is Outcome.MET for o in s.policy_outcome),
                    sum(e.floor_conflict for e in s),
                    len({(s.reporter[i], s.matter[i]) for i, o in enumerate(s.outcome) if o is Outcome.MET}),
                )
            rows.append(
                {
                    "policy": s.policy_name,
                    "applications": len(s),
                    "met": counts[0],
                    "met_as_written": counts[1],
                    "floor_conflicts": counts[2] if s.enforce_floor else 0,
                    "reporters_ever_met": counts[3],
                    "engine": s.engine,
                }
            )
        return rows

    def _flipped(self, a: Sweep, b: Sweep) -> Iterator[int]:
        """The rows met under *a* and not under *b*, in order."""
        if a.arrays is not None and b.arrays is not None:
            import numpy as np  # noqa: PLC0415 (the arrays are numpy's)

            yield from np.flatnonzero((a.arrays.outcome == _MET) & (b.arrays.outcome != _MET)).tolist()
            return
        for i in range(len(a)):
            if a.outcome[i] is Outcome.MET and b.outcome[i] is not Outcome.MET:
                yield i

    def flips(self) -> Iterator[Flip]:
        """Every application met under one policy but not another, for every ordered pair."""
        for a in self.sweeps:
            for b in self.sweeps:
                if a is b:
                    continue
                for i in self._flipped(a, b):
                    yield Flip(
                        a.report[i],
                        a.reporter[i],
                        a.matter[i],
                        a.day[i],
                        a.policy_name,
                        a.matched[i],
                        b.policy_name,
                    )

    def flip_counts(self) -> list[dict[str, Any]]:
        """For each ordered pair of policies and the rules matched: how many applications flip."""
        counted: dict[tuple[str, str, tuple[str, ...]], int] = {}
        for a in self.sweeps:
            for b in self.sweeps:
                if a is b:
                    continue
                if a.arrays is not None and b.arrays is not None:
                    import numpy as np  # noqa: PLC0415 (the arrays are numpy's)

                    flipped = (a.arrays.outcome == _MET) & (b.arrays.outcome != _MET)
                    tally = np.bincount(a.arrays.matched[flipped], minlength=len(a.arrays.rule_sets))
                    for rules, n in zip(a.arrays.rule_sets, tally.tolist(), strict=True):
                        if n:
                            key = (a.policy_name, b.policy_name, rules)
                            counted[key] = counted.get(key, 0) + n
                    continue
                for i in self._flipped(a, b):
                    key = (a.policy_name, b.policy_name, a.matched[i])
                    counted[key] = counted.get(key, 0) + 1
        return [
            {"met_under": a, "not_met_under": b, "because": " ".join(rules), "applications": n}
            for (a, b, rules), n in sorted(counted.items())
        ]

    def conflicts(self) -> Iterator[dict[str, Any]]:
        """Every statutory-floor conflict: the statute says met, the policy as written does not."""
        for s in self.sweeps:
            if s.arrays is not None:
                import numpy as np  # noqa: PLC0415 (the arrays are numpy's)

                rows = np.flatnonzero((s.arrays.route == _FLOOR) & (s.arrays.policy_outcome == 0)).tolist()
            else:
                rows = [i for i, e in enumerate(s) if e.floor_conflict]
            for i in rows:
                yield {
                    "policy": s.policy_name,
                    "report": s.report[i],
                    "reporter": s.reporter[i],
                    "matter": s.matter[i],
                    "day": s.day[i].isoformat(),
                    "policy_outcome": s.policy_outcome[i].value,
                }

    def to_dataframe(self) -> Any:
        """The summary as a pandas DataFrame indexed by policy (needs the ``analysis`` extra)."""
        import pandas as pd  # noqa: PLC0415 (optional extra, imported only when asked for)

        return pd.DataFrame.from_records(self.summary()).set_index("policy")

    def plot(self, ax: Any = None) -> Any:
        """Applications met under each policy, split by route (needs the ``plot`` extra).

        Returns the axes; in a notebook, show ``comparison.plot().figure``.

        The bars are horizontal and labelled, so that policies with long names read, and the
        difference from the first policy is written at the end of each bar: the what-if is in
        the difference, which a bar of thousands hides.
        """
        # A Figure made directly, not through pyplot, leaves no global figure behind.
        from matplotlib.figure import Figure  # noqa: PLC0415 (optional extra, imported only when asked for)

        if ax is None:
            ax = Figure(figsize=(8, 0.6 * len(self.sweeps) + 1.6)).subplots()
        names = [s.policy.id for s in self.sweeps]
        positions = list(range(len(names)))[::-1]
        lefts = [0] * len(names)
        routes = (
            ("mandatory", "mandatory route, s.104(4)", "#1b7a3a"),
            ("discretionary", "local rule, s.104(5)", "#7fbf7b"),
            ("statutory_floor", "statutory floor over the local policy", "#d7301f"),
        )
        for route, label, colour in routes:
            widths = [sum(r is not None and r.value == route for r in s.route) for s in self.sweeps]
            ax.barh(positions, widths, left=lefts, label=label, color=colour, height=0.6)
            lefts = [left + width for left, width in zip(lefts, widths, strict=True)]
        first = lefts[0] if lefts else 0
        for position, total, index in zip(positions, lefts, range(len(lefts)), strict=True):
            note = f"{total:,}" if index == 0 else f"{total:,} ({total - first:+,} vs {names[0]})"
            ax.annotate(note, (total, position), xytext=(4, 0), textcoords="offset points", va="center")
        ax.set_yticks(positions, names)
        ax.set_xlabel(f"applications that would be met, of {len(self.sweeps[0]) if self.sweeps else 0:,}")
        ax.set_xlim(0, max(lefts, default=1) * 1.35 or 1)
        ax.set_title("Threshold met, by policy and route")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, frameon=False, fontsize="small")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        return ax


def _one(
    table: ReportTable,
    policy: Policy,
    engine: Engine,
    columns: Any,
    facts: Mapping[Fact, bool] | Mapping[str, bool] | None,
) -> Sweep:
    if columns is not None:
        from .columnar import sweep_columns  # noqa: PLC0415 (needs numpy, the optional extra)

        try:
            return sweep_columns(columns, policy, facts=facts).to_sweep(columns)
        except Unsupported:
            if engine == "numpy":
                raise
    return sweep(table, policy, facts=facts, engine="python")


def compare(
    table: ReportTable,
    policies: Sequence[Policy],
    *,
    engine: Engine = "auto",
    facts: Mapping[Fact, bool] | Mapping[str, bool] | None = None,
    progress: Callable[[Sequence[Policy]], Iterable[Policy]] | None = None,
) -> Comparison:
    """Sweep every policy of *policies* over *table*.

    *engine* is as for :func:`.sweep.sweep`: ``auto`` uses numpy when it is
    installed (policies it does not compute are swept in Python), ``python``
    never does, ``numpy`` requires it.  The table is encoded once for all the
    policies.  *facts* are case facts assumed for every application.
    *progress* wraps the policies as they are swept (a progress bar, such as
    ``tqdm.tqdm``).
    """
    if not isinstance(table, ReportTable):
        raise InvalidInput("table", table, "must be a ReportTable (see reports_from_csv)")
    if isinstance(policies, str | Policy) or not isinstance(policies, Sequence):
        raise InvalidPolicy("policies", policies, "must be a list of Policy values")
    if not policies:
        raise InvalidInput("policies", policies, "give at least one policy to compare")
    for index, policy in enumerate(policies):
        if not isinstance(policy, Policy):
            raise InvalidPolicy(
                f"policies[{index}]", policy, "must be a Policy; get_policy(name) gives a built-in one"
            )
    if engine not in ("auto", "python", "numpy"):
        raise InvalidInput("engine", engine, "must be auto, python or numpy")
    columns = None
    if engine == "numpy" or (engine == "auto" and numpy_installed()):
        from .columnar import Columns  # noqa: PLC0415 (needs numpy, the optional extra)

        columns = Columns.from_table(table)
    each = policies if progress is None else progress(policies)
    return Comparison(tuple(_one(table, p, engine, columns, facts) for p in each))
