"""Server → client events: one pydantic model each, serialized with `model_dump_json`.

Names and fields are the upstream Dreamverse protocol's; ours (`session_ready`, `session_resumed`, `code`
and `retryable` on `error`, optional fields) are additions that old clients ignore.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

PromptSource = Literal["curated", "user_enhanced", "user_raw", "auto_llm"]


def wire_segment_idx(idx: int) -> int:
    """The `segment_idx` sent for the runtime's segment `idx`. Upstream numbers a rollout's segments from 1
    on the wire; the runtime and the workers count from 0 (segment 0 starts without carry-over)."""
    return idx + 1


class _Event(BaseModel):
    # Every field is always sent, so the exported schema marks defaulted fields required too.
    model_config = ConfigDict(frozen=True, json_schema_serialization_defaults_required=True)


class Limits(_Event):
    max_prompt_chars: int
    max_message_bytes: int
    max_image_bytes: int
    max_prompts: int


class SessionReady(_Event):
    type: Literal["session_ready"] = "session_ready"
    protocol_version: int
    server_version: str
    capabilities: list[str]
    session_id: str
    resume_token: str
    limits: Limits


class SessionResumed(_Event):
    type: Literal["session_resumed"] = "session_resumed"
    session_id: str
    next_segment_idx: int  # wire numbering, as `segment_idx`
    total_segments: int
    prompts: list[str]


class Error(_Event):
    model_config = ConfigDict(title="ErrorEvent")  # `Error` would shadow the builtin in TypeScript

    type: Literal["error"] = "error"
    message: str
    code: str  # ours, read by our workspace; always equal to `error_code`
    retryable: bool
    prompt_id: str | None = None
    segment_idx: int | None = None
    category: str | None = None

    @computed_field  # type: ignore[prop-decorator]  # mypy does not model decorated properties
    @property
    def error_code(self) -> str:
        """The name upstream's client reads (`error_code === "ip_session_limit"`)."""
        return self.code


class QueueStatus(_Event):
    type: Literal["queue_status"] = "queue_status"
    position: int  # 0 = a GPU is free for this session
    total_gpus: int
    available_gpus: int


class GpuAssigned(_Event):
    type: Literal["gpu_assigned"] = "gpu_assigned"
    gpu_id: int
    session_timeout: float  # seconds


class Ltx2StreamStart(_Event):
    type: Literal["ltx2_stream_start"] = "ltx2_stream_start"
    total_segments: int
    preset_id: str | None
    stream_mode: Literal["av_fmp4"] = "av_fmp4"
    live_mode: bool = True
    loop_generation_enabled: bool
    loop_iteration: int
    generation_segment_cap: int


class SeedPromptsUpdated(_Event):
    type: Literal["seed_prompts_updated"] = "seed_prompts_updated"
    prompts: list[str]
    preset_id: str | None
    preset_label: str | None
    reason: str
    seed_prompt_count: int
    fallback_used: bool | None = None
    error: str | None = None
    model: str | None = None
    latency_ms: float | None = None
    raw_llm_output: str | None = None
    rewrite_instruction: str | None = None


class SeedPromptsResetPending(_Event):
    type: Literal["seed_prompts_reset_pending"] = "seed_prompts_reset_pending"
    seed_prompt_count: int


class SeedPromptsResetApplied(_Event):
    type: Literal["seed_prompts_reset_applied"] = "seed_prompts_reset_applied"
    reason: str
    loop_iteration: int
    seed_prompt_count: int
    dropped_user_raw_queue: int
    dropped_user_ready_queue: int


class RewriteSeedPromptsStarted(_Event):
    type: Literal["rewrite_seed_prompts_started"] = "rewrite_seed_prompts_started"
    model: str


class RewriteSeedPromptsComplete(_Event):
    type: Literal["rewrite_seed_prompts_complete"] = "rewrite_seed_prompts_complete"
    fallback_used: bool
    error: str | None
    preset_id: str | None
    preset_label: str | None
    model: str
    latency_ms: float


class PromptReceived(_Event):
    type: Literal["prompt_received"] = "prompt_received"
    prompt_id: str
    queue_depth: int


class PromptEnhancing(_Event):
    type: Literal["prompt_enhancing"] = "prompt_enhancing"
    prompt_id: str


class PromptReady(_Event):
    type: Literal["prompt_ready"] = "prompt_ready"
    prompt_id: str
    prompt: str
    source: PromptSource
    latency_ms: float


class PromptFallbackUsed(_Event):
    type: Literal["prompt_fallback_used"] = "prompt_fallback_used"
    prompt_id: str
    prompt: str
    source: PromptSource
    latency_ms: float
    error: str | None


class AutoPromptFailed(_Event):
    type: Literal["auto_prompt_failed"] = "auto_prompt_failed"
    segment_idx: int
    latency_ms: float
    error: str | None


class SegmentPromptSource(_Event):
    type: Literal["segment_prompt_source"] = "segment_prompt_source"
    segment_idx: int
    source: PromptSource
    prompt_id: str | None
    fallback_used: bool
    seed_prompt_index: int | None
    loop_iteration: int


class Ltx2SegmentStart(_Event):
    type: Literal["ltx2_segment_start"] = "ltx2_segment_start"
    segment_idx: int
    total_segments: int
    prompt: str
    source: PromptSource
    seed_prompt_index: int | None
    loop_iteration: int


class MediaInit(_Event):
    type: Literal["media_init"] = "media_init"
    segment_idx: int
    mime: str
    stream_id: str
    mode: Literal["av_fmp4"] = "av_fmp4"


class SegmentRestarted(_Event):
    """Ours: the worker rendering `segment_idx` was lost (scale-out: its agent died) and the session goes
    on on another one, from the end of the segment before. The segment is rendered again, not skipped:
    its announcement and a new `media_init` follow, and what arrived of it since its last `media_init` is
    void (a player drops it). Segments the client has whole are never sent again."""

    type: Literal["segment_restarted"] = "segment_restarted"
    segment_idx: int  # wire numbering: the first segment rendered again
    code: str  # why, as an `error` code: `worker_lost`
    message: str


class MediaSegmentComplete(_Event):
    type: Literal["media_segment_complete"] = "media_segment_complete"
    segment_idx: int
    stream_id: str
    chunks: int
    bytes: int | None = None  # ours
    frames: int | None = None  # ours
    first_frame_unix_ms: float | None = None  # ours: when the worker produced the segment's first frame
    duration_s: float | None = None  # ours: seconds of video in the segment (frames / fps)


class StepLatency(_Event):
    total: float
    worker_e2e: float
    main_user_step: float
    overhead: float


class StepComplete(_Event):
    type: Literal["step_complete"] = "step_complete"
    latency_ms: StepLatency
    stage_ms: dict[str, float] = Field(default_factory=dict)  # ours: per generator stage


class Ltx2SegmentComplete(_Event):
    type: Literal["ltx2_segment_complete"] = "ltx2_segment_complete"
    segment_idx: int
    total_segments: int
    seed: int | None = None  # ours: the seed the segment was rendered with (a replay reproduces it)
    branch_id: str | None = None  # ours: the branch it belongs to


class BranchSegment(_Event):
    """One segment of a branch (ours)."""

    segment_idx: int
    prompt: str
    seed: int
    duration_s: float
    is_stored: bool  # False once evicted to keep the store bound: no fork from it, no export through it


class BranchInfo(_Event):
    """One branch of the session's segment tree (ours)."""

    branch_id: str
    parent_branch_id: str | None  # None: a fresh rollout from segment 0
    parent_segment_idx: int | None  # the segment of the parent branch it continues from
    segments: list[BranchSegment]  # its own segments; those before the fork are its parent's
    duration_s: float  # of its whole timeline, from segment 0


class BranchesUpdated(_Event):
    """Ours: the session's branches, sent whenever the tree changes (a segment, a fork, a switch)."""

    type: Literal["branches_updated"] = "branches_updated"
    current_branch_id: str | None
    branches: list[BranchInfo]


class Ltx2StreamComplete(_Event):
    type: Literal["ltx2_stream_complete"] = "ltx2_stream_complete"


class ProjectIdle(_Event):
    type: Literal["project_idle"] = "project_idle"
    dropped_user_raw_queue: int
    dropped_user_ready_queue: int


class SessionTimeout(_Event):
    type: Literal["session_timeout"] = "session_timeout"
    message: str


class GenerationRestarted(_Event):
    type: Literal["generation_restarted"] = "generation_restarted"
    reason: str
    segment_cap: int


class EnhancementUpdated(_Event):
    type: Literal["enhancement_updated"] = "enhancement_updated"
    enabled: bool


class AutoExtensionUpdated(_Event):
    type: Literal["auto_extension_updated"] = "auto_extension_updated"
    enabled: bool


class LoopGenerationUpdated(_Event):
    type: Literal["loop_generation_updated"] = "loop_generation_updated"
    enabled: bool


class GenerationPausedUpdated(_Event):
    type: Literal["generation_paused_updated"] = "generation_paused_updated"
    paused: bool


class RewriteModelUpdated(_Event):
    type: Literal["rewrite_model_updated"] = "rewrite_model_updated"
    rewrite_model: str


class RewriteTemperatureUpdated(_Event):
    type: Literal["rewrite_temperature_updated"] = "rewrite_temperature_updated"
    rewrite_temperature: float


class PromptSourcesBlocked(_Event):
    type: Literal["prompt_sources_blocked"] = "prompt_sources_blocked"
    segment_idx: int


class PromptSourcesResumed(_Event):
    type: Literal["prompt_sources_resumed"] = "prompt_sources_resumed"
    segment_idx: int
    source: PromptSource
    prompt_id: str | None


ServerEvent = (
    SessionReady
    | SessionResumed
    | Error
    | QueueStatus
    | GpuAssigned
    | Ltx2StreamStart
    | SeedPromptsUpdated
    | SeedPromptsResetPending
    | SeedPromptsResetApplied
    | RewriteSeedPromptsStarted
    | RewriteSeedPromptsComplete
    | PromptReceived
    | PromptEnhancing
    | PromptReady
    | PromptFallbackUsed
    | AutoPromptFailed
    | SegmentPromptSource
    | Ltx2SegmentStart
    | MediaInit
    | SegmentRestarted
    | MediaSegmentComplete
    | StepComplete
    | Ltx2SegmentComplete
    | Ltx2StreamComplete
    | ProjectIdle
    | SessionTimeout
    | GenerationRestarted
    | EnhancementUpdated
    | AutoExtensionUpdated
    | LoopGenerationUpdated
    | GenerationPausedUpdated
    | RewriteModelUpdated
    | RewriteTemperatureUpdated
    | PromptSourcesBlocked
    | PromptSourcesResumed
    | BranchesUpdated
)
