/**
 * `reduce(state, action, nowMs)`: the pure transition function of a session. One named handler per
 * action type in a table; no I/O, no clocks (time comes in as `nowMs`).
 */
import type { ServerError } from "../protocol/events";
import { endsStartAttempt, isTerminalError, noticeForError } from "./notices";
import {
  type Action,
  INITIAL_SESSION,
  latestVersion,
  type PendingPrompt,
  type SegmentInfo,
  type SessionState,
  type Version,
} from "./session";

type Handler<K extends Action["type"]> = (
  state: SessionState,
  action: Action & { type: K },
  nowMs: number,
) => SessionState;
type Handlers = { [K in Action["type"]]?: Handler<K> };

function setPending(state: SessionState, id: string, status: PendingPrompt["status"]): SessionState {
  if (!state.pendingPrompts.some((p) => p.id === id)) return state;
  const pendingPrompts =
    status === "used"
      ? state.pendingPrompts.filter((p) => p.id !== id)
      : state.pendingPrompts.map((p) => (p.id === id ? { ...p, status } : p));
  return { ...state, pendingPrompts };
}

function markSegmentReady(state: SessionState, idx: number): SessionState {
  const pos = state.segments.findLastIndex((s) => s.idx === idx && s.status === "generating");
  if (pos < 0) return { ...state, generatingSeq: null };
  const segments = state.segments.slice();
  const seg = segments[pos] as SegmentInfo;
  segments[pos] = { ...seg, status: "ready" };
  const generatingSeq = state.generatingSeq === seg.seq ? null : state.generatingSeq;
  return { ...state, segments, generatingSeq };
}

function addVersion(
  state: SessionState,
  prompts: string[],
  instruction: string | null,
  nowMs: number,
): SessionState {
  const edits = state.versions.filter((v) => v.kind === "edit").length;
  const pending = state.rewrite && !state.rewrite.hasVersion ? state.rewrite : null;
  const base = pending?.baseVersionId ?? latestVersion(state)?.id ?? null;
  const version: Version = {
    id: `v${state.versions.length}`,
    kind: state.versions.length === 0 ? "original" : "edit",
    label: state.versions.length === 0 ? "Original" : `Edit ${edits + 1}`,
    instruction,
    prompts,
    parentId: state.versions.length === 0 ? null : base,
    createdAtMs: nowMs,
  };
  return { ...state, versions: [...state.versions, version], selectedVersionId: null };
}

function replaceLatestPrompts(state: SessionState, prompts: string[]): SessionState {
  const latest = latestVersion(state);
  if (!latest) return state;
  const versions = state.versions.slice(0, -1).concat({ ...latest, prompts });
  return { ...state, versions };
}

function onError(state: SessionState, action: ServerError): SessionState {
  const notice = noticeForError(action, state);
  if (action.promptId) state = setPending(state, action.promptId, "failed");
  if (action.code === "rewrite_failed" || action.code.startsWith("rewrite"))
    state = { ...state, rewrite: null };
  const beforeStream = state.phase === "starting" || state.phase === "queued";
  const ends = isTerminalError(action.code) || (beforeStream && endsStartAttempt(action.code));
  if (!ends) return { ...state, notice };
  const phase = beforeStream ? "lobby" : "ended";
  return { ...state, notice, phase, gpuId: null, deadlineMs: null, queue: null, generatingSeq: null };
}

const HANDLERS: Handlers = {
  session_ready: (s, a) => ({
    ...s,
    connection: "open",
    reconnectAttempt: 0,
    sessionId: a.sessionId || s.sessionId,
    resumeToken: a.resumeToken || s.resumeToken,
    serverVersion: a.serverVersion || null,
    capabilities: a.capabilities,
    limits: a.limits,
    hasServerLimits: true,
  }),
  // The session continues where it was: a segment cut off by the drop comes again whole (a new media_init).
  session_resumed: (s, a) => {
    const resumed = { ...s, connection: "open" as const, reconnectAttempt: 0 };
    const withPrompts = a.prompts.length > 0 ? replaceLatestPrompts(resumed, a.prompts) : resumed;
    const notice = {
      level: "info" as const,
      code: "resumed",
      message: "Reconnected. The session continues.",
      action: null,
    };
    return { ...withPrompts, totalSegments: a.totalSegments || s.totalSegments, notice };
  },
  queue_status: (s, a) => ({
    ...s,
    queue: { position: a.position, totalGpus: a.totalGpus, availableGpus: a.availableGpus },
    phase: a.position > 0 && s.phase === "starting" ? "queued" : s.phase,
  }),
  gpu_assigned: (s, a, now) => ({
    ...s,
    gpuId: a.gpuId,
    queue: null,
    phase: s.phase === "queued" ? "starting" : s.phase,
    deadlineMs: a.sessionTimeoutS > 0 ? now + a.sessionTimeoutS * 1000 : null,
  }),
  // A new rollout (first, or after a rewrite): a segment that had started but not finished was cancelled.
  ltx2_stream_start: (s, a) => ({
    ...s,
    phase: "streaming",
    totalSegments: a.totalSegments,
    queue: null,
    segments: s.segments.filter((seg) => seg.status === "ready"),
    generatingSeq: null,
    isWaitingForPrompt: false,
  }),
  seed_prompts_updated: (s, a, now) => {
    if (a.reason === "rewrite") {
      const instruction = a.rewriteInstruction ?? s.rewrite?.instruction ?? null;
      const next = addVersion(s, a.prompts, instruction, now);
      return { ...next, rewrite: s.rewrite?.isPending ? { ...s.rewrite, hasVersion: true } : null };
    }
    if (s.versions.length === 0) return addVersion(s, a.prompts, null, now);
    return replaceLatestPrompts(s, a.prompts);
  },
  rewrite_seed_prompts_complete: (s, a) => {
    const notice = a.error
      ? {
          level: "warning" as const,
          code: "rewrite_fallback",
          message: `The rewrite model failed (${a.error}); a simpler rewrite was used.`,
          action: null,
        }
      : s.notice;
    // The new version may arrive after this event (our server) or before it (upstream).
    return {
      ...s,
      rewrite: s.rewrite && !s.rewrite.hasVersion ? { ...s.rewrite, isPending: false } : null,
      notice,
    };
  },
  prompt_received: (s, a) => setPending(s, a.promptId, "queued"),
  prompt_enhancing: (s, a) => setPending(s, a.promptId, "enhancing"),
  prompt_ready: (s, a) => setPending(s, a.promptId, "ready"),
  prompt_fallback_used: (s, a) => setPending(s, a.promptId, "ready"),
  segment_prompt_source: (s, a) => (a.promptId ? setPending(s, a.promptId, "used") : s),
  ltx2_segment_start: (s, a) => {
    const seq = (s.segments[s.segments.length - 1]?.seq ?? -1) + 1;
    const versionId = latestVersion(s)?.id ?? "v0";
    const seg: SegmentInfo = {
      seq,
      idx: a.segmentIdx,
      row: a.seedPromptIndex ?? a.segmentIdx,
      versionId,
      prompt: a.prompt,
      source: a.source,
      status: "generating",
      branchId: s.currentBranchId,
    };
    const totalSegments = a.totalSegments || s.totalSegments;
    // A segment still marked generating was cut off (e.g. by a rewrite): it will not complete.
    const segments = s.segments.filter((x) => x.status === "ready").concat(seg);
    return {
      ...s,
      phase: "streaming",
      segments,
      generatingSeq: seq,
      totalSegments,
      isWaitingForPrompt: false,
    };
  },
  ltx2_segment_complete: (s, a) => markSegmentReady(s, a.segmentIdx),
  branches_updated: (s, a) => ({ ...s, branches: a.branches, currentBranchId: a.currentBranchId }),
  prompt_sources_blocked: (s) => ({ ...s, isWaitingForPrompt: true }),
  prompt_sources_resumed: (s) => ({ ...s, isWaitingForPrompt: false }),
  ltx2_stream_complete: (s) => ({
    ...s,
    phase: s.phase === "ended" ? "ended" : "complete",
    generatingSeq: null,
  }),
  project_idle: (s) => ({ ...s, phase: s.phase === "ended" ? "ended" : "complete", generatingSeq: null }),
  enhancement_updated: (s, a) => ({ ...s, toggles: { ...s.toggles, enhancement: a.enabled } }),
  auto_extension_updated: (s, a) => ({ ...s, toggles: { ...s.toggles, autoExtension: a.enabled } }),
  loop_generation_updated: (s, a) => ({ ...s, toggles: { ...s.toggles, loop: a.enabled } }),
  session_timeout: (s, a) => ({
    ...s,
    phase: "ended",
    gpuId: null,
    deadlineMs: null,
    generatingSeq: null,
    notice: { level: "info", code: "session_timeout", message: a.message, action: "new_project" },
  }),
  error: (s, a) => onError(s, a),
  "conn/status": (s, a) => ({ ...s, connection: a.status }),
  "conn/reconnecting": (s, a) => ({ ...s, connection: "reconnecting", reconnectAttempt: a.attempt }),
  "conn/failed": (s, a) => ({
    ...s,
    connection: "closed",
    notice: a.notice,
    phase: s.phase === "starting" || s.phase === "queued" || s.phase === "lobby" ? "lobby" : "ended",
    gpuId: null,
    deadlineMs: null,
    queue: null,
    generatingSeq: null,
  }),
  "ui/start": (s, a, now) => {
    const fresh: SessionState = {
      ...s,
      phase: "starting",
      projectId: a.projectId,
      presetId: a.presetId,
      presetLabel: a.presetLabel,
      segments: [],
      generatingSeq: null,
      playingSeq: null,
      versions: [],
      selectedVersionId: null,
      rewrite: null,
      pendingPrompts: [],
      notice: null,
      totalSegments: a.prompts.length,
    };
    return addVersion(fresh, a.prompts, null, now);
  },
  "ui/prompt_sent": (s, a) => ({
    ...s,
    pendingPrompts: [...s.pendingPrompts, { id: a.id, text: a.text, status: "sent" }],
  }),
  "ui/rewrite_sent": (s, a) => ({
    ...s,
    rewrite: {
      instruction: a.instruction,
      baseVersionId: a.baseVersionId ?? latestVersion(s)?.id ?? null,
      isPending: true,
      hasVersion: false,
    },
  }),
  "ui/select_version": (s, a) => ({
    ...s,
    selectedVersionId: a.versionId === latestVersion(s)?.id ? null : a.versionId,
  }),
  "ui/toggle": (s, a) => ({ ...s, toggles: { ...s.toggles, [a.name]: a.enabled } }),
  "ui/notice": (s, a) => ({ ...s, notice: a.notice }),
  "ui/ended": (s) => ({
    ...s,
    phase: s.phase === "lobby" ? "lobby" : "ended",
    connection: "closed",
    gpuId: null,
    deadlineMs: null,
    queue: null,
    generatingSeq: null,
  }),
  "ui/reset": (s) => ({
    ...INITIAL_SESSION,
    toggles: s.toggles,
    limits: s.limits,
    hasServerLimits: s.hasServerLimits,
  }),
  "ui/new_project": (s) => ({
    ...INITIAL_SESSION,
    connection: s.connection,
    sessionId: s.sessionId,
    resumeToken: s.resumeToken,
    serverVersion: s.serverVersion,
    capabilities: s.capabilities,
    limits: s.limits,
    hasServerLimits: s.hasServerLimits,
    gpuId: s.gpuId,
    deadlineMs: s.deadlineMs,
    toggles: s.toggles,
  }),
  "media/playing": (s, a) => ({ ...s, playingSeq: a.seq }),
};

export function reduce(state: SessionState, action: Action, nowMs: number): SessionState {
  const handler = HANDLERS[action.type] as Handler<Action["type"]> | undefined;
  return handler ? handler(state, action, nowMs) : state;
}
