/** What the person reads when something goes wrong: one notice per error code, with a next step. */
import type { ServerError } from "../protocol/events";
import type { Notice, SessionState } from "./session";

/** Codes after which the session (or the attempt to start one) is over. */
const TERMINAL_CODES = new Set([
  "queue_full",
  "session_timeout",
  "idle_timeout",
  "resume_failed",
  "worker_lost",
  "internal_fatal",
]);

/** Codes that end the attempt only when they answer the first prompt (nothing is streaming yet). */
const FIRST_PROMPT_CODES = new Set(["prompt_blocked", "prompt_too_long", "invalid_image", "invalid_message"]);

export function isTerminalError(code: string): boolean {
  return TERMINAL_CODES.has(code);
}

export function endsStartAttempt(code: string): boolean {
  return FIRST_PROMPT_CODES.has(code);
}

const MESSAGES: Record<string, string> = {
  queue_full: "Every GPU is busy and the waiting line is full. Try again in a minute.",
  worker_lost: "The GPU worker for this session stopped. Retry to start again from your prompts.",
  session_timeout: "This session reached its time limit. Your project is saved.",
  idle_timeout: "The session ended after a period without activity. Your project is saved.",
  prompt_too_long: "That prompt is longer than the server accepts.",
  prompt_blocked: "That prompt was blocked by the content filter. Try wording it differently.",
  invalid_image: "The server could not use that image. Use a PNG, JPEG or WebP within the size limit.",
  resume_failed: "The session could not be resumed.",
};

export function noticeForError(error: ServerError, state: SessionState): Notice {
  const message = MESSAGES[error.code] ?? error.message;
  const beforeStream = state.phase === "starting" || state.phase === "queued";
  if (error.code === "queue_full") return { level: "error", code: error.code, message, action: "retry" };
  if (error.code === "worker_lost") return { level: "error", code: error.code, message, action: "restart" };
  if (error.code === "session_timeout" || error.code === "idle_timeout") {
    return { level: "info", code: error.code, message, action: "new_project" };
  }
  if (FIRST_PROMPT_CODES.has(error.code))
    return { level: "warning", code: error.code, message, action: null };
  const action = error.retryable ? (beforeStream ? "retry" : "restart") : null;
  return { level: "error", code: error.code, message, action };
}

export const UNREACHABLE: Notice = {
  level: "error",
  code: "unreachable",
  message: "Cannot reach the Dreamverse server. Check that it is running, then retry.",
  action: "retry",
};

export const CONNECTION_LOST: Notice = {
  level: "error",
  code: "connection_lost",
  message: "The connection to the server was lost and could not be restored.",
  action: "retry",
};
