"""A session: the state machine, its slot and rollout, and the socket currently attached to it.

A session outlives a dropped socket for `resume_grace_s`: its rollout holds at the next segment boundary
and, if another session waits for a slot meanwhile, it parks there (gives its slot up, keeps the rollout and
its continuation state); a new socket resumes it with `session_resume`, and a parked one queues again.
Where the slots allow it (scale-out), a session whose worker dies mid-rollout is re-queued at the front and
its rollout goes on the same way on the next slot, the cut segment rendered again (`segment_restarted`).
Everything the session starts runs in its own TaskGroup and is cancelled when it ends; the slot is released
in `finally` on every exit path.

In scale-out a `Checkpointer` snapshots the session (on attach, after each delivered segment) so that
another replica can take it over (`checkpoint.restore`: it starts parked at the first segment its client
has not had whole); the replica that lost it is told to `hand_off`.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import secrets
import time
import weakref
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from dreamverse.runtime.capacity import Lease, Slots
from dreamverse.runtime.errors import (
    DreamverseError,
    IdleTimeout,
    QueueTimeout,
    WorkerError,
    WorkerLost,
)
from dreamverse.runtime.prompts.memory import PromptChoice
from dreamverse.runtime.protocol import client as c
from dreamverse.runtime.protocol import server as s
from dreamverse.runtime.protocol.codes import CloseCode
from dreamverse.runtime.protocol.errors import to_error_event
from dreamverse.runtime.segments.branches import ContinuePoint
from dreamverse.runtime.session.attachment import Attachment
from dreamverse.runtime.session.checkpoint import Captured, Checkpointer
from dreamverse.runtime.session.prompting import PromptDirector
from dreamverse.runtime.session.rollout import FinishedSegment, Rollout
from dreamverse.runtime.session.services import SessionServices
from dreamverse.runtime.session.state import (
    Close,
    ContinueRollout,
    Directive,
    ForkRollout,
    Output,
    Phase,
    PreparePrompt,
    RequestSlot,
    RewriteRollout,
    SessionMachine,
    StartRollout,
    StopRollout,
    SwitchRollout,
    Wake,
)
from dreamverse.runtime.settings import Settings

logger = logging.getLogger(__name__)


def _weak_send(session: Session) -> Callable[[s.ServerEvent], Awaitable[None]]:
    """`session.send` for the session's own parts: a bound method would tie them into a reference cycle."""
    ref = weakref.ref(session)

    async def send(event: s.ServerEvent) -> None:
        if (alive := ref()) is not None:
            await alive.send(event)

    return send


class Session:
    def __init__(
        self,
        settings: Settings,
        slots: Slots,
        services: SessionServices,
        *,
        session_id: str | None = None,
        checkpointer: Checkpointer | None = None,
    ) -> None:
        self.id = session_id or secrets.token_urlsafe(12)
        self.resume_token = secrets.token_urlsafe(24)
        self.settings = settings
        self.slots = slots
        self.services = services
        self.machine = SessionMachine(max_pending_prompts=settings.session.max_pending_prompts)
        self.state = self.machine.state
        self.prompts = PromptDirector(self.state, services, _weak_send(self))
        self.lease: Lease | None = None
        self.attachment: Attachment | None = None
        self.closed = asyncio.Event()
        self.running = asyncio.Event()  # its task group is up: it can start tasks
        self.close_code = CloseCode.NORMAL
        self.initial_image: bytes | None = None
        self._attached = asyncio.Event()
        self._rollout_task: asyncio.Task[None] | None = None
        self._tg: asyncio.TaskGroup | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._slot_deadline: float | None = None
        self._last_activity = time.monotonic()
        self.epoch = 0  # bumped on every attach and detach: media only goes to the socket that saw its start
        self.rollout: Rollout | None = None
        self.branches = services.segments.for_session(self.id)
        self._parked_rollout: Rollout | None = None  # cancelled at a boundary; goes on with the next slot
        self._is_parking = False
        self.checkpointer = checkpointer
        self.restored: Captured | None = None  # taken over from another replica, not rendering yet
        self.handed_off = False  # another replica took it over: what it holds in Redis is theirs now
        # Unbound functions (a table of bound methods would tie the session into a reference cycle)
        self._directive_handlers: dict[type[Any], Callable[[Session, Any], Awaitable[None]]] = {
            RequestSlot: Session._on_request_slot,
            StartRollout: Session._on_start_rollout,
            ContinueRollout: Session._on_continue_rollout,
            StopRollout: Session._on_stop_rollout,
            PreparePrompt: Session._on_prepare_prompt,
            RewriteRollout: Session._on_rewrite,
            ForkRollout: Session._on_fork,
            SwitchRollout: Session._on_switch,
            Wake: Session._on_wake,
            Close: Session._on_close,
        }

    # --- sockets ------------------------------------------------------------------------------------

    def attach(self, attachment: Attachment) -> None:
        """Attach a socket; one still attached (a drop the server has not noticed yet) is let go."""
        if self.attachment is not None and self.attachment is not attachment:
            self.attachment.gone.set()
        self.attachment = attachment
        self.resume_token = secrets.token_urlsafe(24)
        self.epoch += 1
        self.machine.socket_attached()
        self._attached.set()
        self.touch()
        self._checkpoint()  # the new resume token

    async def resume_generation(self) -> None:
        """The attached socket knows where the session stands: a held rollout goes on, a parked one queues."""
        await self._execute(self.machine.socket_resumed())

    def detach(self, attachment: Attachment) -> None:
        if self.attachment is attachment:
            self.attachment = None
            self.epoch += 1  # what goes out from now on reaches nobody: the rollout keeps it for a resume
            self.machine.socket_detached()
            self._attached.clear()

    async def until_attached(self) -> None:
        await self._attached.wait()

    @property
    def is_attached(self) -> bool:
        return self.attachment is not None

    def touch(self) -> None:
        self._last_activity = time.monotonic()

    async def send(self, event: s.ServerEvent) -> None:
        if self.attachment is not None:
            await self.attachment.put(event.model_dump_json(exclude_none=False))

    async def send_bytes(self, data: bytes) -> None:
        if self.attachment is not None:
            await self.attachment.put(data)

    @property
    def resume_point(self) -> int:
        if self.rollout is not None:
            return self.rollout.resume_point()
        return self.restored.next_segment if self.restored is not None else 0

    @property
    def segment_cap(self) -> int:
        return 1 if self.state.options.single_clip else self.settings.session.segment_cap

    def segment_done(self) -> None:
        self.touch()  # a finished segment counts as activity: a watched stream never idles out

    def boundary_reached(self) -> None:
        self.maybe_park()

    def segment_delivered(self) -> None:
        self._checkpoint(when_written=True)

    def _checkpoint(self, *, when_written: bool = False) -> None:
        if self.checkpointer is not None:
            self.checkpointer.save(self, when_written=when_written)

    async def choose_prompt(self, segment_idx: int, *, wait: bool) -> PromptChoice | None:
        return await self.prompts.choose(segment_idx, wait=wait)

    # --- life -----------------------------------------------------------------------------------

    async def run(self) -> None:
        """Runs until the session ends; then releases everything."""
        try:
            async with asyncio.TaskGroup() as tg:
                self._tg = tg
                self.running.set()
                self.spawn(self._watch_deadlines(), "deadlines")
                await self.closed.wait()
                for task in list(self._tasks):
                    task.cancel()
        finally:
            self.machine.closed()
            if self.lease is not None:
                self.slots.release(self.lease)
                self.lease = None
            await self.branches.close()
            if self.checkpointer is not None:
                await self.checkpointer.session_ended(self)
            # Each rollout points back at its session; a cancelled rollout task's traceback holds its frames.
            self.rollout = self._parked_rollout = self._rollout_task = None
            logger.info("session %s ended", self.id)

    def close(self, code: CloseCode, reason: str) -> None:
        if not self.closed.is_set():
            logger.info("session %s closing (%s): %s", self.id, int(code), reason)
            self.close_code = code
            self.closed.set()

    def spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
        assert self._tg is not None, "session is not running"
        task = self._tg.create_task(self._guard(coro), name=f"{name}-{self.id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(lambda _: _close_unstarted(coro))
        return task

    async def _guard(self, coro: Awaitable[Any]) -> None:
        """A session task's errors become `error` events; they never tear the session down silently."""
        try:
            await coro
        except Exception as exc:  # typed errors go out as they are; unknown ones are logged, sent as internal
            await self.send(to_error_event(exc))

    # --- messages ---------------------------------------------------------------------------------

    async def handle(self, msg: c.ClientMessage) -> None:
        self.touch()
        if isinstance(msg, c.SessionInitV2 | c.SimpleGenerate):
            image = msg.initial_image
            self.initial_image = await self.services.decode_image(image) if image is not None else None
        self.prompts.check_user_input(msg)
        await self._execute(self.machine.apply(msg))

    async def _execute(self, outputs: list[Output]) -> None:
        """Send the events and carry out the directives, in the order the machine gave them."""
        for out in outputs:
            if isinstance(out, Directive):
                await self._directive_handlers[type(out)](self, out)
            else:
                await self.send(out)

    async def _on_request_slot(self, _: RequestSlot) -> None:
        self.spawn(self._acquire_slot(), "acquire")

    async def _on_start_rollout(self, d: StartRollout) -> None:
        await self._restart_rollout(d.reason, d.continue_from)

    async def _on_continue_rollout(self, _: ContinueRollout) -> None:
        rollout, self._parked_rollout = self._parked_rollout, None
        if rollout is None and self.restored is not None and self.lease is not None:
            self._rollout_task = self.spawn(self._run_restored(self.lease, self.restored), "rollout")
            return
        if rollout is None or self.lease is None:
            await self._restart_rollout("initial")  # nothing to go on with
            return
        self._rollout_task = self.spawn(self._drive(self.lease, rollout.resume_on(self.lease)), "rollout")

    async def _on_stop_rollout(self, _: StopRollout) -> None:
        await self._cancel_rollout()

    async def _on_prepare_prompt(self, d: PreparePrompt) -> None:
        if await self.prompts.prepare(d):
            self.spawn(self.prompts.enhance(d), "enhance")

    async def _on_rewrite(self, d: RewriteRollout) -> None:
        self.spawn(self._rewrite(d), "rewrite")

    async def _rewrite(self, d: RewriteRollout) -> None:
        await self.prompts.rewrite(d)
        await self._execute(self.machine.rewrite_applied(d.continue_from))

    async def _on_fork(self, d: ForkRollout) -> None:
        """A new branch from the end of a segment, steered by a prompt for its first segment or a rewrite."""
        point = await self.branches.fork(d.segment_idx, d.branch_id)  # typed errors before any change
        memory = self.state.memory
        memory.drop_pending()  # prompts queued for the branch we leave
        await self.send(self.branches.describe())
        if d.rewrite_instruction is not None:  # the rollout goes on from `point` once the prompts are back
            window = list(memory.seed_prompts)
            self.spawn(self._rewrite(RewriteRollout(d.rewrite_instruction, window, point)), "rewrite")
            return
        if d.prompt is not None:
            prompt_id = self.machine.next_prompt_id()
            memory.enhancing.add(prompt_id)
            await self.prompts.prepare(PreparePrompt(prompt_id, d.prompt, enhance=False))
        await self._execute(self.machine.branch_ready("fork", point))

    async def _on_switch(self, d: SwitchRollout) -> None:
        point = await self.branches.switch(d.branch_id)
        self.state.memory.drop_pending()
        await self.send(self.branches.describe())
        await self._execute(self.machine.branch_ready("switch_branch", point))

    async def record_segment(self, branch_id: str, segment: FinishedSegment) -> None:
        """A finished segment joins its branch in the store; the client gets the updated tree."""
        await self.branches.record(
            branch_id, segment.prompt, segment.seed, segment.duration_s, segment.state, segment.media
        )
        await self.send(self.branches.describe())

    async def _on_wake(self, _: Wake) -> None:
        self.prompts.wake()

    async def _on_close(self, d: Close) -> None:
        self.close(d.code, d.reason)

    # --- slot and rollouts --------------------------------------------------------------------------

    async def _acquire_slot(self, *, front: bool = False) -> None:
        def notify(position: int, total: int, available: int) -> None:
            if self.attachment is not None:
                self.attachment.put_nowait(
                    s.QueueStatus(
                        position=position, total_gpus=total, available_gpus=available
                    ).model_dump_json()
                )

        try:
            async with asyncio.timeout(self.settings.session.queue_timeout_s):
                self.lease = await self.slots.acquire(self.id, notify, front=front)
        except TimeoutError as exc:
            self.close(CloseCode.TRY_AGAIN_LATER, "queue timeout")
            raise QueueTimeout(
                f"no slot became free within {self.settings.session.queue_timeout_s:.0f} s"
            ) from exc
        except DreamverseError:
            self.close(CloseCode.TRY_AGAIN_LATER, "queue full")
            raise
        self._checkpoint()  # where it renders now
        if self._slot_deadline is None:  # a parked session keeps the deadline of its first slot
            self._slot_deadline = time.monotonic() + self.settings.session.max_session_s
        await self.send(
            s.GpuAssigned(gpu_id=self.lease.gpu_id, session_timeout=self.settings.session.max_session_s)
        )
        await self._execute(self.machine.slot_acquired())

    async def _restart_rollout(self, reason: str, point: ContinuePoint | None = None) -> None:
        """A rollout on a fresh branch from segment 0, or (`point`) on a branch going on from a state."""
        await self._cancel_rollout()
        if self.lease is None:
            return  # still queued: the rollout starts when the slot arrives
        self._parked_rollout = self.restored = None
        memory = self.state.memory
        memory.start_rollout()
        if point is not None:  # go on with the rollout's prompts from the segment after the fork
            memory.seed_cursor = min(point.next_segment_idx, len(memory.seed_prompts))
        self._rollout_task = self.spawn(self._run_rollout(self.lease, reason, point), "rollout")

    async def _cancel_rollout(self) -> None:
        task, self._rollout_task = self._rollout_task, None
        if task is not None and not task.done() and task is not asyncio.current_task():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            current = asyncio.current_task()
            if current is not None and current.cancelling():
                raise asyncio.CancelledError

    async def _run_restored(self, lease: Lease, restored: Captured) -> None:
        """Go on with a rollout taken over from another replica, at the first segment not delivered."""
        point = restored.checkpoint.rollout
        assert point is not None, "an idle session has no rollout to go on with"
        rollout = Rollout(
            self,
            lease,
            seed=point.seed,
            cap=point.cap,
            segment_timeout_s=self.settings.workers.segment_timeout_s,
            initial_image=None,
            fps=self.settings.model.fps,
            branch_id=point.branch_id,
            first_idx=point.next_segment,
            resume_state=restored.continuation,
            chosen=point.chosen,
        )
        self.rollout, self.restored = rollout, None
        self._checkpoint()
        await self._drive(lease, rollout.run())

    async def _run_rollout(self, lease: Lease, reason: str, point: ContinuePoint | None) -> None:
        st = self.state
        is_fresh = point is None
        if point is None:
            point = ContinuePoint(self.branches.start_rollout().branch_id, 0, None)
        cap = max(self.segment_cap, point.next_segment_idx + 1)  # a branch goes on for one segment at least
        await self.prompts.expand_idea(cap)
        seed = st.options.seed if st.options.seed is not None else self.settings.model.default_seed
        await self.send(
            s.Ltx2StreamStart(
                total_segments=cap,
                preset_id=st.memory.preset_id,
                loop_generation_enabled=st.loop_generation_enabled,
                loop_iteration=st.memory.loop_iteration,
                generation_segment_cap=cap,
            )
        )
        await self.send(self.prompts.seeds_event(reason))
        if is_fresh:  # after the upstream events that open a rollout
            await self.send(self.branches.describe())
        rollout = Rollout(
            self,
            lease,
            seed=seed,
            cap=cap,
            segment_timeout_s=self.settings.workers.segment_timeout_s,
            initial_image=self.initial_image,
            fps=self.settings.model.fps,
            branch_id=point.branch_id,
            first_idx=point.next_segment_idx,
            resume_state=point.state,
        )
        self.rollout = rollout
        self._checkpoint()
        await self._drive(lease, rollout.run())

    async def _drive(self, lease: Lease, running: Awaitable[None]) -> None:
        """Await a rollout on `lease`; what a failure means for the slot, then what follows its end."""
        try:
            await running
        except WorkerLost as exc:
            if await self._requeue_lost(lease, exc):
                return
            self._lose_slot()
            raise
        except WorkerError:
            if lease.is_alive:
                self.machine.rollout_failed()
            else:  # killed after a segment timeout, or died: it is restarted for whoever waits first
                self._lose_slot()
            raise
        await self._execute(self.machine.rollout_finished())
        self.maybe_park()  # idle and detached: someone waiting may have the slot

    # --- parking: a detached session gives its slot to a waiting one -------------------------------

    def maybe_park(self) -> None:
        """Park soon if nobody watches, someone waits for a slot, and nothing is in flight on the worker."""
        if self._should_park() and not self._is_parking:
            self._is_parking = True
            self.spawn(self._park(), "park")

    def _should_park(self) -> bool:
        if self.is_attached or self.lease is None or self.slots.depth == 0 or self.closed.is_set():
            return False
        if self._rollout_task is None or self._rollout_task.done():
            return self.state.phase is Phase.IDLE
        return self.rollout is not None and self.rollout.is_at_boundary

    async def _park(self) -> None:
        try:
            if not self._should_park():
                return  # attached again, or the rollout moved on since this was asked
            running = self._rollout_task is not None and not self._rollout_task.done()
            self._parked_rollout = self.rollout if running else None
            await self._cancel_rollout()
            if self.lease is None:
                return  # the worker was lost meanwhile: the session is waiting for a new init already
            self.slots.release(self.lease)
            self.lease = None
            self.machine.slot_released()
            logger.info("session %s parked: its slot went to a waiting session", self.id)
            if self.is_attached:  # resumed while the rollout was being cancelled
                await self._execute(self.machine.socket_resumed())
        finally:
            self._is_parking = False

    async def _requeue_lost(self, lease: Lease, lost: WorkerLost) -> bool:
        """Where the slots re-queue lost sessions: the rollout goes on from its last finished segment on
        the next slot, queued at the front, and the client is told which segment starts over. False where
        it cannot (embedded mode, nothing to go on from, not streaming): the worker is simply lost."""
        rollout = self.rollout
        if not (
            self.slots.requeues_lost_sessions
            and rollout is not None
            and rollout.lease is lease
            and rollout.can_resume
            and self.state.phase is Phase.STREAMING
            and not self.closed.is_set()
        ):
            return False
        restart_idx = rollout.cut()
        if self.lease is not None:
            self.slots.release(self.lease)
            self.lease = None
        self._parked_rollout = rollout
        self.machine.slot_lost_requeued()
        logger.warning("session %s: %s; segment %d starts over on the next slot", self.id, lost, restart_idx)
        await self.send(
            s.SegmentRestarted(
                segment_idx=s.wire_segment_idx(restart_idx), code=lost.code.value, message=str(lost)
            )
        )
        self.spawn(self._acquire_slot(front=True), "acquire")
        return True

    async def hand_off(self) -> Lease | None:
        """Another replica took this session over: stop here and hand back the lease untouched (its slot
        is the new owner's now; the caller forgets it without releasing it)."""
        self.handed_off = True
        await self._cancel_rollout()
        lease, self.lease = self.lease, None
        self.close(CloseCode.GOING_AWAY, "taken over by another replica")
        return lease

    def _lose_slot(self) -> None:
        if self.lease is not None:
            self.slots.release(self.lease)
            self.lease = None
        self._slot_deadline = None
        self.machine.slot_lost()

    async def _watch_deadlines(self) -> None:
        cfg = self.settings.session
        while True:
            await asyncio.sleep(0.25)
            now = time.monotonic()
            if self._slot_deadline is not None and now >= self._slot_deadline:
                await self.send(
                    s.SessionTimeout(message=f"session reached its {cfg.max_session_s:.0f} s limit")
                )
                self.close(CloseCode.NORMAL, "session timeout")
                return
            generating = (
                self._rollout_task is not None
                and not self._rollout_task.done()
                and not self.prompts.is_waiting
            )
            if not generating and now - self._last_activity >= cfg.idle_timeout_s:
                idle = IdleTimeout(f"no activity for {cfg.idle_timeout_s:.0f} s; the session was ended")
                await self.send(to_error_event(idle))
                self.close(CloseCode.NORMAL, "idle timeout")
                return

    async def wait_attached(self, timeout_s: float) -> bool:
        """Wait for a socket to attach; False on timeout or when the session ends meanwhile."""
        attached = asyncio.ensure_future(self._attached.wait())
        closed = asyncio.ensure_future(self.closed.wait())
        try:
            await asyncio.wait({attached, closed}, timeout=timeout_s, return_when=asyncio.FIRST_COMPLETED)
        finally:
            attached.cancel()
            closed.cancel()
        return self._attached.is_set() and not self.closed.is_set()


def _close_unstarted(coro: Coroutine[Any, Any, Any]) -> None:
    """A task cancelled before its first step (the session ended right after spawning it) never awaited
    `coro`: close it, or Python warns "coroutine … was never awaited" when it is collected."""
    if inspect.getcoroutinestate(coro) == inspect.CORO_CREATED:
        coro.close()
