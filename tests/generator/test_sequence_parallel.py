"""Sequence parallelism on the CPU (gloo): 2 and 4 ranks, one process each, give the single-process stream.

The tiny model with 4 heads a attention (`tests/support/sequence_parallel.py`), float32, one thread a process
(the reference too: float32 GEMMs round differently with other thread counts). Segment 0 (no conditioning,
one timestep per step) and a continuation (9 re-encoded frames and 13 audio latent frames of clean
conditioning: per-token timesteps in both modalities). Token counts do not divide evenly (27 and 30 audio
tokens over 4 ranks; 8 video tokens at stage 1 over 4 ranks, 2 each).

Tolerance: at 2 ranks every tensor is bit-identical (asserted). At 4 ranks, shards of 1-2 tokens run
float32 GEMMs down other kernel paths, which round differently: measured relative errors <= 1e-7 on
segment 0 and 3e-6 on the continuation's video latents (its 9 overlap frames go through a VAE decode/encode
round trip). `REL` = 1e-5 keeps a 3x margin; a token's timestep or RoPE position taken from the wrong shard
gives 8e-3 to 7e-2 on the latents (measured by breaking those splits). Frames are uint8: within one level.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import torch

from dreamverse.generator.errors import GeneratorConfigError
from dreamverse.generator.ltx2.parallel import shard_sizes
from dreamverse.generator.ltx2.streaming_pipeline import check_speedups
from dreamverse.generator.spec import GeneratorSpec
from tests.support.gpu import relative_error
from tests.support.sequence_parallel import (
    SMALL_TILES,
    TILED,
    build_tiny_generator,
    render_stream,
    run_ranks,
)

REL = 1e-5
RANK_TIMEOUT_S = 240.0


@pytest.fixture(scope="module")
def single_process() -> Iterator[dict[str, torch.Tensor]]:
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield render_stream(build_tiny_generator("cpu", torch.float32, sp_size=1))
    finally:
        torch.set_num_threads(threads)


def assert_same_stream(got: dict[str, torch.Tensor], want: dict[str, torch.Tensor], exact: bool) -> None:
    assert got.keys() == want.keys()
    for name, expected in want.items():
        assert got[name].shape == expected.shape, name
        if exact:
            assert torch.equal(got[name], expected), name
        elif expected.dtype == torch.uint8:
            assert (got[name].int() - expected.int()).abs().max() <= 1, name
        else:
            assert relative_error(got[name], expected) <= REL, name


@pytest.mark.parametrize("ranks", [2, 4])
def test_sequence_parallel_stream_equals_single_process(
    single_process: dict[str, torch.Tensor], ranks: int
) -> None:
    got = run_ranks(ranks, "cpu", torch.float32, RANK_TIMEOUT_S)
    assert {"video_latents1", "audio_latents1", "frames1", "audio_track1"} <= got.keys()
    assert_same_stream(got, single_process, exact=ranks == 2)


def test_a_shorter_first_segment_on_two_ranks_equals_single_process() -> None:
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        want = render_stream(build_tiny_generator("cpu", torch.float32, 1, first_segment_frames=17))
    finally:
        torch.set_num_threads(threads)
    got = run_ranks(2, "cpu", torch.float32, RANK_TIMEOUT_S, first_segment_frames=17)
    assert (got["frames0"].shape[0], got["frames1"].shape[0]) == (17, 16)  # segment 0 short, then 25 - 9
    # within 1e-5 (frames within one level), as at 4 ranks: at these shard shapes (audio 19 tokens, 10 + 9)
    # the CPU's float32 kernels round differently from the whole sequence's (latents differ by ~1e-7)
    assert_same_stream(got, want, exact=False)


def test_a_stage_below_the_threshold_runs_whole_without_collectives(
    single_process: dict[str, torch.Tensor],
) -> None:
    # tiny: stage 1 has 8 video tokens, stage 2 has 32; the threshold sits between them
    got = run_ranks(2, "cpu", torch.float32, RANK_TIMEOUT_S, sp_min_tokens=16, count_collectives=True)
    counts = {name: int(got.pop(name)) for name in list(got) if name.startswith("collectives_at_")}
    # 2 segments x (8 + 3 steps); stage 2 per forward: 4 attentions x (3 + 1) all-to-alls x 2 blocks + 2
    # gathers, so 34 a step
    assert counts == {"collectives_at_8_video_tokens": 0, "collectives_at_32_video_tokens": 2 * 3 * 34}
    assert_same_stream(got, single_process, exact=True)


def test_a_tiled_video_decode_is_split_over_the_ranks() -> None:
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        got = run_ranks(2, "cpu", torch.float32, RANK_TIMEOUT_S, vae_tiling=SMALL_TILES, segments=1, **TILED)
        reference = build_tiny_generator("cpu", torch.float32, 1, vae_tiling=SMALL_TILES, **TILED)
        want = render_stream(reference, segments=1)
    finally:
        torch.set_num_threads(threads)
    assert int(got.pop("tiles_decoded")) == 3  # rank 0's half of the 6 tiles of segment 0's one decode
    assert reference.pipeline.c.vae.use_tiling and want["frames0"].shape[1:3] == (128, 192)
    assert_same_stream(got, want, exact=True)


def test_shards_cover_every_token_once() -> None:
    assert shard_sizes(27, 4) == [7, 7, 7, 6]
    assert shard_sizes(8, 4) == [2, 2, 2, 2]


def test_sequence_parallel_needs_an_initialized_group() -> None:
    with pytest.raises(GeneratorConfigError, match=r"torch\.distributed"):
        build_tiny_generator("cpu", torch.float32, sp_size=2)


def test_sequence_parallel_refuses_bad_sizes() -> None:
    cpu = torch.device("cpu")
    with pytest.raises(GeneratorConfigError, match="sp_size"):
        check_speedups(GeneratorSpec(model="tiny", sp_size=0), cpu)
    with pytest.raises(GeneratorConfigError, match="sp_min_tokens"):
        check_speedups(GeneratorSpec(model="tiny", sp_size=2, sp_min_tokens=-1), cpu)
