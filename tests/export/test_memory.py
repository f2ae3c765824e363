"""Between the slices of a big run the export gives freed memory back to the system."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from procountor_export.export import memory


def resident_mb() -> float:
    status = Path("/proc/self/status").read_text()
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    assert match is not None
    return int(match.group(1)) / 1024


@pytest.mark.skipif(
    not Path("/proc/self/status").exists() or memory._malloc_trim() is None,
    reason="needs Linux with glibc",
)
def test_memory_freed_in_the_middle_of_the_heap_goes_back_to_the_system() -> None:
    # 200 MB in blocks of 4 KB (the C allocator's, not Python's small-object pools); every
    # 64th block stays alive, so the freed ones lie between live ones, as a slice's invoices
    # lie between what the run keeps: glibc would keep all of it for reuse.
    blocks = [bytearray(4096) for _ in range(50_000)]
    kept = blocks[::64]
    before = resident_mb()
    del blocks
    memory.give_back()
    after = resident_mb()
    assert len(kept) == 782
    assert before - after > 100, (before, after)
