"""A branch of generated segments joined on the server by stream copy: duration and audio continuity."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from dreamverse.generator.base import AudioTrack, SegmentRequest, VideoFrames
from dreamverse.generator.spec import GeneratorSpec
from dreamverse.generator.synthetic import SyntheticGenerator
from dreamverse.streaming import EncoderSettings, ExportFailed, SegmentEncoder, concat_files
from tests.support.media import packet_times, streams_by_type

AAC_FRAME_SAMPLES = 1024
PROMPTS = ("dawn", "noon", "dusk", "night")


def durations(paths: list[Path]) -> list[float]:
    return [segment_seconds(p) for p in paths]


def encode_branch(directory: Path, count: int) -> list[Path]:
    """`count` continued segments of the synthetic generator, each encoded as its own standalone fMP4."""
    generator = SyntheticGenerator(GeneratorSpec(width=160, height=96, num_frames=25))
    g = generator.geometry
    state = generator.new_stream(seed=3)
    paths = []
    for idx in range(count):
        chunks: list[bytes] = []
        encoder = SegmentEncoder(
            EncoderSettings(), g.width, g.height, g.fps, g.audio_sample_rate, g.audio_channels, chunks.append
        )
        with encoder:
            for part in generator.render_segment(state, SegmentRequest(PROMPTS[idx % 4], idx)):
                if isinstance(part, AudioTrack):
                    encoder.write_audio(part.samples)
                elif isinstance(part, VideoFrames):
                    encoder.write_video(part.frames)
            encoder.finish()
        path = directory / f"{idx}.mp4"
        path.write_bytes(b"".join(chunks))
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def branch(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return encode_branch(tmp_path_factory.mktemp("branch"), 4)


def segment_seconds(path: Path) -> float:
    video = streams_by_type(path)["video"]
    rate_num, rate_den = (int(x) for x in video["r_frame_rate"].split("/"))
    return int(video["nb_read_frames"]) * rate_den / rate_num


def test_export_duration_is_the_sum_of_its_segments(branch: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "branch.mp4"
    concat_files(branch, durations(branch), str(out), EncoderSettings())
    probed = streams_by_type(out)
    expected_s = sum(segment_seconds(p) for p in branch)
    assert expected_s == pytest.approx((25 + 16 + 16 + 16) / 24)
    assert int(probed["video"]["nb_read_frames"]) == 25 + 16 + 16 + 16
    assert float(probed["video"]["duration"]) == pytest.approx(expected_s, abs=1e-3)
    assert float(probed["format"]["duration"]) == pytest.approx(expected_s, abs=AAC_FRAME_SAMPLES / 24000)


def test_export_audio_has_no_gap_at_the_joins(branch: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "branch.mp4"
    concat_files(branch, durations(branch), str(out), EncoderSettings())
    rate = int(streams_by_type(out)["audio"]["sample_rate"])
    packets = packet_times(out, "a")
    gaps = [b[0] - (a[0] + a[1]) for a, b in itertools.pairwise(packets)]
    assert max(abs(gap) for gap in gaps) <= AAC_FRAME_SAMPLES / rate + 1e-6
    end_s = packets[-1][0] + packets[-1][1]
    assert end_s == pytest.approx(sum(segment_seconds(p) for p in branch), abs=AAC_FRAME_SAMPLES / rate)


def test_export_of_a_prefix_and_of_nothing(branch: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "prefix.mp4"
    concat_files(branch[:2], durations(branch[:2]), str(out), EncoderSettings())
    assert int(streams_by_type(out)["video"]["nb_read_frames"]) == 25 + 16
    with pytest.raises(ExportFailed, match="no segments"):
        concat_files([], [], str(tmp_path / "none.mp4"), EncoderSettings())
