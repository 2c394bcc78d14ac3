"""Golden messages: one JSON file per message and event in `golden/`, read by pytest here and by vitest.

Each file pins a message exactly: parsing it with the protocol's model and dumping it again gives the same
JSON. Every message type has one, and the committed JSON Schema is the one the models export.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from dreamverse.runtime.protocol import schema, server
from dreamverse.runtime.protocol.client import ClientMessage
from dreamverse.runtime.protocol.codes import PROTOCOL_VERSION
from dreamverse.runtime.protocol.parse import MessageLimits, parse_client_message
from dreamverse.runtime.reference_docs import message_models, wire_type

GOLDEN = Path(__file__).parent / "golden"
CLIENT = {wire_type(m): m for m in message_models(ClientMessage)}
SERVER = {wire_type(m): m for m in message_models(server.ServerEvent)}
LIMITS = MessageLimits(max_message_bytes=1 << 20, max_prompt_chars=2000, max_prompts=64)


def _golden(side: str) -> dict[str, Any]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((GOLDEN / side).glob("*.json"))}


def test_every_message_and_event_has_a_golden_file() -> None:
    assert set(_golden("client")) == set(CLIENT)
    assert set(_golden("server")) == set(SERVER)


@pytest.mark.parametrize(("name", "message"), sorted(_golden("client").items()))
def test_client_golden_parses_to_its_model_and_back(name: str, message: dict[str, Any]) -> None:
    parsed = parse_client_message(json.dumps(message), LIMITS)
    assert type(parsed) is CLIENT[name] and message["type"] == name
    assert parsed.model_dump(mode="json", exclude_unset=True) == message


@pytest.mark.parametrize(("name", "event"), sorted(_golden("server").items()))
def test_server_golden_is_exactly_what_the_model_sends(name: str, event: dict[str, Any]) -> None:
    model: type[BaseModel] = SERVER[name]
    assert event["type"] == name
    assert json.loads(model.model_validate(event).model_dump_json()) == event


def test_error_events_carry_upstreams_error_code() -> None:
    error = _golden("server")["error"]
    assert error["error_code"] == error["code"]


def test_committed_schema_is_the_one_the_models_export() -> None:
    path = schema.schema_path()
    assert path.is_file(), f"run `python -m dreamverse.runtime.protocol.schema` to write {path.name}"
    assert path.read_text(encoding="utf-8") == schema.render(), (
        "the protocol models changed; run `python -m dreamverse.runtime.protocol.schema` "
        "and `make -C frontend protocol` (and bump PROTOCOL_VERSION for anything but additions)"
    )


def test_schema_is_versioned_with_the_protocol() -> None:
    exported = schema.protocol_schema()
    assert exported["x-protocol-version"] == PROTOCOL_VERSION
    assert schema.schema_path().name == f"protocol-v{PROTOCOL_VERSION}.schema.json"
    mapping = exported["$defs"]["ServerEvent"]["discriminator"]["mapping"]
    assert set(mapping) == set(SERVER)
    assert set(exported["$defs"]["ClientMessage"]["discriminator"]["mapping"]) == set(CLIENT)
