"""Server frames → the protocol's own event models (`dreamverse.runtime.protocol.server`), parsed once."""

from __future__ import annotations

import json
import logging
from typing import Annotated

from pydantic import Field, TypeAdapter, ValidationError

from dreamverse.runtime.protocol.server import ServerEvent

logger = logging.getLogger(__name__)

_EVENT_ADAPTER: TypeAdapter[ServerEvent] = TypeAdapter(Annotated[ServerEvent, Field(discriminator="type")])


def parse_event(text: str) -> ServerEvent | None:
    """The typed event in `text`; None (logged) for an event type this client does not know.

    A newer server may send events an older client has no model for; the protocol promises that ignoring
    them is safe. A known event that fails validation is a real protocol break and raises.
    """
    try:
        return _EVENT_ADAPTER.validate_json(text)
    except ValidationError as exc:
        if exc.errors()[0]["type"] != "union_tag_invalid":
            raise
        logger.debug("ignoring unknown event type %r", _type_of(text))
        return None


def _type_of(text: str) -> object:
    try:
        decoded = json.loads(text)
    except json.JSONDecodeError:
        return None
    return decoded.get("type") if isinstance(decoded, dict) else None
