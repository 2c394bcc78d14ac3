import { IDBFactory } from "fake-indexeddb";
import "fake-indexeddb/auto";
import { beforeEach, describe, expect, it } from "vitest";
import { SessionController } from "../../src/controller/session";
import { ProjectDb } from "../../src/storage/projects";
import { FakeSocket, FakeVideo, fakeEnv, flush, READY } from "./fakes";

const PROMPTS = ["one", "two", "three"];
const MIME = 'video/mp4; codecs="avc1.42C01E,mp4a.40.2"';

async function setup(probe: "ready" | "warming" | "unreachable" = "ready") {
  const video = new FakeVideo();
  const env = fakeEnv(video);
  const db = await ProjectDb.open(new IDBFactory());
  let probes = 0;
  const ctl = new SessionController({
    video,
    env,
    db,
    endpoint: { base: "", token: null },
    wsUrl: "ws://test/ws",
    createSocket: (url) => new FakeSocket(url),
    probe: async () => (probes++ === 0 ? probe : "ready"),
    warmPollMs: 1,
  });
  return { ctl, video, env, db };
}

async function startPreset(ctl: SessionController) {
  await ctl.start({ presetId: "p", presetLabel: "Preset", prompts: PROMPTS, customPrompt: "", image: null });
  const sock = FakeSocket.latest();
  sock.open();
  sock.serverSend(READY);
  return sock;
}

function segment(sock: FakeSocket, idx: number, bytes = 1500) {
  sock.serverSend({
    type: "ltx2_segment_start",
    segment_idx: idx,
    total_segments: 3,
    prompt: PROMPTS[idx],
    source: "curated",
    seed_prompt_index: idx,
  });
  sock.serverSend({ type: "media_init", segment_idx: idx, mime: MIME, stream_id: `s${idx}` });
  sock.serverBinary(bytes);
  sock.serverSend({ type: "media_segment_complete", segment_idx: idx, stream_id: `s${idx}`, chunks: 1 });
  sock.serverSend({ type: "ltx2_segment_complete", segment_idx: idx, total_segments: 3 });
}

beforeEach(() => {
  FakeSocket.all = [];
});

describe("SessionController", () => {
  it("starts a preset: every prompt is sent as curated_prompts", async () => {
    const { ctl } = await setup();
    const sock = await startPreset(ctl);
    expect(sock.url).toBe("ws://test/ws");
    expect(sock.sent).toEqual([
      {
        type: "session_init_v2",
        preset_id: "p",
        preset_label: "Preset",
        curated_prompts: PROMPTS,
        initial_rollout_prompt: "",
        initial_image: null,
        single_clip_mode: false,
        enhancement_enabled: true,
        auto_extension_enabled: true,
        loop_generation_enabled: false,
      },
    ]);
    expect(ctl.state.phase).toBe("starting");
    expect(ctl.state.limits.maxPromptChars).toBe(300);
  });

  it("leaves the first prompt's length to the server until it announces its limits", async () => {
    const { ctl } = await setup();
    await ctl.start({
      presetId: "custom",
      presetLabel: "Custom",
      prompts: [],
      customPrompt: "x".repeat(900),
      image: null,
    });
    FakeSocket.latest().open();
    expect(FakeSocket.latest().types()).toEqual(["session_init_v2"]);
  });

  it("refuses a prompt over the announced limit without sending it", async () => {
    const { ctl } = await setup();
    await startPreset(ctl);
    ctl.submit("x".repeat(301), "append");
    expect(FakeSocket.latest().types()).toEqual(["session_init_v2"]);
    expect(ctl.state.notice?.code).toBe("prompt_too_long");
  });

  it("feeds media into the pipeline and saves each finished segment", async () => {
    const { ctl, env, db } = await setup();
    const sock = await startPreset(ctl);
    sock.serverSend({ type: "ltx2_stream_start", total_segments: 3 });
    sock.serverSend({ type: "seed_prompts_updated", prompts: PROMPTS, reason: "initial" });
    segment(sock, 0);
    segment(sock, 1);
    await flush();
    await ctl.flush();
    const sb = env.sources[0]?.buffers[0];
    expect(sb?.log).toEqual(["append:1500", "append:1500"]);
    const projectId = ctl.state.projectId as string;
    const saved = await db.segments(projectId);
    expect(saved.map((s) => [s.seq, s.prompt, s.mime])).toEqual([
      [0, "one", MIME],
      [1, "two", MIME],
    ]);
    expect((await db.get(projectId))?.segmentCount).toBe(2);
    ctl.tick();
    await flush();
    expect(ctl.state.playingSeq).toBe(0);
  });

  it("sends rewrites with the shown version's prompts, and appends", async () => {
    const { ctl } = await setup();
    const sock = await startPreset(ctl);
    sock.serverSend({ type: "seed_prompts_updated", prompts: PROMPTS, reason: "initial" });
    ctl.submit("make it night", "rewrite");
    sock.serverSend({ type: "seed_prompts_updated", prompts: ["n1", "n2"], reason: "rewrite" });
    ctl.selectVersion("v0");
    ctl.submit("make it snow", "rewrite");
    ctl.submit("a bird flies", "append");
    ctl.editPrompt(1, "the dog swims");
    const sent = sock.sent.slice(1);
    expect(sent[0]).toEqual({
      type: "rewrite_seed_prompts",
      rewrite_instruction: "make it night",
      prompt_window_prompts: PROMPTS,
    });
    expect(sent[1]).toEqual({
      type: "rewrite_seed_prompts",
      rewrite_instruction: "make it snow",
      prompt_window_prompts: PROMPTS,
    });
    expect(sent[2]).toMatchObject({ type: "append_prompt", prompt: "a bird flies" });
    expect(sent[3]).toMatchObject({
      type: "rewrite_seed_prompts",
      prompt_window_prompts: ["one", "the dog swims", "three"],
    });
    expect(ctl.state.rewrite?.baseVersionId).toBe("v0");
  });

  it("sends toggles during a session", async () => {
    const { ctl } = await setup();
    const sock = await startPreset(ctl);
    ctl.setToggle("loop", true);
    expect(sock.sent.at(-1)).toEqual({ type: "set_loop_generation", enabled: true });
    expect(ctl.state.toggles.loop).toBe(true);
  });

  it("resumes after a dropped socket: the cut segment comes again whole and replaces its part", async () => {
    const { ctl, env } = await setup();
    const sock = await startPreset(ctl);
    sock.serverSend({ type: "gpu_assigned", gpu_id: 0, session_timeout: 300 });
    sock.serverSend({ type: "ltx2_stream_start", total_segments: 3 });
    segment(sock, 0);
    sock.serverSend({
      type: "ltx2_segment_start",
      segment_idx: 1,
      total_segments: 3,
      prompt: "two",
      source: "curated",
      seed_prompt_index: 1,
    });
    sock.serverSend({ type: "media_init", segment_idx: 1, mime: MIME, stream_id: "s1" });
    sock.serverBinary(700);
    sock.drop();
    expect(ctl.state.connection).toBe("reconnecting");
    await new Promise((r) => setTimeout(r, 300));
    const second = FakeSocket.latest();
    expect(second).not.toBe(sock);
    second.open();
    expect(second.sent).toEqual([{ type: "session_resume", session_id: "s1", resume_token: "t1" }]);
    second.serverSend({ ...READY, resume_token: "t2" });
    second.serverSend({
      type: "session_resumed",
      session_id: "s1",
      next_segment_idx: 1,
      total_segments: 3,
      prompts: PROMPTS,
    });
    segment(second, 1, 1200); // the segment the drop cut, sent again whole (as the server does)
    segment(second, 2, 1500);
    await flush();
    await ctl.flush();
    expect(ctl.state.connection).toBe("open");
    expect(ctl.state.resumeToken).toBe("t2");
    expect(env.sources).toHaveLength(1);
    expect(env.sources[0]?.buffers[0]?.log).toEqual([
      "append:1500",
      "append:700",
      "abort",
      "remove:1.5-2.2", // what arrived of it before the drop: played once, not twice
      "append:1200",
      "append:1500",
    ]);
    expect(ctl.state.segments.map((s) => s.status)).toEqual(["ready", "ready", "ready"]);
  });

  it("replaces a segment its worker lost with the copy rendered again (played and saved once)", async () => {
    const { ctl, env, db } = await setup();
    const sock = await startPreset(ctl);
    sock.serverSend({ type: "ltx2_stream_start", total_segments: 3 });
    segment(sock, 1); // wire numbering (from 1)
    sock.serverSend({
      type: "ltx2_segment_start",
      segment_idx: 2,
      total_segments: 3,
      prompt: "three",
      source: "curated",
      seed_prompt_index: 2,
    });
    sock.serverSend({ type: "media_init", segment_idx: 2, mime: MIME, stream_id: "s2" });
    sock.serverBinary(700); // then the agent rendering it dies
    sock.serverSend({ type: "segment_restarted", segment_idx: 2, code: "worker_lost", message: "gone" });
    sock.serverSend({ type: "gpu_assigned", gpu_id: 1, session_timeout: 300 });
    segment(sock, 2, 1200); // announced and sent again, whole
    await flush();
    await ctl.flush();
    expect(env.sources[0]?.buffers[0]?.log).toEqual([
      "append:1500",
      "append:700",
      "abort",
      "remove:1.5-2.2",
      "append:1200",
    ]);
    expect(ctl.state.segments.map((s) => [s.idx, s.status])).toEqual([
      [0, "ready"],
      [1, "ready"],
    ]);
    const saved = await db.segments(ctl.state.projectId as string);
    expect(saved.map((s) => [s.segmentIdx, s.prompt])).toEqual([
      [0, "two"],
      [1, "three"],
    ]);
  });

  it("starts fresh from the shown prompts when the session cannot be resumed", async () => {
    const { ctl } = await setup();
    const sock = await startPreset(ctl);
    sock.serverSend({ type: "ltx2_stream_start", total_segments: 3 });
    sock.drop();
    await new Promise((r) => setTimeout(r, 300));
    const second = FakeSocket.latest();
    second.open();
    second.serverSend({ type: "error", code: "resume_failed", message: "gone", retryable: false });
    await flush();
    const third = FakeSocket.latest();
    expect(third).not.toBe(second);
    third.open();
    third.serverSend({ ...READY, session_id: "s2" });
    expect(third.sent[0]).toMatchObject({ type: "session_init_v2", curated_prompts: PROMPTS });
    await flush();
    expect(ctl.state.notice?.code).toBe("resume_failed");
  });

  it("says the server is unreachable instead of connecting", async () => {
    const { ctl } = await setup("unreachable");
    await ctl.start({ presetId: "p", presetLabel: "P", prompts: PROMPTS, customPrompt: "", image: null });
    expect(FakeSocket.all).toHaveLength(0);
    expect(ctl.state.notice).toMatchObject({ code: "unreachable", action: "retry" });
    expect(ctl.state.phase).toBe("lobby");
    await ctl.start({ presetId: "p", presetLabel: "P", prompts: PROMPTS, customPrompt: "", image: null });
    expect(FakeSocket.all).toHaveLength(1);
  });

  it("waits while the server warms up", async () => {
    const { ctl } = await setup("warming");
    await ctl.start({
      presetId: "custom",
      presetLabel: "Custom",
      prompts: [],
      customPrompt: "a fox",
      image: null,
    });
    FakeSocket.latest().open();
    FakeSocket.latest().serverSend(READY);
    expect(FakeSocket.latest().sent[0]).toMatchObject({
      initial_rollout_prompt: "a fox",
      curated_prompts: [],
    });
  });

  it("queue_full ends the attempt and closes the socket; retry starts again", async () => {
    const { ctl } = await setup();
    const sock = await startPreset(ctl);
    sock.serverSend({ type: "error", code: "queue_full", message: "full", retryable: true });
    expect(ctl.state.phase).toBe("lobby");
    expect(sock.closedWith).toBe(1000);
    ctl.retry();
    await flush();
    expect(FakeSocket.all).toHaveLength(2);
  });

  it("a new project on an open session reuses the socket with project_init_v1", async () => {
    const { ctl } = await setup();
    const sock = await startPreset(ctl);
    sock.serverSend({ type: "ltx2_stream_start", total_segments: 3 });
    const first = ctl.state.projectId;
    ctl.newProject();
    await ctl.start({
      presetId: "custom",
      presetLabel: "Custom",
      prompts: [],
      customPrompt: "a fox",
      image: null,
    });
    expect(sock.types()).toEqual(["session_init_v2", "end_project_keep_session", "project_init_v1"]);
    expect(ctl.state.projectId).not.toBe(first);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it("leave sends leave and closes", async () => {
    const { ctl } = await setup();
    const sock = await startPreset(ctl);
    ctl.leave();
    expect(sock.types().at(-1)).toBe("leave");
    expect(sock.closedWith).toBe(1000);
    expect(ctl.state.phase).toBe("ended");
  });
});
