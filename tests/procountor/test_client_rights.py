"""Reading GET /users/rights leniently and checking the article's required rights."""

from __future__ import annotations

from procountor_export.procountor import REQUIRED_RIGHTS, UserRights

ALL = {
    "management": {"basicAccountingInfo": "ALL_RIGHTS", "importData": "ALL_RIGHTS"},
    "user": {"editPersonalInfo": "ALL_RIGHTS"},
    "sales": {
        "salesOrGroupInvoices": "ALL_RIGHTS",
        "salesInvoiceSearch": "ALL_RIGHTS",
        "customerRegister": "ALL_RIGHTS",
        "productRegister": "ALL_RIGHTS",
    },
    "invoiceCirculation": {"verification": "ALL_RIGHTS", "approval": "ALL_RIGHTS"},
    "accounting": {"journalReceipts": "ALL_RIGHTS", "journalReceiptSearch": "ALL_RIGHTS"},
}


def test_the_articles_eleven_rights_at_all_rights() -> None:
    assert [r.path for r in REQUIRED_RIGHTS] == [
        "management.basicAccountingInfo",
        "management.importData",
        "user.editPersonalInfo",
        "sales.salesOrGroupInvoices",
        "sales.salesInvoiceSearch",
        "sales.customerRegister",
        "sales.productRegister",
        "invoiceCirculation.verification",
        "invoiceCirculation.approval",
        "accounting.journalReceipts",
        "accounting.journalReceiptSearch",
    ]
    assert {r.level for r in REQUIRED_RIGHTS} == {"ALL_RIGHTS"}


def test_full_rights_miss_nothing() -> None:
    rights = UserRights.parse({"role": "ADMIN", "rights": ALL})
    assert rights.role == "ADMIN"
    assert rights.missing() == []
    assert rights.level("sales", "productRegister") == "ALL_RIGHTS"


def test_lower_absent_and_disabled_rights_are_missing() -> None:
    data = {
        "rights": {
            **ALL,
            "sales": {**ALL["sales"], "productRegister": "VIEWING_RIGHTS"},
            "accounting": {"journalReceipts": "NOT_ENABLED"},
        }
    }
    rights = UserRights.parse(data)
    assert [r.path for r in rights.missing()] == [
        "sales.productRegister",
        "accounting.journalReceipts",
        "accounting.journalReceiptSearch",
    ]
    assert rights.level("accounting", "journalReceiptSearch") is None


def test_unexpected_shapes_do_not_fail() -> None:
    for data in (None, [], "x", {"rights": None}, {"rights": {"sales": "ALL"}}):
        assert len(UserRights.parse(data).missing()) == len(REQUIRED_RIGHTS)


def test_a_right_in_another_area_and_boolean_flags_are_found() -> None:
    rights = UserRights.parse(
        {"sales": {"approval": "ALL_RIGHTS"}, "misc": {"journalReceipts": True}}
    )
    assert rights.level("invoiceCirculation", "approval") == "ALL_RIGHTS"
    assert rights.level("accounting", "journalReceipts") == "ALL_RIGHTS"


def test_a_list_of_entries_is_read() -> None:
    rights = UserRights.parse(
        {"rights": [{"area": "sales", "right": "productRegister", "level": "ALL_RIGHTS"}]}
    )
    assert rights.level("sales", "productRegister") == "ALL_RIGHTS"
