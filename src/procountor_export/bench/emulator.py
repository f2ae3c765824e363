"""The throughput benchmark's Procountor: the emulator served by a child process over loopback,
its seed (companies, latency, rate limit), and the process's peak memory."""

from __future__ import annotations

import copy
import json
import re
import resource
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2

from procountor_export.emulator.seed import default_seed


def _api_key(index: int) -> str:
    return f"bench-key-{index + 1}"


def bench_seed(companies: int, limit: float, latency_ms: int) -> dict[str, Any]:
    """The emulator's seed: the demo company ``companies`` times, one API key each."""
    seed = default_seed().model_dump(by_alias=True, mode="json")
    company = seed["companies"][0]
    seed["companies"] = []
    for index in range(companies):
        twin = copy.deepcopy(company)
        twin["apiKey"] = _api_key(index)
        twin["company"]["id"] = index + 1
        seed["companies"].append(twin)
    seed["limits"]["rateLimit"] = limit
    seed["faults"]["latencyMs"] = latency_ms
    return seed


@contextmanager
def served_emulator(seed: dict[str, Any], folder: Path) -> Iterator[str]:
    """The emulator with ``seed`` served by a child process on a free loopback port; yields
    the API root. The child is ended when the block ends."""
    path = folder / "emulator-seed.json"
    path.write_text(json.dumps(seed), encoding="utf-8")
    port = _free_port()
    command = [sys.executable, "-m", "procountor_export", "emulator"]
    command += ["--port", str(port), "--seed", str(path)]
    log = (folder / "emulator.log").open("w", encoding="utf-8")
    child = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            if child.poll() is not None:
                text = (folder / "emulator.log").read_text(encoding="utf-8")
                raise RuntimeError(f"the emulator stopped: {text[-2000:]}")
            try:
                httpx2.get(f"http://127.0.0.1:{port}/_emulator/faults", timeout=1.0)
                break
            except httpx2.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError("the emulator did not start in 30 s") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/api"
    finally:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        log.close()


def _free_port() -> int:

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _violations(root: str) -> int:
    answer = httpx2.get(f"{root}/_emulator/requests", timeout=10.0).json()
    return int(answer.get("rateLimitViolations", 0))


def _reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark of this process (Linux); false where it cannot."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _peak_rss_mb() -> float:
    """This process's peak RSS since the last reset (Linux), else since it started."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        status = ""
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    if match:
        return int(match.group(1)) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
