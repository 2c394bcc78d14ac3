"""Turns one websocket frame from a client into a `ClientMessage`, or a typed `ProtocolError`."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from dreamverse.runtime.errors import (
    BinaryNotAccepted,
    InvalidMessage,
    MessageTooLarge,
    PromptTooLong,
    ProtocolError,
    UnknownMessageType,
)
from dreamverse.runtime.protocol.client import CLIENT_MESSAGE_ADAPTER, ClientMessage


@dataclass(frozen=True, slots=True)
class MessageLimits:
    max_message_bytes: int
    max_prompt_chars: int
    max_prompts: int


def parse_client_message(frame: str | bytes, limits: MessageLimits) -> ClientMessage:
    if isinstance(frame, bytes):
        raise BinaryNotAccepted("binary frames are not accepted from clients; send JSON text")
    if len(frame) > limits.max_message_bytes:
        raise MessageTooLarge(f"message is {len(frame)} bytes; the limit is {limits.max_message_bytes}")
    context = {"max_prompt_chars": limits.max_prompt_chars, "max_prompts": limits.max_prompts}
    try:
        return CLIENT_MESSAGE_ADAPTER.validate_json(frame, context=context)
    except ValidationError as exc:
        raise _protocol_error(exc) from exc


def _protocol_error(exc: ValidationError) -> ProtocolError:
    errors = exc.errors(include_url=False, include_input=False)
    first = errors[0]
    where = ".".join(str(p) for p in first["loc"])
    # The union's own errors come first: they have an empty `loc`, like a non-object message does.
    if first["type"] == "union_tag_invalid":
        return UnknownMessageType(first.get("ctx", {}).get("tag"))
    if first["type"] == "union_tag_not_found":
        return InvalidMessage("message has no `type` field")
    if first["type"] == "prompt_too_long":
        return PromptTooLong(f"{where}: {first['msg']}")
    if first["type"] == "json_invalid":
        return InvalidMessage("message is not valid JSON")
    if not first["loc"] or first["type"] in {"model_attributes_type", "model_type"}:
        return InvalidMessage("message must be a JSON object")
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return InvalidMessage(f"{where}: {first['msg']}{more}")
