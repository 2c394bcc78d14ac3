"""A directing timeline: prompts at times, from `--then 10s "…"` flags or a JSON/YAML file.

Times are seconds of wall clock since the stream started (a prompt goes in when a person watching would
have typed it). A file holds

    cues:
      - {at: 0, prompt: a fox in the snow}
      - {at: 10s, prompt: it starts to snow harder}
    segments: 4        # optional: stop after this many segments
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min)?\s*$")
_SCALE = {"ms": 0.001, "s": 1.0, None: 1.0, "m": 60.0, "min": 60.0}


def parse_seconds(value: object) -> float:
    """`10s`, `1.5s`, `500ms`, `2m` or a bare number of seconds."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    match = _DURATION.match(str(value))
    if match is None:
        raise ValueError(f"not a time: {value!r} (use e.g. 10s, 500ms, 2m)")
    return float(match.group(1)) * _SCALE[match.group(2)]


Seconds = Annotated[float, BeforeValidator(parse_seconds), Field(ge=0)]


class Cue(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    at: Seconds
    prompt: str = Field(min_length=1)


class Timeline(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    cues: list[Cue] = Field(min_length=1)
    segments: int | None = Field(None, ge=1)

    @model_validator(mode="after")
    def _has_opening(self) -> Timeline:
        if not self.opening:
            raise ValueError("the timeline needs at least one prompt at time 0 to start from")
        return self

    @property
    def opening(self) -> list[str]:
        """The prompts at time 0: the rollout's seed prompts."""
        return [cue.prompt for cue in self.cues if cue.at == 0]

    @property
    def later(self) -> list[Cue]:
        """The prompts after time 0, in time order: appended when their time comes."""
        return sorted((cue for cue in self.cues if cue.at > 0), key=lambda cue: cue.at)


def from_flags(opening: Sequence[str], then: Sequence[Sequence[str]], segments: int | None) -> Timeline:
    cues: list[dict[str, Any]] = [{"at": 0, "prompt": prompt} for prompt in opening]
    cues += [{"at": at, "prompt": prompt} for at, prompt in then]
    return Timeline.model_validate({"cues": cues, "segments": segments})


def from_file(path: Path) -> Timeline:
    """A `.json`, `.yaml` or `.yml` timeline."""
    text = path.read_text(encoding="utf-8")
    data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    return Timeline.model_validate(data)
