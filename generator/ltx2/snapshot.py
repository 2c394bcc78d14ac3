"""A stream's LTX-2 continuation state as bytes: what a fork or replay restores to continue a segment.

The bytes are a safetensors file (exact for every dtype, bfloat16 included; no pickle) holding the carry's
tensors and its scalars as 0-d float64/int64 tensors, which round-trip exactly. Restoring checks the
shapes against the generator's geometry, so a state saved by another model or size is refused instead of
conditioning a segment on nonsense.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from safetensors import SafetensorError
from safetensors.torch import load as load_tensors
from safetensors.torch import save as save_tensors

from dreamverse.generator.base import StreamState
from dreamverse.generator.errors import ConditioningError
from dreamverse.generator.ltx2.continuation import Carry

FORMAT = "dreamverse-ltx2-carry/2"
_KEYS_V1 = {
    "tail_frames",
    "audio_tail",
    "seed",
    "segments_rendered",
    "video_time_offset_s",
    "audio_latent_frames",
}
# /2 adds the frames the segment rendered (segment 0 may be shorter than a continuation); a /1 state was
# saved by a generator that rendered every segment at its continuation length
_KEYS = _KEYS_V1 | {"num_frames"}


@dataclass(frozen=True, slots=True)
class SnapshotScope:
    """The shapes a carry must have to continue this generator's stream."""

    tail_frames_shape: tuple[int, int, int, int]  # (overlap, gen_height, gen_width, 3)
    audio_tail_shape: tuple[int, int]  # (prefix latent frames, audio token width)
    num_frames: int  # frames of a continuation: what a /1 state's segment rendered


def save_carry(state: StreamState, carry: Carry) -> bytes:
    tensors = {
        "tail_frames": torch.from_numpy(carry.tail_frames).contiguous(),
        "audio_tail": carry.audio_tail.detach().cpu().contiguous(),
        "seed": torch.tensor(state.seed, dtype=torch.int64),
        "segments_rendered": torch.tensor(state.segments_rendered, dtype=torch.int64),
        "video_time_offset_s": torch.tensor(carry.video_time_offset_s, dtype=torch.float64),
        "audio_latent_frames": torch.tensor(carry.audio_latent_frames, dtype=torch.int64),
        "num_frames": torch.tensor(carry.num_frames, dtype=torch.int64),
    }
    return save_tensors(tensors, metadata={"format": FORMAT})


def load_carry(data: bytes, scope: SnapshotScope, device: torch.device) -> tuple[StreamState, Carry]:
    """(the stream state, its carry); raises `ConditioningError` for bytes this generator cannot continue."""
    try:
        tensors = load_tensors(data)
    except (SafetensorError, ValueError) as exc:
        raise ConditioningError(f"not a saved LTX-2 continuation state: {exc}") from exc
    if set(tensors) not in (_KEYS, _KEYS_V1):
        raise ConditioningError(f"not a saved LTX-2 continuation state (holds {sorted(tensors)})")
    tail, audio = tensors["tail_frames"], tensors["audio_tail"]
    if tuple(tail.shape) != scope.tail_frames_shape or tail.dtype != torch.uint8:
        raise ConditioningError(
            f"continuation state has tail frames {tuple(tail.shape)}, this generator needs "
            f"{scope.tail_frames_shape} (another model or size saved it)"
        )
    if audio.dim() != 3 or tuple(audio.shape[1:]) != scope.audio_tail_shape:
        raise ConditioningError(
            f"continuation state has an audio tail {tuple(audio.shape)}, this generator needs "
            f"(1, {scope.audio_tail_shape[0]}, {scope.audio_tail_shape[1]})"
        )
    carry = Carry(
        tail_frames=tail.numpy(),
        audio_tail=audio.to(device),
        video_time_offset_s=float(tensors["video_time_offset_s"].item()),
        audio_latent_frames=int(tensors["audio_latent_frames"].item()),
        num_frames=int(tensors["num_frames"].item()) if "num_frames" in tensors else scope.num_frames,
    )
    state = StreamState(
        seed=int(tensors["seed"].item()), segments_rendered=int(tensors["segments_rendered"].item())
    )
    return state, carry
