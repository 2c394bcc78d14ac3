import { beforeEach, describe, expect, it, vi } from "vitest";
import { Connection, type ConnectionOptions, type ResumeCredentials } from "../../src/net/connection";
import type { ServerEvent } from "../../src/protocol/events";
import { MessageTooLargeError } from "../../src/protocol/messages";
import { FakeSocket, READY } from "./fakes";

interface Harness {
  conn: Connection;
  events: ServerEvent[];
  binary: number[];
  statuses: string[];
  lost: string[];
  creds: { value: ResumeCredentials | null };
  timers: Array<{ fn: () => void; ms: number }>;
  runTimers(): void;
}

function harness(over: Partial<ConnectionOptions> = {}): Harness {
  const h: Harness = {
    events: [],
    binary: [],
    statuses: [],
    lost: [],
    creds: { value: { sessionId: "s1", resumeToken: "t1" } },
    timers: [],
    runTimers() {
      const due = h.timers.splice(0);
      for (const t of due) t.fn();
    },
    conn: null as unknown as Connection,
  };
  h.conn = new Connection({
    url: "ws://x/ws",
    createSocket: (url) => new FakeSocket(url),
    onEvent: (e) => h.events.push(e),
    onBinary: (b) => h.binary.push(b.byteLength),
    onStatus: (s, a) => h.statuses.push(a ? `${s}:${a}` : s),
    resumeCredentials: () => h.creds.value,
    onLost: (r) => h.lost.push(r),
    maxMessageBytes: () => 10_000,
    setTimer: (fn, ms) => h.timers.push({ fn, ms }),
    clearTimer: (id) => {
      const t = h.timers[id - 1];
      if (t) t.fn = () => undefined;
    },
    ...over,
  });
  return h;
}

beforeEach(() => {
  FakeSocket.all = [];
});

describe("Connection.start", () => {
  it("sends the init message as soon as the socket opens", () => {
    const h = harness();
    h.conn.start({ type: "leave" });
    const sock = FakeSocket.latest();
    expect(sock.binaryType).toBe("arraybuffer");
    expect(sock.sent).toEqual([]);
    sock.open();
    expect(sock.types()).toEqual(["leave"]);
    sock.serverSend(READY);
    expect(h.events).toEqual([expect.objectContaining({ type: "session_ready", sessionId: "s1" })]);
    expect(h.statuses).toEqual(["connecting", "open"]);
    expect(h.conn.isOpen).toBe(true);
  });

  it("holds messages sent before the socket opens", () => {
    const h = harness();
    h.conn.start({ type: "leave" });
    h.conn.send({ type: "set_loop_generation", enabled: true });
    FakeSocket.latest().open();
    expect(FakeSocket.latest().types()).toEqual(["leave", "set_loop_generation"]);
  });

  it("delivers binary frames and ignores malformed text", () => {
    const h = harness();
    h.conn.start({ type: "leave" });
    const sock = FakeSocket.latest();
    sock.open();
    sock.serverSend(READY);
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    sock.onmessage?.(new MessageEvent("message", { data: "{broken" }));
    sock.serverBinary(64);
    expect(h.binary).toEqual([64]);
    expect(h.events.map((e) => e.type)).toEqual(["session_ready"]);
  });

  it("refuses to send a message larger than the limit", () => {
    const h = harness({ maxMessageBytes: () => 10 });
    h.conn.start({ type: "leave" });
    expect(() => FakeSocket.latest().open()).toThrow(MessageTooLargeError);
  });
});

describe("Connection resume", () => {
  function opened(): Harness {
    const h = harness();
    h.conn.start({ type: "leave" });
    FakeSocket.latest().open();
    FakeSocket.latest().serverSend(READY);
    return h;
  }

  it("reconnects after a drop and sends session_resume first, then held messages", () => {
    const h = opened();
    FakeSocket.latest().drop();
    expect(h.statuses.at(-1)).toBe("reconnecting:1");
    h.conn.send({ type: "append_prompt", prompt: "later", prompt_id: "p1" });
    h.runTimers();
    const second = FakeSocket.latest();
    expect(FakeSocket.all).toHaveLength(2);
    second.open();
    expect(second.sent).toEqual([{ type: "session_resume", session_id: "s1", resume_token: "t1" }]);
    second.serverSend({ ...READY, resume_token: "t2" });
    second.serverSend({
      type: "session_resumed",
      session_id: "s1",
      next_segment_idx: 2,
      total_segments: 6,
      prompts: [],
    });
    expect(second.types()).toEqual(["session_resume", "append_prompt"]);
    expect(h.statuses.at(-1)).toBe("open");
    expect(h.events.map((e) => e.type)).toEqual(["session_ready", "session_ready", "session_resumed"]);
  });

  it("uses the newest resume token", () => {
    const h = opened();
    FakeSocket.latest().drop();
    h.creds.value = { sessionId: "s1", resumeToken: "t9" };
    h.runTimers();
    FakeSocket.latest().open();
    expect(FakeSocket.latest().sent[0]).toMatchObject({ resume_token: "t9" });
  });

  it("backs off on repeated failures and gives up after the last delay", () => {
    const h = harness({ backoffMs: [10, 20] });
    h.conn.start({ type: "leave" });
    FakeSocket.latest().open();
    FakeSocket.latest().serverSend(READY);
    FakeSocket.latest().drop();
    expect(h.timers.map((t) => t.ms)).toEqual([10]);
    h.runTimers();
    FakeSocket.latest().drop();
    expect(h.timers.map((t) => t.ms)).toEqual([20]);
    h.runTimers();
    FakeSocket.latest().drop();
    expect(h.lost).toEqual(["could not reconnect"]);
    expect(h.statuses.at(-1)).toBe("closed");
  });

  it("does not reconnect when there is nothing to resume", () => {
    const h = opened();
    h.creds.value = null;
    FakeSocket.latest().drop(1000);
    expect(h.lost).toHaveLength(1);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it("close() is idempotent and never reconnects", () => {
    const h = opened();
    const sock = FakeSocket.latest();
    h.conn.close();
    h.conn.close();
    expect(sock.closedWith).toBe(1000);
    sock.drop();
    expect(FakeSocket.all).toHaveLength(1);
    expect(h.lost).toEqual([]);
    h.conn.send({ type: "leave" });
    expect(sock.types()).toEqual(["leave"]);
  });
});
