"""`dreamverse-generate` end to end on the tiny model: three continued segments to one MP4 with audio."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from dreamverse.workers.offline import main, parse_args, spec_from_args

pytestmark = pytest.mark.skipif(shutil.which("ffprobe") is None, reason="needs ffmpeg/ffprobe")


def probe(path: Path) -> dict[str, float]:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=codec_type,duration", "-of", "json", str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {s["codec_type"]: float(s["duration"]) for s in json.loads(out)["streams"]}


@pytest.mark.slow
def test_three_prompts_make_one_mp4_with_audio(tmp_path: Path) -> None:
    out = tmp_path / "x.mp4"
    assert (
        main(["--model", "tiny", "--prompt", "a", "--prompt", "b", "--prompt", "c", "--out", str(out)]) == 0
    )
    durations = probe(out)
    expected_s = (25 + 16 + 16) / 24  # segment 0 + two continuations of the tiny geometry
    assert set(durations) == {"video", "audio"}
    assert durations["video"] == pytest.approx(expected_s, abs=0.15)
    assert durations["audio"] == pytest.approx(expected_s, abs=0.2)  # AAC priming per segment


def test_bad_geometry_exits_with_a_clear_error(tmp_path: Path) -> None:
    code = main(["--model", "tiny", "--prompt", "a", "--frames", "20", "--out", str(tmp_path / "y.mp4")])
    assert code == 2
    assert not (tmp_path / "y.mp4").exists()


def test_first_segment_frames_reaches_the_spec() -> None:
    args = parse_args(["--model", "tiny", "--prompt", "a", "--first-segment-frames", "17", "--out", "x.mp4"])
    assert spec_from_args(args).first_segment_frames == 17
    assert spec_from_args(parse_args(["--prompt", "a", "--out", "x.mp4"])).first_segment_frames is None
