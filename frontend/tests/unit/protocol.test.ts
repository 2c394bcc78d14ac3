import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, decodeServerEvent, ProtocolDecodeError } from "../../src/protocol/events";
import {
  encodeClientMessage,
  MessageTooLargeError,
  newPromptId,
  toggleMessage,
} from "../../src/protocol/messages";

const decode = (obj: Record<string, unknown>) => decodeServerEvent(JSON.stringify(obj));

describe("decodeServerEvent", () => {
  it("decodes session_ready with limits", () => {
    expect(
      decode({
        type: "session_ready",
        protocol_version: 1,
        server_version: "0.1",
        capabilities: ["resume", 3],
        session_id: "s",
        resume_token: "r",
        limits: { max_prompt_chars: 800, max_message_bytes: 2048, max_image_bytes: 99 },
      }),
    ).toEqual({
      type: "session_ready",
      protocolVersion: 1,
      serverVersion: "0.1",
      capabilities: ["resume"],
      sessionId: "s",
      resumeToken: "r",
      limits: { maxPromptChars: 800, maxMessageBytes: 2048, maxImageBytes: 99 },
    });
  });

  it("falls back to default limits when the server leaves them out", () => {
    const ev = decode({ type: "session_ready", session_id: "s" });
    expect(ev.type === "session_ready" && ev.limits).toEqual(DEFAULT_LIMITS);
  });

  it.each([
    [
      { type: "queue_status", position: 2, total_gpus: 1, available_gpus: 0 },
      { type: "queue_status", position: 2, totalGpus: 1, availableGpus: 0 },
    ],
    [
      { type: "gpu_assigned", gpu_id: 3, session_timeout: 300 },
      { type: "gpu_assigned", gpuId: "3", sessionTimeoutS: 300 },
    ],
    [
      {
        type: "media_init",
        segment_idx: 1,
        mime: 'video/mp4; codecs="avc1.42C01E,mp4a.40.2"',
        stream_id: "x",
        mode: "av_fmp4",
      },
      { type: "media_init", segmentIdx: 0, mime: 'video/mp4; codecs="avc1.42C01E,mp4a.40.2"', streamId: "x" },
    ],
    [
      { type: "media_segment_complete", segment_idx: 1, stream_id: 7, chunks: 4 },
      { type: "media_segment_complete", segmentIdx: 0, streamId: "7", chunks: 4 },
    ],
    [
      { type: "ltx2_segment_complete", segment_idx: 2, total_segments: 6 },
      { type: "ltx2_segment_complete", segmentIdx: 1, totalSegments: 6, seed: null, branchId: null },
    ],
    [
      { type: "ltx2_segment_complete", segment_idx: 2, total_segments: 6, seed: 77, branch_id: "b1" },
      { type: "ltx2_segment_complete", segmentIdx: 1, totalSegments: 6, seed: 77, branchId: "b1" },
    ],
    [
      { type: "generation_paused_updated", paused: true },
      { type: "generation_paused_updated", enabled: true },
    ],
    [
      { type: "prompt_received", prompt_id: "p1", queue_depth: 2 },
      { type: "prompt_received", promptId: "p1", queueDepth: 2 },
    ],
    [{ type: "ltx2_stream_complete" }, { type: "ltx2_stream_complete" }],
    [
      {
        type: "session_resumed",
        session_id: "s",
        next_segment_idx: 3,
        total_segments: 6,
        prompts: ["a", "b"],
      },
      { type: "session_resumed", sessionId: "s", nextSegmentIdx: 2, totalSegments: 6, prompts: ["a", "b"] },
    ],
  ])("decodes %o", (raw, expected) => {
    expect(decode(raw)).toEqual(expected);
  });

  it("decodes segment start with the seed prompt index", () => {
    expect(
      decode({
        type: "ltx2_segment_start",
        segment_idx: 4,
        total_segments: 6,
        prompt: "p",
        source: "curated",
        seed_prompt_index: 3,
        loop_iteration: 0,
      }),
    ).toMatchObject({ segmentIdx: 3, seedPromptIndex: 3, prompt: "p", source: "curated" });
  });

  it("decodes typed errors, and upstream's error_code", () => {
    expect(decode({ type: "error", message: "busy", code: "queue_full", retryable: true })).toEqual({
      type: "error",
      message: "busy",
      code: "queue_full",
      retryable: true,
      promptId: null,
      segmentIdx: null,
    });
    expect(decode({ type: "error", message: "x", error_code: "ip_session_limit" })).toMatchObject({
      code: "ip_session_limit",
      retryable: false,
    });
    expect(decode({ type: "error" })).toMatchObject({ code: "internal", message: "Something went wrong." });
  });

  it("reads mistyped fields as defaults instead of failing", () => {
    expect(decode({ type: "queue_status", position: "first", total_gpus: null })).toEqual({
      type: "queue_status",
      position: 0,
      totalGpus: 0,
      availableGpus: 0,
    });
    expect(
      decode({ type: "seed_prompts_updated", prompts: ["a", 1, null, "b"], reason: "rewrite" }),
    ).toMatchObject({ prompts: ["a", "b"], reason: "rewrite", fallbackUsed: false });
  });

  it("passes unknown events through as `unknown`", () => {
    expect(decode({ type: "brand_new_event", x: 1 })).toEqual({
      type: "unknown",
      rawType: "brand_new_event",
    });
  });

  it.each(["not json", "[1,2]", "null", '{"no_type":1}', '{"type":5}'])("rejects %s", (text) => {
    expect(() => decodeServerEvent(text)).toThrow(ProtocolDecodeError);
  });
});

describe("client messages", () => {
  it("serialises with upstream field names", () => {
    const text = encodeClientMessage(
      { type: "rewrite_seed_prompts", rewrite_instruction: "night", prompt_window_prompts: ["a"] },
      1000,
    );
    expect(JSON.parse(text)).toEqual({
      type: "rewrite_seed_prompts",
      rewrite_instruction: "night",
      prompt_window_prompts: ["a"],
    });
  });

  it("refuses a message over the server's size limit (counting UTF-8 bytes)", () => {
    const msg = { type: "append_prompt" as const, prompt: "é".repeat(40), prompt_id: "p" };
    expect(() => encodeClientMessage(msg, 80)).toThrow(MessageTooLargeError);
    expect(() => encodeClientMessage(msg, 200)).not.toThrow();
  });

  it("maps toggles to their messages", () => {
    expect(toggleMessage("enhancement", false)).toEqual({ type: "set_enhancement", enabled: false });
    expect(toggleMessage("autoExtension", true)).toEqual({ type: "set_auto_extension", enabled: true });
    expect(toggleMessage("loop", true)).toEqual({ type: "set_loop_generation", enabled: true });
  });

  it("makes unique prompt ids", () => {
    expect(newPromptId(1)).not.toEqual(newPromptId(1));
  });
});
