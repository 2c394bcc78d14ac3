"""CUDA graphs of the transformer's forward: one graph per input signature, replayed over static buffers.

Stage 1 at 768x512 is launch-bound (~130 ms a step against ~45 ms of tensor-core work, issue 8): thousands of
small kernels per forward, each a CPU launch. A captured graph launches them all with one call. Shapes are
fixed per geometry, except the audio token count of a continuation, which cycles (168, 168, 167 at 121
frames, 24 fps), and the timestep layout (one value, or one per token when tokens are conditioning): each
distinct signature gets its own graph, captured the first time it is seen (warm-up renders every signature
the stream will need, see `LTX2Generator.warmup`). All graphs share one memory pool: they never run at once,
and each graph's outputs are consumed before the next replay. Under sequence parallelism the wrapped forward
is the whole per-rank step (`parallel.SequenceParallelForward`), NCCL all-to-alls included; `capture` can
leave some signatures (the split ones) uncaptured, run as they are.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch

logger = logging.getLogger(__name__)

TransformerForward = Callable[..., tuple[torch.Tensor, torch.Tensor]]
Signature = tuple[tuple[str, Any], ...]


def signature(kwargs: dict[str, Any]) -> Signature:
    """What a graph is specialised on: each tensor's shape, dtype and device; every other value as is."""
    parts: list[tuple[str, Any]] = []
    for name in sorted(kwargs):
        value = kwargs[name]
        if isinstance(value, torch.Tensor):
            parts.append((name, (tuple(value.shape), value.dtype, value.device)))
        else:
            parts.append((name, value))
    return tuple(parts)


@dataclass(slots=True)
class _Captured:
    graph: torch.cuda.CUDAGraph
    inputs: dict[str, torch.Tensor]  # static input buffers, refreshed with copy_ before each replay
    outputs: tuple[torch.Tensor, torch.Tensor]


class GraphedForward:
    """Call it like the transformer (keyword arguments, `return_dict=False`): the first call with a new
    signature runs the forward once eagerly (compiling it, if compiled) and captures it; later calls copy the
    inputs into that graph's buffers and replay it. Outputs are views of the graph's memory, valid until the
    next call. `captures` counts captures, so a caller can check that a stream captured nothing new."""

    def __init__(
        self,
        forward: TransformerForward,
        warmup_runs: int = 1,
        capture: Callable[[dict[str, Any]], bool] | None = None,
    ) -> None:
        self.forward = forward
        self.warmup_runs = warmup_runs
        self.capture = capture  # which calls to capture (by their keyword arguments); None: all
        self.captures = 0
        self.capture_s = 0.0
        self._graphs: dict[Signature, _Captured] = {}
        self._pool: Any = None

    @property
    def signatures(self) -> list[Signature]:
        return list(self._graphs)

    def __call__(self, **kwargs: Any) -> tuple[torch.Tensor, torch.Tensor]:
        if self.capture is not None and not self.capture(kwargs):
            return self.forward(**kwargs)
        key = signature(kwargs)
        captured = self._graphs.get(key)
        if captured is None:
            captured = self._capture(kwargs)
            self._graphs[key] = captured
        for name, buffer in captured.inputs.items():
            buffer.copy_(kwargs[name], non_blocking=True)
        captured.graph.replay()
        return captured.outputs

    def _capture(self, kwargs: dict[str, Any]) -> _Captured:
        started = time.perf_counter()
        inputs = {k: v.clone() for k, v in kwargs.items() if isinstance(v, torch.Tensor)}
        static = {k: v for k, v in kwargs.items() if not isinstance(v, torch.Tensor)}
        # warm-up on a side stream, as capture requires: compiles, autotunes, creates cuBLAS/cuDNN handles
        side = torch.cuda.Stream()  # type: ignore[no-untyped-call]
        side.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(side):
            for _ in range(self.warmup_runs):
                self.forward(**inputs, **static)
        torch.cuda.current_stream().wait_stream(side)
        if self._pool is None:
            self._pool = torch.cuda.graph_pool_handle()
        graph = torch.cuda.CUDAGraph()
        # thread_local: the worker's encode thread may touch CUDA-free numpy meanwhile; nothing else captures
        with torch.cuda.graph(graph, pool=self._pool, capture_error_mode="thread_local"):
            video, audio = self.forward(**inputs, **static)
        torch.cuda.synchronize()
        self.captures += 1
        elapsed = time.perf_counter() - started
        self.capture_s += elapsed
        shapes = {
            k: tuple(v.shape) for k, v in inputs.items() if k in ("hidden_states", "audio_hidden_states")
        }
        logger.info("captured transformer graph %d %s in %.2f s", self.captures, shapes, elapsed)
        return _Captured(graph=graph, inputs=inputs, outputs=(video, audio))

    def reset(self) -> None:
        """Drop every graph and its memory (e.g. before the weights change)."""
        self._graphs.clear()
        self._pool = None
