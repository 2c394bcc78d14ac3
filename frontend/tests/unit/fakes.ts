/** Fakes for unit tests: a MediaSource/SourceBuffer/video trio and a scriptable websocket. */

import type {
  MediaEnv,
  MediaSourceLike,
  RangesLike,
  SourceBufferLike,
  VideoLike,
} from "../../src/media/types";
import type { SocketLike } from "../../src/net/connection";

export class Ranges implements RangesLike {
  constructor(public spans: Array<[number, number]> = []) {}
  get length(): number {
    return this.spans.length;
  }
  start(i: number): number {
    return (this.spans[i] as [number, number])[0];
  }
  end(i: number): number {
    return (this.spans[i] as [number, number])[1];
  }
}

/** A SourceBuffer whose appends complete when `finish()` is called (or at once with `autoFinish`). */
export class FakeSourceBuffer extends EventTarget implements SourceBufferLike {
  mode: AppendMode = "segments";
  updating = false;
  buffered = new Ranges();
  timestampOffset = 0;
  appended: Array<{ bytes: number; at: number }> = [];
  log: string[] = [];
  quotaFailures = 0;
  /** Seconds of media each appended byte adds (for `buffered`). */
  secondsPerByte = 0.001;
  autoFinish = true;

  appendBuffer(data: ArrayBuffer | ArrayBufferView): void {
    if (this.updating) throw new DOMException("busy", "InvalidStateError");
    if (this.quotaFailures > 0) {
      this.quotaFailures -= 1;
      throw new DOMException("full", "QuotaExceededError");
    }
    const bytes = data.byteLength;
    this.log.push(`append:${bytes}`);
    this.appended.push({ bytes, at: this.end() });
    this.grow(bytes * this.secondsPerByte);
    this.begin();
  }

  remove(start: number, end: number): void {
    this.log.push(`remove:${start.toFixed(1)}-${end.toFixed(1)}`);
    this.buffered.spans = this.buffered.spans.flatMap(
      ([a, b]): Array<[number, number]> =>
        [[a, Math.min(b, start)] as [number, number], [Math.max(a, end), b] as [number, number]].filter(
          ([x, y]) => y > x,
        ),
    );
    this.begin();
  }

  abort(): void {
    this.log.push("abort");
  }

  changeType(type: string): void {
    this.log.push(`changeType:${type}`);
  }

  finish(): void {
    this.updating = false;
    this.dispatchEvent(new Event("updateend"));
  }

  private begin(): void {
    this.updating = true;
    if (this.autoFinish) queueMicrotask(() => this.finish());
  }

  private end(): number {
    const last = this.buffered.spans[this.buffered.spans.length - 1];
    return last ? last[1] : 0;
  }

  private grow(seconds: number): void {
    const last = this.buffered.spans[this.buffered.spans.length - 1];
    if (last) last[1] += seconds;
    else this.buffered.spans.push([0, seconds]);
  }
}

export class FakeMediaSource extends EventTarget implements MediaSourceLike {
  readyState: "closed" | "open" | "ended" = "closed";
  duration = Number.NaN;
  buffers: FakeSourceBuffer[] = [];
  types: string[] = [];
  ended = 0;
  addSourceBuffer(type: string): SourceBufferLike {
    this.types.push(type);
    const sb = new FakeSourceBuffer();
    this.buffers.push(sb);
    return sb;
  }
  endOfStream(): void {
    this.ended += 1;
    this.readyState = "ended";
  }
  open(): void {
    this.readyState = "open";
    this.dispatchEvent(new Event("sourceopen"));
  }
}

export class FakeVideo extends EventTarget implements VideoLike {
  currentTime = 0;
  playbackRate = 1;
  muted = false;
  paused = true;
  ended = false;
  readyState = 0;
  plays = 0;
  refuseSound = false;
  sourceBuffer: FakeSourceBuffer | null = null;
  get buffered(): RangesLike {
    return this.sourceBuffer?.buffered ?? new Ranges();
  }
  play(): Promise<void> {
    this.plays += 1;
    if (this.refuseSound && !this.muted)
      return Promise.reject(new DOMException("no gesture", "NotAllowedError"));
    this.paused = false;
    this.dispatchEvent(new Event("play"));
    return Promise.resolve();
  }
  pause(): void {
    this.paused = true;
    this.dispatchEvent(new Event("pause"));
  }
}

export interface FakeEnv extends MediaEnv {
  sources: FakeMediaSource[];
  supported: Set<string>;
  managed: boolean;
  attachedManaged: boolean[];
}

/** A MediaEnv over the fakes; sources open asynchronously (like the browser). */
export function fakeEnv(video: FakeVideo, supported: string[] = []): FakeEnv {
  const env: FakeEnv = {
    sources: [],
    supported: new Set(supported),
    managed: false,
    attachedManaged: [],
    createSource() {
      const source = new FakeMediaSource();
      env.sources.push(source);
      return { source, isManaged: env.managed };
    },
    isTypeSupported: (mime) => env.supported.size === 0 || env.supported.has(mime),
    attach(_video, source, isManaged) {
      env.attachedManaged.push(isManaged);
      const fake = source as FakeMediaSource;
      queueMicrotask(() => {
        fake.open();
        video.sourceBuffer = fake.buffers[0] ?? null;
      });
      return () => {
        video.sourceBuffer = null;
      };
    },
  };
  const original = env.createSource.bind(env);
  env.createSource = () => {
    const made = original();
    const src = made.source as FakeMediaSource;
    const add = src.addSourceBuffer.bind(src);
    src.addSourceBuffer = (type) => {
      const sb = add(type);
      video.sourceBuffer = sb as FakeSourceBuffer;
      return sb;
    };
    return made;
  };
  return env;
}

export async function flush(times = 5): Promise<void> {
  for (let i = 0; i < times; i += 1) await new Promise<void>((r) => setTimeout(r, 0));
}

/** A websocket driven by the test: `open()`, `serverSend()`, `drop()`. */
export class FakeSocket implements SocketLike {
  static all: FakeSocket[] = [];
  binaryType: BinaryType = "blob";
  readyState = 0;
  sent: Array<Record<string, unknown>> = [];
  onopen: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  closedWith: number | null = null;

  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  static latest(): FakeSocket {
    const s = FakeSocket.all[FakeSocket.all.length - 1];
    if (!s) throw new Error("no socket was created");
    return s;
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(code = 1000): void {
    this.closedWith = code;
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event("open"));
  }
  serverSend(event: Record<string, unknown>): void {
    this.onmessage?.(new MessageEvent("message", { data: JSON.stringify(event) }));
  }
  serverBinary(bytes: number): void {
    this.onmessage?.(new MessageEvent("message", { data: new ArrayBuffer(bytes) }));
  }
  drop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.(new CloseEvent("close", { code, reason: "" }));
  }
  types(): string[] {
    return this.sent.map((m) => String(m["type"]));
  }
}

export const READY = {
  type: "session_ready",
  protocol_version: 1,
  server_version: "0.1.0",
  capabilities: ["resume", "export"],
  session_id: "s1",
  resume_token: "t1",
  limits: { max_prompt_chars: 300, max_message_bytes: 65536, max_image_bytes: 1000 },
};
