"""A small built-in example application, for the command line, the docs and doctests.

It is the story of one household's complaints about noise from a flat (matter
``"FLAT-9"``), told in reports to the council, the police and the landlord.
Identifiers are invented and opaque.
"""

from __future__ import annotations

import datetime as dt

from .models import Agency, Application, Incident, Report

__all__ = ["example_application"]


def example_application() -> Application:
    """An application of 28 February 2026 that meets the statutory threshold.

    Three of its four reports qualify: the fourth was made more than a month
    after the behaviour it reports.  Its earliest qualifying complaint, made
    on 29 August 2025, is inside its six months on the last possible day.

    >>> len(example_application().reports)
    4
    """
    matter = "FLAT-9"
    noise_aug = Incident("INC-1", matter=matter, began_on=dt.date(2025, 8, 22))
    noise_nov = Incident(
        "INC-2", matter=matter, began_on=dt.date(2025, 11, 1), ended_on=dt.date(2025, 11, 14)
    )
    threats = Incident("INC-3", matter=matter, began_on=dt.date(2026, 1, 30))
    old = Incident("INC-0", matter=matter, began_on=dt.date(2025, 6, 1))
    return Application(
        "APP-2026-0001",
        applicant="P-100",
        made_on=dt.date(2026, 2, 28),
        matter=matter,
        related_by="location",
        reports=(
            Report(
                "REP-0", reporter="P-100", made_on=dt.date(2025, 8, 20), incident=old, agency=Agency.COUNCIL
            ),
            Report(
                "REP-1",
                reporter="P-100",
                made_on=dt.date(2025, 8, 29),
                incident=noise_aug,
                agency=Agency.COUNCIL,
            ),
            Report(
                "REP-2",
                reporter="P-200",
                made_on=dt.date(2025, 11, 15),
                incident=noise_nov,
                agency=Agency.POLICE,
                household="H-2",
            ),
            Report(
                "REP-3",
                reporter="P-100",
                made_on=dt.date(2026, 2, 2),
                incident=threats,
                agency=Agency.LANDLORD,
            ),
        ),
    )
