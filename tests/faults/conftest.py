"""Fixtures of the fault suite: the helpers beside this file are importable."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import stamina

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(autouse=True)
def _more_retries() -> Iterator[None]:
    """Retries still run at once, but as many as in production: a 429 burst is outlasted."""
    stamina.set_testing(True, attempts=5)
    yield
    stamina.set_testing(False)
