"""Timelines from `--then` flags and from JSON/YAML files."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from dreamverse.client.timeline import from_file, from_flags, parse_seconds


@pytest.mark.parametrize(
    ("text", "seconds"), [("10s", 10.0), ("1.5s", 1.5), ("500ms", 0.5), ("2m", 120.0), ("3", 3.0), (4, 4.0)]
)
def test_times(text: object, seconds: float) -> None:
    assert parse_seconds(text) == seconds


def test_flags_give_seeds_at_zero_and_later_cues_in_time_order() -> None:
    timeline = from_flags(["a fox"], [["20s", "night"], ["10s", "snow"]], segments=3)
    assert timeline.opening == ["a fox"]
    assert [(cue.at, cue.prompt) for cue in timeline.later] == [(10.0, "snow"), (20.0, "night")]
    assert timeline.segments == 3


def test_yaml_and_json_files_read_the_same(tmp_path: Path) -> None:
    yaml_path = tmp_path / "t.yaml"
    yaml_path.write_text("cues:\n  - {at: 0, prompt: a fox}\n  - {at: 10s, prompt: snow}\nsegments: 2\n")
    json_path = tmp_path / "t.json"
    json_path.write_text(
        '{"cues": [{"at": 0, "prompt": "a fox"}, {"at": "10s", "prompt": "snow"}], "segments": 2}'
    )
    assert from_file(yaml_path) == from_file(json_path)


@pytest.mark.parametrize(
    "data",
    [
        '{"cues": [{"at": "5s", "prompt": "no opening"}]}',
        '{"cues": [{"at": "soon", "prompt": "x"}]}',
        '{"cues": [{"at": 0, "prompt": "x", "extra": 1}]}',
        '{"cues": []}',
    ],
)
def test_bad_timelines_are_refused(data: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(data)
    with pytest.raises(ValidationError):
        from_file(path)
