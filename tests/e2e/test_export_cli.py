"""The export commands end to end: generate → import → check → export → status, over HTTP."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from typer.testing import CliRunner

from procountor_export.cli import app
from procountor_export.emulator import create_app
from procountor_export.emulator.server import BackgroundServer
from procountor_export.samples.problems import PROBLEM_CASES


@pytest.fixture
def env(tmp_path: Path) -> Iterator[dict[str, str]]:
    with BackgroundServer(create_app(rate_limit=None)) as server:
        yield {
            "PROCOUNTOR_EXPORT_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}",
            "PROCOUNTOR_EXPORT_SECRET_KEY": Fernet.generate_key().decode(),
            "PROCOUNTOR_BASE_URL": server.base_url,
            "PROCOUNTOR_RATE_LIMIT": "1000",
        }


def run(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_the_whole_job_from_the_command_line(env: dict[str, str], tmp_path: Path) -> None:
    document = tmp_path / "invoices.json"
    code, _, _ = run(
        env,
        "generate-sample",
        "--invoices",
        "12",
        "--seed",
        "2",
        "--with-problems",
        "--output",
        str(document),
    )
    assert code == 0
    code, out, err = run(env, "import", str(document))
    assert code == 0, out + err

    code, out, _ = run(env, "check", "--all")
    assert code == 1
    flat = " ".join(out.split())
    for case in PROBLEM_CASES.values():
        if case.invoice_number != PROBLEM_CASES["customer-clash"].invoice_number:
            assert " ".join(case.message.split()) in flat, case

    code, out, err = run(env, "export", "--all")
    assert code == 1
    flat = " ".join(out.split())
    assert "The export failed" in flat
    for case in PROBLEM_CASES.values():
        assert " ".join(case.message.split()) in flat, case
    assert "Invoices to export:" in err

    code, out, _ = run(env, "status", "--all", "--json")
    assert code == 0
    rows = json.loads(out)
    states = {row["invoice"]: row for row in rows}
    for case in PROBLEM_CASES.values():
        assert states[case.invoice_number]["state"] == "FAILED"
        assert case.message in states[case.invoice_number]["error"]
    exported = [row for row in rows if row["state"] == "EXPORTED"]
    assert exported
    assert all(row["procountor_invoice_id"] for row in exported)
    assert {"invoice", "export", "state", "procountor_invoice_id", "error", "warnings"} <= set(
        rows[0]
    )

    code, out, err = run(env, "export", "--all", "--json")
    again = json.loads(out)
    assert again["exported"] == 0
    assert again["already_exported"] == len(exported)


def test_dry_run_prints_the_plan_and_sends_nothing(env: dict[str, str], tmp_path: Path) -> None:
    document = tmp_path / "invoices.json"
    assert run(env, "generate-sample", "--invoices", "5", "--output", str(document))[0] == 0
    assert run(env, "import", str(document))[0] == 0
    code, out, _ = run(env, "export", "--all", "--dry-run", "--json")
    assert code == 0, out
    plan = json.loads(out)["exports"][0]["plan"]
    assert plan["customers_to_create"]
    assert plan["products_to_create"]
    assert all(len(p["code"]) <= 40 for p in plan["products_to_create"])
    code, out, _ = run(env, "status", "--all", "--json")
    assert {row["state"] for row in json.loads(out)} == {"NEW"}

    assert run(env, "export", "--all")[0] == 0
    code, out, _ = run(env, "export", "--all", "--dry-run", "--json")
    assert code == 0
    again = json.loads(out)["exports"][0]
    assert again["plan"]["invoices"] == []
    assert again["already_exported"] == len(plan["invoices"])


def test_a_scope_is_required_and_unknown_names_are_errors(env: dict[str, str]) -> None:
    code, _, err = run(env, "export")
    assert code == 2
    assert "--period ID, --invoice NUMBER or --all" in err
    code, _, err = run(env, "status", "--invoice", "NOPE")
    assert code == 2
    assert "Unknown invoice number: NOPE" in err


def test_wrong_api_key_stops_with_the_article_message(env: dict[str, str], tmp_path: Path) -> None:
    document = tmp_path / "invoices.json"
    assert run(env, "generate-sample", "--invoices", "3", "--output", str(document))[0] == 0
    assert run(env, "import", str(document))[0] == 0
    assert run(env, "exports", "set", "Procountor (API)", "--password-env", "WRONG_KEY")[0] == 0
    code, out, _ = run({**env, "WRONG_KEY": "not-the-key"}, "export", "--all")
    assert code == 1
    assert "The user credentials were not accepted by Procountor" in out


def test_import_with_export_exports_the_periods_it_closes(
    env: dict[str, str], tmp_path: Path
) -> None:
    document = tmp_path / "invoices.json"
    assert (
        run(env, "generate-sample", "--invoices", "30", "--seed", "4", "--output", str(document))[0]
        == 0
    )
    code, out, err = run(env, "import", str(document), "--export", "--json")
    assert code == 0, out + err
    result = json.loads(out)
    data = json.loads(document.read_text())
    open_period = next(p["id"] for p in data["periods"] if not p.get("closed_at"))
    in_closed = [i for i in data["invoices"] if i["period"] != open_period]
    assert result["import"]["accepted"]
    assert open_period not in result["import"]["newly_closed_periods"]
    assert result["export"]["exported"] == len(in_closed)

    # The TMS closes the last period: importing that exports just its invoices.
    for period in data["periods"]:
        if period["id"] == open_period:
            period["closed_at"] = f"{period['to']}T18:00:00"
    document.write_text(json.dumps(data))
    code, out, err = run(env, "import", str(document), "--export", "--json")
    assert code == 0, out + err
    result = json.loads(out)
    assert result["import"]["newly_closed_periods"] == [open_period]
    assert result["export"]["exported"] == len(data["invoices"]) - len(in_closed)
    assert result["export"]["already_exported"] == 0

    code, out, _ = run(env, "import", str(document), "--export")
    assert code == 0
    assert "nothing to export" in out


def test_export_with_a_limiter_shared_through_redis(env: dict[str, str], tmp_path: Path) -> None:
    """Several workers share one budget through Redis; the CLI uses it and lets it go."""
    import redis

    url = os.environ.get("PROCOUNTOR_EXPORT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError:
        if os.environ.get("PROCOUNTOR_EXPORT_REQUIRE_SERVICES") == "1":
            raise
        pytest.skip("Redis is not running")
    document = tmp_path / "invoices.json"
    assert run(env, "generate-sample", "--invoices", "6", "--output", str(document))[0] == 0
    assert run(env, "import", str(document))[0] == 0
    code, out, err = run({**env, "PROCOUNTOR_LIMITER_URL": url}, "export", "--all", "--json")
    assert code == 0, out + err
    assert json.loads(out)["exported"] >= 5


def test_the_event_log_records_requests_and_outcomes_without_secrets(
    env: dict[str, str], tmp_path: Path
) -> None:
    log = tmp_path / "events.log"
    env = {**env, "PROCOUNTOR_EXPORT_LOG_FILE": str(log)}
    document = tmp_path / "invoices.json"
    assert (
        run(
            env, "generate-sample", "--invoices", "4", "--with-problems", "--output", str(document)
        )[0]
        == 0
    )
    assert run(env, "import", str(document))[0] == 0
    assert run(env, "export", "--all")[0] == 1
    text = log.read_text(encoding="utf-8")
    assert "INFO procountor_export.api POST /invoices -> 200" in text
    assert "exported as Procountor invoice" in text
    assert (
        "WARNING procountor_export.export invoice 990003 to Procountor (API): FAILED: Incorrectly stated account number: 30X0"
        in text
    )
    assert "demo-api-key" not in text
    assert "demo-secret" not in text


def test_a_bad_setting_is_named(env: dict[str, str]) -> None:
    code, _, err = run({**env, "PROCOUNTOR_RATE_LIMIT": "fast"}, "status", "--all")
    assert code == 1
    assert "Invalid setting: PROCOUNTOR_RATE_LIMIT" in err


def test_each_run_is_recorded_with_who_started_it_and_its_counts(
    env: dict[str, str], tmp_path: Path
) -> None:
    from procountor_export.store.db import Store
    from procountor_export.store.models import ExportRun

    document = tmp_path / "invoices.json"
    assert run(env, "generate-sample", "--invoices", "5", "--output", str(document))[0] == 0
    assert run(env, "import", str(document))[0] == 0
    assert run(env, "export", "--all")[0] == 0
    store = Store.open(env["PROCOUNTOR_EXPORT_DATABASE_URL"])
    with store.session() as session:
        runs = session.query(ExportRun).all()
    store.close()
    assert len(runs) == 1
    (done,) = runs
    assert done.started_by.startswith("cli")
    assert done.scope == {"periods": [], "invoices": [], "all": True}
    assert done.outcome == "succeeded"
    assert done.exported == done.to_export > 0
    assert done.finished_at is not None
