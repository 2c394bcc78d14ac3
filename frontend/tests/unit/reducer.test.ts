import { describe, expect, it } from "vitest";
import { decodeServerEvent } from "../../src/protocol/events";
import { reduce } from "../../src/state/reducer";
import { statusText, windowRows } from "../../src/state/selectors";
import { type Action, activeVersion, INITIAL_SESSION, type SessionState } from "../../src/state/session";
import { READY } from "./fakes";

const ev = (obj: Record<string, unknown>): Action => decodeServerEvent(JSON.stringify(obj));
const run = (actions: Action[], from: SessionState = INITIAL_SESSION, now = 1000): SessionState =>
  actions.reduce((s, a) => reduce(s, a, now), from);

const PROMPTS = ["a dog runs", "the dog jumps", "the dog sleeps"];
const start: Action = {
  type: "ui/start",
  projectId: "p1",
  presetId: "dogs",
  presetLabel: "Dogs",
  prompts: PROMPTS,
};
// The app counts segments from 0, the wire (like upstream) from 1.
const segStart = (idx: number, prompt = PROMPTS[idx] ?? "x") =>
  ev({
    type: "ltx2_segment_start",
    segment_idx: idx + 1,
    total_segments: 3,
    prompt,
    source: "curated",
    seed_prompt_index: idx,
  });
const segDone = (idx: number) =>
  ev({ type: "ltx2_segment_complete", segment_idx: idx + 1, total_segments: 3 });
const ROLLOUT: Action[] = [
  start,
  ev(READY),
  ev({ type: "queue_status", position: 0, total_gpus: 1, available_gpus: 1 }),
  ev({ type: "gpu_assigned", gpu_id: 0, session_timeout: 300 }),
  ev({ type: "ltx2_stream_start", total_segments: 3, preset_id: "dogs" }),
  ev({ type: "seed_prompts_updated", prompts: PROMPTS, reason: "initial" }),
];

describe("reduce: a rollout", () => {
  it("goes lobby → starting → streaming with limits, GPU and deadline", () => {
    const s = run(ROLLOUT, INITIAL_SESSION, 5000);
    expect(s.phase).toBe("streaming");
    expect(s.sessionId).toBe("s1");
    expect(s.resumeToken).toBe("t1");
    expect(s.limits.maxPromptChars).toBe(300);
    expect(s.gpuId).toBe("0");
    expect(s.deadlineMs).toBe(5000 + 300_000);
    expect(s.versions.map((v) => v.label)).toEqual(["Original"]);
    expect(s.totalSegments).toBe(3);
  });

  it("waits in line when the queue position is above zero", () => {
    const s = run([start, ev({ type: "queue_status", position: 2, total_gpus: 1, available_gpus: 0 })]);
    expect(s.phase).toBe("queued");
    expect(statusText(s)).toBe("Waiting for a GPU: position 2 in line.");
    expect(run([ev({ type: "gpu_assigned", gpu_id: 1, session_timeout: 60 })], s).phase).toBe("starting");
  });

  it("tracks generating and ready segments, and says which is generating", () => {
    let s = run([...ROLLOUT, segStart(0)]);
    expect(s.generatingSeq).toBe(0);
    expect(statusText(s)).toBe("Generating segment 1 of 3 on GPU 0.");
    s = run([segDone(0), segStart(1)], s);
    expect(s.segments.map((x) => x.status)).toEqual(["ready", "generating"]);
    expect(s.generatingSeq).toBe(1);
    expect(windowRows(s).map((r) => r.status)).toEqual(["ready", "generating", "upcoming"]);
    s = run([{ type: "media/playing", seq: 0 }], s);
    expect(windowRows(s).map((r) => r.status)).toEqual(["playing", "generating", "upcoming"]);
    s = run(
      [
        segDone(1),
        segStart(2),
        segDone(2),
        ev({ type: "ltx2_stream_complete" }),
        { type: "media/playing", seq: 2 },
      ],
      s,
    );
    expect(s.phase).toBe("complete");
    expect(windowRows(s).map((r) => r.status)).toEqual(["played", "played", "playing"]);
  });
});

describe("reduce: rewrites and branches", () => {
  const base = run([...ROLLOUT, segStart(0), segDone(0)]);

  it("adds an edit version whose parent is the latest", () => {
    const s = run(
      [
        { type: "ui/rewrite_sent", instruction: "make it night", baseVersionId: "v0" },
        ev({ type: "rewrite_seed_prompts_started", model: "m" }),
        ev({ type: "seed_prompts_updated", prompts: ["night dog"], reason: "rewrite" }),
        ev({ type: "rewrite_seed_prompts_complete", fallback_used: false }),
      ],
      base,
    );
    expect(s.versions.map((v) => [v.label, v.parentId, v.instruction])).toEqual([
      ["Original", null, null],
      ["Edit 1", "v0", "make it night"],
    ]);
    expect(s.rewrite).toBeNull();
    expect(activeVersion(s)?.prompts).toEqual(["night dog"]);
  });

  it("keeps the branch base when the rewrite completes before its prompts arrive (our server's order)", () => {
    let s = run(
      [{ type: "ui/select_version", versionId: "v0" }],
      run(
        [
          { type: "ui/rewrite_sent", instruction: "night", baseVersionId: "v0" },
          ev({ type: "seed_prompts_updated", prompts: ["n"], reason: "rewrite" }),
        ],
        base,
      ),
    );
    s = run(
      [
        { type: "ui/rewrite_sent", instruction: "snow", baseVersionId: "v0" },
        ev({ type: "rewrite_seed_prompts_started", model: "local" }),
        ev({ type: "rewrite_seed_prompts_complete", fallback_used: false }),
      ],
      s,
    );
    expect(statusText(s)).not.toMatch(/Rewriting/);
    s = run(
      [ev({ type: "seed_prompts_updated", prompts: ["s"], reason: "rewrite", rewrite_instruction: "snow" })],
      s,
    );
    expect(s.versions.map((v) => v.parentId)).toEqual([null, "v0", "v0"]);
    expect(s.rewrite).toBeNull();
  });

  it("branches from a selected older version", () => {
    let s = run(
      [
        { type: "ui/rewrite_sent", instruction: "night", baseVersionId: "v0" },
        ev({ type: "seed_prompts_updated", prompts: ["n"], reason: "rewrite" }),
      ],
      base,
    );
    s = run([{ type: "ui/select_version", versionId: "v0" }], s);
    expect(activeVersion(s)?.id).toBe("v0");
    s = run(
      [
        { type: "ui/rewrite_sent", instruction: "snow", baseVersionId: "v0" },
        ev({ type: "seed_prompts_updated", prompts: ["s"], reason: "rewrite" }),
      ],
      s,
    );
    expect(s.versions.map((v) => v.parentId)).toEqual([null, "v0", "v0"]);
    expect(s.selectedVersionId).toBeNull();
    expect(activeVersion(s)?.label).toBe("Edit 2");
  });

  it("selecting the latest version clears the selection", () => {
    const s = run([{ type: "ui/select_version", versionId: "v0" }], base);
    expect(s.selectedVersionId).toBeNull();
  });

  it("notes a rewrite that fell back", () => {
    const s = run(
      [ev({ type: "rewrite_seed_prompts_complete", fallback_used: true, error: "timeout" })],
      base,
    );
    expect(s.notice?.code).toBe("rewrite_fallback");
  });

  it("new segments after a rewrite belong to the new version; their rows restart", () => {
    let s = run(
      [
        { type: "ui/rewrite_sent", instruction: "night", baseVersionId: null },
        ev({ type: "seed_prompts_updated", prompts: ["n1", "n2"], reason: "rewrite" }),
        segStart(0, "n1"),
      ],
      base,
    );
    expect(s.segments.map((x) => [x.seq, x.versionId, x.row])).toEqual([
      [0, "v0", 0],
      [1, "v1", 0],
    ]);
    s = run([{ type: "media/playing", seq: 0 }], s);
    expect(windowRows(s).map((r) => r.status)).toEqual(["generating", "upcoming"]);
  });
});

describe("reduce: prompts appended during a session", () => {
  it("follows a prompt from sent to used", () => {
    let s = run([...ROLLOUT, { type: "ui/prompt_sent", id: "p1", text: "a cat appears" }]);
    expect(windowRows(s).at(-1)).toMatchObject({ status: "queued", prompt: "a cat appears", source: "sent" });
    s = run(
      [
        ev({ type: "prompt_received", prompt_id: "p1", queue_depth: 1 }),
        ev({ type: "prompt_enhancing", prompt_id: "p1" }),
      ],
      s,
    );
    expect(s.pendingPrompts[0]?.status).toBe("enhancing");
    s = run(
      [
        ev({ type: "prompt_ready", prompt_id: "p1", prompt: "A cat appears.", source: "user_enhanced" }),
        ev({ type: "segment_prompt_source", segment_idx: 4, source: "user_enhanced", prompt_id: "p1" }),
      ],
      s,
    );
    expect(s.pendingPrompts).toEqual([]);
  });

  it("shows segments beyond the window (auto-extension) as extra rows", () => {
    const s = run([
      ...ROLLOUT,
      ev({
        type: "ltx2_segment_start",
        segment_idx: 4,
        prompt: "later",
        source: "auto_llm",
        seed_prompt_index: null,
      }),
    ]);
    expect(windowRows(s).map((r) => r.prompt)).toEqual([...PROMPTS, "later"]);
  });
});

describe("reduce: errors", () => {
  it.each([
    ["queue_full", "queued", "lobby", "retry"],
    ["worker_lost", "streaming", "ended", "restart"],
    ["idle_timeout", "streaming", "ended", "new_project"],
    ["prompt_blocked", "starting", "lobby", null],
    ["prompt_blocked", "streaming", "streaming", null],
    ["prompt_too_long", "streaming", "streaming", null],
    ["internal", "streaming", "streaming", null],
  ] as const)("%s while %s → %s (action %s)", (code, phase, expected, action) => {
    const s = run(
      [ev({ type: "error", code, message: "m", retryable: code === "queue_full" || code === "worker_lost" })],
      { ...INITIAL_SESSION, phase },
    );
    expect(s.phase).toBe(expected);
    expect(s.notice?.code).toBe(code);
    expect(s.notice?.action).toBe(action);
  });

  it("marks an appended prompt that failed", () => {
    const s = run(
      [
        { type: "ui/prompt_sent", id: "p9", text: "x" },
        ev({ type: "error", code: "prompt_blocked", message: "no", prompt_id: "p9" }),
      ],
      { ...INITIAL_SESSION, phase: "streaming" },
    );
    expect(s.pendingPrompts[0]?.status).toBe("failed");
  });

  it("session_timeout ends the session", () => {
    const s = run([...ROLLOUT, ev({ type: "session_timeout", message: "time is up" })]);
    expect(s.phase).toBe("ended");
    expect(s.deadlineMs).toBeNull();
    expect(s.notice).toMatchObject({ message: "time is up", action: "new_project" });
  });
});

describe("reduce: connection", () => {
  it("resume keeps the segment that was cut off: the server continues it", () => {
    let s = run([
      ...ROLLOUT,
      segStart(0),
      segDone(0),
      segStart(1),
      { type: "conn/reconnecting", attempt: 1 },
    ]);
    expect(statusText(s)).toBe("Connection lost. Reconnecting (attempt 1)…");
    s = run(
      [
        ev({ ...READY, resume_token: "t2" }),
        ev({
          type: "session_resumed",
          session_id: "s1",
          next_segment_idx: 2,
          total_segments: 3,
          prompts: PROMPTS,
        }),
      ],
      s,
    );
    expect(s.resumeToken).toBe("t2");
    expect(s.segments.map((x) => x.status)).toEqual(["ready", "generating"]);
    expect(s.generatingSeq).toBe(1);
    expect(run([segDone(1)], s).segments.map((x) => x.status)).toEqual(["ready", "ready"]);
    expect(s.connection).toBe("open");
    expect(s.notice?.code).toBe("resumed");
  });

  it("a failed connection before streaming returns to the lobby", () => {
    const s = run([
      start,
      { type: "conn/failed", notice: { level: "error", code: "unreachable", message: "x", action: "retry" } },
    ]);
    expect(s.phase).toBe("lobby");
    expect(s.connection).toBe("closed");
  });

  it("a new project keeps the session and its GPU", () => {
    const s = run([...ROLLOUT, { type: "ui/new_project" }]);
    expect(s.phase).toBe("lobby");
    expect(s.sessionId).toBe("s1");
    expect(s.gpuId).toBe("0");
    expect(s.versions).toEqual([]);
  });

  it("ignores unknown events", () => {
    const s = run(ROLLOUT);
    expect(reduce(s, ev({ type: "something_new" }), 0)).toBe(s);
  });
});

describe("reduce: the rollout runs out of prompts", () => {
  it("waits for a prompt, and says so, until the next segment starts", () => {
    let s = run([
      ...ROLLOUT,
      segStart(0),
      segDone(0),
      ev({ type: "prompt_sources_blocked", segment_idx: 2 }),
    ]);
    expect(s.isWaitingForPrompt).toBe(true);
    expect(statusText(s)).toMatch(/type what happens next/);
    s = run([segStart(1)], s);
    expect(s.isWaitingForPrompt).toBe(false);
  });
});
