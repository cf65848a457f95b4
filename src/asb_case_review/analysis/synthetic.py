"""A seeded synthetic national year of ASB reports, for benchmarks, tests and notebooks.

The shape follows what England and Wales record: about a million incidents a
year, most matters reported once or twice and a few reported hundreds of
times (a heavy tail), some residents reporting again and again, reports made
the same day or months after the behaviour, about 3% recorded as hate
incidents, and dates crowded onto month ends and the leap day, where
calendar-month arithmetic goes wrong.  The same seed gives the same table.

>>> table = synthetic_reports(200, seed=7)
>>> len(table), table == synthetic_reports(200, seed=7)
(200, False)
>>> table.id == synthetic_reports(200, seed=7).id
True
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Final

from .._convert import whole
from .._limits import MAX_DATE, MIN_DATE
from ..errors import InvalidInput
from ..models import Agency
from .table import FIELDS, ReportTable

__all__ = ["synthetic_reports"]

_AGENCIES: Final = (Agency.POLICE, Agency.POLICE, Agency.COUNCIL, Agency.LANDLORD)
_ONE_DAY: Final = dt.timedelta(days=1)


def _lag(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.4:
        return 0
    if roll < 0.7:
        return rng.randint(1, 7)
    if roll < 0.9:
        return rng.randint(8, 31)
    return rng.randint(32, 120)


def _check_arguments(count: object, seed: object, year_starting: object) -> None:
    whole("count", count, 1)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise InvalidInput("seed", seed, "must be a whole number")
    # The reports run a year and their lags some months more: all of it inside the supported dates.
    last_year = MAX_DATE.year - 2
    if isinstance(year_starting, bool) or not isinstance(year_starting, int):
        raise InvalidInput("year_starting", year_starting, "must be a whole number")
    if not MIN_DATE.year <= year_starting <= last_year:
        raise InvalidInput(
            "year_starting", year_starting, f"must be a year from {MIN_DATE.year} to {last_year}"
        )


def synthetic_reports(count: int, *, seed: int = 0, year_starting: int = 2023) -> ReportTable:
    """*count* reports over the financial year beginning 1 April *year_starting*, from *seed*.

    The default year (April 2023 to March 2024) contains 29 February 2024.
    """
    _check_arguments(count, seed, year_starting)
    rng = random.Random(seed)
    first = dt.date(year_starting, 4, 1)
    length = (dt.date(year_starting + 1, 4, 1) - first).days
    month_ends = [
        dt.date(year_starting + (m > 12), (m - 1) % 12 + 1, 1) - _ONE_DAY for m in range(5, 17)
    ]  # the last day of each month of the year
    columns: dict[str, list[object]] = {name: [] for name in FIELDS}
    made_total = 0
    matter_number = 0
    incident_number = 0
    while made_total < count:
        matter_number += 1
        matter = f"M{matter_number}"
        size = min(count - made_total, int(rng.paretovariate(1.2)), 5000)
        start = first + dt.timedelta(days=rng.randrange(length))
        duration = rng.randint(1, 240) if size > 1 else 1
        people = max(1, min(size, int(rng.paretovariate(1.5))))
        reporters = [f"P{matter_number}-{n}" for n in range(people)]
        weights = [1.0 / (n + 1) for n in range(people)]
        days = []
        for _ in range(size):
            day = start + dt.timedelta(days=rng.randrange(duration))
            if rng.random() < 0.08:
                day = rng.choice(month_ends)
            days.append(day)
        days.sort()
        incidents: list[tuple[str, dt.date, dt.date | None, bool]] = []
        for day in days:
            made_total += 1
            if incidents and rng.random() < 0.25:
                incident, began, ended, hate = rng.choice(incidents[-5:])
            else:
                incident_number += 1
                incident = f"I{incident_number}"
                began = day - dt.timedelta(days=_lag(rng))
                ended = began + dt.timedelta(days=rng.randint(1, 20)) if rng.random() < 0.1 else None
                hate = rng.random() < 0.03
                incidents.append((incident, began, ended, hate))
            reporter = rng.choices(reporters, weights)[0]
            columns["id"].append(f"R{made_total}")
            columns["reporter"].append(reporter)
            columns["household"].append(f"H-{reporter}" if rng.random() < 0.5 else None)
            columns["matter"].append(matter)
            columns["incident"].append(incident)
            columns["began_on"].append(began)
            columns["ended_on"].append(ended)
            columns["made_on"].append(day)
            columns["agency"].append(rng.choice(_AGENCIES))
            columns["kind"].append("diary_sheet" if rng.random() < 0.05 else "complaint")
            columns["hate"].append(hate)
    return ReportTable(
        **{name: tuple(values) for name, values in columns.items()},  # type: ignore[arg-type]
        rows=tuple(range(1, count + 1)),
    )
