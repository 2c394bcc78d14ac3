/**
 * The session's state and the local actions that change it besides server events. Plain data:
 * the reducer (`reducer.ts`) is the only code that builds a new `SessionState`.
 */
import { type BranchInfo, DEFAULT_LIMITS, type Limits, type ServerEvent } from "../protocol/events";
import type { ToggleName } from "../protocol/messages";

export type ConnectionStatus =
  | "idle" // no socket
  | "probing" // checking /readyz
  | "warming" // server up, no worker warm yet
  | "connecting"
  | "open"
  | "reconnecting"
  | "closed";

/** Where the project is: lobby (nothing started) → starting → queued → streaming → complete/ended. */
export type Phase = "lobby" | "starting" | "queued" | "streaming" | "complete" | "ended";

export interface Notice {
  level: "info" | "warning" | "error";
  code: string;
  message: string;
  /** What the notice's button does, if it has one. */
  action: "retry" | "restart" | "new_project" | null;
}

export interface Version {
  id: string;
  kind: "original" | "edit";
  /** "Original", "Edit 1", … */
  label: string;
  instruction: string | null;
  prompts: string[];
  parentId: string | null;
  createdAtMs: number;
}

export interface SegmentInfo {
  /** Client-side sequence number of this segment in the session (never resets). */
  seq: number;
  /** The segment's index in its rollout, from 0 (the wire's `segment_idx` minus 1; resets at each rewrite). */
  idx: number;
  /** Row of the prompt window this segment renders. */
  row: number;
  versionId: string;
  prompt: string;
  source: string;
  status: "generating" | "ready";
  /** Ours: the branch it was generated on (the server's current branch when it started). */
  branchId: string | null;
}

export interface PendingPrompt {
  id: string;
  text: string;
  status: "sent" | "queued" | "enhancing" | "ready" | "used" | "failed";
}

export interface Toggles {
  enhancement: boolean;
  autoExtension: boolean;
  loop: boolean;
}

export interface SessionState {
  connection: ConnectionStatus;
  reconnectAttempt: number;
  sessionId: string | null;
  resumeToken: string | null;
  serverVersion: string | null;
  capabilities: string[];
  limits: Limits;
  /** `limits` came from the server's `session_ready` (before that the server is the only judge). */
  hasServerLimits: boolean;
  phase: Phase;
  projectId: string | null;
  presetId: string;
  presetLabel: string;
  queue: { position: number; totalGpus: number; availableGpus: number } | null;
  gpuId: string | null;
  deadlineMs: number | null;
  totalSegments: number;
  segments: SegmentInfo[];
  generatingSeq: number | null;
  playingSeq: number | null;
  /** The server has no prompt for the next segment (the rollout ran out): it waits for one. */
  isWaitingForPrompt: boolean;
  versions: Version[];
  /** The version the next rewrite branches from; null means the latest. */
  selectedVersionId: string | null;
  /** The last rewrite sent: pending until the server completes it, kept until its version exists. */
  rewrite: {
    instruction: string;
    baseVersionId: string | null;
    isPending: boolean;
    hasVersion: boolean;
  } | null;
  pendingPrompts: PendingPrompt[];
  toggles: Toggles;
  notice: Notice | null;
  /** Ours: the server's segment tree (`branches_updated`); empty from servers without branches. */
  branches: BranchInfo[];
  currentBranchId: string | null;
}

export const INITIAL_SESSION: SessionState = {
  connection: "idle",
  reconnectAttempt: 0,
  sessionId: null,
  resumeToken: null,
  serverVersion: null,
  capabilities: [],
  limits: DEFAULT_LIMITS,
  hasServerLimits: false,
  phase: "lobby",
  projectId: null,
  presetId: "",
  presetLabel: "",
  queue: null,
  gpuId: null,
  deadlineMs: null,
  totalSegments: 0,
  segments: [],
  generatingSeq: null,
  playingSeq: null,
  isWaitingForPrompt: false,
  versions: [],
  selectedVersionId: null,
  rewrite: null,
  pendingPrompts: [],
  // Auto-extension on by default: a rollout from one typed prompt keeps going (the person can turn it off).
  toggles: { enhancement: true, autoExtension: true, loop: false },
  notice: null,
  branches: [],
  currentBranchId: null,
};

export type LocalAction =
  | { type: "conn/status"; status: ConnectionStatus }
  | { type: "conn/reconnecting"; attempt: number }
  | { type: "conn/failed"; notice: Notice }
  | {
      type: "ui/start";
      projectId: string;
      presetId: string;
      presetLabel: string;
      prompts: string[];
    }
  | { type: "ui/prompt_sent"; id: string; text: string }
  | { type: "ui/rewrite_sent"; instruction: string; baseVersionId: string | null }
  | { type: "ui/select_version"; versionId: string | null }
  | { type: "ui/toggle"; name: ToggleName; enabled: boolean }
  | { type: "ui/notice"; notice: Notice | null }
  | { type: "ui/ended"; reason: string }
  | { type: "ui/reset" }
  /** Back to the lobby for a new project, keeping the open session and its GPU. */
  | { type: "ui/new_project" }
  | { type: "media/playing"; seq: number | null };

export type Action = ServerEvent | LocalAction;

export function latestVersion(state: SessionState): Version | null {
  return state.versions[state.versions.length - 1] ?? null;
}

/** The version shown in the prompt window and used as the base of the next rewrite. */
export function activeVersion(state: SessionState): Version | null {
  const selected = state.versions.find((v) => v.id === state.selectedVersionId);
  return selected ?? latestVersion(state);
}

export function isSessionLive(state: SessionState): boolean {
  return (
    state.phase === "starting" ||
    state.phase === "queued" ||
    state.phase === "streaming" ||
    state.phase === "complete"
  );
}

/** Branches the server can fork from and export: it announced them. */
export function hasBranches(state: SessionState): boolean {
  return state.capabilities.includes("branches");
}

/** The current branch's timeline as (branch id, segment) pairs, from segment 0 across its forks. */
export function currentPath(state: SessionState): { branchId: string; segmentIdx: number }[] {
  const byId = new Map(state.branches.map((b) => [b.branchId, b]));
  const path: { branchId: string; segmentIdx: number }[] = [];
  let branch = state.currentBranchId ? byId.get(state.currentBranchId) : undefined;
  let upTo = Number.POSITIVE_INFINITY;
  while (branch) {
    const own = branch.segments.filter((seg) => seg.segmentIdx <= upTo);
    const branchId = branch.branchId;
    path.unshift(...own.map((seg) => ({ branchId, segmentIdx: seg.segmentIdx })));
    upTo = branch.parentSegmentIdx ?? -1;
    branch = branch.parentBranchId ? byId.get(branch.parentBranchId) : undefined;
  }
  return path;
}
