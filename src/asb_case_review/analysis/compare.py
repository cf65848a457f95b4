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
from typing import Any, Final, Literal

import attrs

from ..decision import Route
from ..errors import InvalidInput, InvalidPolicy
from ..law.floor import FloorReading
from ..models import Fact
from ..policy import Policy
from ..rules import Outcome
from .plan import Unsupported
from .sweep import EngineChoice, Sweep, numpy_installed, sweep
from .table import ReportTable

__all__ = ["CONFLICT_COLUMNS", "FLIP_COLUMNS", "Comparison", "Flip", "compare"]

FLIP_COLUMNS = ("met_under", "not_met_under", "because", "applications")
"""The keys of each row of :meth:`Comparison.flip_counts`, in order (a CSV header even with no row)."""
CONFLICT_COLUMNS = ("policy", "report", "reporter", "matter", "day", "policy_outcome")
"""The keys of each row of :meth:`Comparison.conflicts`, in order."""

Engine = EngineChoice
Show = Literal["summary", "flips", "conflicts"]
"""The views of a comparison (:meth:`Comparison.view`)."""
_STATUTE = "statutory"
_RED = "#d4351c"
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


@attrs.frozen(eq=False, repr=False)
class Comparison:
    """The sweeps of several policies over one table, and what differs between them.

    Its repr is one line; in a notebook it shows the summary as a table.
    """

    sweeps: tuple[Sweep, ...]

    def __repr__(self) -> str:
        """One line: how many applications, and how many each policy meets.

        >>> from asb_case_review.analysis.synthetic import synthetic_reports
        >>> from asb_case_review.catalogue import STATUTORY
        >>> compare(synthetic_reports(300, seed=2), [STATUTORY])
        <Comparison of 1 policy over 300 applications: statutory@2014-10-20 meets 181>
        """
        rows = self.summary()
        count = len(self.sweeps[0]) if self.sweeps else 0
        met = ", ".join(f"{row['policy']} meets {row['met']:,}" for row in rows)
        noun = "policy" if len(rows) == 1 else "policies"
        return f"<Comparison of {len(rows)} {noun} over {count:,} applications: {met}>"

    def _repr_html_(self) -> str:
        """The summary as an HTML table with a caption, for notebooks."""
        from ..html import table  # noqa: PLC0415 - kept out of the analysis' import time

        rows = self.summary()
        count = len(self.sweeps[0]) if self.sweeps else 0
        head = list(rows[0])  # compare() refuses an empty list of policies: there is always a row
        caption = f"Applications met under each policy, of {count:,} read from the same reports"
        return table(head, ([row[key] for key in head] for row in rows), caption=caption)

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
            dict(zip(FLIP_COLUMNS, (a, b, " ".join(rules), n), strict=True))
            for (a, b, rules), n in sorted(counted.items())
        ]

    def view(self, show: Show) -> tuple[list[dict[str, Any]], tuple[str, ...]]:
        """The rows of one view (``compare --show``) and, where they are fixed, its columns.

        Flips and conflicts always have the same columns, so a table of none still has its header;
        the summary's columns follow the policies compared (``()``: take them from the rows).
        """
        if show == "flips":
            return self.flip_counts(), FLIP_COLUMNS
        if show == "conflicts":
            return list(self.conflicts()), CONFLICT_COLUMNS
        return self.summary(), ()

    def conflicts(self) -> Iterator[dict[str, Any]]:
        """Every statutory-floor conflict: the statute says met, the policy as written does not."""
        for s in self.sweeps:
            if s.arrays is not None:
                import numpy as np  # noqa: PLC0415 (the arrays are numpy's)

                rows = np.flatnonzero((s.arrays.route == _FLOOR) & (s.arrays.policy_outcome == 0)).tolist()
            else:
                rows = [i for i, e in enumerate(s) if e.floor_conflict]
            for i in rows:
                values = (s.policy_name, s.report[i], s.reporter[i], s.matter[i], s.day[i].isoformat())
                yield dict(zip(CONFLICT_COLUMNS, (*values, s.policy_outcome[i].value), strict=True))

    def to_dataframe(self) -> Any:
        """The summary as a pandas DataFrame indexed by policy (needs the ``analysis`` extra)."""
        import pandas as pd  # noqa: PLC0415 (optional extra, imported only when asked for)

        return pd.DataFrame.from_records(self.summary()).set_index("policy")

    def baseline(self) -> Sweep:
        """The sweep the others are drawn against: the statute's when it is compared, else the first."""
        return next((s for s in self.sweeps if s.policy.id == _STATUTE), self.sweeps[0])

    def differences(self) -> list[dict[str, Any]]:
        """For each policy but the baseline: what it changes, application by application.

        ``met_beyond`` counts the applications it meets that the baseline does not (its local rules,
        s.104(5)); ``turned_away`` those the baseline meets and it does not, even after the floor;
        ``floor_conflicts`` those its wording turns away that the statutory floor meets (the summary's
        figure).  The baseline is :meth:`baseline`.
        """
        base = self.baseline()
        met = Outcome.MET
        rows = []
        for s in self.sweeps:
            if s is base:
                continue
            pairs = list(zip(s.outcome, base.outcome, strict=True))
            rows.append(
                {
                    "policy": s.policy_name,
                    "baseline": base.policy_name,
                    "met_beyond": sum(o is met and b is not met for o, b in pairs),
                    "turned_away": sum(o is not met and b is met for o, b in pairs),
                    "floor_conflicts": sum(e.floor_conflict for e in s) if s.enforce_floor else 0,
                }
            )
        return rows

    def plot(self, ax: Any = None) -> Any:
        """What each policy changes from the statute, as labelled bars (needs the ``plot`` extra).

        Returns the axes; in a notebook, show ``comparison.plot().figure``.

        One row per policy other than the baseline (the statute when it is among the policies,
        else the first; the title names it).  To the right, in green, the applications the policy
        meets that the statute does not; to the left, in red, its statutory-floor conflicts
        (applications its wording turns away that s.104(4) requires, the summary's figure), and in
        grey any it turns away even after the floor.  Each bar is labelled with its number, and the
        legend lists only the kinds of bar drawn.
        """
        # A Figure made directly, not through pyplot, leaves no global figure behind.
        from matplotlib.figure import Figure  # noqa: PLC0415 (optional extra, imported only when asked for)

        base = self.baseline()
        rows = self.differences()
        if ax is None:
            ax = Figure(figsize=(8, 0.55 * max(len(rows), 1) + 2.2), layout="constrained").subplots()
        if not rows:
            return _plot_routes(ax, base)
        positions = list(range(len(rows)))[::-1]
        kinds = (
            ("met_beyond", 1, "met that the statute does not (local rules, s.104(5))", "#1b7a3a"),
            ("floor_conflicts", -1, "statutory-floor conflict: its wording turns away, s.104(4) meets", _RED),
            ("turned_away", -1, "met under the statute, not under the policy", "#6f777b"),
        )
        lefts = [0] * len(rows)
        widest = 1
        for key, side, label, colour in kinds:
            widths = [row[key] for row in rows]
            if not any(widths):
                continue
            starts = lefts if side < 0 else [0] * len(rows)
            bars = ax.barh(
                positions, [side * w for w in widths], left=[side * x for x in starts], label=label,
                color=colour, height=0.6,
            )  # fmt: skip
            ax.bar_label(bars, labels=[f"{w:,}" if w else "" for w in widths], padding=3, fontsize=8)
            if side < 0:
                lefts = [x + w for x, w in zip(lefts, widths, strict=True)]
            widest = max(widest, *widths, *lefts)
        for position, row in zip(positions, rows, strict=True):
            if not any(row[key] for key, *_ in kinds):
                ax.annotate("no difference", (0, position), xytext=(4, 0), textcoords="offset points",
                            va="center", fontsize=8, color="#505a5f")  # fmt: skip
        ax.axvline(0, color="#0b0c0c", linewidth=1)
        ax.set_yticks(positions, [row["policy"].partition("@")[0] for row in rows])
        ax.set_xlim(-widest * 1.3, widest * 1.3)
        ax.xaxis.set_major_formatter(lambda x, _: f"{abs(x):,.0f}")
        count = len(base)
        met = sum(o is Outcome.MET for o in base.outcome)
        ax.set_xlabel(f"applications, of {count:,}, that differ from {base.policy.id}")
        what = "the statute" if base.policy.id == _STATUTE else base.policy.id
        title = (
            f"What each policy changes from {what}\n"
            f"({base.policy.id} meets {met:,} of {count:,} applications)"
        )
        ax.set_title(title, fontsize=10, loc="left")
        if ax.get_legend_handles_labels()[0]:
            ax.figure.legend(loc="outside lower center", ncol=1, frameon=False, fontsize="small")
        for spine in ("top", "right"):
            ax.spines[spine].set_visible(False)
        return ax


def _plot_routes(ax: Any, sweep: Sweep) -> Any:
    """One policy alone: the applications it meets, split by the route that met them, labelled."""
    count = len(sweep)
    conflicts = sum(e.floor_conflict for e in sweep) if sweep.enforce_floor else 0
    parts = (
        ("mandatory route, s.104(4)", "#1b7a3a", sum(r is Route.MANDATORY for r in sweep.route)),
        ("local rule, s.104(5)", "#85994b", sum(r is Route.DISCRETIONARY for r in sweep.route)),
        ("statutory floor: its wording turns away, s.104(4) meets", _RED, conflicts),
        (
            "statutory floor: its wording undetermined (a fact not given)",
            "#6f777b",
            sum(r is Route.STATUTORY_FLOOR for r in sweep.route) - conflicts,
        ),
    )
    left = 0
    for label, colour, width in parts:
        if width:
            # The numbers are in the legend: a thin segment has no room for its own.
            ax.barh([0], [width], left=[left], label=f"{label}: {width:,}", color=colour, height=0.5)
            left += width
    ax.set_yticks([0], [sweep.policy.id])
    ax.set_xlim(0, max(count, 1))
    ax.set_xlabel(f"applications met, of {count:,}")
    title = f"{sweep.policy.id} meets {left:,} of {count:,} applications, by route"
    ax.set_title(title, fontsize=10, loc="left")
    if left:
        ax.figure.legend(loc="outside lower center", ncol=1, frameon=False, fontsize="small")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return ax


def _one(
    table: ReportTable,
    policy: Policy,
    engine: Engine,
    columns: Any,
    facts: Mapping[Fact, bool] | Mapping[str, bool] | None,
    *,
    floor_reading: FloorReading,
) -> Sweep:
    if columns is not None:
        from .columnar import sweep_columns  # noqa: PLC0415 (needs numpy, the optional extra)

        try:
            return sweep_columns(columns, policy, facts=facts, floor_reading=floor_reading).to_sweep(columns)
        except Unsupported:
            if engine == "numpy":
                raise
    return sweep(table, policy, facts=facts, floor_reading=floor_reading, engine="python")


def compare(
    table: ReportTable,
    policies: Sequence[Policy],
    *,
    engine: Engine = "auto",
    facts: Mapping[Fact, bool] | Mapping[str, bool] | None = None,
    floor_reading: FloorReading = FloorReading.POLICY_NUMBER,
    progress: Callable[[Sequence[Policy]], Iterable[Policy]] | None = None,
) -> Comparison:
    """Sweep every policy of *policies* over *table*.

    *engine* is as for :func:`.sweep.sweep`: ``auto`` uses numpy when it is
    installed (policies it does not compute are swept in Python), ``python``
    never does, ``numpy`` requires it.  The table is encoded once for all the
    policies.  *facts* are case facts assumed for every application.  *floor_reading* is
    the statutory floor's number for a policy that asks for more than three (as for ``evaluate``).
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
    if floor_reading not in tuple(FloorReading):
        choices = ", ".join(r.value for r in FloorReading)
        raise InvalidInput("floor_reading", floor_reading, f"must be one of {choices}")
    floor_reading = FloorReading(floor_reading)
    columns = None
    if engine == "numpy" or (engine == "auto" and numpy_installed()):
        from .columnar import Columns  # noqa: PLC0415 (needs numpy, the optional extra)

        columns = Columns.from_table(table)
    each = policies if progress is None else progress(policies)
    return Comparison(
        tuple(_one(table, p, engine, columns, facts, floor_reading=floor_reading) for p in each)
    )
