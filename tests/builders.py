"""Small builders that keep the unit tables of the core readable."""

from __future__ import annotations

import datetime as dt
from typing import Any

from asb_case_review.models import Application, Incident, Report

D = dt.date


def rep(
    id: str,  # noqa: A002  (mirrors the model's field)
    made: dt.date,
    behaviour: dt.date | None = None,
    *,
    by: str = "P1",
    incident: str | None = None,
    ended: dt.date | None = None,
    matter: str = "M",
    hate: bool = False,
    **fields: Any,
) -> Report:
    """A report by *by* made on *made* about behaviour on *behaviour* (the day before by default)."""
    began = behaviour or made - dt.timedelta(days=1)
    event = Incident(incident or f"I-{id}", matter=matter, began_on=began, ended_on=ended, hate=hate)
    return Report(id, reporter=by, made_on=made, incident=event, **fields)


def app(made_on: dt.date, *reports: Report, **fields: Any) -> Application:
    """An application by P1 about matter M made on *made_on* with *reports*."""
    values: dict[str, Any] = {"applicant": "P1", "matter": "M"}
    values.update(fields)
    return Application("A1", made_on=made_on, reports=reports, **values)
