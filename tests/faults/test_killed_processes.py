"""Export processes killed (SIGKILL) at random moments under every fault, started again until
done: every TMS invoice exactly once in Procountor, the journal agreeing with it.

The kill moments come from a seeded random source and the emulator's faults from its
``randomSeed``, so a failing seed can be run again.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from world import FAULTS, check_world, expiring_tokens, no_faults  # type: ignore[import-not-found]

from procountor_export.bench.run import BenchConfig, bench_document, bench_seed
from procountor_export.emulator import create_app
from procountor_export.emulator.seed import Seed
from procountor_export.emulator.server import BackgroundServer
from procountor_export.store import export_settings
from procountor_export.store.db import Store
from procountor_export.store.secrets import SecretBox
from procountor_export.tms.importer import import_document

INVOICES = 40
KILLS = 4
MAX_STARTS = 12


@pytest.mark.parametrize("seed", [21, 22])
def test_killed_and_started_again_until_done(tmp_path: Path, seed: int) -> None:
    document, parts = bench_document(BenchConfig(invoices=INVOICES, companies=2, seed=seed), 1)
    numbers = set(parts[0])
    customers = {c["code"]: c["export_setting"] for c in document["customers"]}
    expected: dict[str, set[str]] = {}
    for invoice in document["invoices"]:
        expected.setdefault(customers[invoice["customer"]], set()).add(invoice["number"])
    key = Fernet.generate_key()
    url = f"sqlite:///{tmp_path / 'killed.sqlite'}"
    store = Store.open(url)
    assert import_document(store, document, box=SecretBox(key)).accepted
    with store.session() as session:
        export_settings.upsert_export_definition(session, name="Bench company 1", include_pdf=True)
    emulator_seed = bench_seed(2, limit=0, latency_ms=5)
    emulator_seed["limits"]["rateLimit"] = None
    emulator_seed["faults"] = {**emulator_seed["faults"], **FAULTS, "randomSeed": seed}
    chance = random.Random(seed)
    with BackgroundServer(create_app(Seed.model_validate(emulator_seed))) as server:
        env = {
            **os.environ,
            "PROCOUNTOR_EXPORT_DATABASE_URL": url,
            "PROCOUNTOR_EXPORT_SECRET_KEY": key.decode(),
            "PROCOUNTOR_BASE_URL": server.base_url,
            "PROCOUNTOR_RATE_LIMIT": "100",
            "PROCOUNTOR_TIMEOUT": "0.5",
        }
        command = [sys.executable, "-m", "procountor_export", "export", "--all", "--json"]
        killed, last = 0, None
        with expiring_tokens(server, every=1.0):
            for _ in range(MAX_STARTS):
                process = subprocess.Popen(
                    command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
                )
                if killed < KILLS:
                    # Past the start-up (about a second) into the run, at a random moment.
                    deadline = time.monotonic() + chance.uniform(1.0, 3.5)
                    while process.poll() is None and time.monotonic() < deadline:
                        time.sleep(0.02)
                    if process.poll() is None:
                        process.kill()  # SIGKILL: no cleanup, claims and INFLIGHT rows stay
                        process.communicate(timeout=30)
                        killed += 1
                        continue
                output, _ = process.communicate(timeout=180)
                last = json.loads(output) if output.strip().startswith("{") else None
                if process.returncode == 0 and last and last["to_export"] == 0:
                    break
        assert killed >= 1, "no process was killed: the test proves nothing"
        assert last is not None
        assert last["failed"] == 0
        assert last["already_exported"] == INVOICES
        no_faults(server)
        verdict = check_world(
            server,
            store,
            expected,
            {"Bench company 1": "bench-key-1", "Bench company 2": "bench-key-2"},
        )
    store.close()
    assert verdict.problems == [], verdict.problems
    assert sum(sum(counted.values()) for counted in verdict.invoices.values()) == len(numbers)
