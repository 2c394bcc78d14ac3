/**
 * Client → server messages of the `/ws` protocol, with upstream's names and fields verbatim.
 * Builders return plain objects; `encodeClientMessage` serialises one and checks its size.
 */
import type * as wire from "./wire";

/** The wire shapes, generated from the server's JSON Schema (`wire.ts`). */
export type InitialImage = wire.InitialImage;
export type ClientMessage = wire.ClientMessage;

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
