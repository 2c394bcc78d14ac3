/**
 * Serialises operations on one SourceBuffer (it accepts one at a time) and recovers from a full
 * buffer: on `QuotaExceededError` it evicts played media behind the playhead and retries; when
 * nothing can be evicted it drops the rest of that segment (the next segment has its own init).
 */
import type { SourceBufferLike } from "./types";
import { bufferedEnd, bufferedStart } from "./types";

export type AppendOp =
  | { kind: "append"; bytes: ArrayBuffer; seq: number }
  | { kind: "remove"; start: number; end: number }
  | { kind: "abort" }
  | { kind: "changeType"; mime: string }
  | { kind: "run"; fn: () => void }
  /** Drop the media from `from()` (read when the op runs) on, and append the next media there. */
  | { kind: "rewind"; from: () => number };

export interface AppendQueueOptions {
  /** Current playhead, for eviction. */
  currentTime: () => number;
  /** Seconds of played media kept when evicting under quota pressure. */
  keepBehindS?: number;
  onError?: (message: string) => void;
}

export class AppendQueue {
  private readonly ops: AppendOp[] = [];
  private droppedSeq: number | null = null;
  private retryingQuota = false;
  private isDisposed = false;
  private readonly onUpdateEnd = (): void => this.drain();

  constructor(
    private readonly sb: SourceBufferLike,
    private readonly opts: AppendQueueOptions,
  ) {
    sb.addEventListener("updateend", this.onUpdateEnd);
  }

  get pending(): number {
    return this.ops.length;
  }

  get isIdle(): boolean {
    return this.ops.length === 0 && !this.sb.updating;
  }

  push(op: AppendOp): void {
    if (this.isDisposed) return;
    this.ops.push(op);
    this.drain();
  }

  /** Drop queued ops (used when the pipeline resets). */
  clear(): void {
    this.ops.length = 0;
  }

  dispose(): void {
    this.isDisposed = true;
    this.ops.length = 0;
    this.sb.removeEventListener("updateend", this.onUpdateEnd);
  }

  private drain(): void {
    while (!this.isDisposed && !this.sb.updating) {
      const op = this.ops[0];
      if (!op) return;
      if (op.kind === "append" && op.seq === this.droppedSeq) {
        this.ops.shift();
        continue;
      }
      const isAsync = this.execute(op);
      if (isAsync === "retry") return;
      this.ops.shift();
      if (isAsync) return;
    }
  }

  /** Run one op; true when it started an async update, "retry" when it must run again later. */
  private execute(op: AppendOp): boolean | "retry" {
    try {
      switch (op.kind) {
        case "append":
          this.sb.appendBuffer(op.bytes);
          this.retryingQuota = false;
          return true;
        case "remove":
          if (op.end <= op.start) return false;
          this.sb.remove(op.start, op.end);
          return true;
        case "abort":
          this.sb.abort();
          return false;
        case "changeType":
          this.sb.changeType?.(op.mime);
          return false;
        case "run":
          op.fn();
          return false;
        case "rewind":
          return this.rewind(op.from());
      }
    } catch (exc) {
      return this.handleFailure(op, exc);
    }
  }

  private rewind(from: number): boolean {
    if (from < 0) return false;
    this.sb.timestampOffset = from; // sequence mode: the next media starts here
    const end = bufferedEnd(this.sb.buffered);
    if (end <= from) return false;
    this.sb.remove(from, end);
    return true;
  }

  private handleFailure(op: AppendOp, exc: unknown): boolean | "retry" {
    const name = exc instanceof Error || exc instanceof DOMException ? exc.name : "";
    if (op.kind === "append" && name === "QuotaExceededError" && !this.retryingQuota) {
      const keep = this.opts.keepBehindS ?? 4;
      const start = bufferedStart(this.sb.buffered);
      const end = this.opts.currentTime() - keep;
      this.retryingQuota = true;
      if (end > start) {
        this.sb.remove(start, end);
        return "retry"; // updateend drains again and retries this append
      }
    }
    if (op.kind === "append") {
      this.retryingQuota = false;
      this.droppedSeq = op.seq;
      this.opts.onError?.(`dropped the rest of segment ${op.seq}: ${String(exc)}`);
      return false;
    }
    this.opts.onError?.(`${op.kind} failed: ${String(exc)}`);
    return false;
  }
}
