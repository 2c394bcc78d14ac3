"""Attention backends for the video self-attention, chosen per token count from timings taken at warm-up.

`GeneratorSpec.attention`: "sdpa" (PyTorch's `scaled_dot_product_attention`, which picks its own kernel),
"cudnn" (cuDNN's fused attention), "flash" (PyTorch's FlashAttention-2), "fa4" (FlashAttention 4, the CuTe
implementation of `flash-attn-4`, where it is installed: Hopper and Blackwell), or "auto": each available
backend is timed on the stage's own shape (and checked against math SDPA) and the fastest wins, per stage.

Only the video self-attention is routed (no mask, query length == key length >= `MIN_ROUTED_TOKENS`): the
text cross-attention has a padding mask and the audio attentions are ~170 tokens, where the choice does not
matter; they stay on SDPA. diffusers dispatches attention through a registry keyed by its own enum, so the
router is registered in the slot of diffusers' hub FlashAttention-4 backend (which would download a kernel
at run time and is never used here) and the transformer's processors are pointed at that slot.
"""

from __future__ import annotations

import logging
import math
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import torch
import torch.nn.functional as F

logger = logging.getLogger(__name__)

AttentionName = Literal["auto", "sdpa", "cudnn", "flash", "fa4"]
BACKENDS: tuple[str, ...] = ("sdpa", "cudnn", "flash", "fa4")
MIN_ROUTED_TOKENS = 1024
# bf16 attention against float32 math SDPA: ~3e-3 relative for any correct kernel (measured in the GPU test);
# a backend over this is wrong, not imprecise, and never chosen
MAX_RELATIVE_ERROR = 2e-2


@torch.library.custom_op("dreamverse::fa4_attention", mutates_args=())
def fa4_attention(query: torch.Tensor, key: torch.Tensor, value: torch.Tensor, scale: float) -> torch.Tensor:
    """FlashAttention 4 on (B, S, H, D) tensors (opaque to torch.compile: its kernels JIT through CuTe)."""
    from flash_attn.cute import flash_attn_func

    out = flash_attn_func(query, key, value, softmax_scale=scale, causal=False)
    result: torch.Tensor = out[0] if isinstance(out, tuple) else out  # (out, lse) in some versions
    return result.contiguous()


@fa4_attention.register_fake
def _fa4_shape(query: torch.Tensor, key: torch.Tensor, value: torch.Tensor, scale: float) -> torch.Tensor:
    return torch.empty_like(query).contiguous()


def fa4_importable() -> bool:
    try:
        # cutlass 4.8 warns about its own deprecated names while FA4 imports it; where warnings are errors
        # (pytest's filter) that read as "FA4 missing" on the H100, 2026-11-26
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            import flash_attn.cute  # noqa: F401
    except Exception:  # an absent package, or one whose CUDA pieces fail to load
        return False
    return True


def available_backends(device: torch.device) -> list[str]:
    """Backends that can run on `device`: SDPA everywhere; cuDNN, flash (and FA4 where importable, sm90+)
    on CUDA."""
    if device.type != "cuda":
        return ["sdpa"]
    names = ["sdpa", "cudnn", "flash"]
    if torch.cuda.get_device_capability(device) >= (9, 0) and fa4_importable():
        names.append("fa4")
    return names


def attend(backend: str, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor) -> torch.Tensor:
    """Unmasked, non-causal attention of (B, S, H, D) tensors with `backend`; (B, S, H, D) out."""
    scale = 1.0 / math.sqrt(query.shape[-1])
    if backend == "fa4":
        result: torch.Tensor = fa4_attention(query, key, value, scale)
        return result
    q, k, v = (t.transpose(1, 2) for t in (query, key, value))
    if backend == "sdpa":
        out = F.scaled_dot_product_attention(q, k, v, scale=scale)
    elif backend == "cudnn":
        out = torch.ops.aten._scaled_dot_product_cudnn_attention(
            q, k, v, None, False, 0.0, False, False, scale=scale
        )[0]
    elif backend == "flash":
        out = torch.ops.aten._scaled_dot_product_flash_attention(q, k, v, 0.0, False, False, scale=scale)[0]
    elif backend == "math":
        out = torch.ops.aten._scaled_dot_product_attention_math(q, k, v, scale=scale)[0]
    else:
        raise ValueError(f"unknown attention backend {backend!r}")
    return out.transpose(1, 2)


@dataclass(slots=True)
class AttentionPlan:
    """Backend per video token count (one entry per stage); anything else runs on SDPA."""

    by_tokens: dict[int, str] = field(default_factory=dict)
    timings_ms: dict[int, dict[str, float]] = field(default_factory=dict)  # what `auto` measured
    errors: dict[int, dict[str, float]] = field(default_factory=dict)  # relative error vs math SDPA

    def backend_for(self, tokens: int) -> str:
        return self.by_tokens.get(tokens, "sdpa")


_PLAN = AttentionPlan()


def _routed(
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    attn_mask: torch.Tensor | None = None,
    scale: float | None = None,
    is_causal: bool = False,
    return_lse: bool = False,
    _parallel_config: Any = None,
) -> torch.Tensor:
    """What diffusers' dispatcher calls for every attention of a planned transformer (B, S, H, D).
    `_parallel_config` is a `parallel.UlyssesAttention` on the attentions of a sequence-parallel transformer
    whose keys are sharded tokens: it regathers whole sequences and calls back here for the kernel."""
    if _parallel_config is not None:
        if attn_mask is not None or is_causal or scale is not None or return_lse:
            raise NotImplementedError("sequence-parallel attention takes no mask, scale or LSE")
        result: torch.Tensor = _parallel_config(query, key, value, _routed)
        return result
    tokens = query.shape[1]
    routed = attn_mask is None and not is_causal and scale is None and not return_lse
    if routed and tokens >= MIN_ROUTED_TOKENS and key.shape[1] == tokens:
        return attend(_PLAN.backend_for(tokens), query, key, value)
    q, k, v = (t.transpose(1, 2) for t in (query, key, value))
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, is_causal=is_causal, scale=scale)
    return out.transpose(1, 2)


def cuda_median_ms(fn: Callable[[], Any], repeats: int = 10, warmups: int = 2) -> float:
    """Median CUDA-event time of `fn` (ms) after `warmups` calls."""
    for _ in range(warmups):
        fn()
    times: list[float] = []
    for _ in range(repeats):
        start = torch.cuda.Event(enable_timing=True)  # type: ignore[no-untyped-call]
        end = torch.cuda.Event(enable_timing=True)  # type: ignore[no-untyped-call]
        start.record()
        fn()
        end.record()
        end.synchronize()
        times.append(float(start.elapsed_time(end)))
    return sorted(times)[len(times) // 2]


def relative_error(got: torch.Tensor, want: torch.Tensor) -> float:
    return float((got.double() - want.double()).norm() / want.double().norm())


def measure(
    tokens: int, heads: int, head_dim: int, device: torch.device, candidates: Iterable[str]
) -> tuple[dict[str, float], dict[str, float]]:
    """(ms, relative error vs float32 math SDPA) per backend that runs, on random bf16 q, k, v."""
    generator = torch.Generator(device).manual_seed(tokens)
    q, k, v = (
        torch.randn(1, tokens, heads, head_dim, device=device, dtype=torch.bfloat16, generator=generator)
        for _ in range(3)
    )
    # the reference on a few heads (math SDPA materialises S x S scores)
    few = slice(0, min(heads, 4))
    want = attend("math", *(t[:, :, few].float() for t in (q, k, v)))
    timings: dict[str, float] = {}
    errors: dict[str, float] = {}
    for name in candidates:
        try:
            errors[name] = relative_error(attend(name, q, k, v)[:, :, few], want)
            timings[name] = cuda_median_ms(lambda name=name: attend(name, q, k, v))  # type: ignore[misc]
        except (RuntimeError, ImportError, NotImplementedError) as exc:  # e.g. cuDNN without a plan
            logger.info("attention backend %s does not run at %d tokens: %s", name, tokens, exc)
            errors.pop(name, None)
    return timings, errors


def plan_attention(
    choice: str, token_counts: Iterable[int], heads: int, head_dim: int, device: torch.device
) -> AttentionPlan:
    """`choice` for every token count, or with "auto" the fastest correct backend per token count."""
    counts = sorted(set(token_counts))
    names = available_backends(device)
    if choice != "auto":
        if choice not in names:
            raise ValueError(f"attention backend {choice!r} is not available here (available: {names})")
        return AttentionPlan(by_tokens=dict.fromkeys(counts, choice))
    plan = AttentionPlan()
    for count in counts:
        if device.type != "cuda":
            plan.by_tokens[count] = "sdpa"
            continue
        timings, errors = measure(count, heads, head_dim, device, names)
        fine = {n: ms for n, ms in timings.items() if errors[n] <= MAX_RELATIVE_ERROR}
        plan.by_tokens[count] = min(fine, key=fine.__getitem__) if fine else "sdpa"
        plan.timings_ms[count], plan.errors[count] = timings, errors
        logger.info("attention at %d tokens: %s (ms %s)", count, plan.by_tokens[count], timings)
    return plan


def install_plan(transformer: torch.nn.Module, plan: AttentionPlan) -> int:
    """Route the transformer's attention through `plan` (process-wide: one generator per worker).
    Returns the number of attention modules routed."""
    from diffusers.models.attention import AttentionModuleMixin
    from diffusers.models.attention_dispatch import AttentionBackendName, _AttentionBackendRegistry

    global _PLAN
    _PLAN = plan
    slot = AttentionBackendName.FLASH_4_HUB
    _AttentionBackendRegistry.register(slot, constraints=[], supports_context_parallel=False)(_routed)
    routed = 0
    for module in transformer.modules():
        if isinstance(module, AttentionModuleMixin):
            module.processor._attention_backend = slot
            routed += 1
    return routed


def current_plan() -> AttentionPlan:
    return _PLAN
