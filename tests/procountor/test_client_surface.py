"""The client's surface: resources with one verb set, pacing in one transport, batching in
``get(ids)``."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx2
import pytest

from procountor_export.procountor import (
    AttachmentMeta,
    BusinessPartner,
    DefaultDimension,
    Invoice,
    LedgerReceipt,
    LocalRateLimiter,
    PacedTransport,
    ProcountorClient,
    Product,
)

# Every resource and the verbs it speaks.
SURFACE: dict[str, set[str]] = {
    "session": {"get"},
    "company": {"get"},
    "users": {"rights"},
    "currencies": {"list", "company"},
    "bank_accounts": {"list"},
    "chart_of_accounts": {"list"},
    "dimensions": {"list"},
    "dimensions.items": {"create"},
    "vats": {"default"},
    "fiscal_years": {"list"},
    "products": {"list", "get", "create", "update"},
    "products.groups": {"list", "create"},
    "products.default_dimensions": {"list", "update"},
    "partners": {"search", "get", "create", "update"},
    "invoices": {"create", "get", "search", "update", "approve", "send"},
    "invoices.payment_events": {"list"},
    "payments": {"list"},
    "ledger_receipts": {"get", "update"},
    "attachments": {"create"},
}

# The flat methods the resources replaced: none may be left as an alias.
OLD_METHODS = [
    "session_info",
    "user_rights",
    "company_currency",
    "create_dimension_item",
    "vat_defaults",
    "create_invoice",
    "get_invoices",
    "search_invoices",
    "update_invoice",
    "approve_invoice",
    "send_invoice",
    "get_ledger_receipts",
    "update_ledger_receipt",
    "create_attachment",
    "find_business_partners",
    "get_business_partners",
    "create_business_partner",
    "update_business_partner",
    "product_groups",
    "create_product_group",
    "get_products",
    "create_product",
    "update_product",
    "product_default_dimensions",
    "set_product_default_dimension",
    "_batched",
]


def _resource(client: ProcountorClient, path: str) -> Any:
    found: Any = client
    for name in path.split("."):
        found = getattr(found, name)
    return found


def _public(resource: Any) -> set[str]:
    return {
        name
        for name in dir(type(resource))
        if not name.startswith("_") and callable(getattr(type(resource), name))
    }


@pytest.mark.parametrize("path", list(SURFACE))
def test_each_resource_speaks_its_verbs_and_nothing_else(
    client: ProcountorClient, path: str
) -> None:
    assert _public(_resource(client, path)) == SURFACE[path]


def test_the_old_flat_methods_are_gone(client: ProcountorClient) -> None:
    assert [name for name in OLD_METHODS if hasattr(client, name)] == []


def test_a_resource_is_made_once_per_client(client: ProcountorClient) -> None:
    assert client.invoices is client.invoices
    assert client.products.groups is client.products.groups


def _answer(request: httpx2.Request) -> httpx2.Response:
    """A plausible answer for any call: the object (or objects) asked for, with an id."""
    last = request.url.path.rsplit("/", 1)[1]
    if "," in last or last.isdigit():
        ids = [int(part) for part in last.split(",")]
        body: Any = [{"id": i} for i in ids] if len(ids) > 1 else {"id": ids[0]}
    elif request.method == "GET":
        body = {"results": [], "meta": {}}
    elif request.headers.get("content-type") == "application/json":
        body = {**json.loads(request.content), "id": 1}  # what was sent, now with an id
    else:
        body = {"id": 1}
    return httpx2.Response(200, content=json.dumps(body).encode(), headers=_JSON)


_JSON = {"content-type": "application/json"}

META = AttachmentMeta(name="copy.pdf", reference_id=7)

# One call of every verb and the key it is counted under in ``client.calls``.
CALLS: list[tuple[str, Callable[[ProcountorClient], object], str]] = [
    ("session.get", lambda c: c.session.get(), "GET /sessioninfo"),
    ("company.get", lambda c: c.company.get(), "GET /company"),
    ("users.rights", lambda c: c.users.rights(), "GET /users/rights"),
    ("currencies.list", lambda c: c.currencies.list(), "GET /currencies"),
    ("currencies.company", lambda c: c.currencies.company(), "GET /currencies/company"),
    ("bank_accounts.list", lambda c: c.bank_accounts.list(), "GET /bankaccounts"),
    ("chart_of_accounts.list", lambda c: c.chart_of_accounts.list(), "GET /coa"),
    ("dimensions.list", lambda c: c.dimensions.list(), "GET /dimensions"),
    (
        "dimensions.items.create",
        lambda c: c.dimensions.items.create(3, "OUL"),
        "POST /dimensions/{dimension_id}/items",
    ),
    ("vats.default", lambda c: c.vats.default(), "GET /vats/default"),
    ("fiscal_years.list", lambda c: c.fiscal_years.list(), "GET /fiscalyears"),
    ("products.list", lambda c: list(c.products.list()), "GET /products"),
    ("products.get", lambda c: c.products.get([1, 2]), "GET /products/{ids}"),
    ("products.create", lambda c: c.products.create(Product(name="P")), "POST /products"),
    ("products.update", lambda c: c.products.update(Product(id=4)), "PUT /products/{id}"),
    ("products.groups.list", lambda c: c.products.groups.list(), "GET /products/groups"),
    ("products.groups.create", lambda c: c.products.groups.create("G"), "POST /products/groups"),
    (
        "products.default_dimensions.list",
        lambda c: c.products.default_dimensions.list(4),
        "GET /products/{id}/defaults/dimensions",
    ),
    (
        "products.default_dimensions.update",
        lambda c: c.products.default_dimensions.update(4, DefaultDimension(id=3)),
        "PUT /products/{id}/defaults/dimensions/{dimension_id}",
    ),
    ("partners.search", lambda c: c.partners.search(), "GET /businesspartners"),
    ("partners.get", lambda c: c.partners.get([5]), "GET /businesspartners/{ids}"),
    (
        "partners.create",
        lambda c: c.partners.create(BusinessPartner(name="B")),
        "POST /businesspartners",
    ),
    (
        "partners.update",
        lambda c: c.partners.update(BusinessPartner(id=5)),
        "PUT /businesspartners/{id}",
    ),
    ("invoices.create", lambda c: c.invoices.create(Invoice()), "POST /invoices"),
    ("invoices.get", lambda c: c.invoices.get([6, 7]), "GET /invoices/{ids}"),
    ("invoices.search", lambda c: list(c.invoices.search()), "GET /invoices"),
    (
        "invoices.update",
        lambda c: c.invoices.update(Invoice(id=6, version="v")),
        "PUT /invoices/{id}",
    ),
    ("invoices.approve", lambda c: c.invoices.approve(6), "PUT /invoices/{id}/approve"),
    ("invoices.send", lambda c: c.invoices.send(6), "PUT /invoices/{id}/send"),
    (
        "invoices.payment_events.list",
        lambda c: list(c.invoices.payment_events.list(6)),
        "GET /invoices/{id}/paymentevents",
    ),
    ("payments.list", lambda c: list(c.payments.list([6, 7])), "GET /payments/paymentevents"),
    ("ledger_receipts.get", lambda c: c.ledger_receipts.get([8]), "GET /ledgerreceipts/{ids}"),
    (
        "ledger_receipts.update",
        lambda c: c.ledger_receipts.update(LedgerReceipt(id=8, version="v")),
        "PUT /ledgerreceipts/{id}",
    ),
    ("attachments.create", lambda c: c.attachments.create(META, b"%PDF"), "POST /attachments"),
]


def test_the_table_covers_every_verb() -> None:
    covered = {name for name, _, _ in CALLS}
    assert covered == {f"{path}.{verb}" for path, verbs in SURFACE.items() for verb in verbs}


@pytest.mark.parametrize(("name", "call", "endpoint"), CALLS, ids=[c[0] for c in CALLS])
def test_each_verb_is_one_counted_call(
    client: ProcountorClient,
    fake: Any,
    name: str,
    call: Callable[[ProcountorClient], object],
    endpoint: str,
) -> None:
    fake.router = _answer
    call(client)
    assert client.calls == {"POST /oauth/token": 1, endpoint: 1}


# --- batching ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("get", "endpoint"),
    [
        (lambda c, ids: c.invoices.get(ids), "GET /invoices/{ids}"),
        (lambda c, ids: c.partners.get(ids), "GET /businesspartners/{ids}"),
        (lambda c, ids: c.products.get(ids), "GET /products/{ids}"),
        (lambda c, ids: c.ledger_receipts.get(ids), "GET /ledgerreceipts/{ids}"),
    ],
    ids=["invoices", "partners", "products", "ledger_receipts"],
)
def test_one_get_of_more_than_200_ids_is_batched_by_the_client(
    client: ProcountorClient,
    fake: Any,
    get: Callable[[ProcountorClient, list[int]], list[Any]],
    endpoint: str,
) -> None:
    fake.router = _answer
    ids = list(range(1, 402))
    found = get(client, ids)
    sizes = [len(r.url.path.rsplit("/", 1)[1].split(",")) for r in fake.requests]
    assert sizes == [200, 200, 1]
    assert sorted(item.id for item in found) == ids
    assert client.calls[endpoint] == 3


# --- pacing --------------------------------------------------------------------------------


class FakeClock:
    """Time that passes only when the limiter sleeps."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_token_calls_and_calls_are_paced_by_one_limiter_in_the_transport(
    make_client: Callable[..., ProcountorClient], fake: Any
) -> None:
    clock = FakeClock()
    limiter = LocalRateLimiter(2, clock=clock, sleep=clock.sleep)
    sent: list[tuple[float, str]] = []

    def network(request: httpx2.Request) -> httpx2.Response:
        sent.append((clock.now, request.url.path.removeprefix("/api")))
        return fake(request)

    client = make_client(limiter=limiter, transport=httpx2.MockTransport(network))
    assert isinstance(client.transport, PacedTransport)
    assert client.transport.limiter is limiter

    client.company.get()
    fake.add(fake.json({}, 401), fake.json({"id": 1}))
    client.invoices.get([1])

    # Every request on the wire, token calls included, took the next slot (0.5 s apart).
    assert sent == [
        (0.0, "/oauth/token"),
        (0.5, "/company"),
        (1.0, "/invoices/1"),  # answered 401
        (1.5, "/oauth/token"),  # a new token
        (2.0, "/invoices/1"),  # the resend
    ]


def test_a_given_http_client_is_paced_by_the_same_transport(
    make_emulator_client: Callable[..., ProcountorClient], limiter: Any
) -> None:
    records: list[Any] = []
    client = make_emulator_client(limiter=limiter, hooks=[records.append])
    client.company.get()
    client.invoices.get([987_654])
    assert [r.endpoint for r in records] == [
        "POST /oauth/token",
        "GET /company",
        "GET /invoices/{ids}",
    ]
    assert limiter.count == len(records) == 3


def test_closing_the_client_leaves_a_given_http_client_open(
    make_emulator_client: Callable[..., ProcountorClient], emulator_http: httpx2.Client
) -> None:
    client = make_emulator_client()
    client.company.get()
    client.close()
    assert not emulator_http.is_closed
    assert make_emulator_client().company.get().name
