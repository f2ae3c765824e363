"""Between the slices of a big run the export gives freed memory back to the system, and the
C allocator is set up so that little stays scattered where it cannot be given back."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from procountor_export.runtime import memory


def resident_mb() -> float:
    status = Path("/proc/self/status").read_text()
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    assert match is not None
    return int(match.group(1)) / 1024


@pytest.mark.skipif(
    not Path("/proc/self/status").exists() or memory._glibc() is None,
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


# Eight threads allocate at once, then the C allocator reports its heaps (one per arena).
ARENAS_SCRIPT = """
import ctypes, ctypes.util, sys, threading
from procountor_export.runtime import memory

if sys.argv[1] == "settled":
    assert memory.settle_allocator()
barrier = threading.Barrier(8)
kept = []

def work():
    kept.append([bytearray(1000) for _ in range(2000)])  # above Python's small-object size
    barrier.wait()

threads = [threading.Thread(target=work) for _ in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
libc = ctypes.CDLL(ctypes.util.find_library("c"))
libc.fopen.restype = ctypes.c_void_p
out = libc.fopen(sys.argv[2].encode(), b"w")
libc.malloc_info(0, ctypes.c_void_p(out))
libc.fclose(ctypes.c_void_p(out))
"""


def heaps(tmp_path: Path, mode: str) -> int:
    report = tmp_path / f"{mode}.xml"
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    command = [sys.executable, "-c", ARENAS_SCRIPT, mode, str(report)]
    subprocess.run(command, check=True, env=environ, timeout=60)
    return report.read_text().count("<heap nr=")


@pytest.mark.skipif(memory._glibc() is None, reason="needs glibc")
def test_a_settled_allocator_keeps_few_arenas_however_many_threads(tmp_path: Path) -> None:
    # Each arena fragments on its own, and what one keeps free no other thread can use.
    assert heaps(tmp_path, "plain") > memory.ARENAS  # glibc's habit: an arena per thread
    assert heaps(tmp_path, "settled") <= memory.ARENAS
