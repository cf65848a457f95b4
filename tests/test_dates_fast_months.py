"""The hand-written calendar-month shift equals dateutil's relativedelta on every day of a wide range."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from asb_case_review.dates import _shift_months

START = dt.date(1996, 1, 1)
EVERY_DAY = [START + dt.timedelta(days=n) for n in range((dt.date(2032, 1, 1) - START).days)]


@pytest.mark.parametrize("months", [1, 6, -1, -6], ids=["plus-1", "plus-6", "minus-1", "minus-6"])
def test_shift_equals_relativedelta_on_every_day(months: int) -> None:
    """Every day from 1996 to 2031 shifts to the same day as relativedelta gives."""
    shift = relativedelta(months=months)
    assert [_shift_months(d, months) for d in EVERY_DAY] == [d + shift for d in EVERY_DAY]


@given(
    day=st.dates(min_value=dt.date(1601, 1, 1), max_value=dt.date(9000, 12, 31)),
    months=st.integers(-120, 120),
)
def test_shift_equals_relativedelta_anywhere(day: dt.date, months: int) -> None:
    """Any day in four centuries and any shift up to ten years either way agrees with relativedelta."""
    assert _shift_months(day, months) == day + relativedelta(months=months)
