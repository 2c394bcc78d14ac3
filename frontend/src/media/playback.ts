/**
 * Playback policy for the live element, run on a fixed tick:
 * - start once enough is buffered (or a whole segment is in), unmuted if the browser allows;
 * - jump over gaps, and nudge the playhead when it is stuck with media ahead (stall recovery);
 * - stay near the live edge: speed up slightly when behind, seek when far behind;
 * - trim played media; report which segment is on screen.
 * A pause by the person is respected: nothing here calls `play()` until they play again.
 */
import type { MediaPipeline } from "./pipeline";
import { bufferedAhead, bufferedEnd, rangeIndexAt, type VideoLike } from "./types";

export interface PlaybackPolicy {
  startAheadS: number;
  stallAfterMs: number;
  catchUpLagS: number;
  catchUpRate: number;
  seekLagS: number;
  targetLagS: number;
}

export const DEFAULT_POLICY: PlaybackPolicy = {
  startAheadS: 1.0,
  stallAfterMs: 1500,
  catchUpLagS: 12,
  catchUpRate: 1.1,
  seekLagS: 30,
  targetLagS: 4,
};

export interface PlaybackEvents {
  onSegment?: (seq: number | null) => void;
  onMutedAutoplay?: () => void;
  onStall?: (recovered: boolean) => void;
}

export class PlaybackController {
  private started = false;
  private userPaused = false;
  private lastTime = -1;
  private stuckSinceMs: number | null = null;
  private lastSeq: number | null = null;
  private playing: Promise<void> | null = null;
  private jumpSeq: number | null = null;
  private readonly policy: PlaybackPolicy;
  private readonly onPause = (): void => {
    if (!this.video.ended && this.started && this.playing === null) this.userPaused = true;
  };
  private readonly onPlay = (): void => {
    this.userPaused = false;
  };

  constructor(
    private readonly video: VideoLike,
    private readonly pipeline: MediaPipeline,
    private readonly events: PlaybackEvents = {},
    policy: Partial<PlaybackPolicy> = {},
  ) {
    this.policy = { ...DEFAULT_POLICY, ...policy };
    video.addEventListener("pause", this.onPause);
    video.addEventListener("play", this.onPlay);
  }

  get isUserPaused(): boolean {
    return this.userPaused;
  }

  dispose(): void {
    this.video.removeEventListener("pause", this.onPause);
    this.video.removeEventListener("play", this.onPlay);
  }

  /** Forget the previous stream (new MediaSource); keeps the person's pause choice. */
  restart(): void {
    this.started = false;
    this.lastTime = -1;
    this.stuckSinceMs = null;
    this.lastSeq = null;
  }

  /** Skip ahead to where segment `seq` starts as soon as it is buffered (a steering change took effect). */
  jumpToSegment(seq: number): void {
    this.jumpSeq = seq;
  }

  setUserPaused(paused: boolean): void {
    this.userPaused = paused;
    if (paused) this.video.pause();
    else void this.tryPlay();
  }

  /** One step of the policy; call every ~250 ms and after each segment completes. */
  tick(nowMs: number): void {
    const v = this.video;
    const ranges = v.buffered;
    if (ranges.length === 0) return;
    this.skipGap();
    this.applyJump();
    const ahead = bufferedAhead(ranges, v.currentTime);
    const hasWholeSegment = this.pipeline.segments.some((s) => s.isComplete);
    if (!this.started && (ahead >= this.policy.startAheadS || hasWholeSegment)) {
      this.started = true;
      void this.tryPlay();
    } else if (this.started && v.paused && !this.userPaused && ahead > 0.3) {
      void this.tryPlay();
    }
    this.detectStall(nowMs, ahead);
    this.followLiveEdge();
    this.pipeline.trim(v.currentTime);
    this.reportSegment();
  }

  private skipGap(): void {
    const v = this.video;
    const ranges = v.buffered;
    if (rangeIndexAt(ranges, v.currentTime, 0.05) >= 0) return;
    for (let i = 0; i < ranges.length; i += 1) {
      const start = ranges.start(i);
      if (start > v.currentTime) {
        v.currentTime = start + 0.01;
        return;
      }
    }
  }

  private applyJump(): void {
    const mark = this.pipeline.segments.find((m) => m.seq === this.jumpSeq);
    if (!mark || mark.startS < 0) return;
    const v = this.video;
    if (bufferedAhead(v.buffered, mark.startS) < 0.2) return; // not playable there yet
    this.jumpSeq = null;
    if (v.currentTime < mark.startS) v.currentTime = mark.startS + 0.01;
  }

  private detectStall(nowMs: number, ahead: number): void {
    const v = this.video;
    const hasMore = ahead > 0.1 || this.nextRangeStart() !== null;
    const isStuck = this.started && !v.paused && v.currentTime === this.lastTime && hasMore;
    this.lastTime = v.currentTime;
    if (!isStuck) {
      this.stuckSinceMs = null;
      return;
    }
    this.stuckSinceMs ??= nowMs;
    if (nowMs - this.stuckSinceMs < this.policy.stallAfterMs) return;
    this.stuckSinceMs = null;
    // Stuck with media ahead (a damaged fragment, a decoder hiccup): step over it.
    const next = this.nextRangeStart();
    v.currentTime = ahead > 0.6 || next === null ? v.currentTime + 0.25 : next + 0.01;
    void this.tryPlay();
    this.events.onStall?.(true);
  }

  private nextRangeStart(): number | null {
    const v = this.video;
    const ranges = v.buffered;
    for (let i = 0; i < ranges.length; i += 1)
      if (ranges.start(i) > v.currentTime + 0.01) return ranges.start(i);
    return null;
  }

  private followLiveEdge(): void {
    const v = this.video;
    if (v.paused) return;
    const lag = bufferedEnd(v.buffered) - v.currentTime;
    if (lag > this.policy.seekLagS) {
      v.currentTime = bufferedEnd(v.buffered) - this.policy.targetLagS;
      v.playbackRate = 1;
    } else if (lag > this.policy.catchUpLagS) {
      if (v.playbackRate !== this.policy.catchUpRate) v.playbackRate = this.policy.catchUpRate;
    } else if (lag < this.policy.targetLagS + 1 && v.playbackRate !== 1) {
      v.playbackRate = 1;
    }
  }

  private reportSegment(): void {
    const seq = this.pipeline.segmentAt(this.video.currentTime);
    if (seq === this.lastSeq) return;
    this.lastSeq = seq;
    this.events.onSegment?.(seq);
  }

  private async tryPlay(): Promise<void> {
    if (this.playing || this.userPaused) return;
    const v = this.video;
    this.playing = v.play().catch(async (exc: unknown) => {
      if (!(exc instanceof Error) || exc.name !== "NotAllowedError" || v.muted) return;
      v.muted = true; // the browser refused sound without a gesture: play muted, offer unmute
      this.events.onMutedAutoplay?.();
      await v.play().catch(() => undefined);
    });
    try {
      await this.playing;
    } finally {
      this.playing = null;
    }
  }
}
