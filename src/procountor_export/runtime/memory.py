"""Keeping a long run's memory flat: the C allocator set up once, freed memory given back.

Python returns freed objects to its allocator, and glibc's ``malloc`` keeps freed memory in
its arenas for reuse instead of returning it: after each slice of a long run the process would
keep a little more than it uses, and its resident size would creep up with the run's length.
:func:`give_back` collects garbage and asks glibc to return the free pages (``malloc_trim``);
elsewhere (another C library, another system) it only collects garbage.

Trimming cannot return a page that still holds one live block. Two glibc habits scatter live
blocks over many pages in a run like ours: every sending thread gets an arena of its own (up to
eight per core), each fragmenting on its own; and once a big buffer (a page of search results,
a PDF) is freed, glibc raises its threshold for serving big buffers from ``mmap`` and serves
later ones from the arenas, where they leave holes. :func:`settle_allocator` caps the arenas and
pins the threshold, once, before the first thread starts (measured in the docs' benchmarks).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
from functools import cache

# mallopt(3) parameters (glibc's malloc.h).
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8
ARENAS = 2  # the process's C allocator arenas: Python's lock lets one thread run at a time
MMAP_THRESHOLD = 128 * 1024  # bytes: bigger buffers always come from mmap, and go back on free


@cache
def _glibc() -> ctypes.CDLL | None:
    """The C library when it is glibc (it has ``malloc_trim`` and ``mallopt``), else ``None``."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        library = ctypes.CDLL(name)
    except OSError:
        return None
    # Both are glibc's own: another C library may lack them.
    return library if hasattr(library, "malloc_trim") and hasattr(library, "mallopt") else None


@cache
def settle_allocator() -> bool:
    """Cap glibc's arenas at :data:`ARENAS` and pin its ``mmap`` threshold at
    :data:`MMAP_THRESHOLD`; call once, before threads start (later calls do nothing).

    Settings the operator made through glibc's own environment variables (``MALLOC_ARENA_MAX``,
    ``MALLOC_MMAP_THRESHOLD_``) are left as they are. Returns whether the allocator was set
    (false off glibc).
    """
    library = _glibc()
    if library is None:
        return False
    done = True
    if "MALLOC_ARENA_MAX" not in os.environ:
        done = library.mallopt(_M_ARENA_MAX, ARENAS) == 1 and done
    if "MALLOC_MMAP_THRESHOLD_" not in os.environ:
        done = library.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1 and done
    return done


def give_back() -> None:
    """Collect garbage and return the C allocator's free pages to the system, if it can."""
    gc.collect()
    library = _glibc()
    if library is not None:
        library.malloc_trim(0)
