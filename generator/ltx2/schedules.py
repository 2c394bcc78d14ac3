"""Distilled sigma schedules: stage 1 (half resolution, from noise) and stage 2 (after the x2 upsample)."""

from __future__ import annotations

from dataclasses import dataclass

from dreamverse.generator.errors import GeneratorConfigError


@dataclass(frozen=True, slots=True)
class Schedule:
    """Sigmas of both stages, each ending in 0.0; stage 2 starts by re-noising to `stage2[0]`."""

    stage1: tuple[float, ...]
    stage2: tuple[float, ...]

    @property
    def steps(self) -> tuple[int, int]:
        return len(self.stage1) - 1, len(self.stage2) - 1


# The released distilled schedule (8 + 3 steps), see reference/ltx2-facts.md.
DISTILLED_8_3 = Schedule(
    stage1=(1.0, 0.99375, 0.9875, 0.98125, 0.975, 0.909375, 0.725, 0.421875, 0.0),
    stage2=(0.909375, 0.725, 0.421875, 0.0),
)
# Upstream runs 5 + 2 steps at 1080p, but its sigmas are not published in a form we can check (a subset of
# the 8 + 3 sigmas does not reproduce them), so only the released schedule is offered.
SCHEDULES = {"8+3": DISTILLED_8_3}


def get_schedule(name: str) -> Schedule:
    try:
        return SCHEDULES[name]
    except KeyError:
        raise GeneratorConfigError(
            f"unknown schedule {name!r}; expected one of {', '.join(SCHEDULES)}"
        ) from None
