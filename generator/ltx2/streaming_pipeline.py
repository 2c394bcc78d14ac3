"""The LTX-2 `VideoGenerator`: continued video+audio segments for a worker.

`build_ltx2_generator(spec)` is what `registry.build_generator` calls for "tiny" and "ltx2".
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TypeVar

import numpy as np
import torch
from diffusers import LTX2VideoTransformer3DModel

from dreamverse.generator.base import (
    AudioTrack,
    Geometry,
    SegmentPart,
    SegmentRequest,
    StageTimings,
    StreamState,
    VideoFrames,
    VideoGenerator,
)
from dreamverse.generator.errors import ConditioningError, GeneratorConfigError
from dreamverse.generator.ltx2 import latents as L
from dreamverse.generator.ltx2.attention import AttentionPlan, install_plan, plan_attention
from dreamverse.generator.ltx2.components import LTX2Components
from dreamverse.generator.ltx2.config import ModelConfig, load_model_config
from dreamverse.generator.ltx2.continuation import (
    Carry,
    SegmentTiming,
    Timeline,
    audio_window,
    frames_to_pixels,
)
from dreamverse.generator.ltx2.fp8 import quantize_blocks_fp8
from dreamverse.generator.ltx2.graphs import GraphedForward
from dreamverse.generator.ltx2.parallel import (
    SequenceParallelForward,
    ShardLayout,
    default_group,
    enable_sequence_parallel,
)
from dreamverse.generator.ltx2.pipeline import DistilledPipeline, SegmentPlan
from dreamverse.generator.ltx2.schedules import get_schedule
from dreamverse.generator.ltx2.snapshot import SnapshotScope, load_carry, save_carry
from dreamverse.generator.ltx2.tail_chunked_decode import TailChunkedDecode
from dreamverse.generator.ltx2.timestep_levels import install_timestep_levels
from dreamverse.generator.ltx2.video_decode import compile_video_decoder, fast_reflect_padding, frames_to_host
from dreamverse.generator.spec import GeneratorSpec, first_segment_frames

logger = logging.getLogger(__name__)

Frames = TypeVar("Frames", np.ndarray, torch.Tensor)
CARRY_KEY = "ltx2"
WARMUP_LOOKAHEAD = 24  # continuations scanned for distinct audio lengths (they cycle with period 3 at 24 fps)
FULL_SIZE_DEFAULTS = (768, 512, 121)  # GeneratorSpec's defaults; "tiny" swaps them for its own
DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}


@dataclass(frozen=True, slots=True)
class StreamSettings:
    """Per-generator settings resolved from a spec and the model's shipped defaults."""

    width: int  # output size
    height: int
    num_frames: int  # of a continuation
    fps: int
    gen_width: (
        int  # generated size: output rounded up to 64 (stage 1 runs at half), centre-cropped after decode
    )
    gen_height: int
    first_segment_frames: int  # of segment 0: `num_frames`, or fewer for a sooner first byte
    chunk_frames: int = 8  # video frames per yielded chunk


def resolve_settings(spec: GeneratorSpec, config: ModelConfig) -> StreamSettings:
    """Spec geometry, validated; a "tiny" spec left at the full-size defaults gets tiny's defaults."""
    width, height, frames = spec.width, spec.height, spec.num_frames
    if config.name == "tiny" and (width, height, frames) == FULL_SIZE_DEFAULTS:
        p = config.pipeline
        width, height, frames = p.width, p.height, p.num_frames
    if width % 32 or height % 32 or width <= 0 or height <= 0:
        raise GeneratorConfigError(f"width and height must be positive multiples of 32, got {width}x{height}")
    overlap = config.pipeline.overlap_frames
    if (frames - 1) % 8 or frames <= overlap:
        raise GeneratorConfigError(
            f"num_frames must be 8k+1 and more than the {overlap} overlap frames, got {frames}"
        )
    if spec.fps <= 0:
        raise GeneratorConfigError(f"fps must be positive, got {spec.fps}")
    first = first_segment_frames(spec, frames, overlap)
    if (first - 1) % 8:
        raise GeneratorConfigError(f"first_segment_frames must be 8k+1 (as num_frames), got {first}")
    return StreamSettings(
        width=width,
        height=height,
        num_frames=frames,
        fps=spec.fps,
        gen_width=-(-width // 64) * 64,
        gen_height=-(-height // 64) * 64,
        first_segment_frames=first,
    )


def check_audio_prefix(timeline: Timeline) -> None:
    """Segment 0 must have the audio latents a continuation carries as its prefix: refuse a first segment
    too short for them, naming the shortest that works."""
    prefix = timeline.audio_prefix_latent_frames
    if timeline.first().audio_latent_frames >= prefix:
        return
    shortest = next(
        (
            frames
            for frames in range(timeline.overlap_frames + 1, timeline.num_frames + 1)
            if (frames - 1) % 8 == 0
            and replace(timeline, first_frames=frames).first().audio_latent_frames >= prefix
        ),
        None,
    )
    hint = f"use at least {shortest}" if shortest is not None else "num_frames is too short too"
    raise GeneratorConfigError(
        f"a segment 0 of {timeline.first().num_frames} frames has "
        f"{timeline.first().audio_latent_frames} audio latents, fewer than the {prefix} a continuation "
        f"carries as its audio prefix: {hint} (first_segment_frames, at {timeline.fps:g} fps)"
    )


def center_crop(frames: Frames, width: int, height: int) -> Frames:
    """The centred `width` x `height` window of (F, H, W, 3) frames (a view)."""
    top, left = (frames.shape[1] - height) // 2, (frames.shape[2] - width) // 2
    return frames[:, top : top + height, left : left + width]


def blank_png(width: int, height: int) -> bytes:
    """A mid-grey PNG of `width` x `height` (warm-up's initial image)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (128, 128, 128)).save(buffer, format="PNG")
    return buffer.getvalue()


def decode_image(data: bytes, width: int, height: int) -> np.ndarray:
    """Encoded PNG/JPEG/WebP → (1, height, width, 3) uint8, resized to cover and centre-cropped."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            rgb = image.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ConditioningError(f"initial_image is not a readable image: {exc}") from exc
    scale = max(width / rgb.width, height / rgb.height)
    size = (max(width, round(rgb.width * scale)), max(height, round(rgb.height * scale)))
    rgb = rgb.resize(size, Image.Resampling.LANCZOS)
    left, top = (size[0] - width) // 2, (size[1] - height) // 2
    return np.asarray(rgb.crop((left, top, left + width, top + height)), dtype=np.uint8)[None]


class LTX2Generator(VideoGenerator):
    """Distilled two-stage LTX-2 with continuation carryover."""

    def __init__(self, pipeline: DistilledPipeline, config: ModelConfig, settings: StreamSettings) -> None:
        self.name = config.name
        self.pipeline = pipeline
        self.config = config
        self.settings = settings
        vocoder = pipeline.c.vocoder.config
        self._geometry = Geometry(
            width=settings.width,
            height=settings.height,
            fps=settings.fps,
            num_frames=settings.num_frames,
            overlap_frames=config.pipeline.overlap_frames,
            audio_sample_rate=int(vocoder.output_sampling_rate),
            audio_channels=int(vocoder.out_channels),
            first_segment_frames=settings.first_segment_frames,
        )
        self.timeline = Timeline(
            num_frames=settings.num_frames,
            fps=float(settings.fps),
            overlap_frames=config.pipeline.overlap_frames,
            audio_prefix_latent_frames=config.pipeline.audio_prefix_latent_frames,
            audio_latents_per_s=L.audio_latents_per_second(pipeline.c.audio_vae),
            audio_causal_latents=1.0 - 1.0 / pipeline.c.audio_vae.temporal_compression_ratio,
            first_frames=settings.first_segment_frames,
        )
        check_audio_prefix(self.timeline)
        self._timings: dict[str, float] = {}
        self.compiled = False
        self.attention_plan: AttentionPlan | None = None
        self.sequence_parallel: ShardLayout | None = None  # set by `parallel.enable_sequence_parallel`

    @property
    def geometry(self) -> Geometry:
        return self._geometry

    @property
    def graphs(self) -> GraphedForward | None:
        forward = self.pipeline.forward
        return forward if isinstance(forward, GraphedForward) else None

    def continuation_audio_lengths(self, count: int = WARMUP_LOOKAHEAD) -> list[int]:
        """Audio latent frames of continuations 1..count of a stream (the timeline alone decides them)."""
        timing = self.timeline.first()
        lengths = []
        for _ in range(count):
            carry = Carry(
                tail_frames=np.empty(0, dtype=np.uint8),
                audio_tail=torch.empty(0),
                video_time_offset_s=timing.video_time_offset_s,
                audio_latent_frames=timing.audio_latent_frames,
                num_frames=timing.num_frames,
            )
            timing = self.timeline.next(carry)
            lengths.append(timing.audio_latent_frames)
        return lengths

    def warmup_segments(self) -> int:
        """Segments warm-up renders: one, or, compiled or graphed, segment 0 and continuations up to the
        first with each audio length a stream will have (each shape is compiled and captured once; a
        shorter segment 0 is a shape of its own, which warm-up's segment 0 covers)."""
        if not (self.compiled or self.graphs is not None):
            return 1
        lengths = self.continuation_audio_lengths()
        last_new = max(lengths.index(length) for length in set(lengths))
        return last_new + 2  # segment 0, then continuations 1..last_new+1

    def warmup(self) -> None:
        """Render `warmup_segments()` segments so that no compilation or capture is left for a session;
        compiled or graphed, also a segment 0 with an initial image, whose conditioned first latent frame
        gives per-token timesteps: a forward signature of its own in both stages."""
        started = time.perf_counter()
        state = self.new_stream(seed=0)
        requests = [SegmentRequest(prompt="warmup", segment_idx=idx) for idx in range(self.warmup_segments())]
        if self.compiled or self.graphs is not None:
            image = blank_png(self.settings.width, self.settings.height)
            requests.append(SegmentRequest(prompt="warmup", segment_idx=0, initial_image=image))
        for request in requests:
            for _ in self.render_segment(state, request):
                pass
        logger.info("%s warmed up in %.2f s", self.name, time.perf_counter() - started)

    def video_token_counts(self, num_frames: int | None = None) -> tuple[int, int]:
        """Video tokens of stage 1 (half size) and stage 2 of a segment of `num_frames` (default: a
        continuation's)."""
        s, vae = self.settings, self.pipeline.c.vae
        frames = s.num_frames if num_frames is None else num_frames
        counts = []
        for height, width in ((s.gen_height // 2, s.gen_width // 2), (s.gen_height, s.gen_width)):
            shape = L.VideoLatentShape.for_pixels(vae, frames, height, width)
            counts.append(shape.frames * shape.height * shape.width)
        return counts[0], counts[1]

    def last_timings(self) -> StageTimings:
        return StageTimings(seconds=dict(self._timings))

    def plan(self, state: StreamState, request: SegmentRequest) -> tuple[SegmentPlan, SegmentTiming]:
        """The segment's plan: fresh (segment 0, optional first-frame image) or continued from the carry."""
        s = self.settings
        carry = state.carry.get(CARRY_KEY)
        if request.segment_idx == 0:
            timing = self.timeline.first()
            condition = None
            if request.initial_image is not None:
                condition = frames_to_pixels(decode_image(request.initial_image, s.gen_width, s.gen_height))
            prefix = None
        else:
            if not isinstance(carry, Carry) or state.segments_rendered != request.segment_idx:
                raise ConditioningError(
                    f"segment {request.segment_idx} continues a stream that has rendered "
                    f"{state.segments_rendered} segment(s); start again at segment 0"
                )
            timing = self.timeline.next(carry)
            condition, prefix = frames_to_pixels(carry.tail_frames), carry.audio_tail
        plan = SegmentPlan(
            width=s.gen_width,
            height=s.gen_height,
            num_frames=timing.num_frames,
            fps=float(s.fps),
            audio_latent_frames=timing.audio_latent_frames,
            video_time_offset_s=timing.video_time_offset_s,
            video_condition=condition,
            audio_prefix=prefix,
        )
        return plan, timing

    def render_segment(self, state: StreamState, request: SegmentRequest) -> Iterator[SegmentPart]:
        if request.segment_idx == 0:
            state.carry.pop(CARRY_KEY, None)
            state.segments_rendered = 0
        plan, timing = self.plan(state, request)
        generator = torch.Generator("cpu").manual_seed(state.segment_seed(request.segment_idx))
        latents = self.pipeline.generate(request.prompt, plan, generator)
        seconds = dict(latents.seconds)
        mark = time.perf_counter()
        wave = self.pipeline.decode_audio(latents.audio)
        samples = self._geometry.audio_samples_for(request.segment_idx)
        rate = self._geometry.audio_sample_rate
        track = audio_window(wave, timing.audio_window_start_s, rate, samples)
        seconds["audio_decode"] = time.perf_counter() - mark
        self._timings = seconds
        yield AudioTrack(samples=track, sample_rate=rate)
        overlap, decoded = self.config.pipeline.overlap_frames, 0
        recent: torch.Tensor | None = None  # the last `overlap` frames so far: the next segment's condition
        for frames in self._timed_decode(latents.video, seconds):
            recent = frames if recent is None else torch.cat([recent, frames])
            recent = recent[-overlap:]
            played = frames[max(0, timing.play_from_frame - decoded) :]
            decoded += frames.shape[0]
            played = center_crop(played, self.settings.width, self.settings.height)
            for chunk in frames_to_host(played, self.settings.chunk_frames):
                yield VideoFrames(frames=chunk)
        assert recent is not None
        self._remember(state, request.segment_idx, recent.cpu().numpy(), latents.audio, timing)
        self._timings = seconds

    def _timed_decode(self, video_latents: torch.Tensor, seconds: dict[str, float]) -> Iterator[torch.Tensor]:
        """The pipeline's decoded chunks; `seconds` gets the decode's own time (the consumer's between chunks
        left out) and, with `--stream-decode`, the time to the first chunk."""
        chunks, spent = self.pipeline.decode_video_chunks(video_latents), 0.0
        streamed = self.pipeline.chunked_decode is not None
        while True:
            mark = time.perf_counter()
            frames = next(chunks, None)
            if frames is None:
                break
            if frames.device.type == "cuda":
                torch.cuda.synchronize(frames.device)  # the decode's time, not the copy's after it
            spent += time.perf_counter() - mark
            if streamed:
                seconds.setdefault("video_first_chunk", spent)
            seconds["video_decode"] = spent
            yield frames

    def save_state(self, state: StreamState) -> bytes:
        carry = state.carry.get(CARRY_KEY)
        if not isinstance(carry, Carry):
            raise ConditioningError("the stream has rendered no segment yet: there is no state to save")
        return save_carry(state, carry)

    def load_state(self, data: bytes) -> StreamState:
        s, audio_vae = self.settings, self.pipeline.c.audio_vae
        scope = SnapshotScope(
            tail_frames_shape=(self.config.pipeline.overlap_frames, s.gen_height, s.gen_width, 3),
            audio_tail_shape=(
                self.config.pipeline.audio_prefix_latent_frames,
                audio_vae.latents_mean.numel(),
            ),
            num_frames=s.num_frames,
        )
        state, carry = load_carry(data, scope, self.pipeline.device)
        state.carry[CARRY_KEY] = carry
        return state

    def _remember(
        self, state: StreamState, idx: int, tail: np.ndarray, audio: torch.Tensor, timing: SegmentTiming
    ) -> None:
        prefix = self.config.pipeline.audio_prefix_latent_frames
        state.carry[CARRY_KEY] = Carry(
            tail_frames=tail.copy(),
            audio_tail=audio[:, -prefix:].clone(),
            video_time_offset_s=timing.video_time_offset_s,
            audio_latent_frames=timing.audio_latent_frames,
            num_frames=timing.num_frames,
        )
        state.segments_rendered = idx + 1


def build_ltx2_generator(spec: GeneratorSpec, speedups: bool = True) -> LTX2Generator:
    """Load (or, for "tiny", build) the model a spec names and wrap it as a `VideoGenerator`; with
    `speedups=False` the transformer stays as loaded (call `apply_speedups` later)."""
    from dreamverse.generator.ltx2.loading import load_components

    config = load_model_config(spec.model)
    settings = resolve_settings(spec, config)
    if spec.dtype not in DTYPES:
        raise GeneratorConfigError(f"unsupported dtype {spec.dtype!r}")
    device = torch.device(spec.device)
    check_speedups(spec, device)
    # FP8 weights of a pre-quantized file go straight into FP8 linears only when the speed-ups apply now;
    # the stock baseline of `benchmarks/pipeline.py` (speedups=False) needs the dequantized model
    components: LTX2Components = load_components(
        config,
        spec.checkpoint,
        text_encoder=spec.text_encoder,
        device=device,
        dtype=DTYPES[spec.dtype],
        quantization=spec.quantization if speedups else "none",
    )
    pipeline = DistilledPipeline(components, config.pipeline, get_schedule(spec.schedule), device)
    generator = LTX2Generator(pipeline, config, settings)
    if speedups:
        apply_speedups(generator, spec)
    return generator


def check_speedups(spec: GeneratorSpec, device: torch.device) -> None:
    """Refuse, before loading anything, a spec whose speed-ups cannot run on `device`."""
    if spec.sp_size < 1:
        raise GeneratorConfigError(f"sp_size must be at least 1, got {spec.sp_size}")
    if spec.sp_min_tokens < 0:
        raise GeneratorConfigError(f"sp_min_tokens must not be negative, got {spec.sp_min_tokens}")
    if spec.quantization == "fp8":
        if spec.dtype != "bfloat16":
            raise GeneratorConfigError(f"quantization 'fp8' needs dtype bfloat16, got {spec.dtype!r}")
        if device.type == "cuda" and torch.cuda.get_device_capability(device) < (8, 9):
            raise GeneratorConfigError("quantization 'fp8' needs an FP8 GPU (Ada or Hopper, sm_89+)")
    if spec.cuda_graphs and device.type != "cuda":
        raise GeneratorConfigError("cuda_graphs needs a CUDA device")


def apply_speedups(generator: LTX2Generator, spec: GeneratorSpec) -> None:
    """Everything that changes the loaded transformer or how it is called: two-level timestep embeddings
    (`timestep_levels.py`), FP8 linears, the attention plan, torch.compile, CUDA graphs and sequence
    parallelism (`benchmarks/pipeline.py` runs diffusers' stock baseline on the unmodified model first, then
    calls this)."""
    check_speedups(spec, generator.pipeline.device)
    fast_reflect_padding(generator.pipeline.c.vae)  # the same frames, sooner (`video_decode.py`)
    transformer = generator.pipeline.c.transformer
    device = generator.pipeline.device
    install_timestep_levels(transformer)  # a continuation's per-token timesteps at per-sample cost, exact
    if spec.quantization == "fp8":
        quantize_blocks_fp8(transformer)
        if not spec.compile:  # measured on an H200: eager quantization kernels cost more than FP8 saves
            logger.warning("fp8 without compile is slower than bf16 (eager segment 3.0 -> 4.4 s on an H200)")
    if device.type == "cuda" or spec.attention != "auto":  # on the CPU "auto" leaves diffusers' default
        config = transformer.config
        try:
            plan = plan_attention(
                spec.attention,
                {  # continuations' token counts and a shorter segment 0's
                    *generator.video_token_counts(),
                    *generator.video_token_counts(generator.settings.first_segment_frames),
                },
                int(config.num_attention_heads),
                int(config.attention_head_dim),
                device,
            )
        except ValueError as exc:
            raise GeneratorConfigError(str(exc)) from exc
        install_plan(transformer, plan)
        generator.attention_plan = plan
    if spec.stream_decode:
        chunked = TailChunkedDecode(generator.pipeline.c.vae)
        if spec.compile:
            chunked.compile()
        generator.pipeline.chunked_decode = chunked
    if spec.compile:
        compile_transformer(transformer)
        compile_video_decoder(generator.pipeline.c.vae)  # decodes that do not chunk (VAE tiling)
        generator.compiled = True
    if spec.sp_size > 1:
        enable_sequence_parallel(generator, default_group(spec.sp_size), spec.sp_min_tokens)
    if spec.cuda_graphs:  # around the sequence-parallel step: slice, local forward, all-to-alls, gather
        forward = generator.pipeline.forward
        capture = None
        if isinstance(forward, SequenceParallelForward) and not spec.sp_graph_collectives:
            capture = forward.runs_whole
        generator.pipeline.forward = GraphedForward(forward or transformer, capture=capture)


BLOCK_RECOMPILE_LIMIT = 64  # graphs dynamo keeps for the transformer block's forward (`compile_transformer`)


def compile_transformer(
    transformer: LTX2VideoTransformer3DModel,
    backend: str = "inductor",
    dynamic: bool | None = None,
) -> None:
    """`torch.compile` each of the transformer's repeated blocks (the graphs are shared by all blocks);
    compilation happens lazily, at the first forward of a new shape.

    `dynamic=None` (dynamo's automatic dynamic shapes): a size seen changing is compiled as symbolic. The
    audio token count of a continuation cycles (168, 168, 167 at 121 frames, 24 fps), so static graphs
    (`dynamic=False`) recompile in the middle of a stream and reach dynamo's recompile limit.
    """
    # One geometry's warm-up compiles the block forward (one code object, shared by every block) for stage 1
    # and stage 2 of segment 0, of continuations at each audio length, of a segment 0 from an image and of a
    # shorter first segment, each with its own guards: more than dynamo's default 8, past which the shapes
    # left over ran eager inside the graphs (19B at 768x512 on an H100, 2026-11-26)
    torch._dynamo.config.recompile_limit = max(torch._dynamo.config.recompile_limit, BLOCK_RECOMPILE_LIMIT)
    transformer.compile_repeated_blocks(dynamic=dynamic, backend=backend)
    logger.info("transformer blocks compiled")
