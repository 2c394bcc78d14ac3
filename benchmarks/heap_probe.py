"""The runtime with a heap probe, for the soak: tells memory in use from freed memory the allocator keeps.

    python -m benchmarks.heap_probe OUT.jsonl [dreamverse-server flags…]

Runs `dreamverse-server`; on SIGUSR1 it appends one JSON line to OUT.jsonl: RSS, glibc's heap figures
(`mallinfo2`: bytes in use, bytes free but kept), Python's allocated blocks and threads. On SIGUSR2 it does
the same, then runs a full gc pass (what it finds was garbage waiting for one; the figures after it are
`after_gc`), then calls `malloc_trim(0)` (glibc hands free pages back to the kernel) and adds the RSS after.
RSS that a trim gives back was free memory kept by the allocator, not memory the program still holds.
glibc only (Linux); elsewhere the heap figures are absent.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import json
import os
import signal
import sys
import threading
import time
from pathlib import Path
from types import FrameType
from typing import Any

# Imported here, not under the guard: spawned workers import this module as `__mp_main__`, and so load
# what they load under `python -m dreamverse.runtime.cli` (their RSS stays comparable).
from dreamverse.runtime.cli import server_main

_MALLINFO2_FIELDS = ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks")
_MALLINFO2_FIELDS += ("uordblks", "fordblks", "keepcost")


class _Mallinfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in _MALLINFO2_FIELDS]


def _libc() -> Any:
    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    if not hasattr(libc, "mallinfo2"):
        return None
    libc.mallinfo2.restype = _Mallinfo2
    return libc


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 2)
    raise RuntimeError("no VmRSS in /proc/self/status")


def figures(libc: Any) -> dict[str, Any]:
    heap: dict[str, Any] = {"rss_mb": rss_mb()}
    if libc is not None:
        info = libc.mallinfo2()
        heap["malloc_in_use_mb"] = round((info.uordblks + info.hblkhd) / 2**20, 2)
        heap["malloc_free_kept_mb"] = round(info.fordblks / 2**20, 2)
    heap["python_blocks"] = sys.getallocatedblocks()
    heap["gc_full_passes"] = gc.get_stats()[2]["collections"]
    heap["threads"] = threading.active_count()
    return heap


def install(out: Path) -> None:
    libc = _libc()

    def write(signum: int, _frame: FrameType | None) -> None:
        heap = {"t": time.time(), **figures(libc)}
        if signum == signal.SIGUSR2 and libc is not None:
            heap["gc_unreachable"] = gc.collect()  # garbage still waiting for the collector's full pass
            heap["after_gc"] = figures(libc)
            libc.malloc_trim(0)
            heap["rss_after_trim_mb"] = rss_mb()
        with out.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(heap) + "\n")

    signal.signal(signal.SIGUSR1, write)
    signal.signal(signal.SIGUSR2, write)


def ask(pid: int, out: Path, *, trim: bool, timeout_s: float = 30) -> dict[str, Any]:
    """Signal the probed process and return the line it writes."""
    before = _lines(out)
    os.kill(pid, signal.SIGUSR2 if trim else signal.SIGUSR1)
    deadline = time.monotonic() + timeout_s
    while len(lines := _lines(out)) == len(before):
        if time.monotonic() > deadline:
            raise TimeoutError(f"the heap probe in {pid} did not answer within {timeout_s} s")
        time.sleep(0.05)
    answer: dict[str, Any] = json.loads(lines[-1])
    return answer


def _lines(out: Path) -> list[str]:
    try:
        text = out.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return [line for line in text.splitlines() if line.endswith("}")]


if __name__ == "__main__":  # a guard: worker processes are spawned and import this module again
    install(Path(sys.argv[1]))
    sys.exit(server_main(sys.argv[2:]))
