/** Derived views of `SessionState` for the UI: status line, prompt-window rows, time left. */
import { activeVersion, type SessionState, type Version } from "./session";

export interface WindowRow {
  key: string;
  /** 0-based row; shown as row + 1. */
  row: number;
  prompt: string;
  /** played · playing · generating · ready (generated, not shown yet) · upcoming (no video yet) · queued (sent). */
  status: "played" | "playing" | "generating" | "ready" | "upcoming" | "queued";
  source: string | null;
  isEditable: boolean;
}

export function segmentNumber(state: SessionState, seq: number | null): number | null {
  const seg = state.segments.find((s) => s.seq === seq);
  return seg ? seg.row + 1 : null;
}

export function statusText(state: SessionState): string {
  switch (state.connection) {
    case "probing":
      return "Checking the server…";
    case "warming":
      return "The server is up; waiting for a GPU worker to warm up…";
    case "connecting":
      return "Connecting…";
    case "reconnecting":
      return `Connection lost. Reconnecting (attempt ${state.reconnectAttempt})…`;
    default:
      break;
  }
  switch (state.phase) {
    case "lobby":
      return "Pick a preset or type a prompt to start.";
    case "queued":
      return `Waiting for a GPU: position ${state.queue?.position ?? "?"} in line.`;
    case "starting":
      return state.gpuId !== null
        ? `GPU ${state.gpuId} assigned. Starting the first segment…`
        : "Starting a session…";
    case "streaming":
      return streamingText(state);
    case "complete": {
      const playing = segmentNumber(state, state.playingSeq);
      const where = playing !== null ? `Playing segment ${playing} of ${state.totalSegments}. ` : "";
      return `${where}All segments are generated: type a prompt to continue or rewrite.`;
    }
    case "ended":
      return "The session has ended. Your project is saved.";
  }
}

function streamingText(state: SessionState): string {
  const gen = segmentNumber(state, state.generatingSeq);
  const total = state.totalSegments > 0 ? ` of ${state.totalSegments}` : "";
  const gpu = state.gpuId !== null ? ` on GPU ${state.gpuId}` : "";
  if (state.rewrite?.isPending) return `Rewriting the prompts: “${truncate(state.rewrite.instruction, 60)}”…`;
  if (gen !== null) return `Generating segment ${gen}${total}${gpu}.`;
  if (state.isWaitingForPrompt) return "The prompts ran out: type what happens next and press Enter.";
  const playing = segmentNumber(state, state.playingSeq);
  return playing !== null ? `Playing segment ${playing}${total}.` : "Streaming…";
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function timeLeftS(state: SessionState, nowMs: number): number | null {
  if (state.deadlineMs === null) return null;
  return Math.max(0, Math.round((state.deadlineMs - nowMs) / 1000));
}

export function formatClock(totalS: number): string {
  const m = Math.floor(totalS / 60);
  const s = totalS % 60;
  return `${m}:${s.toString().padStart(2, "0")}`;
}

function rowStatus(state: SessionState, version: Version, row: number): WindowRow["status"] {
  const segs = state.segments.filter((s) => s.versionId === version.id && s.row === row);
  if (segs.some((s) => s.seq === state.playingSeq)) return "playing";
  if (segs.some((s) => s.seq === state.generatingSeq)) return "generating";
  const playing = state.playingSeq ?? -1;
  if (segs.some((s) => s.status === "ready" && s.seq < playing)) return "played";
  return segs.some((s) => s.status === "ready") ? "ready" : "upcoming";
}

/** The rows of the prompt window for the version being shown. */
export function windowRows(state: SessionState): WindowRow[] {
  const version = activeVersion(state);
  if (!version) return [];
  const isLive = state.phase !== "ended" && state.phase !== "lobby";
  const rows: WindowRow[] = version.prompts.map((prompt, row) => {
    const seg = state.segments.findLast((s) => s.versionId === version.id && s.row === row);
    return {
      key: `${version.id}:${row}`,
      row,
      prompt: seg?.prompt || prompt,
      status: rowStatus(state, version, row),
      source: seg?.source ?? null,
      isEditable: isLive,
    };
  });
  for (const seg of state.segments) {
    if (seg.versionId !== version.id || seg.row < version.prompts.length) continue;
    if (rows.some((r) => r.row === seg.row)) continue;
    rows.push({
      key: `${version.id}:${seg.row}`,
      row: seg.row,
      prompt: seg.prompt,
      status: rowStatus(state, version, seg.row),
      source: seg.source,
      isEditable: false,
    });
  }
  const next = rows.length;
  state.pendingPrompts.forEach((p, i) => {
    rows.push({
      key: `pending:${p.id}`,
      row: next + i,
      prompt: p.text,
      status: "queued",
      source: p.status,
      isEditable: false,
    });
  });
  return rows;
}
