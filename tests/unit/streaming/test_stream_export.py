import tempfile
from pathlib import Path

import pytest
from streaming_helpers import encode

from dreamverse.streaming import EncoderSettings, ExportFailed, concat_segments
from dreamverse.streaming.boxes import iter_boxes
from dreamverse.streaming.export import SegmentSpool
from tests.support.media import ffprobe


@pytest.fixture(scope="module")
def three_segments() -> list[bytes]:
    settings = EncoderSettings()
    return [encode(settings, 160, 96, frames).data for frames in (25, 16, 16)]


def test_concat_three_segments(three_segments: list[bytes], tmp_path: Path) -> None:
    exported = concat_segments(b"".join(three_segments), EncoderSettings())
    path = tmp_path / "export.mp4"
    path.write_bytes(exported)
    probed = ffprobe(path)
    streams = {s["codec_type"]: s for s in probed["streams"]}  # type: ignore[attr-defined]
    assert streams["video"]["codec_name"] == "h264" and streams["audio"]["codec_name"] == "aac"
    assert int(streams["video"]["nb_read_frames"]) == 25 + 16 + 16
    top_level = [box.type for box in iter_boxes(exported)]
    assert top_level.index("moov") < top_level.index("mdat")  # faststart
    assert "moof" not in top_level  # progressive, not fragmented


def test_concat_leaves_no_temporary_files(
    three_segments: list[bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    concat_segments(three_segments[0], EncoderSettings())
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("cut", [1, 7, 4096, 1 << 20])
def test_spool_writes_one_file_per_segment_whatever_the_cut(
    three_segments: list[bytes], tmp_path: Path, cut: int
) -> None:
    data = b"".join(three_segments)
    spool = SegmentSpool(str(tmp_path), max_input_bytes=len(data))
    for start in range(0, len(data), cut):
        spool.feed(data[start : start + cut])
    paths = spool.finish()
    assert [Path(p).read_bytes() for p in paths] == three_segments


def test_spool_refuses_a_truncated_upload(three_segments: list[bytes], tmp_path: Path) -> None:
    spool = SegmentSpool(str(tmp_path), max_input_bytes=1 << 30)
    spool.feed(three_segments[0][:-1])
    with pytest.raises(ExportFailed, match="truncated"):
        spool.finish()
    spool.close()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "no bytes"),
        (b"this is not an mp4 file at all", "not a sequence of MP4 boxes"),
        (b"\x00\x00\x00\x08free", "must start with an ftyp"),
        (b"\x00\x00\x00\x0cftypisom", "no moov"),
    ],
)
def test_bad_input_is_rejected(data: bytes, message: str) -> None:
    with pytest.raises(ExportFailed, match=message):
        concat_segments(data, EncoderSettings())


def test_limits(three_segments: list[bytes]) -> None:
    data = b"".join(three_segments)
    with pytest.raises(ExportFailed, match="input too large"):
        concat_segments(data, EncoderSettings(), max_input_bytes=len(data) - 1)
    with pytest.raises(ExportFailed, match="too many segments"):
        concat_segments(data, EncoderSettings(), max_segments=2)
    with pytest.raises(ExportFailed, match="exported MP4 too large"):
        concat_segments(data, EncoderSettings(), max_output_bytes=100)
