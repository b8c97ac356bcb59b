"""Giving freed memory back to the system after a reset dropped a lot of state at once.

CPython frees objects into its own pools and glibc's heap, which keep the pages: a process that held
5,000 namespaces or a million messages would stay that large after a reset. `malloc_trim` hands the
free pages back (after a full collection when many namespaces went), so resident memory returns to
where it started.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc

_libc_name = ctypes.util.find_library("c")
_trim = getattr(ctypes.CDLL(_libc_name), "malloc_trim", None) if _libc_name else None  # glibc only


def release(collect: bool) -> None:
    """Return free heap pages to the system (where the C library can); with `collect`, first run a full
    garbage collection, which frees objects held only in reference cycles (a namespace's clock and
    scheduler refer to each other). A full collection walks every object of the process (~100 ms in a
    test run's process), so it is for resets that dropped a lot, not for the reset before every test."""
    if collect:
        gc.collect()
    if _trim is not None:
        _trim(0)
