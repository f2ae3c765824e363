"""One catalogue, worded per face: the terminal names commands, the browser pages and buttons,
the REST API JSON fields and endpoints; no remedy can be written for one face only."""

from __future__ import annotations

import pytest

from procountor_export.export import messages as m
from procountor_export.export.messages import ACTIONS, CATALOGUE, Face, Messages
from procountor_export.export.problems import Problem

READ_AWAY_FROM_THE_TERMINAL = (Face.WEB, Face.API)


def test_every_action_is_worded_for_every_face_and_differently_away_from_the_terminal() -> None:
    for name, action in ACTIONS.items():
        for face in Face:
            assert action.on(face).strip(), (name, face)
        assert action.web != action.cli, name
        assert action.api != action.cli, name


def test_every_action_a_remedy_names_exists_and_every_action_is_used() -> None:
    named = {action for template in CATALOGUE for action in template.actions}
    assert named - set(ACTIONS) == set()
    assert set(ACTIONS) - named == set()
    for template in CATALOGUE:
        for face in Face:
            assert "{do:" not in template.fix("Opter", face), (template.code, face)


@pytest.mark.parametrize("face", READ_AWAY_FROM_THE_TERMINAL)
def test_no_remedy_read_in_the_browser_or_the_api_names_a_command(face: Face) -> None:
    terminal = [
        (template.code, template.fix("Opter", face))
        for template in CATALOGUE
        if "procountor-export" in template.fix("Opter", face) or "--" in template.fix("Opter", face)
    ]
    assert terminal == []


def test_the_terminal_keeps_its_commands_and_is_the_default_face() -> None:
    problem = Problem.of(m.PERIOD_OPEN, "2026-03", invoice=None)
    assert Messages("Opter").remedy(problem) == Messages("Opter", Face.CLI).remedy(problem)
    assert Messages("Opter").remedy(problem) == (
        "Only closed invoice periods are exported whole; close the period in Opter, or export "
        "single invoices with --invoice."
    )
    unmapped = Problem.of(m.VAT_CODE_UNMAPPED, "25", "Procountor (API)", invoice="250001")
    assert "procountor-export tax-codes set EXPORT VAT_CODE vat_N" in Messages().remedy(unmapped)


def test_the_browser_names_the_page_and_the_button() -> None:
    unmapped = Problem.of(m.VAT_CODE_UNMAPPED, "25", "Procountor (API)", invoice="250001")
    remedy = Messages("Opter", Face.WEB).remedy(unmapped)
    assert "Settings → Invoice exports → the export, Codes: tax rates" in remedy
    assert "Save tax rate codes" in remedy
    single = Messages("Opter", Face.WEB).remedy(Problem.of(m.PERIOD_OPEN, "2026-03"))
    assert single.endswith(
        "close the period in Opter, or tick single invoices in the Invoices list and press "
        "Export and send."
    )


def test_the_api_names_the_json_field_and_the_endpoint() -> None:
    single = Messages("Opter", Face.API).remedy(Problem.of(m.PERIOD_OPEN, "2026-03"))
    assert single.endswith(
        'or export single invoices by listing their numbers in "invoices" of POST /api/v1/exports.'
    )
    unmapped = Problem.of(m.VAT_CODE_UNMAPPED, "25", "Procountor (API)", invoice="250001")
    assert '"codes.tax_rates"' in Messages("Opter", Face.API).remedy(unmapped)


@pytest.mark.parametrize("face", list(Face))
def test_the_message_itself_is_the_same_on_every_face(face: Face) -> None:
    problem = Problem.of(m.VAT_CODE_UNMAPPED, "25", "Procountor (API)", invoice="250001")
    assert Messages("Opter", face).message(problem) == (
        "No VAT status code for VAT code 25 in the export Procountor (API)"
    )
    assert Messages("Opter", face).as_dict(problem)["message"] == Messages().message(problem)


def test_the_tms_name_is_filled_in_on_every_face() -> None:
    problem = Problem.of(m.CUSTOMER_INACTIVE_KEPT, "Acme", "ACME", "1001", "Procountor (API)")
    for face in Face:
        remedy = Messages("Kuljetus TMS", face).remedy(problem)
        assert "Kuljetus TMS" in remedy
        assert "{source}" not in remedy
