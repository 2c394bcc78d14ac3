/**
 * The live media pipeline: one (Managed)MediaSource with one muxed audio+video SourceBuffer in
 * `sequence` mode. Each server segment is a standalone fMP4 (own init segment, timestamps from 0);
 * appended back to back they play as one timeline. The pipeline records where each segment starts
 * on that timeline, trims played media, and leaves playback policy to `PlaybackController`.
 */
import { AppendQueue } from "./appendQueue";
import { pickMime } from "./env";
import type { MediaEnv, MediaSourceLike, SourceBufferLike, VideoLike } from "./types";
import { bufferedEnd, bufferedStart } from "./types";

export interface PipelineOptions {
  video: VideoLike;
  env: MediaEnv;
  /** Keep at most this many seconds behind the playhead (older media is removed). */
  backBufferS?: number;
  onError?: (message: string) => void;
}

export interface SegmentMark {
  seq: number;
  /** Where the segment starts on the media timeline (-1 until its first append is reached). */
  startS: number;
  /** `endSegment` was called (all its bytes were handed over). */
  isEnded: boolean;
  /** All its bytes went through the SourceBuffer. */
  isComplete: boolean;
}

export class MediaPipeline {
  private source: MediaSourceLike | null = null;
  private sb: SourceBufferLike | null = null;
  private queue: AppendQueue | null = null;
  private detach: (() => void) | null = null;
  private opening: Promise<void> | null = null;
  private mime: string | null = null;
  private currentSeq: number | null = null;
  private marks: SegmentMark[] = [];
  private isDestroyed = false;
  /** Ops issued before the SourceBuffer exists. */
  private early: Array<(q: AppendQueue) => void> = [];

  constructor(private readonly opts: PipelineOptions) {}

  get segments(): readonly SegmentMark[] {
    return this.marks;
  }

  get bufferedEndS(): number {
    return this.sb ? bufferedEnd(this.sb.buffered) : 0;
  }

  get hasMedia(): boolean {
    return this.marks.length > 0;
  }

  /** A new segment begins: `mime` is `media_init.mime`. */
  beginSegment(seq: number, mime: string): void {
    const previous = this.marks[this.marks.length - 1];
    const isIncomplete = previous !== undefined && !previous.isEnded;
    this.currentSeq = seq;
    const mark: SegmentMark = { seq, startS: -1, isEnded: false, isComplete: false };
    this.marks.push(mark);
    this.withQueue(mime, (q) => {
      if (isIncomplete) q.push({ kind: "abort" });
      if (this.mime !== null && mime !== "" && mime !== this.mime && this.sb?.changeType) {
        const chosen = pickMime(this.opts.env, mime);
        if (chosen) {
          q.push({ kind: "changeType", mime: chosen });
          this.mime = chosen;
        }
      }
      q.push({ kind: "run", fn: () => (mark.startS = this.sb ? bufferedEnd(this.sb.buffered) : 0) });
    });
  }

  appendChunk(bytes: ArrayBuffer): void {
    const seq = this.currentSeq;
    if (seq === null || bytes.byteLength === 0) return;
    this.withQueue(null, (q) => q.push({ kind: "append", bytes, seq }));
  }

  endSegment(seq: number): void {
    const mark = this.marks.find((m) => m.seq === seq);
    if (!mark) return;
    mark.isEnded = true;
    this.withQueue(null, (q) => q.push({ kind: "run", fn: () => (mark.isComplete = true) }));
  }

  /**
   * The segment `seq` was cut off and comes again from its start (`segment_restarted`): what was
   * appended of it is removed, so the new copy takes its place on the timeline instead of following it.
   */
  dropSegment(seq: number): void {
    const mark = this.marks.find((m) => m.seq === seq);
    if (!mark || mark.isEnded) return;
    this.marks = this.marks.filter((m) => m !== mark);
    if (this.currentSeq === seq) this.currentSeq = null;
    this.withQueue(null, (q) => {
      q.push({ kind: "abort" });
      q.push({ kind: "rewind", from: () => mark.startS });
    });
  }

  /** No more media will come (view mode): lets the element reach `ended`. */
  finish(): void {
    this.withQueue(null, (q) =>
      q.push({
        kind: "run",
        fn: () => {
          if (this.source?.readyState === "open") this.source.endOfStream();
        },
      }),
    );
  }

  /** The segment playing at `t` on the media timeline (null before the first). */
  segmentAt(t: number): number | null {
    let found: number | null = null;
    for (const m of this.marks) if (m.startS >= 0 && m.startS <= t + 0.05) found = m.seq;
    return found;
  }

  /** Remove media more than `backBufferS` behind the playhead; call when the queue is idle. */
  trim(currentTime: number): void {
    const keep = this.opts.backBufferS ?? 30;
    if (!this.sb || !this.queue?.isIdle) return;
    const start = bufferedStart(this.sb.buffered);
    if (currentTime - start > keep + 10) this.queue.push({ kind: "remove", start, end: currentTime - keep });
  }

  /** Drop everything and start a fresh MediaSource on the same element. */
  reset(): void {
    this.teardown();
    this.isDestroyed = false;
  }

  destroy(): void {
    this.teardown();
    this.isDestroyed = true;
  }

  private teardown(): void {
    this.queue?.dispose();
    this.detach?.();
    this.queue = null;
    this.sb = null;
    this.source = null;
    this.detach = null;
    this.opening = null;
    this.mime = null;
    this.currentSeq = null;
    this.marks = [];
    this.early = [];
  }

  private withQueue(mime: string | null, op: (q: AppendQueue) => void): void {
    if (this.isDestroyed) return;
    if (this.queue) {
      op(this.queue);
      return;
    }
    this.early.push(op);
    if (mime !== null && !this.opening) this.opening = this.open(mime);
  }

  private async open(mime: string): Promise<void> {
    const { env, video } = this.opts;
    const chosen = pickMime(env, mime);
    if (!chosen) {
      this.opts.onError?.(`this browser cannot play ${mime || "the stream's codecs"}`);
      return;
    }
    const { source, isManaged } = env.createSource();
    this.source = source;
    this.detach = env.attach(video, source, isManaged);
    if (source.readyState !== "open") {
      await new Promise<void>((resolve) =>
        source.addEventListener("sourceopen", () => resolve(), { once: true }),
      );
    }
    if (this.source !== source) return; // reset while opening
    const sb = source.addSourceBuffer(chosen);
    sb.mode = "sequence";
    this.sb = sb;
    this.mime = chosen;
    this.queue = new AppendQueue(sb, {
      currentTime: () => video.currentTime,
      ...(this.opts.onError ? { onError: this.opts.onError } : {}),
    });
    const early = this.early;
    this.early = [];
    for (const op of early) op(this.queue);
  }
}
