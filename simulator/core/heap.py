"""Giving freed memory back to the system after a reset dropped a lot of state at once.

CPython frees objects into its own pools and glibc's heap, which keep the pages: a process that held
5,000 namespaces or a million messages would stay that large after a reset. A full collection then
`malloc_trim` hands the free pages back, so a reset returns resident memory to where it started.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc

_libc_name = ctypes.util.find_library("c")
_trim = getattr(ctypes.CDLL(_libc_name), "malloc_trim", None) if _libc_name else None  # glibc only


def release() -> None:
    """Collect garbage and return free heap pages to the system (where the C library can)."""
    gc.collect()
    if _trim is not None:
        _trim(0)
