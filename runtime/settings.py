"""All configuration, in one frozen object built once by the CLI and passed down.

Every option has a default, an environment variable `DREAMVERSE_<FIELD>` and a CLI flag `--<field-name>`
(underscores become dashes). Field names are unique across groups so that the flat names stay unambiguous;
`runtime.cli` builds the flags and `docs/configuration.md` lists them (a test keeps both true).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from dreamverse.generator.spec import GeneratorSpec
from dreamverse.runtime.guard import normalize_origin
from dreamverse.runtime.prompts.settings import PromptSettings
from dreamverse.runtime.protocol.server import Limits
from dreamverse.safety.settings import SafetySettings
from dreamverse.streaming.settings import EncoderSettings
from dreamverse.workers.gpus import gpu_groups, named_devices
from dreamverse.workers.spec import WorkerSpec
from dreamverse.workers.supervisor import PoolTimeouts

_GROUP_CONFIG = SettingsConfigDict(env_prefix="DREAMVERSE_", frozen=True, extra="ignore")


class ServerSettings(BaseSettings):
    model_config = _GROUP_CONFIG

    host: str = Field(
        "127.0.0.1", description="Address to listen on; beyond loopback an auth token is required."
    )
    port: int = Field(8009, ge=0, le=65535, description="TCP port to listen on (0 picks a free one).")
    auth_token: str | None = Field(
        None, description="Token clients must send (`?token=` or `Authorization: Bearer`); none on loopback."
    )
    log_level: Literal["debug", "info", "warning", "error"] = Field("info", description="Logging level.")
    static_dir: str | None = Field(
        None, description="Folder served at `/` (default: the built frontend inside the package)."
    )
    ws_ping_interval_s: float = Field(15.0, gt=0, description="Websocket ping interval (keep-alive).")
    ws_ping_timeout_s: float = Field(20.0, gt=0, description="Close the socket when a ping gets no pong.")
    max_export_bytes: int = Field(512 * 2**20, gt=0, description="Largest body accepted by `POST /export`.")
    max_concurrent_exports: int = Field(
        2, gt=0, description="Exports at once (each spools up to `max_export_bytes` to disk); more get 503."
    )
    allowed_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Browser origins (`scheme://host[:port]`, comma-separated) allowed to open `/ws` and "
        "send POST/PUT, and given CORS headers; the server's own origin is always allowed "
        "(default: its loopback origins).",
    )
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Names accepted in the `Host` header besides loopback names (comma-separated, `*` for "
        "any; default: `--host`, or any host on a wildcard bind).",
    )

    @field_validator("auth_token")
    @classmethod
    def _token_not_blank(cls, token: str | None) -> str | None:
        if token is not None and not token.strip():
            raise ValueError("--auth-token is blank; give a real token or leave it unset")
        return token

    @field_validator("allowed_origins", "allowed_hosts", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("allowed_origins")
    @classmethod
    def _origins_are_origins(cls, origins: list[str]) -> list[str]:
        return [normalize_origin(origin) for origin in origins]  # ValueError names the bad one


class ModelSettings(BaseSettings):
    model_config = _GROUP_CONFIG

    model: Literal["synthetic", "tiny", "ltx2"] = Field(
        "synthetic",
        description="Generator: procedural `synthetic`, CPU `tiny` LTX-2, or full `ltx2` (19B distilled).",
    )
    checkpoint: str | None = Field(
        None,
        description="LTX-2 weights: a single .safetensors, a diffusers folder, or Lightricks/LTX-2.",
    )
    text_encoder: str | None = Field(None, description="Gemma 3 folder when the checkpoint is a single file.")
    gpus: str = Field("auto", description="GPUs for workers: `auto`, `all`, a count `N`, or ids `0,1`.")
    sp_size: int = Field(
        1,
        ge=1,
        le=64,
        description="GPUs per worker slot (sequence parallelism, one process per GPU): `--gpus 0,1,2,3 "
        "--sp-size 2` makes two slots of two GPUs; must divide the number of GPUs.",
    )
    sp_min_tokens: int = Field(
        8192,
        ge=0,
        description="Sequence parallelism splits a transformer stage only from this many video tokens; "
        "smaller stages run whole on every GPU of the group (at 1280x704: stage 1, 3,520 tokens, whole; "
        "stage 2, 14,080, split).",
    )
    sp_graph_collectives: bool = Field(
        False,
        description="With `--cuda-graphs` and `--sp-size` > 1, capture split stages, their NCCL all-to-alls "
        "included, in the graphs too. Experimental: captured all-to-alls hung in graph replay on 2 x H200 "
        "(torch 2.11); off, split stages run compiled outside the graphs.",
    )
    dtype: Literal["float32", "bfloat16", "float16"] = Field("bfloat16", description="Model compute dtype.")
    width: int = Field(768, gt=0, description="Output width in pixels (multiple of 32 for LTX-2).")
    height: int = Field(512, gt=0, description="Output height in pixels (multiple of 32 for LTX-2).")
    num_frames: int = Field(
        121, gt=0, description="Frames a segment renders, overlap included (8k+1 for LTX-2)."
    )
    first_segment_frames: int | None = Field(
        None,
        gt=0,
        description="Frames of a stream's first segment, when fewer than `num_frames` (8k+1 for LTX-2, "
        "at least 49 at 24 fps for the 19B model's audio prefix): the first byte comes after less work. "
        "Playback never stalls while this segment's duration exceeds a continuation's generation time "
        "(49 frames = 2.04 s against 1.77 s on one H100 at 768x512). Unset: `num_frames`.",
    )
    fps: int = Field(24, gt=0, le=120, description="Frames per second.")
    schedule: Literal["8+3"] = Field("8+3", description="Distilled steps: stage 1 + stage 2.")
    quantization: Literal["none", "fp8"] = Field("none", description="Linear-layer quantization.")
    compile: bool = Field(
        False, description="torch.compile the transformer blocks and the video decoder during warmup."
    )
    cuda_graphs: bool = Field(False, description="CUDA graphs of the denoising step, captured at warmup.")
    stream_decode: bool = Field(
        False,
        description="Decode video in two temporal pieces, the first 16 frames to the encoder sooner: the "
        "decoder runs whole up to its last up block, which runs on two windows of frames with the halo that "
        "keeps them the one-piece decode's frames (11 percent more decode compute). Not with VAE tiling.",
    )
    attention: Literal["auto", "sdpa", "cudnn", "flash", "fa4"] = Field(
        "auto", description="Video self-attention backend; `auto` times them at load, fastest per stage."
    )
    latency: int = Field(0, ge=0, description="Synthetic generator: extra milliseconds per segment.")
    synthetic_fail_prompt: str | None = Field(
        None,
        description="Synthetic generator: a segment whose prompt contains this text fails after its first "
        "frames (to drill error handling in clients).",
    )
    default_seed: int = Field(10, description="Seed of a session that does not ask for one.")

    @model_validator(mode="after")
    def _first_segment_not_longer(self) -> ModelSettings:
        first = self.first_segment_frames
        if first is not None and first > self.num_frames:
            raise ValueError(
                f"--first-segment-frames ({first}) must not exceed --num-frames ({self.num_frames}): "
                "it shortens the first segment"
            )
        return self

    @model_validator(mode="after")
    def _sp_size_divides_gpus(self) -> ModelSettings:
        if self.gpus.strip().lower() not in {"auto", "all"}:  # those are counted when workers are placed
            gpu_groups(named_devices(self.gpus, self.sp_size), self.sp_size)  # ValueError says why
        return self

    def generator_spec(self, device: str) -> GeneratorSpec:
        return GeneratorSpec(
            model=self.model,
            checkpoint=self.checkpoint,
            text_encoder=self.text_encoder,
            device=device,
            dtype=self.dtype,
            width=self.width,
            height=self.height,
            num_frames=self.num_frames,
            first_segment_frames=self.first_segment_frames,
            fps=self.fps,
            schedule=self.schedule,
            quantization=self.quantization,
            compile=self.compile,
            cuda_graphs=self.cuda_graphs,
            stream_decode=self.stream_decode,
            attention=self.attention,
            sp_size=self.sp_size,
            sp_min_tokens=self.sp_min_tokens,
            sp_graph_collectives=self.sp_graph_collectives,
            synthetic_latency_ms=self.latency,
            synthetic_fail_prompt=self.synthetic_fail_prompt,
        )


class SessionSettings(BaseSettings):
    model_config = _GROUP_CONFIG

    segment_cap: int = Field(
        6, ge=1, le=1000, description="Segments per rollout before `ltx2_stream_complete`."
    )
    max_session_s: float = Field(300.0, gt=0, description="Longest a session may hold a GPU slot.")
    idle_timeout_s: float = Field(
        120.0, gt=0, description="End a session whose client sent nothing this long."
    )
    queue_cap: int = Field(32, ge=0, description="Most sessions waiting for a slot; more get `queue_full`.")
    queue_timeout_s: float = Field(600.0, gt=0, description="Longest a session waits in the queue.")
    init_timeout_s: float = Field(30.0, gt=0, description="Time a new socket has to send its first message.")
    resume_grace_s: float = Field(30.0, ge=0, description="How long a dropped session waits for a resume.")
    max_message_bytes: int = Field(21 * 2**20, gt=0, description="Largest websocket message from a client.")
    max_prompt_chars: int = Field(2000, gt=0, description="Longest prompt or instruction accepted.")
    max_prompts: int = Field(32, gt=0, description="Most prompts in a rollout or prompt window.")
    max_image_bytes: int = Field(15 * 2**20, gt=0, description="Largest decoded `initial_image`.")
    max_image_pixels: int = Field(4096 * 4096, gt=0, description="Most pixels of an `initial_image`.")
    max_pending_prompts: int = Field(16, gt=0, description="Most appended prompts waiting for a segment.")
    rate_limit_per_s: float = Field(20.0, gt=0, description="Client messages per second (burst 2x).")
    outbox_size: int = Field(256, gt=0, description="Outgoing messages buffered per socket.")
    send_timeout_s: float = Field(
        30.0, gt=0, description="Close a socket that cannot take a message this long."
    )
    session_store_dir: str | None = Field(
        None,
        description="Folder for each session's stored segments (states, fMP4) past the memory budget; "
        "a private temporary folder when unset. A session's files are removed when it ends.",
    )
    session_store_max_bytes: int = Field(
        2 * 2**30, gt=0, description="Most bytes of stored segments per session; oldest unused evicted first."
    )
    session_store_memory_bytes: int = Field(
        256 * 2**20, ge=0, description="Of those, most bytes kept in memory per session; the rest on disk."
    )

    def limits(self) -> Limits:
        """The limits a client is told (`session_ready.limits`, `/readyz`)."""
        return Limits(
            max_prompt_chars=self.max_prompt_chars,
            max_message_bytes=self.max_message_bytes,
            max_image_bytes=self.max_image_bytes,
            max_prompts=self.max_prompts,
        )


class WorkerSettings(BaseSettings):
    model_config = _GROUP_CONFIG

    warmup_timeout_s: float = Field(1800.0, gt=0, description="Longest a worker may take to load and warm.")
    heartbeat_interval_s: float = Field(1.0, gt=0, description="How often workers report that they live.")
    heartbeat_timeout_s: float = Field(30.0, gt=0, description="A worker silent this long is restarted.")
    segment_timeout_s: float = Field(
        300.0, gt=0, description="Longest one segment may take, request to last byte; its worker restarts."
    )
    restart_backoff_s: float = Field(1.0, ge=0, description="First restart delay; doubles up to 60 s.")
    shutdown_timeout_s: float = Field(10.0, gt=0, description="Grace period for workers at shutdown.")

    def pool_timeouts(self) -> PoolTimeouts:
        return PoolTimeouts(
            heartbeat_timeout_s=self.heartbeat_timeout_s,
            warmup_timeout_s=self.warmup_timeout_s,
            restart_backoff_s=self.restart_backoff_s,
            shutdown_timeout_s=self.shutdown_timeout_s,
        )


class MediaSettings(BaseSettings):
    model_config = _GROUP_CONFIG

    ffmpeg: str = Field("ffmpeg", description="FFmpeg binary (path or name on PATH).")
    x264_preset: str = Field("ultrafast", description="libx264 preset.")
    h264_profile: Literal["baseline", "main", "high"] = Field("baseline", description="H.264 profile.")
    gop_frames: int = Field(12, gt=0, description="Keyframe interval in frames.")
    fragment_ms: int = Field(250, gt=0, description="fMP4 fragment duration.")
    video_crf: int = Field(23, ge=0, le=51, description="x264 constant rate factor.")
    audio_bitrate: str = Field("128k", description="AAC bitrate.")
    max_chunk_bytes: int = Field(2**20, gt=0, description="Largest binary websocket frame (whole boxes).")

    def encoder_settings(self) -> EncoderSettings:
        return EncoderSettings(
            ffmpeg_path=self.ffmpeg,
            preset=self.x264_preset,
            profile=self.h264_profile,
            gop_frames=self.gop_frames,
            fragment_duration_ms=self.fragment_ms,
            crf=self.video_crf,
            audio_bitrate=self.audio_bitrate,
            max_chunk_bytes=self.max_chunk_bytes,
        )


class ClusterSettings(BaseSettings):
    """Scale-out over Redis (`--redis`); unset, the server is one host with local workers."""

    model_config = _GROUP_CONFIG

    redis: str | None = Field(
        None, description="Redis URL (`redis://host:6379/0`) for scale-out; unset runs one host, no Redis."
    )
    redis_prefix: str = Field("dreamverse", description="Prefix of every Redis key (deployments may share).")
    redis_timeout_s: float = Field(2.0, gt=0, description="Longest one Redis call may take.")
    redis_poll_s: float = Field(0.05, gt=0, description="How often a replica checks the shared queue.")
    agent_ttl_s: float = Field(3.0, gt=0, description="A worker agent silent this long is dead.")
    ticket_ttl_s: float = Field(5.0, gt=0, description="A queued or leased session a replica stops renewing.")
    stream_max_len: int = Field(4096, gt=0, description="Entries kept in a session's Redis event stream.")
    stream_ttl_s: float = Field(600.0, gt=0, description="An idle session event stream expires after this.")
    snapshot_ttl_s: float = Field(
        600.0, gt=0, description="A session snapshot (for a takeover) not refreshed this long expires."
    )
    snapshot_max_bytes: int = Field(
        64 * 2**20, gt=0, description="Largest session snapshot, continuation state included; none past it."
    )
    agent_id: str | None = Field(None, description="`dreamverse-worker`: this agent's id (default: random).")


class Settings(BaseModel):
    """Everything, grouped. Build with `Settings.from_flat({...})` so CLI values beat the environment."""

    model_config = {"frozen": True}

    server: ServerSettings = Field(default_factory=ServerSettings)
    model: ModelSettings = Field(default_factory=ModelSettings)
    session: SessionSettings = Field(default_factory=SessionSettings)
    workers: WorkerSettings = Field(default_factory=WorkerSettings)
    media: MediaSettings = Field(default_factory=MediaSettings)
    prompts: PromptSettings = Field(default_factory=PromptSettings)
    safety: SafetySettings = Field(default_factory=SafetySettings)
    cluster: ClusterSettings = Field(default_factory=ClusterSettings)

    @field_validator("server")
    @classmethod
    def _auth_beyond_loopback(cls, server: ServerSettings) -> ServerSettings:
        if not _is_loopback(server.host) and not server.auth_token:
            raise ValueError(
                f"refusing to listen on {server.host!r} without an auth token: set --auth-token "
                "(DREAMVERSE_AUTH_TOKEN) or listen on 127.0.0.1"
            )
        return server

    def worker_template(self) -> WorkerSpec:
        """What every worker starts with; `workers.gpus.worker_specs` places copies on devices."""
        return WorkerSpec(
            gpu_id=0,
            cuda_visible_devices=None,
            generator=self.model.generator_spec("cpu"),
            encoder=self.media.encoder_settings(),
            heartbeat_interval_s=self.workers.heartbeat_interval_s,
            log_level=self.server.log_level,
        )

    @classmethod
    def groups(cls) -> dict[str, type[BaseSettings]]:
        return {name: field.annotation for name, field in cls.model_fields.items()}  # type: ignore[misc]

    @classmethod
    def from_flat(cls, overrides: dict[str, Any] | None = None) -> Settings:
        """Build every group from the environment, with `overrides` (flat field names) taking precedence."""
        overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
        groups: dict[str, Any] = {}
        for group_name, group_cls in cls.groups().items():
            own = {k: v for k, v in overrides.items() if k in group_cls.model_fields}
            groups[group_name] = group_cls(**own)
        unknown = set(overrides) - {f for g in cls.groups().values() for f in g.model_fields}
        if unknown:
            raise ValueError(f"unknown settings: {sorted(unknown)}")
        return cls(**groups)


def _is_loopback(host: str) -> bool:
    return host in {"localhost", "::1"} or host.startswith("127.")
