"""Tables of applications and column mappings: every row is an application, or a named problem."""

from __future__ import annotations

import datetime as dt

import pytest

from asb_case_review import Fact
from asb_case_review.analysis.intake import ColumnMapping, Unread, applications_from_table, load_mapping
from asb_case_review.analysis.table import csv_records
from asb_case_review.errors import InvalidInput, InvalidPolicyFile
from asb_case_review.models import Application

HEADER = "application,applicant,applied_on,id,reporter,matter,began_on,made_on"


def read(*lines: str, **options: object) -> list[tuple[str, Application | Unread]]:
    return applications_from_table(*csv_records([HEADER, *lines]), **options)  # type: ignore[arg-type]


def test_rows_group_into_applications_in_order_of_first_row() -> None:
    """Rows name their application; each application gets all its rows, in the order of their first row."""
    found = read(
        "A2,P2,2025-11-01,R1,P2,M2,2025-10-01,2025-10-02",
        "A1,P1,2025-11-02,R2,P1,M1,2025-10-03,2025-10-04",
        "A2,P2,2025-11-01,R3,P9,M2,2025-10-05,2025-10-06",
    )
    assert [where for where, _ in found] == ["rows 1, 3", "row 2"]
    first, second = (item for _, item in found)
    assert isinstance(first, Application)
    assert isinstance(second, Application)
    assert (first.id, first.applicant, first.made_on, first.matter) == (
        "A2",
        "P2",
        dt.date(2025, 11, 1),
        "M2",
    )
    assert [r.id for r in first.reports] == ["R1", "R3"]
    assert second.id == "A1"


@pytest.mark.parametrize(
    ("second", "problem"),
    [
        ("A1,P7,2025-11-01,R2,P2,M1,2025-10-01,2025-10-02",
         "row 2: applicant='P7': row 1 of the same application gives P1"),
        ("A1,P1,2025-11-09,R2,P2,M1,2025-10-01,2025-10-02",
         "row 2: applied_on=datetime.date(2025, 11, 9): row 1 of"),
        ("A1,P1,2025-11-01,R2,P2,M2,2025-10-01,2025-10-02",
         "row 2: matter='M2': row 1 of the same application gives M1"),
        ("A1,P1,2025-11-01,R1,P2,M1,2025-10-01,2025-10-02", "row 2: id='R1': is used by an earlier row"),
        ("A1,P1,11/01/2025,R2,P2,M1,2025-10-01,2025-10-02",
         "row 2: applied_on='11/01/2025': is not a date written"),
    ],
    ids=["applicant", "applied-on", "matter", "repeated-report", "applied-on-format"],
)  # fmt: skip
def test_rows_that_disagree_make_their_application_unread(second: str, problem: str) -> None:
    """An application whose rows disagree, or with a bad row, is named with its rows; others are read."""
    found = read(
        "A1,P1,2025-11-01,R1,P1,M1,2025-10-01,2025-10-02",
        second,
        "A3,P3,2025-11-01,R9,P3,M3,2025-10-01,2025-10-02",
    )
    (where, unread), (_, other) = found
    assert where == "rows 1, 2"
    assert isinstance(unread, Unread)
    assert unread.id == "A1"
    assert unread.problem.startswith(problem)
    assert str(unread).startswith("rows 1, 2 (application A1): ")
    assert isinstance(other, Application)


def test_a_row_without_its_application_or_unreadable_is_its_own_problem() -> None:
    """A row with no application id, or whose CSV cannot be read, is listed by row, not dropped."""
    found = read(
        ",P1,2025-11-01,R1,P1,M1,2025-10-01,2025-10-02",
        'A1,"P1,2025-11-01',
        "A2,P2,2025-11-01,R2,P2,M2,2025-10-01,2025-10-02",
    )
    assert [where for where, _ in found] == ["row 1", "row 2", "row 3"]
    assert str(found[0][1]) == "row 1: application='': is required"
    assert "a quoted cell is not closed" in str(found[1][1])
    assert isinstance(found[2][1], Application)


def test_missing_columns_and_facts() -> None:
    """A missing application column stops the read naming it; facts are given to every application."""
    with pytest.raises(InvalidInput, match="'applied_on': the applied_on column is missing"):
        applications_from_table(["application", "applicant"], iter([]))
    ((_, application),) = read(
        "A1,P1,2025-11-01,R1,P1,M1,2025-10-01,2025-10-02", facts={Fact.NO_ACTION_TAKEN: True}
    )
    assert isinstance(application, Application)
    assert dict(application.facts) == {Fact.NO_ACTION_TAKEN: True}


def test_mapped_columns_and_day_first_dates() -> None:
    """Application columns are mapped like report columns, and their dates read in the same format."""
    header = "Case,Who,Received,id,reporter,matter,began_on,made_on"
    ((_, application),) = applications_from_table(
        *csv_records([header, "A1,P1,01/11/2025,R1,P1,M1,01/10/2025,02/10/2025"]),
        columns={"application": "Case", "applicant": "Who", "applied_on": "Received"},
        date_format="day-first",
    )
    assert isinstance(application, Application)
    assert application.made_on == dt.date(2025, 11, 1)


def test_column_mappings_refuse_what_is_not_one() -> None:
    """A mapping names known fields, each to its own non-empty column; files say where they are wrong."""
    with pytest.raises(InvalidInput, match="did you mean 'reporter'"):
        ColumnMapping({"repoter": "Who"})
    with pytest.raises(InvalidInput, match=r"columns.id=' ': must be a column name"):
        ColumnMapping({"id": " "})
    with pytest.raises(InvalidPolicyFile, match=r"m.toml: columns.reporter='X': is already the column of id"):
        load_mapping("[columns]\nid = 'X'\nreporter = 'X'\n", file="m.toml")
    mapping = load_mapping("source = 'CMS'\nsheet = 'Cases'\n[columns]\nid = 'Ref'\napplicant = 'Who'\n")
    assert (mapping.source, mapping.sheet, mapping.date_format) == ("CMS", "Cases", "iso")
    assert mapping.report_columns == {"id": "Ref"}
    updated = mapping.updated({"id": "Reference"}, date_format="day-first")
    assert (updated.names["id"], updated.names["applicant"], updated.sheet, updated.date_format) == (
        "Reference", "Who", "Cases", "day-first",
    )  # fmt: skip
