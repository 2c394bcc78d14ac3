"""Client → server messages: one pydantic model each, parsed once through a discriminated union.

Names and fields are the upstream Dreamverse protocol's (see `docs/protocol.md`). Unknown fields are
ignored; limits that depend on settings (prompt length, prompt count) are checked against the validation
context given to `parse_client_message`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError


def _check_prompt(value: str, info: ValidationInfo) -> str:
    limit = (info.context or {}).get("max_prompt_chars")
    if limit is not None and len(value) > limit:
        raise PydanticCustomError(
            "prompt_too_long",
            "prompt is {length} characters; the limit is {limit}",
            {"length": len(value), "limit": limit},
        )
    return value


def _check_prompt_list(value: list[str], info: ValidationInfo) -> list[str]:
    limit = (info.context or {}).get("max_prompts")
    if limit is not None and len(value) > limit:
        raise PydanticCustomError(
            "too_many_prompts",
            "{count} prompts given; the limit is {limit}",
            {"count": len(value), "limit": limit},
        )
    return value


Prompt = Annotated[str, AfterValidator(_check_prompt)]
PromptList = Annotated[list[Prompt], AfterValidator(_check_prompt_list)]
Temperature = Annotated[float, Field(ge=0.0, le=2.0)]
Label = Annotated[str, Field(max_length=200)]


class _Message(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class InitialImage(_Message):
    """A first-frame image as a data URL (PNG, JPEG or WebP)."""

    data_url: str = Field(pattern=r"^data:image/(png|jpeg|webp);base64,")
    mime_type: Literal["image/png", "image/jpeg", "image/webp"]
    name: Label = ""


class SessionInitV2(_Message):
    type: Literal["session_init_v2"]
    preset_id: Label | None = None
    preset_label: Label | None = None
    curated_prompts: PromptList = Field(default_factory=list)
    initial_rollout_prompt: Prompt | None = None
    initial_image: InitialImage | None = None
    single_clip_mode: bool = False
    enhancement_enabled: bool = True
    auto_extension_enabled: bool = False
    loop_generation_enabled: bool = False
    rewrite_model: Label | None = None
    rewrite_window_system_prompt: Prompt | None = None
    rewrite_user_system_prompt: Prompt | None = None
    rewrite_temperature: Temperature | None = None
    seed: int | None = None  # ours: per-session seed (upstream fixes it)


class ProjectInitV1(SessionInitV2):
    type: Literal["project_init_v1"]  # type: ignore[assignment]


class SessionResume(_Message):
    type: Literal["session_resume"]
    session_id: Label
    resume_token: Label


class AppendPrompt(_Message):
    type: Literal["append_prompt"]
    prompt: Prompt
    prompt_id: Label | None = None


class SimpleGenerate(_Message):
    type: Literal["simple_generate"]
    prompt: Prompt
    prompt_id: Label | None = None
    initial_image: InitialImage | None = None
    preset_id: Label | None = None
    preset_label: Label | None = None
    enhancement_enabled: bool = True
    seed: int | None = None


class RewriteSeedPrompts(_Message):
    type: Literal["rewrite_seed_prompts"]
    rewrite_instruction: Prompt
    prompt_window_prompts: PromptList = Field(default_factory=list)
    rewrite_model: Label | None = None
    rewrite_window_system_prompt: Prompt | None = None
    rewrite_user_system_prompt: Prompt | None = None
    rewrite_temperature: Temperature | None = None


class SetEnhancement(_Message):
    type: Literal["set_enhancement"]
    enabled: bool


class SetAutoExtension(_Message):
    type: Literal["set_auto_extension"]
    enabled: bool


class SetLoopGeneration(_Message):
    type: Literal["set_loop_generation"]
    enabled: bool


class SetGenerationPaused(_Message):
    type: Literal["set_generation_paused"]
    paused: bool


class SetRewriteModel(_Message):
    type: Literal["set_rewrite_model"]
    rewrite_model: Label


class SetRewriteTemperature(_Message):
    type: Literal["set_rewrite_temperature"]
    rewrite_temperature: float  # clamped to 0-2 by the handler, as upstream does


class ResetToSeedPrompts(_Message):
    type: Literal["reset_to_seed_prompts"]


class RestartGeneration(_Message):
    type: Literal["restart_generation"]


class EndProjectKeepSession(_Message):
    type: Literal["end_project_keep_session"]


class Leave(_Message):
    type: Literal["leave"]


BranchId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


class ForkFromSegment(_Message):
    """Ours: go on from the end of `segment_idx` of the current branch, on a new branch, conditioned on
    exactly the state that segment left. `prompt` steers the first new segment; `rewrite_instruction`
    rewrites the prompts that follow (as `rewrite_seed_prompts`); neither keeps the rollout's prompts."""

    type: Literal["fork_from_segment"]
    segment_idx: int = Field(ge=1)  # upstream's numbering: the first segment is 1
    branch_id: BranchId | None = None  # the new branch's id; the server picks one when absent
    prompt: Prompt | None = None
    rewrite_instruction: Prompt | None = None

    @model_validator(mode="after")
    def _one_steer(self) -> ForkFromSegment:
        if self.prompt is not None and self.rewrite_instruction is not None:
            raise PydanticCustomError(
                "prompt_or_instruction", "give prompt or rewrite_instruction, not both", {}
            )
        return self


class SwitchBranch(_Message):
    """Ours: make `branch_id` the current branch and go on from its last segment."""

    type: Literal["switch_branch"]
    branch_id: BranchId


ClientMessage = Annotated[
    SessionInitV2
    | ProjectInitV1
    | SessionResume
    | AppendPrompt
    | SimpleGenerate
    | RewriteSeedPrompts
    | SetEnhancement
    | SetAutoExtension
    | SetLoopGeneration
    | SetGenerationPaused
    | SetRewriteModel
    | SetRewriteTemperature
    | ResetToSeedPrompts
    | RestartGeneration
    | EndProjectKeepSession
    | Leave
    | ForkFromSegment
    | SwitchBranch,
    Field(discriminator="type"),
]

# pydantic's JSON parser keeps short strings in a process-wide cache (16,384 entries) by default; from a
# client only the keys repeat, while values (prompts, resume tokens) are the sessions' own: not cached, so
# they are not kept after their session ends (the soak saw about one cached string per session).
CLIENT_MESSAGE_ADAPTER: TypeAdapter[ClientMessage] = TypeAdapter(
    ClientMessage, config=ConfigDict(cache_strings="keys")
)
