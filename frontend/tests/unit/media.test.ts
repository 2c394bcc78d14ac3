import { describe, expect, it, vi } from "vitest";
import { AppendQueue } from "../../src/media/appendQueue";
import { codecCandidates, pickMime } from "../../src/media/env";
import { MediaPipeline } from "../../src/media/pipeline";
import { PlaybackController } from "../../src/media/playback";
import { bufferedAhead, rangeIndexAt } from "../../src/media/types";
import { FakeSourceBuffer, FakeVideo, fakeEnv, flush, Ranges } from "./fakes";

const MIME = 'video/mp4; codecs="avc1.42C01E,mp4a.40.2"';

function setup(supported: string[] = []) {
  const video = new FakeVideo();
  const env = fakeEnv(video, supported);
  const errors: string[] = [];
  const pipeline = new MediaPipeline({ video, env, onError: (m) => errors.push(m) });
  return { video, env, pipeline, errors };
}

describe("codec choice", () => {
  it("tries the server's codec string first, then upstream's fallbacks", () => {
    expect(codecCandidates(MIME)[0]).toBe(MIME);
    expect(codecCandidates("")).not.toContain("");
    const { env } = setup(['video/mp4; codecs="avc1.42E01E,mp4a.40.2"']);
    expect(pickMime(env, MIME)).toBe('video/mp4; codecs="avc1.42E01E,mp4a.40.2"');
  });

  it("reports a stream the browser cannot play", async () => {
    const { pipeline, errors, env } = setup(["video/webm"]);
    pipeline.beginSegment(0, MIME);
    await flush();
    expect(env.sources).toHaveLength(0);
    expect(errors[0]).toMatch(/cannot play/);
  });
});

describe("MediaPipeline", () => {
  it("opens one MediaSource and appends every segment into one sequence-mode SourceBuffer", async () => {
    const { pipeline, env } = setup();
    pipeline.beginSegment(0, MIME);
    pipeline.appendChunk(new ArrayBuffer(1000));
    pipeline.appendChunk(new ArrayBuffer(1000));
    pipeline.endSegment(0);
    pipeline.beginSegment(1, MIME);
    pipeline.appendChunk(new ArrayBuffer(3000));
    pipeline.endSegment(1);
    await flush();
    expect(env.sources).toHaveLength(1);
    const source = env.sources[0];
    const sb = source?.buffers[0] as FakeSourceBuffer;
    expect(source?.types).toEqual([MIME]);
    expect(sb.mode).toBe("sequence");
    expect(sb.log).toEqual(["append:1000", "append:1000", "append:3000"]);
    expect(pipeline.segments.map((m) => [m.seq, m.startS, m.isComplete])).toEqual([
      [0, 0, true],
      [1, 2, true],
    ]);
    expect(pipeline.segmentAt(1.5)).toBe(0);
    expect(pipeline.segmentAt(2.5)).toBe(1);
    expect(pipeline.bufferedEndS).toBeCloseTo(5);
  });

  it("uses ManagedMediaSource when the environment has it", async () => {
    const { pipeline, env } = setup();
    env.managed = true;
    pipeline.beginSegment(0, MIME);
    await flush();
    expect(env.attachedManaged).toEqual([true]);
  });

  it("resets the parser when a segment was cut off (socket dropped mid-segment)", async () => {
    const { pipeline, env } = setup();
    pipeline.beginSegment(0, MIME);
    pipeline.appendChunk(new ArrayBuffer(500));
    pipeline.beginSegment(1, MIME);
    pipeline.appendChunk(new ArrayBuffer(500));
    await flush();
    expect((env.sources[0]?.buffers[0] as FakeSourceBuffer | undefined)?.log).toEqual([
      "append:500",
      "abort",
      "append:500",
    ]);
  });

  it("drops a restarted segment's partial media so its new copy takes its place", async () => {
    const { pipeline, env } = setup();
    pipeline.beginSegment(0, MIME);
    pipeline.appendChunk(new ArrayBuffer(1000));
    pipeline.endSegment(0);
    pipeline.beginSegment(1, MIME);
    pipeline.appendChunk(new ArrayBuffer(500)); // its worker dies here
    pipeline.dropSegment(1);
    pipeline.appendChunk(new ArrayBuffer(100)); // a late chunk of the cut copy: ignored
    pipeline.beginSegment(2, MIME); // the segment again, from its start
    pipeline.appendChunk(new ArrayBuffer(2000));
    pipeline.endSegment(2);
    await flush();
    const sb = env.sources[0]?.buffers[0] as FakeSourceBuffer;
    expect(sb.log).toEqual(["append:1000", "append:500", "abort", "remove:1.0-1.5", "append:2000"]);
    expect(sb.timestampOffset).toBe(1);
    expect(pipeline.segments.map((m) => [m.seq, m.startS, m.isComplete])).toEqual([
      [0, 0, true],
      [2, 1, true],
    ]);
    expect(pipeline.bufferedEndS).toBeCloseTo(3);
  });

  it("switches codecs with changeType when a segment's MIME differs", async () => {
    const { pipeline, env } = setup();
    pipeline.beginSegment(0, MIME);
    pipeline.endSegment(0);
    pipeline.beginSegment(1, 'video/mp4; codecs="avc1.640028,mp4a.40.2"');
    await flush();
    expect((env.sources[0]?.buffers[0] as FakeSourceBuffer | undefined)?.log).toEqual([
      'changeType:video/mp4; codecs="avc1.640028,mp4a.40.2"',
    ]);
  });

  it("trims played media beyond the back buffer", async () => {
    const { pipeline, env } = setup();
    pipeline.beginSegment(0, MIME);
    pipeline.appendChunk(new ArrayBuffer(60_000)); // 60 s
    await flush();
    pipeline.trim(20);
    const sb = env.sources[0]?.buffers[0] as FakeSourceBuffer;
    expect(sb.log).toEqual(["append:60000"]);
    pipeline.trim(50);
    await flush();
    expect(sb.log).toEqual(["append:60000", "remove:0.0-20.0"]);
    expect(sb.buffered.start(0)).toBe(20);
  });

  it("ends the stream after queued appends (view mode) and resets to a fresh source", async () => {
    const { pipeline, env } = setup();
    pipeline.beginSegment(0, MIME);
    pipeline.appendChunk(new ArrayBuffer(10));
    pipeline.finish();
    await flush();
    expect(env.sources[0]?.ended).toBe(1);
    pipeline.reset();
    expect(pipeline.segments).toEqual([]);
    pipeline.beginSegment(0, MIME);
    await flush();
    expect(env.sources).toHaveLength(2);
  });
});

describe("AppendQueue", () => {
  it("waits for updateend between operations", () => {
    const sb = new FakeSourceBuffer();
    sb.autoFinish = false;
    const q = new AppendQueue(sb, { currentTime: () => 0 });
    q.push({ kind: "append", bytes: new ArrayBuffer(1), seq: 0 });
    q.push({ kind: "append", bytes: new ArrayBuffer(2), seq: 0 });
    expect(sb.log).toEqual(["append:1"]);
    expect(q.pending).toBe(1);
    sb.finish();
    expect(sb.log).toEqual(["append:1", "append:2"]);
    sb.finish();
    expect(q.isIdle).toBe(true);
  });

  it("on QuotaExceededError evicts played media and retries the append", async () => {
    const sb = new FakeSourceBuffer();
    sb.buffered = new Ranges([[0, 30]]);
    sb.quotaFailures = 1;
    const q = new AppendQueue(sb, { currentTime: () => 25, keepBehindS: 5 });
    q.push({ kind: "append", bytes: new ArrayBuffer(100), seq: 3 });
    await flush();
    expect(sb.log).toEqual(["remove:0.0-20.0", "append:100"]);
  });

  it("drops the rest of a segment when nothing can be evicted", async () => {
    const sb = new FakeSourceBuffer();
    sb.quotaFailures = 1;
    const errors: string[] = [];
    const q = new AppendQueue(sb, { currentTime: () => 0, onError: (m) => errors.push(m) });
    q.push({ kind: "append", bytes: new ArrayBuffer(1), seq: 1 });
    q.push({ kind: "append", bytes: new ArrayBuffer(2), seq: 1 });
    q.push({ kind: "append", bytes: new ArrayBuffer(3), seq: 2 });
    await flush();
    expect(sb.log).toEqual(["append:3"]);
    expect(errors[0]).toMatch(/dropped the rest of segment 1/);
  });
});

describe("buffer helpers", () => {
  it("find ranges and the time buffered ahead", () => {
    const r = new Ranges([
      [0, 4],
      [6, 10],
    ]);
    expect(rangeIndexAt(r, 7)).toBe(1);
    expect(rangeIndexAt(r, 5)).toBe(-1);
    expect(bufferedAhead(r, 1)).toBe(3);
    expect(bufferedAhead(r, 5)).toBe(0);
  });
});

describe("PlaybackController", () => {
  async function live(bytes: number, complete = false) {
    const s = setup();
    const seen: Array<number | null> = [];
    const muted = vi.fn();
    const pb = new PlaybackController(s.video, s.pipeline, {
      onSegment: (q) => seen.push(q),
      onMutedAutoplay: muted,
    });
    s.pipeline.beginSegment(0, MIME);
    s.pipeline.appendChunk(new ArrayBuffer(bytes));
    if (complete) s.pipeline.endSegment(0);
    await flush();
    return { ...s, pb, seen, muted };
  }

  it("waits for a second of media before playing", async () => {
    const t = await live(500);
    t.pb.tick(0);
    expect(t.video.plays).toBe(0);
    t.pipeline.appendChunk(new ArrayBuffer(600));
    await flush();
    t.pb.tick(250);
    await flush();
    expect(t.video.plays).toBe(1);
    expect(t.video.paused).toBe(false);
    expect(t.seen).toEqual([0]);
  });

  it("starts at once when a whole (short) segment is in", async () => {
    const t = await live(300, true);
    t.pb.tick(0);
    expect(t.video.plays).toBe(1);
  });

  it("falls back to muted playback when the browser refuses sound", async () => {
    const t = await live(2000);
    t.video.refuseSound = true;
    t.pb.tick(0);
    await flush();
    expect(t.video.muted).toBe(true);
    expect(t.video.paused).toBe(false);
    expect(t.muted).toHaveBeenCalledOnce();
  });

  it("nudges the playhead when it is stuck with media ahead", async () => {
    const t = await live(5000);
    t.pb.tick(0);
    await flush();
    t.video.currentTime = 1;
    t.pb.tick(100);
    t.pb.tick(800);
    expect(t.video.currentTime).toBe(1);
    t.pb.tick(2400);
    expect(t.video.currentTime).toBeCloseTo(1.25);
  });

  it("steps to the next range when stuck at the end of one", async () => {
    const t = await live(5000);
    t.pb.tick(0);
    await flush();
    (t.video.sourceBuffer as FakeSourceBuffer).buffered = new Ranges([
      [0, 2.04],
      [2.08, 5],
    ]);
    t.video.currentTime = 2.0;
    t.pb.tick(100);
    t.pb.tick(200);
    t.pb.tick(1800);
    expect(t.video.currentTime).toBeCloseTo(2.09);
  });

  it("jumps over a gap to the next buffered range", async () => {
    const t = await live(5000);
    (t.video.sourceBuffer as FakeSourceBuffer).buffered = new Ranges([[2, 5]]);
    t.pb.tick(0);
    expect(t.video.currentTime).toBeCloseTo(2.01);
  });

  it("catches up to the live edge: faster when behind, a seek when far behind", async () => {
    const t = await live(20_000);
    t.pb.tick(0);
    await flush();
    t.video.currentTime = 5; // 15 s behind
    t.pb.tick(100);
    expect(t.video.playbackRate).toBe(1.1);
    t.video.currentTime = 17; // 3 s behind
    t.pb.tick(200);
    expect(t.video.playbackRate).toBe(1);
    (t.video.sourceBuffer as FakeSourceBuffer).buffered = new Ranges([[0, 60]]);
    t.pb.tick(300);
    expect(t.video.currentTime).toBe(56);
  });

  it("jumps to a new version's first segment once it is buffered", async () => {
    const t = await live(6000, true);
    t.pb.tick(0);
    await flush();
    t.pb.jumpToSegment(1);
    t.pipeline.beginSegment(1, MIME);
    t.pb.tick(100);
    expect(t.video.currentTime).toBe(0);
    t.pipeline.appendChunk(new ArrayBuffer(2000));
    await flush();
    t.pb.tick(200);
    expect(t.video.currentTime).toBeCloseTo(6.01);
    expect(t.seen.at(-1)).toBe(1);
  });

  it("respects a pause by the person", async () => {
    const t = await live(5000);
    t.pb.tick(0);
    await flush();
    t.video.pause(); // native controls
    expect(t.pb.isUserPaused).toBe(true);
    const plays = t.video.plays;
    t.pb.tick(500);
    expect(t.video.plays).toBe(plays);
    t.pb.setUserPaused(false);
    await flush();
    expect(t.video.paused).toBe(false);
  });

  it("resumes after the element paused itself (e.g. it ran out of media)", async () => {
    const t = await live(5000);
    t.pb.tick(0);
    await flush();
    t.video.paused = true; // paused without a pause event from the person
    t.pb.tick(300);
    await flush();
    expect(t.video.paused).toBe(false);
  });
});
