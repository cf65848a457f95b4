"""Small builders that keep the unit tables of the core readable."""

from __future__ import annotations

import datetime as dt
from typing import Any

from asb_case_review.models import Application, Fact, Incident, Report
from asb_case_review.policy import Policy
from asb_case_review.rules import fact, rule

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


def high_risk_policy() -> Policy:
    """A policy met only on the case fact that the victim is high risk: undetermined until it is given."""
    return Policy(
        "risk",
        title="High risk",
        version="1",
        effective_from=dt.date(2020, 1, 1),
        mandatory=rule("risk", fact(Fact.VICTIM_HIGH_RISK), label="the victim is assessed as high risk"),
    )
