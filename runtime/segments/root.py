"""Where sessions keep their segments: one folder per session under a root the app owns.

The root is `--session-store-dir` when set (kept; only the sessions' own folders are removed), else a private
temporary folder removed at shutdown.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from dreamverse.runtime.segments.branches import SessionBranches
from dreamverse.runtime.segments.store import SegmentStore


@dataclass(frozen=True, slots=True)
class SegmentStores:
    root: Path
    max_bytes: int
    memory_bytes: int

    def for_session(self, session_id: str) -> SessionBranches:
        """A new session's branches; its folder is created on first spill, removed by `close()`."""
        return SessionBranches(SegmentStore(self.root / session_id, self.max_bytes, self.memory_bytes))


@contextmanager
def segment_stores(directory: str | None, max_bytes: int, memory_bytes: int) -> Iterator[SegmentStores]:
    if directory is not None:
        root = Path(directory)
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        yield SegmentStores(root, max_bytes, memory_bytes)
        return
    root = Path(tempfile.mkdtemp(prefix="dreamverse-sessions-"))
    try:
        yield SegmentStores(root, max_bytes, memory_bytes)
    finally:
        shutil.rmtree(root, ignore_errors=True)
