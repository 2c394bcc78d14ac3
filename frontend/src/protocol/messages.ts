/**
 * Client → server messages of the `/ws` protocol, with upstream's names and fields verbatim.
 * Builders return plain objects; `encodeClientMessage` serialises one and checks its size.
 */

export interface InitialImage {
  data_url: string;
  mime_type: "image/png" | "image/jpeg" | "image/webp";
  name: string;
}

export interface ProjectInit {
  preset_id: string;
  preset_label: string;
  curated_prompts: string[];
  initial_rollout_prompt: string;
  initial_image: InitialImage | null;
  single_clip_mode: boolean;
  enhancement_enabled: boolean;
  auto_extension_enabled: boolean;
  loop_generation_enabled: boolean;
}

export type ClientMessage =
  | ({ type: "session_init_v2" } & ProjectInit)
  | ({ type: "project_init_v1" } & ProjectInit)
  | { type: "session_resume"; session_id: string; resume_token: string }
  | { type: "append_prompt"; prompt: string; prompt_id: string }
  | { type: "rewrite_seed_prompts"; rewrite_instruction: string; prompt_window_prompts: string[] }
  | { type: "set_enhancement"; enabled: boolean }
  | { type: "set_auto_extension"; enabled: boolean }
  | { type: "set_loop_generation"; enabled: boolean }
  | { type: "set_generation_paused"; paused: boolean }
  | { type: "restart_generation" }
  | { type: "end_project_keep_session" }
  | { type: "leave" };

export type ToggleName = "enhancement" | "autoExtension" | "loop";

export function toggleMessage(name: ToggleName, enabled: boolean): ClientMessage {
  switch (name) {
    case "enhancement":
      return { type: "set_enhancement", enabled };
    case "autoExtension":
      return { type: "set_auto_extension", enabled };
    case "loop":
      return { type: "set_loop_generation", enabled };
  }
}

export class MessageTooLargeError extends Error {
  override name = "MessageTooLargeError";
  constructor(
    readonly sizeBytes: number,
    readonly limitBytes: number,
  ) {
    super(`message is ${sizeBytes} bytes; the server accepts at most ${limitBytes}`);
  }
}

/** Serialise a message; throws `MessageTooLargeError` when it exceeds the server's limit. */
export function encodeClientMessage(msg: ClientMessage, maxBytes: number): string {
  const text = JSON.stringify(msg);
  const size = new TextEncoder().encode(text).byteLength;
  if (size > maxBytes) throw new MessageTooLargeError(size, maxBytes);
  return text;
}

let promptCounter = 0;

/** A client-side prompt id, unique within this page load. */
export function newPromptId(now: number = Date.now()): string {
  promptCounter += 1;
  return `p${now.toString(36)}-${promptCounter}`;
}
