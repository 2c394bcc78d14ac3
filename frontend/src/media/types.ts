/**
 * The slices of the Media Source Extensions and `<video>` APIs that the pipeline uses, so that unit
 * tests can drive it with fakes.
 */

export interface RangesLike {
  readonly length: number;
  start(index: number): number;
  end(index: number): number;
}

export interface SourceBufferLike extends EventTarget {
  mode: AppendMode;
  readonly updating: boolean;
  readonly buffered: RangesLike;
  timestampOffset: number;
  appendBuffer(data: ArrayBuffer | ArrayBufferView): void;
  remove(start: number, end: number): void;
  abort(): void;
  changeType?(type: string): void;
}

export interface MediaSourceLike extends EventTarget {
  readonly readyState: "closed" | "open" | "ended";
  duration: number;
  addSourceBuffer(type: string): SourceBufferLike;
  endOfStream(): void;
}

export interface VideoLike extends EventTarget {
  currentTime: number;
  playbackRate: number;
  muted: boolean;
  readonly paused: boolean;
  readonly ended: boolean;
  readonly readyState: number;
  readonly buffered: RangesLike;
  play(): Promise<void>;
  pause(): void;
}

export interface MediaEnv {
  /** A fresh (Managed)MediaSource; `isManaged` for ManagedMediaSource. */
  createSource(): { source: MediaSourceLike; isManaged: boolean };
  isTypeSupported(mime: string): boolean;
  /** Attach the source to the element; returns a detach function. */
  attach(video: VideoLike, source: MediaSourceLike, isManaged: boolean): () => void;
}

/** Where in a ranges list `t` lies: index of the containing range, or -1. */
export function rangeIndexAt(ranges: RangesLike, t: number, tolerance = 0.1): number {
  for (let i = 0; i < ranges.length; i += 1) {
    if (t >= ranges.start(i) - tolerance && t <= ranges.end(i) + tolerance) return i;
  }
  return -1;
}

export function bufferedEnd(ranges: RangesLike): number {
  return ranges.length > 0 ? ranges.end(ranges.length - 1) : 0;
}

export function bufferedStart(ranges: RangesLike): number {
  return ranges.length > 0 ? ranges.start(0) : 0;
}

/** Seconds buffered ahead of `t` in the range containing it (0 when `t` is in a gap). */
export function bufferedAhead(ranges: RangesLike, t: number): number {
  const i = rangeIndexAt(ranges, t);
  return i < 0 ? 0 : Math.max(0, ranges.end(i) - t);
}
