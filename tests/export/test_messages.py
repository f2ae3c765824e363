"""Problems are data; words come from one Messages object at the edge."""

from __future__ import annotations

import json

from procountor_export.export import messages as m
from procountor_export.export.messages import Messages
from procountor_export.export.problems import Problem


def test_a_problem_is_rendered_with_the_tms_name_of_the_face_that_shows_it() -> None:
    problem = Problem.of(m.CUSTOMER_NUMBER_MISSING, "Acme Oy", "ACME", "1001", invoice="250001")
    assert Messages("Opter").message(problem) == (
        "Customer number missing in Opter for customer: Acme Oy (customer code: ACME, "
        "customer no: 1001)"
    )
    assert "Kuljetus TMS" in Messages("Kuljetus TMS").message(problem)
    assert "Kuljetus TMS" in Messages("Kuljetus TMS").remedy(problem)


def test_the_data_survives_a_round_trip_through_json() -> None:
    problem = Problem.of(
        m.PERIOD_CLOSED, "2026-03-31", invoice="250001", field="date", detail="CLOSED_FISCAL_PERIOD"
    )
    again = Problem.from_data(json.loads(json.dumps(problem.to_data())))
    assert again == problem
    assert Messages().text(again) == (
        "The period for date 2026-03-31 does not exist or is closed in Procountor: "
        "CLOSED_FISCAL_PERIOD"
    )


def test_the_json_shape_keeps_code_and_arguments_beside_the_words() -> None:
    shape = Messages("Opter").as_dict(Problem.of(m.ACCOUNT_MISSING, "3999", invoice="250001"))
    assert shape["code"] == "ACCOUNT_MISSING"
    assert shape["args"] == ["3999"]
    assert (
        shape["message"]
        == "No 3999 account in Procountor. Check the accounts available in Procountor."
    )
    assert shape["remedy"]


def test_a_code_from_a_newer_version_is_still_shown() -> None:
    assert Messages().message(Problem(code="SOMETHING_NEW", args=("x", "y"))) == "SOMETHING_NEW x y"
