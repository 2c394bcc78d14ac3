"""What a worker needs to build its generator: plain values only, so it pickles across `spawn`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from dreamverse.generator.errors import GeneratorConfigError

ModelName = Literal["synthetic", "tiny", "ltx2"]


@dataclass(frozen=True, slots=True)
class GeneratorSpec:
    model: ModelName = "synthetic"
    checkpoint: str | None = None  # single-file .safetensors, diffusers folder or hub repo id (ltx2 only)
    text_encoder: str | None = None  # Gemma 3 folder when `checkpoint` is a single file
    device: str = "cpu"  # "cuda" inside a GPU worker (CUDA_VISIBLE_DEVICES already narrowed)
    dtype: Literal["float32", "bfloat16", "float16"] = "bfloat16"
    width: int = 768
    height: int = 512
    num_frames: int = 121
    # frames of segment 0 (a stream's fresh start), when shorter than `num_frames`: the first byte comes
    # sooner; None renders segment 0 at `num_frames` (continuations always do)
    first_segment_frames: int | None = None
    fps: int = 24
    schedule: Literal["8+3"] = "8+3"
    quantization: Literal["none", "fp8"] = "none"
    compile: bool = False
    # CUDA graphs of the denoising step, one per input shape, captured at warm-up (CUDA only)
    cuda_graphs: bool = False
    # the video decode's last stages in two temporal windows, the first frames sooner, the same frames
    # (generator/ltx2/tail_chunked_decode.py)
    stream_decode: bool = False
    # attention of the video self-attention: "auto" times the backends at load and takes the fastest per stage
    attention: Literal["auto", "sdpa", "cudnn", "flash", "fa4"] = "auto"
    # sequence-parallel ranks (generator/ltx2/parallel.py's contract): > 1 needs torch.distributed initialized
    # with this world size, every rank building the same spec on its own device
    sp_size: int = 1
    # sequence parallelism splits only forwards with at least this many video tokens; smaller ones run whole
    # on every rank (1280x704: stage 1's 3,520 whole, stage 2's 14,080 split)
    sp_min_tokens: int = 8192
    # with cuda_graphs: capture split stages (their NCCL all-to-alls) too. Experimental, off: captured
    # all-to-alls hung in graph replay on 2 x H200 (torch 2.11, 2026-11-26); split stages run outside graphs
    sp_graph_collectives: bool = False
    synthetic_latency_ms: int = 0  # synthetic only: extra time per segment, spread over its frames
    synthetic_fail_prompt: str | None = None  # synthetic only: a segment whose prompt has this text raises


def first_segment_frames(spec: GeneratorSpec, num_frames: int, overlap_frames: int) -> int:
    """Frames of segment 0 for a generator rendering `num_frames` a continuation: `spec.first_segment_frames`,
    checked to leave the next segment its `overlap_frames` conditioning frames and not to exceed `num_frames`
    (a longer first segment would only delay the first byte)."""
    frames = num_frames if spec.first_segment_frames is None else spec.first_segment_frames
    if frames > num_frames:
        raise GeneratorConfigError(
            f"first_segment_frames ({frames}) must not exceed num_frames ({num_frames}): a shorter first "
            "segment is the point, a longer one would only delay the first byte"
        )
    if frames <= overlap_frames:
        raise GeneratorConfigError(
            f"first_segment_frames must be more than the {overlap_frames} overlap frames that condition "
            f"the next segment, got {frames}"
        )
    return frames
