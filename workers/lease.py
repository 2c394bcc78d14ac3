"""A session's hold on one worker: send it commands, receive its stream events."""

from __future__ import annotations

from dreamverse.workers.errors import WorkerGone
from dreamverse.workers.handle import WorkerExited, WorkerHandle, WorkerState
from dreamverse.workers.ipc import (
    CancelStream,
    RenderSegment,
    ResumeStream,
    StartStream,
    WorkerToRuntime,
)


class WorkerLease:
    def __init__(self, handle: WorkerHandle, session_id: str) -> None:
        self.handle = handle
        self.session_id = session_id
        self.released = False
        self.is_killed = False  # killed through this lease: never handed out again as it is
        self._events = handle.stream_events  # the queue of the process that was live when leased

    @property
    def gpu_id(self) -> int:
        return self.handle.gpu_id

    @property
    def is_alive(self) -> bool:
        """False once the leased process is gone or being killed: the session has lost this worker."""
        if self.is_killed:
            return False
        return self.handle.state is WorkerState.BUSY and self._events is self.handle.stream_events

    def kill(self) -> None:
        """Kill a hung worker (the supervisor restarts it); the lease is dead from now on."""
        self.is_killed = True
        self.handle.kill()

    def segment_served(self) -> None:
        self.handle.segments_served += 1

    def start_stream(self, stream_id: str, seed: int) -> None:
        self._drain()
        self.handle.send(StartStream(stream_id=stream_id, seed=seed))

    def resume_stream(self, stream_id: str, state: bytes) -> None:
        """Start a stream that continues a saved state (`SegmentStateSaved.state`)."""
        self._drain()
        self.handle.send(ResumeStream(stream_id=stream_id, state=state))

    def render(
        self, stream_id: str, segment_idx: int, prompt: str, initial_image: bytes | None = None
    ) -> None:
        self.handle.send(RenderSegment(stream_id, segment_idx, prompt, initial_image))

    def cancel(self, stream_id: str) -> None:
        self.handle.send(CancelStream(stream_id))

    async def next_event(self) -> WorkerToRuntime:
        """The next event of this worker; raises `WorkerGone` once its process has died."""
        if not self.is_alive and self._events.empty():
            raise WorkerGone("worker is no longer serving this session")
        event = await self._events.get()
        if isinstance(event, WorkerExited):
            self._events.put_nowait(event)  # later callers see it too
            raise WorkerGone(event.detail)
        return event

    def _drain(self) -> None:
        """Drop events of an earlier stream (e.g. chunks still in flight when it was cancelled)."""
        while not self._events.empty():
            event = self._events.get_nowait()
            if isinstance(event, WorkerExited):
                self._events.put_nowait(event)
                return
