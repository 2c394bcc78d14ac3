"""The protocol as JSON Schema, exported from the pydantic models: the contract other languages build on.

    python -m dreamverse.runtime.protocol.schema          # (re)write the committed schema file
    python -m dreamverse.runtime.protocol.schema --check  # exit 1 if it is out of date

The file is versioned with `PROTOCOL_VERSION` (`protocol-v<N>.schema.json`, `x-protocol-version`).
Client messages are described as the server validates them (fields with defaults are optional), server
events as the server serializes them (every field is sent). The workspace's TypeScript wire types are
generated from this file (`frontend/scripts/gen-protocol.mjs`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode, models_json_schema
from pydantic_core import CoreSchema

from dreamverse.runtime.protocol import server
from dreamverse.runtime.protocol.client import ClientMessage
from dreamverse.runtime.protocol.codes import PROTOCOL_VERSION, CloseCode, ErrorCode
from dreamverse.runtime.reference_docs import message_models, wire_type

SCHEMA_DIR = Path(__file__).resolve().parent
REF_TEMPLATE = "#/$defs/{model}"


class _Generator(GenerateJsonSchema):
    """Pydantic's generator without per-field titles ("Prompt Id"): they say nothing the name does not, and
    code generators would turn each into a named type."""

    def field_title_should_be_set(self, schema: CoreSchema) -> bool:
        return False


def schema_path(version: int = PROTOCOL_VERSION) -> Path:
    return SCHEMA_DIR / f"protocol-v{version}.schema.json"


def _union(
    title: str, description: str, models: list[type[BaseModel]], refs: dict[Any, Any]
) -> dict[str, Any]:
    mode: JsonSchemaMode = "validation" if title == "ClientMessage" else "serialization"
    members = [refs[(m, mode)]["$ref"] for m in models]
    return {
        "title": title,
        "description": description,
        "oneOf": [{"$ref": ref} for ref in members],
        "discriminator": {
            "propertyName": "type",
            "mapping": {wire_type(m): ref for m, ref in zip(models, members, strict=True)},
        },
    }


def protocol_schema() -> dict[str, Any]:
    client = message_models(ClientMessage)
    events = message_models(server.ServerEvent)
    inputs: list[tuple[type[BaseModel], JsonSchemaMode]] = [(m, "validation") for m in client]
    inputs += [(m, "serialization") for m in events]
    refs, schema = models_json_schema(inputs, ref_template=REF_TEMPLATE, schema_generator=_Generator)
    defs: dict[str, Any] = schema["$defs"]
    defs["ClientMessage"] = _union("ClientMessage", "A text frame from a client.", client, refs)
    defs["ServerEvent"] = _union("ServerEvent", "A JSON text frame from the server.", events, refs)
    defs["ErrorCode"] = {
        "title": "ErrorCode",
        "description": "Values of `code` / `error_code` in `error` events and HTTP error bodies.",
        "enum": [c.value for c in ErrorCode],
    }
    defs["CloseCode"] = {
        "title": "CloseCode",
        "description": "Websocket close codes the server uses.",
        "enum": [c.value for c in CloseCode],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://dreamverse.dev/protocol/v{PROTOCOL_VERSION}.schema.json",
        "title": "DreamverseProtocol",
        "description": "The Dreamverse websocket protocol (`/ws`), generated from `runtime/protocol/`.",
        "x-protocol-version": PROTOCOL_VERSION,
        "type": "object",
        "properties": {
            "client": {"$ref": "#/$defs/ClientMessage"},
            "server": {"$ref": "#/$defs/ServerEvent"},
            "error_code": {"$ref": "#/$defs/ErrorCode"},
            "close_code": {"$ref": "#/$defs/CloseCode"},
        },
        "$defs": dict(sorted(defs.items())),
    }


def render() -> str:
    return json.dumps(protocol_schema(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed schema is stale")
    args = parser.parse_args(argv)
    path, text = schema_path(), render()
    if args.check:
        current = path.read_text(encoding="utf-8") if path.is_file() else ""
        if current != text:
            print(f"{path} is out of date; run `python -m dreamverse.runtime.protocol.schema`")
            return 1
        return 0
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
