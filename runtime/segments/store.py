"""The bytes behind a session's segment tree: each segment's continuation state and its fMP4, bounded.

Every stored segment (a node of `SegmentTree`) has two blobs: the continuation state the worker saved after
it (what a fork from it restores) and its encoded fMP4 (what an export joins). Blobs are kept in memory up to
`memory_bytes`; past that the oldest in-memory nodes are spilled to files in the session's directory. All
blobs together (memory and disk) stay within `max_bytes`: to make room, the oldest node that nothing holds is
evicted (its blobs dropped; `SegmentEvicted` for whoever asks for it later). A node is held while a fork
restores it or an export reads it. A node larger than `max_bytes` on its own is not kept at all. `close()`
removes the directory; the session calls it when it ends.

File I/O runs in a thread; one lock orders the operations of one store.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from dreamverse.runtime.errors import SegmentEvicted

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class _Entry:
    node_id: int
    segment_idx: int
    state_bytes: int
    media_bytes: int
    state: bytes | None  # None once spilled to disk
    media: bytes | None
    holds: int = 0

    @property
    def size_bytes(self) -> int:
        return self.state_bytes + self.media_bytes

    @property
    def in_memory(self) -> bool:
        return self.state is not None


class SegmentStore:
    def __init__(self, directory: Path, max_bytes: int, memory_bytes: int) -> None:
        self.directory = directory
        self.max_bytes = max_bytes
        self.memory_bytes = memory_bytes
        self._entries: dict[int, _Entry] = {}  # insertion order is age: oldest first
        self._evicted: set[int] = set()
        self._lock = asyncio.Lock()
        self._closed = False

    # --- accounting ---------------------------------------------------------------------------------

    @property
    def used_bytes(self) -> int:
        return sum(e.size_bytes for e in self._entries.values())

    @property
    def memory_used_bytes(self) -> int:
        return sum(e.size_bytes for e in self._entries.values() if e.in_memory)

    @property
    def disk_used_bytes(self) -> int:
        return self.used_bytes - self.memory_used_bytes

    def has(self, node_id: int) -> bool:
        return node_id in self._entries

    def is_evicted(self, node_id: int) -> bool:
        return node_id in self._evicted

    # --- writing ------------------------------------------------------------------------------------

    async def put(self, node_id: int, segment_idx: int, state: bytes, media: bytes) -> bool:
        """Keep a node's blobs; False when they cannot fit even in an empty store (recorded as evicted)."""
        async with self._lock:
            size = len(state) + len(media)
            if self._closed or not await self._make_room(size):
                logger.warning("segment %d (%d bytes) not stored: no room under the bound", segment_idx, size)
                self._evicted.add(node_id)
                return False
            self._entries[node_id] = _Entry(node_id, segment_idx, len(state), len(media), state, media)
            await self._spill_over_budget()
            return True

    async def _make_room(self, size: int) -> bool:
        """Evict the oldest unheld nodes until `size` more bytes fit; False if they cannot."""
        used = self.used_bytes
        held = sum(e.size_bytes for e in self._entries.values() if e.holds > 0)
        if held + size > self.max_bytes:
            return False  # even evicting every unheld node would not make room: keep them
        for entry in list(self._entries.values()):
            if used + size <= self.max_bytes:
                break
            if entry.holds == 0:
                used -= entry.size_bytes
                await self._evict(entry)
        return True

    async def _evict(self, entry: _Entry) -> None:
        del self._entries[entry.node_id]
        self._evicted.add(entry.node_id)
        if not entry.in_memory:
            await asyncio.to_thread(self._unlink, entry.node_id)
        logger.info("segment %d evicted from the store (%d bytes)", entry.segment_idx, entry.size_bytes)

    async def _spill_over_budget(self) -> None:
        memory = self.memory_used_bytes
        for entry in list(self._entries.values()):
            if memory <= self.memory_bytes:
                return
            if entry.in_memory:
                memory -= entry.size_bytes
                await self._spill(entry)

    async def _spill(self, entry: _Entry) -> None:
        assert entry.state is not None and entry.media is not None
        await asyncio.to_thread(self._write, entry.node_id, entry.state, entry.media)
        entry.state = entry.media = None

    async def settled(self) -> None:
        """Return once every operation queued before this call is done (the lock serves in order)."""
        async with self._lock:
            pass

    # --- reading ------------------------------------------------------------------------------------

    async def state(self, node_id: int, segment_idx: int) -> bytes:
        """The continuation state a node left; `SegmentEvicted` when it is gone."""
        async with self._lock:
            entry = self._entry(node_id, segment_idx)
            if entry.state is not None:
                return entry.state
            return await asyncio.to_thread(self._state_path(node_id).read_bytes)

    @asynccontextmanager
    async def media_files(self, nodes: Iterable[tuple[int, int]]) -> AsyncIterator[list[Path]]:
        """Files of the (node_id, segment_idx) nodes' fMP4s, in order; they stay while the block runs."""
        async with self._lock:
            entries = [self._entry(node_id, idx) for node_id, idx in nodes]
            for entry in entries:
                if entry.in_memory:
                    await self._spill(entry)  # ffmpeg reads files; disk also frees memory for the export
                entry.holds += 1
        try:
            yield [self._media_path(entry.node_id) for entry in entries]
        finally:
            for entry in entries:
                entry.holds -= 1

    def _entry(self, node_id: int, segment_idx: int) -> _Entry:
        entry = self._entries.get(node_id)
        if entry is None:
            raise SegmentEvicted(
                f"segment {segment_idx + 1} is no longer stored (evicted to keep the session store bound)",
                segment_idx,
            )
        return entry

    # --- files --------------------------------------------------------------------------------------

    def _state_path(self, node_id: int) -> Path:
        return self.directory / f"{node_id:06d}.state"

    def _media_path(self, node_id: int) -> Path:
        return self.directory / f"{node_id:06d}.mp4"

    def _write(self, node_id: int, state: bytes, media: bytes) -> None:
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._state_path(node_id).write_bytes(state)
        self._media_path(node_id).write_bytes(media)

    def _unlink(self, node_id: int) -> None:
        self._state_path(node_id).unlink(missing_ok=True)
        self._media_path(node_id).unlink(missing_ok=True)

    async def close(self) -> None:
        """Drop everything and remove the session's directory."""
        async with self._lock:
            self._closed = True
            self._evicted.update(self._entries)
            self._entries.clear()
            await asyncio.to_thread(shutil.rmtree, self.directory, True)
