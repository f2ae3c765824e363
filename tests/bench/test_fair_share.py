"""One client id's rate shared fairly: companies take turns, a small one is not held up.

Issue 12: "a company with 50,000 invoices does not hold up one with 10 for more than a few
seconds". The unit test checks the round robin of :class:`FairShare`; the export test runs one
big and one small company in one run against the emulator and checks the small one finishes
early, by position in the run (never by a timing).
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from procountor_export.bench.run import BenchConfig, bench_document, bench_seed
from procountor_export.emulator import create_app
from procountor_export.emulator.seed import Seed
from procountor_export.emulator.server import BackgroundServer
from procountor_export.export.reading.scope import Scope
from procountor_export.export.runner import ExportOptions, run_export
from procountor_export.procountor.pacing import LocalRateLimiter
from procountor_export.runtime.connections import ClientFactory
from procountor_export.runtime.fairness import FairShare
from procountor_export.settings import load_settings
from procountor_export.store.db import Store
from procountor_export.store.models import JournalState
from procountor_export.store.secrets import SecretBox
from procountor_export.tms.importer import import_document


def test_lanes_are_served_round_robin() -> None:
    inner = LocalRateLimiter(400)
    order: list[str] = []

    class Noting:
        def acquire(self) -> None:
            inner.acquire()
            order.append(threading.current_thread().name.split("-")[0])

    share = FairShare(Noting())
    stop = threading.Event()

    def busy() -> None:  # the big company: four threads asking all the time
        lane = share.lane("big")
        while not stop.is_set():
            lane.acquire()

    def small() -> None:  # the small company: one thread, twenty requests
        lane = share.lane("small")
        for _ in range(20):
            lane.acquire()

    threads = [threading.Thread(target=busy, name=f"big-{i}") for i in range(4)]
    for thread in threads:
        thread.start()
    little = threading.Thread(target=small, name="small-0")
    little.start()
    little.join(timeout=30)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    first, last = order.index("small"), len(order) - 1 - order[::-1].index("small")
    between = order[first : last + 1]
    # While the small lane waits, it is served every other slot (four threads or not).
    assert between.count("small") == 20
    assert between.count("big") <= 20


@pytest.mark.parametrize(("big", "little"), [(1, 2), (2, 1)])
def test_a_small_company_finishes_early_beside_a_big_one(
    tmp_path: Path, big: int, little: int
) -> None:
    # Either company may be the one a sequential run would do first: both ways are tried.
    document, parts = bench_document(BenchConfig(invoices=100, companies=2, seed=7), 1)
    # Every customer but one to the big company; that one's invoices are the small company's.
    customers = document["customers"]
    small_customer = customers[0]["code"]
    for customer in customers:
        number = little if customer["code"] == small_customer else big
        customer["export_setting"] = f"Bench company {number}"
    small = {i["number"] for i in document["invoices"] if i["customer"] == small_customer}
    assert 0 < len(small) < 20
    store = Store.open(f"sqlite:///{tmp_path / 'fair.sqlite'}")
    box = SecretBox(Fernet.generate_key())
    assert import_document(store, document, box=box).accepted
    seed = Seed.model_validate(bench_seed(2, limit=60.0, latency_ms=5))
    with BackgroundServer(create_app(seed)) as server:
        settings = load_settings(
            PROCOUNTOR_BASE_URL=server.base_url,
            PROCOUNTOR_RATE_LIMIT=50,
            PROCOUNTOR_LIMITER_URL=None,
        )
        factory = ClientFactory(settings)
        summary = run_export(
            store,
            Scope(invoices=tuple(parts[0])),
            client_factory=factory,
            box=box,
            options=ExportOptions(workers=4, started_by="test"),
        )
        factory.close()
    store.close()
    assert summary.failed == 0
    assert summary.exported == len(parts[0])
    order = [o.invoice for o in summary.outcomes if o.state is JournalState.EXPORTED]
    last_small = max(order.index(number) for number in small)
    # The small company's invoices are all done while most of the big one's are still to go.
    assert last_small < len(order) // 3, (last_small, len(order))
