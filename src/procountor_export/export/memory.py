"""Giving memory back to the operating system between the slices of a big run.

Python returns freed objects to its allocator, and glibc's ``malloc`` keeps freed memory in
its arenas for reuse instead of returning it: after each slice of a long run the process would
keep a little more than it uses, and its resident size would creep up with the run's length.
:func:`give_back` collects garbage and asks glibc to return the free pages (``malloc_trim``);
elsewhere (another C library, another system) it only collects garbage.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Callable
from functools import cache


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    return trim


def give_back() -> None:
    """Collect garbage and return the C allocator's free pages to the system, if it can."""
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
