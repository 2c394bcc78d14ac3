"""What a worker process is started with: plain frozen values, picklable across `spawn`."""

from __future__ import annotations

from dataclasses import dataclass

from dreamverse.generator.spec import GeneratorSpec
from dreamverse.streaming.settings import EncoderSettings


@dataclass(frozen=True, slots=True)
class WorkerSpec:
    gpu_id: int  # the slot's id as clients see it (`gpu_assigned.gpu_id`)
    cuda_visible_devices: str | None  # set before torch is imported; None leaves the environment alone
    generator: GeneratorSpec
    encoder: EncoderSettings
    heartbeat_interval_s: float
    log_level: str = "info"
    # The segment of warmup (run once after loading, output discarded): "" skips it.
    warmup_prompt: str = "warmup: a calm landscape at dawn"

    @property
    def name(self) -> str:
        return f"gpu{self.gpu_id}"
