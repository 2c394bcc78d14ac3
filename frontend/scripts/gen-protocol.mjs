#!/usr/bin/env node
/**
 * Generates the workspace's wire types (`src/protocol/wire.ts`) from the protocol's JSON Schema, which the
 * server exports from its pydantic models (`runtime/protocol/protocol-v<N>.schema.json`).
 *
 *   node scripts/gen-protocol.mjs          # rewrite src/protocol/wire.ts
 *   node scripts/gen-protocol.mjs --check  # exit 1 if it is out of date (run by the unit tests)
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compile } from "json-schema-to-typescript";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const SCHEMA_DIR = here("../../runtime/protocol/");
const OUT = here("../src/protocol/wire.ts");

/** The newest committed schema: the highest `protocol-v<N>.schema.json`. */
function schemaFile() {
  const versions = readdirSync(SCHEMA_DIR)
    .map((name) => /^protocol-v(\d+)\.schema\.json$/.exec(name))
    .filter((m) => m !== null)
    .map((m) => Number(m[1]));
  if (versions.length === 0) throw new Error(`no protocol-v<N>.schema.json in ${SCHEMA_DIR}`);
  return {
    version: Math.max(...versions),
    path: `${SCHEMA_DIR}protocol-v${Math.max(...versions)}.schema.json`,
  };
}

export async function generate() {
  const { version, path } = schemaFile();
  const schema = JSON.parse(readFileSync(path, "utf8"));
  const banner = [
    "/* eslint-disable */",
    "/**",
    ` * Wire types of the Dreamverse protocol, version ${version}: GENERATED, do not edit.`,
    ` * Source: runtime/protocol/protocol-v${version}.schema.json (exported from the pydantic models).`,
    " * Regenerate: `make -C frontend protocol` (node scripts/gen-protocol.mjs).",
    " */",
  ].join("\n");
  const body = await compile(schema, "DreamverseProtocol", {
    bannerComment: banner,
    additionalProperties: false, // extra fields are ignored on the wire, not part of the types
    unreachableDefinitions: true,
    declareExternallyReferenced: true,
    style: { printWidth: 110, singleQuote: false, trailingComma: "all" },
  });
  return `${body}\nexport const WIRE_PROTOCOL_VERSION = ${version};\n`;
}

async function main() {
  const text = await generate();
  if (process.argv.includes("--check")) {
    let current = "";
    try {
      current = readFileSync(OUT, "utf8");
    } catch {
      // missing counts as stale
    }
    if (current !== text) {
      console.error(`${OUT} is out of date; run \`node scripts/gen-protocol.mjs\``);
      process.exit(1);
    }
    return;
  }
  writeFileSync(OUT, text);
  console.log(`wrote ${OUT}`);
}

await main();
