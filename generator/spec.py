"""What a worker needs to build its generator: plain values only, so it pickles across `spawn`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

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
    fps: int = 24
    schedule: Literal["8+3"] = "8+3"
    quantization: Literal["none", "fp8"] = "none"
    compile: bool = False
    # CUDA graphs of the denoising step, one per input shape, captured at warm-up (CUDA only)
    cuda_graphs: bool = False
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
