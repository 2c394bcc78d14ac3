/**
 * Server → client events of the `/ws` protocol (upstream names and fields, plus our additions:
 * `session_ready`, `session_resumed`, `segment_restarted`, typed errors). Wire shapes only: no logic beyond decoding.
 *
 * `decodeServerEvent` turns one JSON text frame into a typed event. Fields are read defensively
 * (a missing or mistyped field gets a neutral default) so that a newer server never breaks the
 * client; an unknown `type` decodes to `{type: "unknown"}` and is ignored by the reducer. The decoder
 * table is typed by the generated wire types (`wire.ts`), so a decoder can only read fields the protocol
 * has. The app counts segments from 0; the wire, like upstream, from 1: decoders convert.
 */
import { bool, type Fields, num, obj, objArr, optNum, optStr, str, strArr } from "./fields";
import type * as wire from "./wire";
import { WIRE_PROTOCOL_VERSION } from "./wire";

export const PROTOCOL_VERSION = WIRE_PROTOCOL_VERSION;

export interface Limits {
  maxPromptChars: number;
  maxMessageBytes: number;
  maxImageBytes: number;
}

/** Limits used until the server announces its own in `session_ready` (upstream's values). */
export const DEFAULT_LIMITS: Limits = {
  maxPromptChars: 500,
  maxMessageBytes: 1_048_576 * 24,
  maxImageBytes: 15 * 1_048_576,
};

export type PromptSource = "curated" | "user_enhanced" | "user_raw" | "auto_llm" | string;

export interface SessionReady {
  type: "session_ready";
  protocolVersion: number;
  serverVersion: string;
  capabilities: string[];
  sessionId: string;
  resumeToken: string;
  limits: Limits;
}
export interface SessionResumed {
  type: "session_resumed";
  sessionId: string;
  nextSegmentIdx: number;
  totalSegments: number;
  prompts: string[];
}
export interface QueueStatus {
  type: "queue_status";
  position: number;
  totalGpus: number;
  availableGpus: number;
}
export interface GpuAssigned {
  type: "gpu_assigned";
  gpuId: string;
  sessionTimeoutS: number;
}
export interface StreamStart {
  type: "ltx2_stream_start";
  totalSegments: number;
  presetId: string;
  loopGenerationEnabled: boolean;
  loopIteration: number;
  segmentCap: number | null;
}
export interface SeedPromptsUpdated {
  type: "seed_prompts_updated";
  prompts: string[];
  presetId: string;
  presetLabel: string;
  reason: string;
  fallbackUsed: boolean;
  error: string | null;
  model: string | null;
  rewriteInstruction: string | null;
}
export interface RewriteStarted {
  type: "rewrite_seed_prompts_started";
  model: string | null;
}
export interface RewriteComplete {
  type: "rewrite_seed_prompts_complete";
  fallbackUsed: boolean;
  error: string | null;
  model: string | null;
  latencyMs: number | null;
}
export interface PromptReceived {
  type: "prompt_received";
  promptId: string;
  queueDepth: number;
}
export interface PromptEnhancing {
  type: "prompt_enhancing";
  promptId: string;
}
export interface PromptReady {
  type: "prompt_ready" | "prompt_fallback_used";
  promptId: string;
  prompt: string;
  source: PromptSource;
  error: string | null;
}
export interface SegmentPromptSource {
  type: "segment_prompt_source";
  segmentIdx: number;
  source: PromptSource;
  promptId: string | null;
}
export interface SegmentStart {
  type: "ltx2_segment_start";
  segmentIdx: number;
  totalSegments: number;
  prompt: string;
  source: PromptSource;
  seedPromptIndex: number | null;
}
export interface MediaInit {
  type: "media_init";
  segmentIdx: number;
  mime: string;
  streamId: string;
}
/** Ours (scale-out): the worker rendering the segment was lost; it comes again from its start. */
export interface SegmentRestarted {
  type: "segment_restarted";
  segmentIdx: number;
  code: string;
  message: string;
}
export interface MediaSegmentComplete {
  type: "media_segment_complete";
  segmentIdx: number;
  streamId: string;
  chunks: number;
}
export interface SegmentComplete {
  type: "ltx2_segment_complete";
  segmentIdx: number;
  totalSegments: number;
  /** Ours: the seed it was rendered with, and its branch (null from servers without branches). */
  seed: number | null;
  branchId: string | null;
}
/** Ours: one segment of a branch. */
export interface BranchSegment {
  segmentIdx: number;
  prompt: string;
  seed: number;
  durationS: number;
  /** False once the server evicted it: no fork from it, no export through it. */
  isStored: boolean;
}
/** Ours: one branch of the session's segment tree. */
export interface BranchInfo {
  branchId: string;
  parentBranchId: string | null;
  /** The parent's segment this branch continues from; null for a fresh rollout. */
  parentSegmentIdx: number | null;
  /** Its own segments (those before the fork belong to the parent). */
  segments: BranchSegment[];
  durationS: number;
}
export interface BranchesUpdated {
  type: "branches_updated";
  currentBranchId: string | null;
  branches: BranchInfo[];
}
export interface StepComplete {
  type: "step_complete";
  totalMs: number | null;
}
export interface StreamComplete {
  type: "ltx2_stream_complete";
}
export interface ProjectIdle {
  type: "project_idle";
}
export interface ToggleUpdated {
  type:
    | "enhancement_updated"
    | "auto_extension_updated"
    | "loop_generation_updated"
    | "generation_paused_updated";
  enabled: boolean;
}
export interface PromptSourcesBlocked {
  type: "prompt_sources_blocked";
  segmentIdx: number;
}
export interface PromptSourcesResumed {
  type: "prompt_sources_resumed";
  segmentIdx: number;
}
export interface GenerationRestarted {
  type: "generation_restarted";
  reason: string;
}
export interface SessionTimeout {
  type: "session_timeout";
  message: string;
}
export interface ServerError {
  type: "error";
  message: string;
  code: string;
  retryable: boolean;
  promptId: string | null;
  segmentIdx: number | null;
}
export interface UnknownEvent {
  type: "unknown";
  rawType: string;
}

export type ServerEvent =
  | SessionReady
  | SessionResumed
  | QueueStatus
  | GpuAssigned
  | StreamStart
  | SeedPromptsUpdated
  | RewriteStarted
  | RewriteComplete
  | PromptReceived
  | PromptEnhancing
  | PromptReady
  | SegmentPromptSource
  | SegmentStart
  | MediaInit
  | SegmentRestarted
  | MediaSegmentComplete
  | SegmentComplete
  | BranchesUpdated
  | StepComplete
  | StreamComplete
  | ProjectIdle
  | ToggleUpdated
  | PromptSourcesBlocked
  | PromptSourcesResumed
  | GenerationRestarted
  | SessionTimeout
  | ServerError
  | UnknownEvent;

type WireType = wire.ServerEvent["type"];
type WireEvent<K extends WireType> = Extract<wire.ServerEvent, { type: K }>;
type Decoder<K extends WireType> = (f: Fields<WireEvent<K>>) => ServerEvent;
type Decoders = { [K in WireType]?: Decoder<K> };

/** The app's index of the segment a frame names: the wire numbers a rollout's segments from 1. */
function segment(f: Fields<{ segment_idx: number }>): number {
  return num(f, "segment_idx", 1) - 1;
}

function optSegment(f: Fields<{ segment_idx?: number | null }>): number | null {
  const idx = optNum(f, "segment_idx");
  return idx === null ? null : idx - 1;
}

const toggle =
  <K extends ToggleUpdated["type"]>(type: K, key: keyof WireEvent<K> & string): Decoder<K> =>
  (f) => ({ type, enabled: bool(f, key) });

/** `prompt_ready` has the fields of `prompt_fallback_used` but `error`, which then reads as null. */
const promptReady =
  (type: PromptReady["type"]) =>
  (f: Fields<wire.PromptFallbackUsed>): ServerEvent => ({
    type,
    promptId: str(f, "prompt_id"),
    prompt: str(f, "prompt"),
    source: str(f, "source"),
    error: optStr(f, "error"),
  });

function decodeLimits(f: Fields<wire.SessionReady>): Limits {
  const l = obj(f, "limits");
  return {
    maxPromptChars: num(l, "max_prompt_chars", DEFAULT_LIMITS.maxPromptChars),
    maxMessageBytes: num(l, "max_message_bytes", DEFAULT_LIMITS.maxMessageBytes),
    maxImageBytes: num(l, "max_image_bytes", DEFAULT_LIMITS.maxImageBytes),
  };
}

function decodeBranch(b: Fields<wire.BranchInfo>): BranchInfo {
  const parent = optNum(b, "parent_segment_idx");
  return {
    branchId: str(b, "branch_id"),
    parentBranchId: optStr(b, "parent_branch_id"),
    parentSegmentIdx: parent === null ? null : parent - 1, // the wire counts from 1
    segments: objArr(b, "segments").map((seg) => ({
      segmentIdx: segment(seg),
      prompt: str(seg, "prompt"),
      seed: num(seg, "seed", 0),
      durationS: num(seg, "duration_s", 0),
      isStored: bool(seg, "is_stored"),
    })),
    durationS: num(b, "duration_s", 0),
  };
}

/** One decoder per event type: a table, not an `if` chain. */
const DECODERS: Decoders = {
  session_ready: (f) => ({
    type: "session_ready",
    protocolVersion: num(f, "protocol_version", 0),
    serverVersion: str(f, "server_version"),
    capabilities: strArr(f, "capabilities"),
    sessionId: str(f, "session_id"),
    resumeToken: str(f, "resume_token"),
    limits: decodeLimits(f),
  }),
  session_resumed: (f) => ({
    type: "session_resumed",
    sessionId: str(f, "session_id"),
    nextSegmentIdx: num(f, "next_segment_idx", 1) - 1,
    totalSegments: num(f, "total_segments", 0),
    prompts: strArr(f, "prompts"),
  }),
  queue_status: (f) => ({
    type: "queue_status",
    position: num(f, "position", 0),
    totalGpus: num(f, "total_gpus", 0),
    availableGpus: num(f, "available_gpus", 0),
  }),
  gpu_assigned: (f) => ({
    type: "gpu_assigned",
    gpuId: String(f["gpu_id"] ?? ""),
    sessionTimeoutS: num(f, "session_timeout", 0),
  }),
  ltx2_stream_start: (f) => ({
    type: "ltx2_stream_start",
    totalSegments: num(f, "total_segments", 0),
    presetId: str(f, "preset_id"),
    loopGenerationEnabled: bool(f, "loop_generation_enabled"),
    loopIteration: num(f, "loop_iteration", 0),
    segmentCap: optNum(f, "generation_segment_cap"),
  }),
  seed_prompts_updated: (f) => ({
    type: "seed_prompts_updated",
    prompts: strArr(f, "prompts"),
    presetId: str(f, "preset_id"),
    presetLabel: str(f, "preset_label"),
    reason: str(f, "reason"),
    fallbackUsed: bool(f, "fallback_used"),
    error: optStr(f, "error"),
    model: optStr(f, "model"),
    rewriteInstruction: optStr(f, "rewrite_instruction"),
  }),
  rewrite_seed_prompts_started: (f) => ({
    type: "rewrite_seed_prompts_started",
    model: optStr(f, "model"),
  }),
  rewrite_seed_prompts_complete: (f) => ({
    type: "rewrite_seed_prompts_complete",
    fallbackUsed: bool(f, "fallback_used"),
    error: optStr(f, "error"),
    model: optStr(f, "model"),
    latencyMs: optNum(f, "latency_ms"),
  }),
  prompt_received: (f) => ({
    type: "prompt_received",
    promptId: str(f, "prompt_id"),
    queueDepth: num(f, "queue_depth", 0),
  }),
  prompt_enhancing: (f) => ({ type: "prompt_enhancing", promptId: str(f, "prompt_id") }),
  prompt_ready: promptReady("prompt_ready"),
  prompt_fallback_used: promptReady("prompt_fallback_used"),
  segment_prompt_source: (f) => ({
    type: "segment_prompt_source",
    segmentIdx: segment(f),
    source: str(f, "source"),
    promptId: optStr(f, "prompt_id"),
  }),
  ltx2_segment_start: (f) => ({
    type: "ltx2_segment_start",
    segmentIdx: segment(f),
    totalSegments: num(f, "total_segments", 0),
    prompt: str(f, "prompt"),
    source: str(f, "source"),
    seedPromptIndex: optNum(f, "seed_prompt_index"),
  }),
  media_init: (f) => ({
    type: "media_init",
    segmentIdx: segment(f),
    mime: str(f, "mime"),
    streamId: String(f["stream_id"] ?? ""),
  }),
  segment_restarted: (f) => ({
    type: "segment_restarted",
    segmentIdx: segment(f),
    code: str(f, "code", "worker_lost"),
    message: str(f, "message"),
  }),
  media_segment_complete: (f) => ({
    type: "media_segment_complete",
    segmentIdx: segment(f),
    streamId: String(f["stream_id"] ?? ""),
    chunks: num(f, "chunks", 0),
  }),
  ltx2_segment_complete: (f) => ({
    type: "ltx2_segment_complete",
    segmentIdx: segment(f),
    totalSegments: num(f, "total_segments", 0),
    seed: optNum(f, "seed"),
    branchId: optStr(f, "branch_id"),
  }),
  branches_updated: (f) => ({
    type: "branches_updated",
    currentBranchId: optStr(f, "current_branch_id"),
    branches: objArr(f, "branches").map(decodeBranch),
  }),
  step_complete: (f) => ({ type: "step_complete", totalMs: optNum(obj(f, "latency_ms"), "total") }),
  ltx2_stream_complete: () => ({ type: "ltx2_stream_complete" }),
  project_idle: () => ({ type: "project_idle" }),
  enhancement_updated: toggle("enhancement_updated", "enabled"),
  auto_extension_updated: toggle("auto_extension_updated", "enabled"),
  loop_generation_updated: toggle("loop_generation_updated", "enabled"),
  generation_paused_updated: toggle("generation_paused_updated", "paused"),
  prompt_sources_blocked: (f) => ({ type: "prompt_sources_blocked", segmentIdx: segment(f) }),
  prompt_sources_resumed: (f) => ({ type: "prompt_sources_resumed", segmentIdx: segment(f) }),
  generation_restarted: (f) => ({ type: "generation_restarted", reason: str(f, "reason") }),
  session_timeout: (f) => ({
    type: "session_timeout",
    message: str(f, "message", "The session reached its time limit."),
  }),
  error: (f) => ({
    type: "error",
    message: str(f, "message", "Something went wrong."),
    code: str(f, "code", str(f, "error_code", "internal")),
    retryable: bool(f, "retryable"),
    promptId: optStr(f, "prompt_id"),
    segmentIdx: optSegment(f),
  }),
};

export class ProtocolDecodeError extends Error {
  override name = "ProtocolDecodeError";
}

/** Decode one JSON text frame. Throws `ProtocolDecodeError` for non-JSON or a frame with no `type`. */
export function decodeServerEvent(text: string): ServerEvent {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (exc) {
    throw new ProtocolDecodeError(`server sent a text frame that is not JSON: ${String(exc)}`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ProtocolDecodeError("server event is not a JSON object");
  }
  const type = (raw as Fields<wire.ServerEvent>)["type"];
  if (typeof type !== "string") throw new ProtocolDecodeError("server event has no string `type`");
  const decode = Object.hasOwn(DECODERS, type)
    ? (DECODERS[type as WireType] as Decoder<WireType>)
    : undefined;
  return decode ? decode(raw as Fields<wire.ServerEvent>) : { type: "unknown", rawType: type };
}
