"""Killing the export process mid-run, then running it again, leaves one invoice per TMS invoice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from cryptography.fernet import Fernet
from typer.testing import CliRunner

from procountor_export.cli import app
from procountor_export.emulator import create_app
from procountor_export.emulator.server import BackgroundServer


def remote_numbers(server: BackgroundServer) -> Counter[str]:
    state = server.app_state().snapshot(include_files=False)
    return Counter(
        invoice["originalInvoiceNumber"]
        for company in state["companies"].values()
        for invoice in company["invoices"]
    )


def test_kill_minus_nine_mid_export_then_rerun(tmp_path: Path) -> None:
    with BackgroundServer(create_app(rate_limit=None)) as server:
        env = {
            **os.environ,
            "PROCOUNTOR_EXPORT_DATABASE_URL": f"sqlite:///{tmp_path / 'kill.sqlite'}",
            "PROCOUNTOR_EXPORT_SECRET_KEY": Fernet.generate_key().decode(),
            "PROCOUNTOR_BASE_URL": server.base_url,
            "PROCOUNTOR_RATE_LIMIT": "40",
        }
        document = tmp_path / "invoices.json"
        runner = CliRunner()
        generated = runner.invoke(
            app,
            ["generate-sample", "--invoices", "80", "--seed", "5", "-o", str(document)],
            env=env,
        )
        assert generated.exit_code == 0
        imported = runner.invoke(app, ["import", str(document)], env=env)
        assert imported.exit_code == 0, imported.output

        command = [sys.executable, "-m", "procountor_export", "export", "--all", "--json"]
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 120
        while sum(remote_numbers(server).values()) < 15:
            assert process.poll() is None, "the export finished before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        killed_at = sum(remote_numbers(server).values())

        finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        assert finished.returncode == 0, finished.stdout[-2000:] + finished.stderr[-2000:]
        numbers = remote_numbers(server)
        assert max(numbers.values()) == 1, numbers.most_common(3)
        assert sum(numbers.values()) > killed_at
        status = runner.invoke(app, ["status", "--all", "--json"], env=env)
        rows = json.loads(status.stdout)
        assert {row["state"] for row in rows} == {"EXPORTED"}
        assert {row["invoice"] for row in rows} == set(numbers)
