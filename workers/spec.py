"""What a worker process is started with: plain frozen values, picklable across `spawn`."""

from __future__ import annotations

from dataclasses import dataclass

from dreamverse.generator.spec import GeneratorSpec
from dreamverse.streaming.settings import EncoderSettings


@dataclass(frozen=True, slots=True)
class WorkerSpec:
    gpu_id: int  # the slot's id as clients see it (`gpu_assigned.gpu_id`): its first GPU
    cuda_visible_devices: str | None  # set before torch is imported; None leaves the environment alone
    generator: GeneratorSpec
    encoder: EncoderSettings
    heartbeat_interval_s: float
    log_level: str = "info"
    # The segment of warmup (run once after loading, output discarded): "" skips it.
    warmup_prompt: str = "warmup: a calm landscape at dawn"
    gpu_ids: tuple[int, ...] = ()  # the slot's GPUs (on CPU, the fake device ids it was placed on)

    @property
    def sp_size(self) -> int:
        """GPUs (processes) of the slot: > 1 makes the worker a sequence-parallel group (`workers.group`)."""
        return self.generator.sp_size

    @property
    def name(self) -> str:
        if self.sp_size > 1 and self.gpu_ids:
            return "gpu" + "+".join(str(i) for i in self.gpu_ids)
        return f"gpu{self.gpu_id}"
