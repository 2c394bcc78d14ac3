"""A procedural generator (numpy only) that behaves like the real one, for the mock server, tests and benches.

The prompt (and the stream seed) picks a "look": a palette, a travelling wave, a few soft blobs and a chord.
Each segment eases from the look in effect at the end of the previous segment to its own target look, and
all motion is phase-integrated, so segment N+1's first frame continues segment N's last one. The motion
state lives in `StreamState.carry["synthetic"]`.

Rendering is vectorized: the background wave is built from outer products of 1-D sines, the blobs are
drawn inside their bounding boxes only, so a 768x512 frame costs a few milliseconds on one core.
"""

from __future__ import annotations

import hashlib
import io
import logging
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace

import numpy as np

from dreamverse.generator.base import (
    AudioTrack,
    Geometry,
    SegmentPart,
    SegmentRequest,
    StageTimings,
    StreamState,
    VideoFrames,
    VideoGenerator,
)
from dreamverse.generator.errors import ConditioningError, GeneratorError
from dreamverse.generator.spec import GeneratorSpec, first_segment_frames

logger = logging.getLogger(__name__)

OVERLAP_FRAMES = 9
AUDIO_SAMPLE_RATE = 24000
AUDIO_CHANNELS = 2
CHUNK_FRAMES = 8
NUM_BLOBS = 5
_CARRY_KEY = "synthetic"
_PENTATONIC = np.array([0, 2, 4, 7, 9, 12, 14, 16, 19, 21], dtype=np.float64)


class SyntheticFault(GeneratorError):
    """Raised on purpose (`synthetic_fail_prompt`) so clients and tests can drill a generator failure."""

    code = "synthetic_fault"


@dataclass(frozen=True, slots=True)
class Look:
    """Everything a prompt decides; all fields are arrays so two looks can be blended."""

    colors: np.ndarray  # (3, 3) RGB 0..255: top, bottom, wave crest
    wave: np.ndarray  # (3,) spatial frequency x, y (rad/px), speed (rad/frame)
    blob_colors: np.ndarray  # (NUM_BLOBS, 3)
    blob_radius: np.ndarray  # (NUM_BLOBS,) fraction of the shorter side
    blob_speed: np.ndarray  # (NUM_BLOBS, 2) rad/frame of the x and y oscillators
    chord_hz: np.ndarray  # (3,)

    def blend(self, other: Look, alpha: float) -> Look:
        def mix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            mixed: np.ndarray = (a + (b - a) * alpha).astype(a.dtype)
            return mixed

        return Look(
            colors=mix(self.colors, other.colors),
            wave=mix(self.wave, other.wave),
            blob_colors=mix(self.blob_colors, other.blob_colors),
            blob_radius=mix(self.blob_radius, other.blob_radius),
            blob_speed=mix(self.blob_speed, other.blob_speed),
            chord_hz=mix(self.chord_hz, other.chord_hz),
        )


@dataclass(slots=True)
class Motion:
    """Carry-over between segments: the look in effect and every integrated phase."""

    look: Look
    wave_phase: float = 0.0
    blob_phase: np.ndarray | None = None  # (NUM_BLOBS, 2)
    voice_phase: np.ndarray | None = None  # (3,) radians
    frames_played: int = 0
    samples_played: int = 0


def _rng(*parts: object) -> np.random.Generator:
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8", "replace")).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def _hsv_to_rgb(hue: np.ndarray, sat: np.ndarray, val: np.ndarray) -> np.ndarray:
    """Vectorized HSV (0..1) → RGB 0..255, shape (..., 3)."""
    k = (np.stack([5.0, 3.0, 1.0]) + hue[..., None] * 6.0) % 6.0
    rgb = val[..., None] - val[..., None] * sat[..., None] * np.clip(np.minimum(k, 4.0 - k), 0.0, 1.0)
    scaled: np.ndarray = (rgb * 255.0).astype(np.float32)
    return scaled


def look_for(seed: int, prompt: str, segment_idx: int, image_digest: str = "") -> Look:
    """The target look of one segment: the prompt fixes the family, the segment index varies it."""
    base = _rng("look", seed, prompt.strip().lower(), image_digest)
    var = _rng("segment", seed, prompt, segment_idx)
    hue = (base.random() + 0.12 * var.standard_normal()) % 1.0
    hues = (hue + np.array([0.0, base.uniform(0.15, 0.5), base.uniform(0.5, 0.85)])) % 1.0
    values = np.sort(base.uniform(0.15, 1.0, 3))[base.permutation(3)]
    colors = _hsv_to_rgb(hues, base.uniform(0.35, 0.9, 3), values)
    blob_hues = (hue + base.uniform(0.2, 0.8, NUM_BLOBS) + 0.1 * var.standard_normal(NUM_BLOBS)) % 1.0
    blob_colors = _hsv_to_rgb(blob_hues, np.full(NUM_BLOBS, 0.75), np.full(NUM_BLOBS, 0.95))
    wave = np.array(
        [
            base.uniform(0.004, 0.02),
            base.uniform(0.004, 0.02),
            base.uniform(0.03, 0.09) * var.uniform(0.7, 1.3),
        ],
        dtype=np.float64,
    )
    root_hz = 110.0 * 2 ** (base.integers(0, 12) / 12)
    steps = np.sort(var.choice(_PENTATONIC, size=3, replace=False))
    return Look(
        colors=colors,
        wave=wave,
        blob_colors=blob_colors,
        blob_radius=(base.uniform(0.08, 0.2, NUM_BLOBS) * var.uniform(0.7, 1.4, NUM_BLOBS)).astype(
            np.float32
        ),
        blob_speed=base.uniform(0.01, 0.05, (NUM_BLOBS, 2)) * var.uniform(0.7, 1.4, (NUM_BLOBS, 2)),
        chord_hz=root_hz * 2 ** (steps / 12),
    )


def _smoothstep(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    smooth: np.ndarray = x * x * (3.0 - 2.0 * x)
    return smooth


class FrameRenderer:
    """Draws frames for one geometry; grids are precomputed once."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self._xs = np.arange(width, dtype=np.float32)
        self._ys = np.arange(height, dtype=np.float32)
        self._v = (self._ys / max(height - 1, 1))[:, None]  # (H, 1) vertical ramp
        self._canvas = np.empty((3, height, width), dtype=np.float32)

    def render(self, look: Look, wave_phase: float, blob_phase: np.ndarray, out: np.ndarray) -> None:
        """Draw one frame into `out` (uint8, (H, W, 3)). Works on colour planes, then interleaves once."""
        canvas = self._canvas  # (3, H, W)
        top, bottom, crest = look.colors[0], look.colors[1], look.colors[2]
        base = top + (bottom - top) * self._v  # (H, 3)
        fx, fy, _ = look.wave
        phase_x = self._xs * np.float32(fx) + np.float32(wave_phase)
        phase_y = self._ys * np.float32(fy)
        wave = np.outer(np.cos(phase_y), np.sin(phase_x))
        wave += np.outer(np.sin(phase_y), np.cos(phase_x))
        wave *= np.float32(0.3)
        wave += np.float32(0.3)  # 0..0.6 of the way from the gradient to the crest colour
        for channel in range(3):
            plane = canvas[channel]
            np.multiply(wave, (crest[channel] - base[:, channel])[:, None], out=plane)
            plane += base[:, channel, None]
        for index in range(NUM_BLOBS):
            self._draw_blob(canvas, look, blob_phase[index], index)
        np.copyto(out, canvas.transpose(1, 2, 0), casting="unsafe")

    def _draw_blob(self, canvas: np.ndarray, look: Look, phase: np.ndarray, index: int) -> None:
        radius = float(look.blob_radius[index]) * min(self.width, self.height)
        cx = self.width * (0.5 + 0.4 * float(np.sin(phase[0])))
        cy = self.height * (0.5 + 0.4 * float(np.sin(phase[1])))
        x0, x1 = max(int(cx - radius), 0), min(int(cx + radius) + 1, self.width)
        y0, y1 = max(int(cy - radius), 0), min(int(cy + radius) + 1, self.height)
        if x0 >= x1 or y0 >= y1:
            return
        dx2 = (self._xs[x0:x1] - np.float32(cx)) ** 2
        dy2 = (self._ys[y0:y1] - np.float32(cy)) ** 2
        r2 = np.float32(radius * radius)
        mask = np.clip((r2 - (dy2[:, None] + dx2[None, :])) / (np.float32(0.6) * r2), 0.0, 0.85)
        for channel in range(3):
            region = canvas[channel, y0:y1, x0:x1]
            region += mask * (look.blob_colors[index, channel] - region)


def render_audio(start: Look, target: Look, motion: Motion, samples: int) -> tuple[np.ndarray, np.ndarray]:
    """(audio (samples, 2) float32, voice phases after it): the chord glides from `start` to `target`."""
    ease = _smoothstep((np.arange(samples, dtype=np.float64) + 1) / max(samples, 1))[:, None]
    freqs = start.chord_hz[None, :] + (target.chord_hz - start.chord_hz)[None, :] * ease  # (n, 3)
    phase0 = motion.voice_phase if motion.voice_phase is not None else np.zeros(3)
    phases = phase0[None, :] + np.cumsum(2 * np.pi * freqs / AUDIO_SAMPLE_RATE, axis=0)
    t = (motion.samples_played + np.arange(samples, dtype=np.float64)) / AUDIO_SAMPLE_RATE
    tremolo = 0.75 + 0.25 * np.sin(2 * np.pi * 0.5 * t)
    voices = np.sin(phases) * (0.12 * tremolo)[:, None]
    pan = np.array([[0.8, 0.5, 0.2], [0.2, 0.5, 0.8]])  # (2 channels, 3 voices)
    audio = voices @ pan.T
    end_phase = (phases[-1] if samples else phase0) % (2 * np.pi)
    return audio.astype(np.float32), end_phase


class SyntheticGenerator(VideoGenerator):
    """Procedural stand-in for LTX-2: same interface, geometry and continuation rules, no model."""

    name = "synthetic"

    def __init__(self, spec: GeneratorSpec) -> None:
        if spec.num_frames <= OVERLAP_FRAMES:
            raise ValueError(
                f"num_frames must exceed the {OVERLAP_FRAMES}-frame overlap, got {spec.num_frames}"
            )
        if spec.width <= 0 or spec.height <= 0 or spec.fps <= 0:
            raise ValueError(f"bad geometry {spec.width}x{spec.height} @ {spec.fps} fps")
        self._geometry = Geometry(
            width=spec.width,
            height=spec.height,
            fps=spec.fps,
            num_frames=spec.num_frames,
            overlap_frames=OVERLAP_FRAMES,
            audio_sample_rate=AUDIO_SAMPLE_RATE,
            audio_channels=AUDIO_CHANNELS,
            first_segment_frames=first_segment_frames(spec, spec.num_frames, OVERLAP_FRAMES),
        )
        self._latency_s = max(spec.synthetic_latency_ms, 0) / 1000.0
        self._fail_prompt = spec.synthetic_fail_prompt
        self._renderer = FrameRenderer(spec.width, spec.height)
        self._timings: dict[str, float] = {}

    @property
    def geometry(self) -> Geometry:
        return self._geometry

    def last_timings(self) -> StageTimings:
        return StageTimings(seconds=dict(self._timings))

    def render_segment(self, state: StreamState, request: SegmentRequest) -> Iterator[SegmentPart]:
        """Yield the segment's audio, then frames in chunks of `CHUNK_FRAMES`; update `state.carry`."""
        started = time.perf_counter()
        image_digest = hashlib.sha256(request.initial_image).hexdigest() if request.initial_image else ""
        target = look_for(state.seed, request.prompt, request.segment_idx, image_digest)
        motion = _carried_motion(state, request.segment_idx, target)
        start_look = motion.look
        geometry = self._geometry
        audio, voice_phase = render_audio(
            start_look, target, motion, geometry.audio_samples_for(request.segment_idx)
        )
        yield AudioTrack(samples=audio, sample_rate=AUDIO_SAMPLE_RATE)
        slept = 0.0
        num_frames = geometry.frames_for(request.segment_idx)
        for first in range(0, num_frames, CHUNK_FRAMES):
            count = min(CHUNK_FRAMES, num_frames - first)
            frames = self._render_chunk(motion, start_look, target, first, count, num_frames)
            if self._latency_s:
                pause = self._latency_s * count / num_frames
                time.sleep(pause)
                slept += pause
            yield VideoFrames(frames=frames)
            if self._fail_prompt and self._fail_prompt in request.prompt:
                raise SyntheticFault(f"segment {request.segment_idx}: the prompt asks for a failure")
        motion.voice_phase = voice_phase
        motion.samples_played += audio.shape[0]
        state.carry[_CARRY_KEY] = motion
        state.segments_rendered += 1
        total = time.perf_counter() - started
        self._timings = {"render": total - slept, "synthetic_latency": slept}

    def save_state(self, state: StreamState) -> bytes:
        motion = state.carry.get(_CARRY_KEY)
        if not isinstance(motion, Motion) or motion.blob_phase is None or motion.voice_phase is None:
            raise ConditioningError("the stream has rendered no segment yet: there is no state to save")
        return save_motion(state, motion)

    def load_state(self, data: bytes) -> StreamState:
        return load_motion(data)

    def _render_chunk(
        self, motion: Motion, start: Look, target: Look, first: int, count: int, total: int
    ) -> np.ndarray:
        """Render frames first..first+count of the segment, advancing `motion` frame by frame."""
        assert motion.blob_phase is not None
        frames = np.empty((count, self._geometry.height, self._geometry.width, 3), dtype=np.uint8)
        ease = _smoothstep((np.arange(first, first + count, dtype=np.float64) + 1) / total)
        for offset in range(count):
            look = start.blend(target, float(ease[offset]))
            motion.wave_phase = (motion.wave_phase + float(look.wave[2])) % (2 * np.pi)
            motion.blob_phase = (motion.blob_phase + look.blob_speed) % (2 * np.pi)
            self._renderer.render(look, motion.wave_phase, motion.blob_phase, frames[offset])
            motion.look = look
            motion.frames_played += 1
        return frames


def _carried_motion(state: StreamState, segment_idx: int, target: Look) -> Motion:
    """The motion to continue from: the carry of the previous segment, or a fresh start at `target`."""
    carried = state.carry.get(_CARRY_KEY)
    if segment_idx > 0 and isinstance(carried, Motion):
        return replace(
            carried,
            blob_phase=None if carried.blob_phase is None else carried.blob_phase.copy(),
            voice_phase=None if carried.voice_phase is None else carried.voice_phase.copy(),
        )
    if segment_idx > 0:
        logger.warning("segment %d requested without carry-over; starting fresh", segment_idx)
    rng = _rng("phase", state.seed)
    return Motion(look=target, blob_phase=rng.uniform(0, 2 * np.pi, (NUM_BLOBS, 2)), voice_phase=np.zeros(3))


_LOOK_FIELDS = tuple(f.name for f in fields(Look))


def save_motion(state: StreamState, motion: Motion) -> bytes:
    """The stream's motion as an `.npz` (arrays only, no pickle): every value round-trips exactly."""
    arrays: dict[str, np.ndarray] = {f"look_{name}": getattr(motion.look, name) for name in _LOOK_FIELDS}
    arrays |= {
        "blob_phase": np.asarray(motion.blob_phase),
        "voice_phase": np.asarray(motion.voice_phase),
        "scalars_f": np.array([motion.wave_phase], dtype=np.float64),
        "scalars_i": np.array(
            [state.seed, state.segments_rendered, motion.frames_played, motion.samples_played], dtype=np.int64
        ),
    }
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # type: ignore[arg-type]
    return buffer.getvalue()


def load_motion(data: bytes) -> StreamState:
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
        look = Look(**{name: arrays[f"look_{name}"] for name in _LOOK_FIELDS})
        wave_phase = float(arrays["scalars_f"][0])
        seed, rendered, frames_played, samples_played = (int(v) for v in arrays["scalars_i"])
        blob_phase, voice_phase = arrays["blob_phase"], arrays["voice_phase"]
    except (OSError, ValueError, KeyError, IndexError, zipfile.BadZipFile) as exc:
        raise ConditioningError(f"not a saved synthetic continuation state: {exc}") from exc
    if blob_phase.shape != (NUM_BLOBS, 2) or voice_phase.shape != (3,):
        raise ConditioningError("not a saved synthetic continuation state: wrong phase shapes")
    motion = Motion(look, wave_phase, blob_phase, voice_phase, frames_played, samples_played)
    return StreamState(seed=seed, segments_rendered=rendered, carry={_CARRY_KEY: motion})
