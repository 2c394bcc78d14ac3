import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from streaming_helpers import CHANNELS, SAMPLE_RATE, encode, make_frames, make_tone

from dreamverse.streaming import EncoderFailed, EncoderSettings, FFmpegNotFound, SegmentEncoder
from dreamverse.streaming.boxes import iter_boxes
from tests.support.media import ffprobe

H264_PROFILE_IDC = {"Baseline": 0x42, "Constrained Baseline": 0x42, "Main": 0x4D, "High": 0x64}


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "segment.mp4"
    path.write_bytes(data)
    return path


def streams_by_type(probed: dict[str, object]) -> dict[str, dict[str, object]]:
    streams = probed["streams"]
    assert isinstance(streams, list)
    return {str(s["codec_type"]): s for s in streams}


def test_full_segment_streams_whole_boxes_early(tmp_path: Path) -> None:
    encoded = encode(EncoderSettings(), 768, 512, 121, pause_s=0.005)
    stats = encoded.stats

    probed = ffprobe(write(tmp_path, encoded.data))
    streams = streams_by_type(probed)
    assert streams["video"]["codec_name"] == "h264" and streams["audio"]["codec_name"] == "aac"
    assert int(str(streams["video"]["nb_read_frames"])) == 121
    assert float(str(streams["video"]["duration"])) == pytest.approx(121 / 24, abs=1e-3)
    assert float(str(streams["audio"]["duration"])) == pytest.approx(121 / 24, abs=0.1)

    chunk_types = [[b.type for b in iter_boxes(chunk)] for chunk in encoded.chunks]  # raises unless whole
    assert chunk_types[0] == ["ftyp", "moov"]
    for types in chunk_types[1:-1]:
        assert types[-1] == "mdat" and types.count("moof") == types.count("mdat")
    assert all(len(c) <= EncoderSettings().max_chunk_bytes for c in encoded.chunks)

    assert stats.frames == 121 and stats.audio_samples == round(121 * SAMPLE_RATE / 24)
    assert stats.bytes_out == len(encoded.data) and stats.chunks == len(encoded.chunks)
    assert stats.fragments == sum(t.count("moof") for t in chunk_types) >= 121 / 24 * 2
    assert stats.first_chunk_at is not None and stats.first_fragment_at is not None
    assert stats.last_frame_at is not None
    # Init and the first fragment were handed out while frames were still being fed.
    assert encoded.chunk_times[0] < encoded.write_done_at[-3]
    assert stats.first_fragment_at < encoded.write_done_at[-3]
    assert stats.first_fragment_latency_s is not None and stats.drain_s is not None


@pytest.mark.parametrize(
    ("profile", "width", "height"),
    [("baseline", 768, 512), ("main", 320, 240), ("high", 320, 240), ("baseline", 1920, 1080)],
)
def test_mime_matches_real_profile_and_level(tmp_path: Path, profile: str, width: int, height: int) -> None:
    settings = EncoderSettings(profile=profile)  # type: ignore[arg-type]
    encoded = encode(settings, width, height, 3)
    video = streams_by_type(ffprobe(write(tmp_path, encoded.data)))["video"]
    mime = encoded.stats.mime
    assert mime is not None and mime.startswith('video/mp4; codecs="avc1.') and mime.endswith(',mp4a.40.2"')
    avc = mime.split('"')[1].split(",")[0]
    assert int(avc[5:7], 16) == H264_PROFILE_IDC[str(video["profile"])]
    assert int(avc[9:11], 16) == int(str(video["level"]))


def test_missing_ffmpeg_binary() -> None:
    for path in ("/nonexistent/dir/ffmpeg", "dreamverse-no-such-ffmpeg"):
        with pytest.raises(FFmpegNotFound, match="DREAMVERSE_FFMPEG"):
            SegmentEncoder(
                EncoderSettings(ffmpeg_path=path), 64, 48, 24, SAMPLE_RATE, CHANNELS, lambda c: None
            )


def run_bounded(target: Callable[[], None], timeout_s: float = 20.0) -> BaseException | None:
    """Run `target` in a thread; fail the test if it hangs; return what it raised."""
    raised: list[BaseException] = []

    def wrapper() -> None:
        try:
            target()
        except BaseException as exc:
            raised.append(exc)

    thread = threading.Thread(target=wrapper, daemon=True)
    thread.start()
    thread.join(timeout_s)
    assert not thread.is_alive(), "encoder hung"
    return raised[0] if raised else None


def test_killed_ffmpeg_raises_encoder_failed() -> None:
    chunks: list[bytes] = []
    frames = make_frames(8, 240, 320)

    def scenario() -> None:
        with SegmentEncoder(EncoderSettings(), 320, 240, 24, SAMPLE_RATE, CHANNELS, chunks.append) as encoder:
            encoder.write_audio(make_tone(2400, 24))  # long audio: the audio thread is mid-write
            encoder.write_video(frames)
            os.kill(encoder.pid, signal.SIGKILL)
            for _ in range(200):
                encoder.write_video(frames)
            encoder.finish()

    error = run_bounded(scenario)
    assert isinstance(error, EncoderFailed)


def test_killed_ffmpeg_during_finish_raises() -> None:
    def scenario() -> None:
        encoder = SegmentEncoder(EncoderSettings(), 64, 48, 24, SAMPLE_RATE, CHANNELS, lambda c: None)
        encoder.write_audio(make_tone(4, 24))
        encoder.write_video(make_frames(4, 48, 64))
        os.kill(encoder.pid, signal.SIGKILL)
        time.sleep(0.1)
        encoder.finish()

    assert isinstance(run_bounded(scenario), EncoderFailed)


def test_failing_on_chunk_surfaces_as_encoder_failed() -> None:
    def on_chunk(chunk: bytes) -> None:
        raise ConnectionError("socket gone")

    def scenario() -> None:
        with SegmentEncoder(EncoderSettings(), 64, 48, 24, SAMPLE_RATE, CHANNELS, on_chunk) as encoder:
            encoder.write_audio(make_tone(48, 24))
            for start in range(0, 48, 4):
                encoder.write_video(make_frames(4, 48, 64, start))
            encoder.finish()

    error = run_bounded(scenario)
    assert isinstance(error, EncoderFailed) and isinstance(error.__cause__, ConnectionError)


def test_misuse_is_rejected() -> None:
    with SegmentEncoder(EncoderSettings(), 64, 48, 24, SAMPLE_RATE, CHANNELS, lambda c: None) as encoder:
        with pytest.raises(RuntimeError, match="write_audio"):
            encoder.write_video(make_frames(1, 48, 64))
        with pytest.raises(ValueError, match="audio"):
            encoder.write_audio(np.zeros((10, 3), np.float32))
        encoder.write_audio(make_tone(2, 24))
        with pytest.raises(ValueError, match="uint8"):
            encoder.write_video(np.zeros((1, 48, 64, 3), np.float32))
        with pytest.raises(ValueError, match="uint8"):
            encoder.write_video(np.zeros((1, 40, 64, 3), np.uint8))
    with pytest.raises(ValueError, match="even"):
        SegmentEncoder(EncoderSettings(), 63, 48, 24, SAMPLE_RATE, CHANNELS, lambda c: None)


def test_small_max_chunk_bytes_keeps_boxes_whole() -> None:
    encoded = encode(EncoderSettings(max_chunk_bytes=2048), 320, 240, 24)
    for chunk in encoded.chunks:
        boxes = list(iter_boxes(chunk))
        assert len(chunk) <= 2048 or len(boxes) == 1
    assert encoded.stats.frames == 24


def test_stalled_ffmpeg_times_out_instead_of_hanging() -> None:
    settings = EncoderSettings(write_timeout_s=0.5)

    def scenario() -> None:
        with SegmentEncoder(settings, 320, 240, 24, SAMPLE_RATE, CHANNELS, lambda c: None) as encoder:
            encoder.write_audio(make_tone(48, 24))
            os.kill(encoder.pid, signal.SIGSTOP)  # alive but reading nothing; abort() kills it
            for start in range(0, 48, 8):
                encoder.write_video(make_frames(8, 240, 320, start))

    started = time.monotonic()
    error = run_bounded(scenario)
    assert isinstance(error, EncoderFailed) and "accepted no input" in str(error.__cause__)
    assert time.monotonic() - started < 10
