"""Export settings in the store (SQLite and PostgreSQL): exports, tax codes, groups, terminology."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from procountor_export.store import export_settings as es
from procountor_export.store.db import Store
from procountor_export.store.models import (
    AfterCreate,
    Customer,
    ExportDefinition,
    Invoice,
    JournalEntry,
    Period,
)
from procountor_export.store.secrets import SecretBox

NAME = "Procountor (API)"


@pytest.fixture
def box() -> SecretBox:
    return SecretBox(Fernet.generate_key())


def _customer(code: str, group: str | None = None) -> Customer:
    return Customer(
        code=code, customer_no="1", name=f"{code} Oy", address={"name": code}, export_setting=group
    )


def test_password_is_stored_encrypted_and_read_back(store: Store, box: SecretBox) -> None:
    with store.session() as session:
        export, status = es.upsert_export_definition(
            session, name=NAME, password="secret-key-123", include_pdf=True, box=box
        )
        assert status == "created"
    with store.session() as session:
        export = es.require_export(session, NAME)
        assert export.password_encrypted
        assert "secret-key-123" not in export.password_encrypted
        assert box.decrypt(export.password_encrypted) == "secret-key-123"
        assert es.api_key(export, box).get_secret_value() == "secret-key-123"
        assert es.password_state(export) == "set (encrypted)"
        assert export.include_pdf is True
        assert export.reduce_pdf is False
        assert export.after_create is AfterCreate.LEAVE


def test_statuses_created_unchanged_updated(store: Store, box: SecretBox) -> None:
    with store.session() as session:
        assert (
            es.upsert_export_definition(session, name=NAME, password="k", box=box)[1] == "created"
        )
        assert es.upsert_export_definition(session, name=NAME, password="k", box=box)[1] == (
            "unchanged"
        )
        assert es.upsert_export_definition(session, name=NAME)[1] == "unchanged"
        assert es.upsert_export_definition(session, name=NAME, reduce_pdf=True)[1] == "updated"
        export, status = es.upsert_export_definition(
            session, name=NAME, after_create=AfterCreate.APPROVE
        )
        assert status == "updated"
        assert export.after_create is AfterCreate.APPROVE
        assert export.reduce_pdf is True  # None left it as it was
        assert es.upsert_export_definition(session, name=NAME, password="k2", box=box)[1] == (
            "updated"
        )


def test_password_env_and_password_replace_each_other(store: Store, box: SecretBox) -> None:
    with store.session() as session:
        export, _ = es.upsert_export_definition(session, name=NAME, password="k", box=box)
        es.upsert_export_definition(session, name=NAME, password_env="DEMO_KEY")
        assert export.password_encrypted is None
        assert es.password_state(export) == "from $DEMO_KEY"
        assert es.api_key(export, None, {"DEMO_KEY": "from-env"}).get_secret_value() == "from-env"
        with pytest.raises(es.SettingsError, match=r"'Procountor \(API\)'.*DEMO_KEY.*not set"):
            es.api_key(export, None, {})
        es.upsert_export_definition(session, name=NAME, password="again", box=box)
        assert export.password_env is None
        assert es.api_key(export, box, {}).get_secret_value() == "again"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"password": "k"}, r"Export 'X'.*password.*encrypted.*secret key"),
        ({"password": "k", "password_env": "V"}, "either a password or password_env"),
        ({"password_env": "not a name"}, "password_env 'not a name'"),
        ({"type": "csv"}, "type 'csv' is not supported"),
        ({"encoding": "latin-1"}, "encoding 'latin-1' is not supported"),
        ({"after_create": "publish"}, "after_create 'publish' is not one of leave, approve, send"),
    ],
)
def test_bad_export_values_are_refused_naming_the_field(
    store: Store, kwargs: dict[str, object], message: str
) -> None:
    with store.session() as session, pytest.raises(es.SettingsError, match=message):
        es.upsert_export_definition(session, name="X", **kwargs)  # type: ignore[arg-type]


def test_encoding_spellings_are_normalised(store: Store) -> None:
    with store.session() as session:
        export, _ = es.upsert_export_definition(session, name=NAME, encoding="utf8")
        assert export.encoding == "UTF-8"


def test_api_key_errors_are_clear(store: Store, box: SecretBox) -> None:
    with store.session() as session:
        export, _ = es.upsert_export_definition(session, name=NAME)
        assert es.password_state(export) == "missing"
        with pytest.raises(es.SettingsError, match=r"no password \(Procountor API key\)"):
            es.api_key(export, box)
        es.upsert_export_definition(session, name=NAME, password="k", box=box)
        with pytest.raises(es.SettingsError, match="no secret key"):
            es.api_key(export, None)
        with pytest.raises(es.SettingsError, match="cannot be decrypted"):
            es.api_key(export, SecretBox(Fernet.generate_key()))


def test_tax_rate_codes_are_replaced_as_a_whole(store: Store) -> None:
    with store.session() as session:
        export, _ = es.upsert_export_definition(session, name=NAME)
        assert es.set_tax_rate_codes(session, export, {"ALV25.5": "vat_1", "ALV0EU": "vat_5"})
        assert not es.set_tax_rate_codes(session, export, {"ALV25.5": "vat_1", "ALV0EU": "vat_5"})
        assert es.set_tax_rate_codes(session, export, {"ALV0EU": "vat_6", "ALV0EXP": "vat_3"})
    with store.session() as session:
        export = es.require_export(session, NAME)
        assert {row.vat_code: row.status_code for row in export.tax_rate_codes} == {
            "ALV0EU": "vat_6",
            "ALV0EXP": "vat_3",
        }
        assert es.vat_status_for(export, "ALV0EU") == 6
        assert es.vat_status_for(export, "ALV25.5") is None


def test_a_bad_status_code_names_the_export_and_vat_code(store: Store) -> None:
    with store.session() as session:
        export, _ = es.upsert_export_definition(session, name=NAME)
        with pytest.raises(es.SettingsError, match=r"'Procountor \(API\)'.*'ALV14'.*'vat1'"):
            es.set_tax_rate_codes(session, export, {"ALV14": "vat1"})
        with pytest.raises(es.SettingsError, match=r"'ALV14'.*'12'"):
            es.set_tax_rate_code(session, export, "ALV14", "12")


def test_single_tax_rate_code_set_change_remove(store: Store) -> None:
    with store.session() as session:
        export, _ = es.upsert_export_definition(session, name=NAME)
        es.set_tax_rate_code(session, export, "ALV25.5", "vat_1")
        es.set_tax_rate_code(session, export, "ALV25.5", "vat_12")
        assert es.vat_status_for(export, "ALV25.5") == 12
        es.set_tax_rate_code(session, export, "ALV25.5", None)
        assert es.vat_status_for(export, "ALV25.5") is None
        with pytest.raises(es.SettingsError, match=r"has no tax rate code for VAT code 'ALV25.5'"):
            es.set_tax_rate_code(session, export, "ALV25.5", None)


def test_groups_default_is_unique_and_unknown_exports_are_named(store: Store) -> None:
    with store.session() as session:
        es.upsert_export_definition(session, name="A")
        es.upsert_export_definition(session, name="B")
        first, status = es.upsert_export_group(session, name="G1", exports=["A"], default=True)
        assert status == "created"
        second, _ = es.upsert_export_group(session, name="G2", exports=["B", "A"], default=True)
        assert first.is_default is False
        assert second.is_default is True
        assert [e.name for e in second.exports] == ["A", "B"]
        assert es.upsert_export_group(session, name="G2", exports=["A", "B"], default=True)[1] == (
            "unchanged"
        )
        assert es.upsert_export_group(session, name="G2", exports=["A"], default=True)[1] == (
            "updated"
        )
        with pytest.raises(ValueError, match="Export group 'G3': export 'Nope' does not exist"):
            es.upsert_export_group(session, name="G3", exports=["A", "Nope"], default=False)
    with store.session() as session:
        assert es.default_group(session) is not None
        assert [g.name for g in es.list_groups(session) if g.is_default] == ["G2"]


def test_exports_for_customer_own_group_then_default(store: Store) -> None:
    with store.session() as session:
        es.upsert_export_definition(session, name="A")
        es.upsert_export_definition(session, name="B")
        plain, special, dangling = _customer("PLAIN"), _customer("SPECIAL"), _customer("DANGLE")
        session.add_all([plain, special, dangling])
        session.flush()
        assert es.exports_for_customer(session, plain) == []
        es.upsert_export_group(session, name="Default", exports=["A"], default=True)
        es.upsert_export_group(session, name="Special", exports=["A", "B"], default=False)
        es.set_customer_group(session, "SPECIAL", "Special")
        dangling.export_setting = "Gone"
        assert [e.name for e in es.exports_for_customer(session, plain)] == ["A"]
        assert [e.name for e in es.exports_for_customer(session, special)] == ["A", "B"]
        assert es.exports_for_customer(session, dangling) == []
        assert es.customer_groups(session) == [("DANGLE", "Gone"), ("SPECIAL", "Special")]
        es.set_customer_group(session, "SPECIAL", None)
        assert [e.name for e in es.exports_for_customer(session, special)] == ["A"]
        with pytest.raises(es.SettingsError, match="Customer 'NOPE' does not exist"):
            es.set_customer_group(session, "NOPE", "Default")
        with pytest.raises(es.SettingsError, match=r"Customer 'PLAIN'.*'Missing' does not exist"):
            es.set_customer_group(session, "PLAIN", "Missing")


def test_removing_a_group_sends_its_customers_to_the_default(store: Store) -> None:
    with store.session() as session:
        es.upsert_export_definition(session, name="A")
        es.upsert_export_group(session, name="Special", exports=["A"], default=False)
        session.add(_customer("C1", "Special"))
        session.flush()
        assert es.remove_group(session, "Special") == 1
        assert es.customer_groups(session) == []


def test_terminology_defaults_and_statuses(store: Store) -> None:
    with store.session() as session:
        term = es.PRODUCT_GROUP_TERM
        assert es.terminology(session, term, es.DEFAULT_PRODUCT_GROUP) == "OpterGroup"
        assert es.set_terminology(session, term, "TMS-tuotteet") == "created"
        assert es.set_terminology(session, term, "TMS-tuotteet") == "unchanged"
        assert es.set_terminology(session, term, "Kuljetustuotteet") == "updated"
        assert es.terminology(session, term, "OpterGroup") == "Kuljetustuotteet"
        assert es.list_terminology(session) == {term: ("Kuljetustuotteet", False)}
        with pytest.raises(es.SettingsError, match="Terminology 'X': the value"):
            es.set_terminology(session, "X", " ")


def test_remove_export_refused_once_the_journal_used_it(store: Store) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    with store.session() as session:
        used, _ = es.upsert_export_definition(session, name="Used")
        es.upsert_export_definition(session, name="Spare")
        es.upsert_export_group(session, name="G", exports=["Used", "Spare"], default=True)
        customer = _customer("C")
        period = Period(id="2026-01", date_from=date(2026, 1, 1), date_to=date(2026, 1, 31))
        invoice = Invoice(
            number="1", period=period, customer=customer, date=date(2026, 1, 5),
            due_date=date(2026, 1, 19), currency="EUR", total_net=Decimal(1),
            total_vat=Decimal(0), total_gross=Decimal(1), content_hash="x", imported_at=now,
        )  # fmt: skip
        session.add(invoice)
        session.flush()
        session.add(JournalEntry(invoice=invoice, export=used, created_at=now, updated_at=now))
        session.flush()
        es.remove_export(session, "Spare")
        with pytest.raises(es.SettingsError, match=r"'Used' cannot be removed.*1 entries"):
            es.remove_export(session, "Used")
    with store.session() as session:
        names = list(session.scalars(select(ExportDefinition.name)))
        assert names == ["Used"]
        assert [e.name for e in es.list_groups(session)[0].exports] == ["Used"]


def test_factoring_contract_text_and_customer_updates(store: Store) -> None:
    with store.session() as session:
        export, status = es.upsert_export_definition(session, name=NAME)
        assert status == "created"
        assert export.customer_updates == es.DEFAULT_CUSTOMER_UPDATES == "create_and_update"
        assert export.factoring_contract is None
        _, status = es.upsert_export_definition(
            session,
            name=NAME,
            factoring_contract=" RAH-1001 ",
            factoring_text="Siirretty",
            customer_updates="create_only",
        )
        assert status == "updated"
    with store.session() as session:
        export = es.require_export(session, NAME)
        assert (export.factoring_contract, export.factoring_text) == ("RAH-1001", "Siirretty")
        assert export.customer_updates == "create_only"
        # None keeps a value; "" clears it.
        assert es.upsert_export_definition(session, name=NAME)[1] == "unchanged"
        _, status = es.upsert_export_definition(
            session, name=NAME, factoring_contract="", factoring_text=""
        )
        assert status == "updated"
        assert (export.factoring_contract, export.factoring_text) == (None, None)
        assert export.customer_updates == "create_only"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"customer_updates": "always"}, "customer_updates 'always' is not one of"),
        ({"factoring_contract": "R" * 81}, "longer than 80 characters"),
    ],
)
def test_bad_factoring_and_customer_update_values_are_refused(
    store: Store, kwargs: dict[str, object], message: str
) -> None:
    with store.session() as session, pytest.raises(es.SettingsError, match=message):
        es.upsert_export_definition(session, name="X", **kwargs)  # type: ignore[arg-type]
