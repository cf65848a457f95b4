"""The pictures as a reader sees them: the comparison draws what each policy changes from the statute,
every bar it paints is one its table counts, nothing is cut off, and the timeline shows the day a
window closed and the day a decision stays met until, even on the application day."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from asb_case_review import (
    CATALOGUE,
    STATUTORY,
    Application,
    Fact,
    Incident,
    Policy,
    Report,
    evaluate,
    fact,
    rule,
    statutory_route,
)
from asb_case_review.analysis.compare import Comparison, compare
from asb_case_review.analysis.synthetic import synthetic_reports
from asb_case_review.examples import example_application
from asb_case_review.parsing import application_from_mapping
from asb_case_review.plots import timeline

EXAMPLES = Path(__file__).parent.parent / "examples"
RED = "#d4351c"
TABLE = synthetic_reports(800, seed=5)

# A policy whose condition hangs on a fact nobody supplied: the floor meets what it leaves undetermined,
# which is no conflict (the summary counts none), so nothing of it may be painted as one.
UNDETERMINED = Policy(
    "needs-risk",
    title="Needs a risk assessment",
    version="1",
    effective_from=dt.date(2014, 10, 20),
    mandatory=statutory_route(3),
    conditions=(rule("risk", fact(Fact.VICTIM_HIGH_RISK), label="the victim is at high risk"),),
)


def bars(ax: Any) -> list[tuple[str, float]]:
    """Each painted bar's colour and signed width."""
    return [(to_hex(p.get_facecolor()), p.get_width()) for p in ax.patches if p.get_width()]


def legend_labels(ax: Any) -> list[str]:
    return [t.get_text() for legend in ax.figure.legends for t in legend.get_texts()]


@pytest.fixture(scope="module")
def four() -> Comparison:
    names = ["merseyside", "statutory", "gosport", "staffordshire-moorlands"]
    return compare(TABLE, [CATALOGUE[n] for n in names])


def test_the_baseline_is_the_statute_wherever_it_stands(four: Comparison) -> None:
    """With the statute among the policies (not first), every other policy is drawn against it."""
    ax = four.plot()
    assert four.baseline().policy.id == "statutory"
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "merseyside",
        "gosport",
        "staffordshire-moorlands",
    ]
    assert ax.get_title(loc="left").startswith("What each policy changes from the statute\n(statutory meets ")
    assert ax.get_xlabel() == f"applications, of {len(TABLE):,}, that differ from statutory"


def test_differences_are_counted_application_by_application(four: Comparison) -> None:
    """met_beyond and turned_away compare each application's outcome under the policy and the statute."""
    base = four.baseline()
    for row, sweep in zip(four.differences(), [s for s in four.sweeps if s is not base], strict=True):
        beyond = sum(
            o.value == "met" and b.value != "met" for o, b in zip(sweep.outcome, base.outcome, strict=True)
        )
        away = sum(
            o.value != "met" and b.value == "met" for o, b in zip(sweep.outcome, base.outcome, strict=True)
        )
        assert (row["met_beyond"], row["turned_away"]) == (beyond, away)
    assert any(row["met_beyond"] for row in four.differences())


def test_every_bar_is_labelled_with_the_number_its_table_gives(four: Comparison) -> None:
    """Red bars are the summary's floor conflicts, green the applications met beyond the statute."""
    ax = four.plot()
    summary = {row["policy"]: row for row in four.summary()}
    labels = {t.get_text() for t in ax.texts}
    red = sorted(-w for colour, w in bars(ax) if colour == RED)
    expected = sorted(
        summary[row["policy"]]["floor_conflicts"] for row in four.differences() if row["floor_conflicts"]
    )
    assert red == expected
    for width in red:
        assert f"{int(width):,}" in labels
    assert "no difference" in labels  # gosport words as the statute's


def test_an_undetermined_policy_is_not_painted_as_a_floor_conflict() -> None:
    """Floor met where the policy is undetermined is no conflict: no red bar, no red legend entry."""
    comparison = compare(TABLE, [STATUTORY, UNDETERMINED])
    assert comparison.summary()[1]["floor_conflicts"] == 0
    assert comparison.sweeps[1].route.count(None) < len(TABLE)  # the floor did decide some
    ax = comparison.plot()
    assert RED not in {colour for colour, _ in bars(ax)}
    assert not any("conflict" in label for label in legend_labels(ax))
    alone = compare(TABLE, [UNDETERMINED]).plot()
    assert RED not in {colour for colour, _ in bars(alone)}
    assert any("undetermined" in label for label in legend_labels(alone))


@pytest.mark.parametrize(
    "names",
    [["statutory", "gosport"], ["merseyside", "statutory"], ["merseyside"]],
    ids=["no-difference", "two", "one"],
)
def test_the_legend_lists_only_colours_a_bar_uses(names: list[str]) -> None:
    """Each legend entry's colour is painted on some bar, and no painted colour is missing from it."""
    ax = compare(TABLE, [CATALOGUE[n] for n in names]).plot()
    painted = {colour for colour, _ in bars(ax)}
    listed = {to_hex(h.get_facecolor()) for legend in ax.figure.legends for h in legend.get_patches()}
    assert listed == painted


def test_one_policy_alone_is_split_by_route_with_the_numbers() -> None:
    """With nothing to compare, the picture splits what the policy meets by route, each with its count."""
    comparison = compare(TABLE, [CATALOGUE["merseyside"]])
    ax = comparison.plot()
    met = comparison.summary()[0]["met"]
    assert ax.get_title(loc="left") == f"merseyside meets {met:,} of {len(TABLE):,} applications, by route"
    counts = [int(label.rpartition(": ")[2].replace(",", "")) for label in legend_labels(ax)]
    assert sum(counts) == met


FOUR = ["merseyside", "statutory", "gosport", "staffordshire-moorlands"]


@pytest.mark.parametrize(
    "names", [["merseyside"], ["statutory", "merseyside"], FOUR], ids=["one", "two", "four"]
)
def test_nothing_is_cut_off(names: list[str]) -> None:
    """Every word of the comparison picture (titles, ticks, axis label, legend, bar labels) is inside it."""
    figure = compare(TABLE, [CATALOGUE[n] for n in names]).plot().figure
    canvas = FigureCanvasAgg(figure)
    canvas.draw()  # type: ignore[no-untyped-call]
    # The box around everything drawn (what savefig's bbox_inches="tight" would keep), in inches.
    drawn = figure.get_tightbbox(canvas.get_renderer())  # type: ignore[no-untyped-call]
    width, height = figure.get_size_inches()
    assert drawn.x0 >= -0.01
    assert drawn.y0 >= -0.01
    assert drawn.x1 <= width + 0.01
    assert drawn.y1 <= height + 0.01
    assert figure.legends


def test_the_window_edge_picture_says_the_day_the_window_closed() -> None:
    """A window that closed the day before the application, too narrow a gap to see, is said in words."""
    data = json.loads((EXAMPLES / "not-met-window-edge.json").read_text(encoding="utf-8"))
    decision = evaluate(application_from_mapping(data), STATUTORY)
    for private in (True, False):
        texts = [t.get_text() for ax in timeline(decision, private=private).axes for t in ax.texts]
        assert "outside window: its window ended 27 Feb 2026, the day before the application" in texts


def test_stays_met_on_the_application_day_is_drawn_above_the_application_line() -> None:
    """When a decision stays met only on the application day, its line shows on top and says so."""
    decision = evaluate(example_application(), STATUTORY)
    assert decision.met_until == decision.as_of
    top = timeline(decision).axes[0]
    assert "stays met until\n28 Feb 2026 (the application day)" in [t.get_text() for t in top.texts]
    dotted = [line for line in top.lines if line.get_linestyle() == ":"]
    # The application line: solid, and vertical (its two points share one x).
    solid = [
        line for line in top.lines if line.get_linestyle() == "-" and np.shape(line.get_xydata()) == (2, 2)
    ]
    assert dotted
    assert solid
    assert min(line.get_zorder() for line in dotted) > max(line.get_zorder() for line in solid)


def test_a_stricter_policy_is_drawn_turning_away_what_the_statute_meets_on_the_axes_given() -> None:
    """A policy asking for five turns away, even after its floor (its own number), what the statute meets.

    Drawn on the caller's axes, against the first policy when the statute is not compared.
    """
    five = Policy(
        "five", title="Five", version="1", effective_from=dt.date(2014, 10, 20), mandatory=statutory_route(5)
    )
    with_statute = compare(TABLE, [five, STATUTORY])
    row = with_statute.differences()[0]
    assert row["turned_away"] > 0
    grey = [w for colour, w in bars(with_statute.plot()) if colour == "#6f777b"]
    assert grey == [-row["turned_away"]]
    ax = Figure().subplots()
    without = compare(TABLE, [CATALOGUE["merseyside"], five])
    assert without.plot(ax) is ax
    assert ax.get_title(loc="left").startswith("What each policy changes from merseyside\n(merseyside meets ")


def test_a_policy_that_meets_nothing_is_drawn_without_a_legend() -> None:
    """One policy meeting nothing: the title says so, and no legend lists colours that are not drawn."""
    tiny = synthetic_reports(1, seed=1)
    ax = compare(tiny, [STATUTORY]).plot()
    assert ax.get_title(loc="left") == "statutory meets 0 of 1 applications, by route"
    assert not ax.figure.legends


def test_a_window_that_closed_days_before_says_how_many() -> None:
    """A window that closed more than a day before the application gives the number of days."""
    noise = Incident("I", matter="M", began_on=dt.date(2025, 8, 19))
    report = Report("R", reporter="P", made_on=dt.date(2025, 8, 20), incident=noise)
    application = Application("A", applicant="P", made_on=dt.date(2026, 2, 28), matter="M", reports=(report,))
    texts = [t.get_text() for ax in timeline(evaluate(application, STATUTORY)).axes for t in ax.texts]
    assert "outside window: its window ended 19 Feb 2026, 9 days before the application" in texts
