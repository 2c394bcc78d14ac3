/**
 * The contract with the server: the generated wire types are current with the server's JSON Schema, and
 * the golden messages in `tests/protocol/golden/` (pinned by the server's own tests) decode as the server
 * means them.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeServerEvent } from "../../src/protocol/events";
import { type ClientMessage, encodeClientMessage, toggleMessage } from "../../src/protocol/messages";

// vitest runs from frontend/ (`make -C frontend test`, `npx vitest`).
const FRONTEND = process.cwd();
const GOLDEN = `${resolve(FRONTEND, "../tests/protocol/golden")}/`;

function golden(side: "client" | "server"): [string, Record<string, unknown>][] {
  return readdirSync(GOLDEN + side)
    .filter((name) => name.endsWith(".json"))
    .map((name) => [
      name.replace(/\.json$/, ""),
      JSON.parse(readFileSync(`${GOLDEN}${side}/${name}`, "utf8")),
    ]);
}

const camelToSnake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const SEGMENT_KEYS = new Set(["segmentIdx", "nextSegmentIdx"]);

describe("wire types", () => {
  it("are generated from the committed schema", () => {
    // Throws (exit 1) when src/protocol/wire.ts is not what the schema generates.
    execFileSync(process.execPath, ["scripts/gen-protocol.mjs", "--check"], { cwd: FRONTEND, stdio: "pipe" });
  }, 60_000); // a node process that compiles the schema and formats the output: seconds on a busy machine
});

describe("golden server events", () => {
  const events = golden("server");

  it("exist for the events the workspace decodes", () => {
    expect(events.length).toBeGreaterThan(30);
  });

  it.each(events)("%s decodes with the values the server sent", (name, event) => {
    const decoded = decodeServerEvent(JSON.stringify(event)) as unknown as Record<string, unknown>;
    if (decoded["type"] === "unknown") return; // events the workspace ignores on purpose
    expect(decoded["type"]).toBe(name);
    for (const [key, value] of Object.entries(decoded)) {
      const wire = event[camelToSnake(key)];
      if (key === "type" || wire === undefined || typeof value === "object") continue;
      // The workspace counts segments from 0; the wire, like upstream, from 1.
      const expected = SEGMENT_KEYS.has(key) && typeof wire === "number" ? wire - 1 : wire;
      expect(value, `${name}.${key}`).toEqual(key === "gpuId" ? String(expected) : expected);
    }
  });
});

describe("golden client messages", () => {
  const messages = new Map(golden("client"));

  it.each([...messages])("%s encodes as a ClientMessage", (_name, message) => {
    expect(JSON.parse(encodeClientMessage(message as unknown as ClientMessage, 1 << 20))).toEqual(message);
  });

  it("cover the fields of the messages the workspace builds", () => {
    for (const name of ["enhancement", "autoExtension", "loop"] as const) {
      const built = toggleMessage(name, true);
      const pinned = messages.get(built.type);
      expect(pinned, built.type).toBeDefined();
      expect(Object.keys(built).sort()).toEqual(Object.keys(pinned ?? {}).sort());
    }
  });
});
