"""Sequence parallelism of the LTX-2 transformer over a `torch.distributed` group (Ulysses).

CONTRACT (what callers such as a multi-GPU worker rely on)
    * SPMD: every rank of the group builds the generator identically (same `GeneratorSpec`, so the same seeded
      or loaded weights) and calls the same generator methods with the same inputs in the same order
      (`new_stream`, `render_segment`, `save_state`/`load_state`, `warmup`). Every rank computes every step;
      rank 0's outputs are the ones used (the other ranks' are equal, and may be dropped unread).
    * `GeneratorSpec.sp_size > 1` turns it on: `torch.distributed` must already be initialized (NCCL on GPUs,
      gloo on the CPU) with world size == `sp_size`, and each rank's `spec.device` its own GPU. Let every rank
      see all of its group's GPUs (`CUDA_VISIBLE_DEVICES=0,1` for both, `spec.device="cuda:<rank>"`): NCCL's
      NVLink path uses CUDA IPC, which a per-process `CUDA_VISIBLE_DEVICES` of one GPU can rule out
      (NVIDIA/nccl#129), leaving a slower transport. A caller that needs several groups in one world passes
      an explicit group: `enable_sequence_parallel(generator, group)` on a generator built with `sp_size=1`.
    * The transformer's forward is split only where it pays: a forward with fewer video tokens than
      `GeneratorSpec.sp_min_tokens` runs whole on every rank (identical inputs, identical outputs, no
      collective at all). Split all-to-alls cost ~770 NCCL launches a forward, which at 1280x704's stage 1
      (3,520 tokens) cost more than the halved compute saves (H200, eager: 2.46 -> 4.10 s), while stage 2
      (14,080) scaled 1.73x. Text encoding, noise, the Euler updates, upsampling, the audio decode and an
      untiled video decode run whole on every rank (see `benchmarks/pipeline.py`).
    * Every transformer attention needs its head count divisible by the group size (LTX-2: 32 heads, so 2,
      4, 8, ...). Token counts need not be: shards differ by at most one token.
    * With `compile=True` the collectives sit inside the compiled blocks (functional collectives, which
      dynamo traces; CPU-tested with gloo, also with fp8 linears, which quantize per token and so run on a
      shard as on the whole). Dynamo specialises on the layout (whole or split, and the shard sizes), so
      more graphs of the blocks get compiled, all in the warm-up: 6 for the CPU test's two tiny segments
      where one process compiles 4. With `cuda_graphs=True` the whole
      per-rank step (slice, local forward with its all-to-alls, gather) is one captured graph per input
      signature (`graphs.GraphedForward` wraps `SequenceParallelForward`): its eager warm-up run initializes
      the NCCL communicator before capture, and every rank captures and replays the same signatures in the
      same order (SPMD). A stage that runs whole captures no collective. Enable sequence parallelism
      before wrapping the forward in graphs. `GeneratorSpec.sp_graph_collectives` (default False) decides
      whether split stages are captured too; off, they run compiled, not captured, because captured
      all-to-alls hung in graph replay on 2 x H200 (torch 2.11, 2026-11-26).
    * The video decode is split too when the VAE decodes in tiles (`split_decode.py`: each rank decodes
      every N-th tile, every rank blends all of them); untiled, it runs whole on every rank.

How. Inside one transformer forward, the video tokens and the audio tokens are each cut into contiguous
shards, one per rank, together with everything that is per token: the per-token timesteps (sigma * mask of
a continuation's conditioning tokens) and the RoPE coordinates. Everything but attention is per token, so it
runs on the shard as is. The four attentions whose keys are video or audio tokens (video self, audio self,
audio→video, video→audio) swap sequence shards for head shards with one all-to-all each for q, k, v (every
rank then holds the whole sequence for heads/N heads, and runs the same attention kernel as one GPU would,
chosen by the attention plan for the full token count), then swap back. The text cross-attentions keep
their shard of queries against the replicated prompt: exact without communication. The outputs are
gathered at the end of the forward, so the sampler outside sees whole tensors on every rank.

Why Ulysses, not ring attention. (1) Exactness: each head's attention is computed by the same kernel over the
same whole sequence as on one GPU, so float32 results match a single process (the CPU tests check this
bit-for-bit where the kernels allow); ring attention merges per-block softmax partials (log-sum-exp),
which changes rounding and needs the kernels to return LSE. (2) Kernels: the attention plan (cuDNN, FA4)
runs unchanged on full sequences; ring runs N² smaller blocks, and the audio attentions (~170 tokens) and
the audio↔video cross-attentions (different lengths on both sides) are awkward rings. (3) Cost: four
all-to-alls per attention move 4·S·d/N per rank; measured on two NVLinked H100s (reference/ltx2-facts.md)
that is ≈ 24 ms per step at 1280x704 and ≈ 52 ms at 1920x1088, a few percent of the step, and it stays
per rank as N grows. Ulysses' limit, N ≤ heads (32), is far beyond one host's GPUs. A CPU timing of gloo
says nothing about NVLink, so the choice rests on this arithmetic and the GPU benchmark.

Why our own ~150 lines and not diffusers' context parallelism (`enable_parallelism`, `_cp_plan`): its LTX-2
plan splits only the video stream (audio tokens, audio timesteps and audio RoPE stay whole, so the
audio↔video attentions would all-to-all unsplit keys), the per-token timesteps are not in the plan, and it
needs its own attention backends where ours routes through `attention.py`'s plan.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import torch
import torch.distributed as dist
import torch.distributed._functional_collectives as funcol

from dreamverse.generator.errors import GeneratorConfigError
from dreamverse.generator.ltx2.attention import AttentionPlan, current_plan, install_plan
from dreamverse.generator.ltx2.graphs import TransformerForward
from dreamverse.generator.ltx2.split_decode import SplitTiledDecode

if TYPE_CHECKING:
    from dreamverse.generator.ltx2.streaming_pipeline import LTX2Generator

logger = logging.getLogger(__name__)

Modality = Literal["video", "audio"]
LocalAttention = Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor]  # (B, S, H, D) q, k, v
# the transformer block's attentions whose keys are sharded tokens: (query tokens, key tokens)
SHARDED_ATTENTIONS: dict[str, tuple[Modality, Modality]] = {
    "attn1": ("video", "video"),
    "audio_attn1": ("audio", "audio"),
    "audio_to_video_attn": ("video", "audio"),
    "video_to_audio_attn": ("audio", "video"),
}


def shard_sizes(tokens: int, parts: int) -> list[int]:
    """Contiguous shard lengths of `tokens` over `parts` ranks; the first `tokens % parts` get one more."""
    base, extra = divmod(tokens, parts)
    return [base + (1 if rank < extra else 0) for rank in range(parts)]


@dataclass(slots=True)
class ShardLayout:
    """How the current forward's tokens are split (set by `SequenceParallelForward` before each call)."""

    rank: int
    size: int
    group: dist.ProcessGroup
    min_tokens: int = 0  # a forward with fewer video tokens runs whole on every rank
    split: bool = True  # whether the current forward is split (the attentions read it)
    tokens: dict[str, list[int]] = field(default_factory=dict)  # modality -> shard lengths

    def bounds(self, modality: Modality) -> tuple[int, int]:
        sizes = self.tokens[modality]
        start = sum(sizes[: self.rank])
        return start, start + sizes[self.rank]


def _seq_to_heads(x: torch.Tensor, sizes: list[int], layout: ShardLayout) -> torch.Tensor:
    """(B, S_rank, H, D) sequence shard → (B, S, H/N, D): the whole sequence for this rank's heads."""
    batch, local, heads, dim = x.shape
    n = layout.size
    # rows grouped by destination rank (its head group), each group this rank's tokens
    send = x.reshape(batch, local, n, heads // n, dim).permute(2, 1, 0, 3, 4).reshape(n * local, batch, -1)
    got = funcol.all_to_all_single(send.contiguous(), sizes, [local] * n, layout.group)
    return _batch_first(got.reshape(sum(sizes), batch, heads // n, dim))


def _batch_first(x: torch.Tensor) -> torch.Tensor:
    """(S, B, ...) → (B, S, ...) with the strides of a freshly made tensor (a view when B == 1), as the
    attention kernels get them on one GPU (cuDNN reads the strides of every dimension)."""
    if x.shape[1] == 1:
        return x.view(1, x.shape[0], *x.shape[2:])
    return x.transpose(0, 1).contiguous()


def _heads_to_seq(x: torch.Tensor, sizes: list[int], layout: ShardLayout) -> torch.Tensor:
    """Inverse of `_seq_to_heads`: (B, S, H/N, D) → (B, S_rank, H, D)."""
    batch, _, group_heads, dim = x.shape
    n, local = layout.size, sizes[layout.rank]
    send = x.permute(1, 0, 2, 3).reshape(-1, batch, group_heads * dim)
    got = funcol.all_to_all_single(send.contiguous(), [local] * n, sizes, layout.group)
    return (
        got.reshape(n, local, batch, group_heads, dim).permute(2, 1, 0, 3, 4).reshape(batch, local, -1, dim)
    )


@dataclass(slots=True)
class UlyssesAttention:
    """Set as an attention processor's `_parallel_config`; `attention._routed` calls it with the local
    attention to run on whole sequences."""

    layout: ShardLayout
    query: Modality
    key: Modality

    def __call__(
        self, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor, attend: LocalAttention
    ) -> torch.Tensor:
        if not self.layout.split:  # a forward below `min_tokens`: whole sequences on every rank already
            return attend(query, key, value)
        q_sizes, k_sizes = self.layout.tokens[self.query], self.layout.tokens[self.key]
        q = _seq_to_heads(query, q_sizes, self.layout)
        k = _seq_to_heads(key, k_sizes, self.layout)
        v = _seq_to_heads(value, k_sizes, self.layout)
        out = attend(q, k, v)
        return _heads_to_seq(out, q_sizes, self.layout)


def gather_tokens(local: torch.Tensor, sizes: list[int], layout: ShardLayout) -> torch.Tensor:
    """(B, S_rank, C) shards → (B, S, C) on every rank: an all-to-all that sends each rank the same shard
    (uneven shards need no padding, and it is the one collective this module uses)."""
    batch, count, channels = local.shape
    send = local.transpose(0, 1).repeat(layout.size, 1, 1)  # (N * S_rank, B, C)
    got = funcol.all_to_all_single(send.contiguous(), sizes, [count] * layout.size, layout.group)
    return _batch_first(got.reshape(sum(sizes), batch, channels))


class SequenceParallelForward:
    """Call it like the transformer (keyword arguments, `return_dict=False`): cuts the video and audio
    tokens and what is per token into this rank's shard, runs `forward` on it, gathers both outputs; a
    forward with fewer than `layout.min_tokens` video tokens runs `forward` whole instead."""

    def __init__(self, forward: TransformerForward, layout: ShardLayout) -> None:
        self.forward = forward
        self.layout = layout

    def splits(self, kwargs: dict[str, Any]) -> bool:
        """Whether a forward with these keyword arguments is split (has collectives)."""
        return bool(kwargs["hidden_states"].shape[1] >= self.layout.min_tokens)

    def runs_whole(self, kwargs: dict[str, Any]) -> bool:
        return not self.splits(kwargs)

    def __call__(self, **kwargs: Any) -> tuple[torch.Tensor, torch.Tensor]:
        layout = self.layout
        video_tokens, audio_tokens = kwargs["hidden_states"].shape[1], kwargs["audio_hidden_states"].shape[1]
        layout.split = self.splits(kwargs)
        if not layout.split:
            return self.forward(**kwargs)
        layout.tokens = {
            "video": shard_sizes(video_tokens, layout.size),
            "audio": shard_sizes(audio_tokens, layout.size),
        }
        v0, v1 = layout.bounds("video")
        a0, a1 = layout.bounds("audio")
        local = dict(kwargs)
        local["hidden_states"] = kwargs["hidden_states"][:, v0:v1]
        local["audio_hidden_states"] = kwargs["audio_hidden_states"][:, a0:a1]
        local["video_coords"] = kwargs["video_coords"][:, :, v0:v1]
        local["audio_coords"] = kwargs["audio_coords"][:, :, a0:a1]
        # per-token timesteps (B, S) go with their tokens; one value per sample (B,) stays whole
        if kwargs["timestep"].ndim == 2:
            local["timestep"] = kwargs["timestep"][:, v0:v1]
        if kwargs["audio_timestep"].ndim == 2:
            local["audio_timestep"] = kwargs["audio_timestep"][:, a0:a1]
        video, audio = self.forward(**local)
        return (
            gather_tokens(video, layout.tokens["video"], layout),
            gather_tokens(audio, layout.tokens["audio"], layout),
        )


def default_group(sp_size: int) -> dist.ProcessGroup:
    """The initialized default group, checked against `sp_size` (the SPMD contract above)."""
    if not dist.is_available() or not dist.is_initialized():
        raise GeneratorConfigError(f"sp_size {sp_size} needs torch.distributed initialized on every rank")
    world = dist.get_world_size()
    if world != sp_size:
        raise GeneratorConfigError(f"sp_size {sp_size} but torch.distributed has world size {world}")
    group = dist.group.WORLD
    assert group is not None
    return group


def enable_sequence_parallel(
    generator: LTX2Generator, group: dist.ProcessGroup, min_tokens: int = 0
) -> ShardLayout:
    """Split `generator`'s transformer forwards of `min_tokens` video tokens or more over `group` (call
    after the attention plan is installed, before CUDA graphs wrap the forward and before any forward).
    Returns the layout the attentions share."""
    pipeline = generator.pipeline
    if generator.graphs is not None:  # the graphs would hold the local forward only, not slice and gather
        raise GeneratorConfigError("enable sequence parallelism before CUDA graphs wrap the forward")
    size = dist.get_world_size(group)
    layout = ShardLayout(rank=dist.get_rank(group), size=size, group=group, min_tokens=min_tokens)
    transformer = pipeline.c.transformer
    if generator.attention_plan is None:  # the CPU default: route through the plan's SDPA fallback
        generator.attention_plan = AttentionPlan()
        install_plan(transformer, generator.attention_plan)
    elif current_plan() is not generator.attention_plan:
        install_plan(transformer, generator.attention_plan)
    for block in transformer.transformer_blocks:
        for name, (query, key) in SHARDED_ATTENTIONS.items():
            attention = getattr(block, name)
            if attention.heads % size:
                raise GeneratorConfigError(
                    f"sequence parallelism over {size} ranks needs the heads of {name} ({attention.heads}) "
                    f"divisible by {size}"
                )
            attention.processor._parallel_config = UlyssesAttention(layout, query, key)
    pipeline.forward = SequenceParallelForward(pipeline.forward or transformer, layout)
    pipeline.video_decode = SplitTiledDecode(pipeline.c.vae, group)
    generator.sequence_parallel = layout
    logger.info(
        "sequence parallel: rank %d of %d (Ulysses over heads) for forwards of %d video tokens or more",
        layout.rank,
        size,
        min_tokens,
    )
    return layout
