"""`GET /prompt-system-config` (public read) and `PUT /prompt-system-config` (admin token only).

The app provides `app.state.prompt_store` (a `SystemPromptStore`) and `app.state.settings.prompts` (the
`PromptSettings`). GET answers in upstream's shape (`next_segment_system_prompt`, …, `rewrite_model`,
`rewrite_temperature`) with ours alongside (`prompts`, `customized`, `version`, …). PUT answers 403 when no
admin token is configured, 401 for a missing or wrong `Authorization: Bearer <token>`, 413 for a body over
`MAX_BODY_BYTES`, 422 for a body that is not a valid update; errors have the one HTTP error body
(`runtime/protocol/errors.py`).
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from dreamverse.runtime.auth import admin_accepted
from dreamverse.runtime.bodies import BodyTooLarge, read_limited_body
from dreamverse.runtime.errors import AdminDisabled, InvalidBody, MessageTooLarge, StorageFailed, Unauthorized
from dreamverse.runtime.prompts.settings import PromptSettings
from dreamverse.runtime.prompts.store import SystemPromptStore, SystemPromptValidationError
from dreamverse.runtime.protocol.errors import error_response

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024

# Upstream's name of each of our system prompts (`rollout_from_idea` is upstream's "rewrite user" prompt:
# a typed idea expanded into a whole rollout).
UPSTREAM_PROMPT_KEYS = {
    "next_segment_system_prompt": "enhance",
    "auto_extension_system_prompt": "auto_extend",
    "rewrite_window_system_prompt": "rewrite_window",
    "rewrite_user_system_prompt": "rollout_from_idea",
}


def _settings(request: Request) -> PromptSettings:
    return request.app.state.settings.prompts  # type: ignore[no-any-return]


def _config(store: SystemPromptStore, settings: PromptSettings) -> dict[str, Any]:
    snapshot = store.snapshot()
    models = sorted({p.name for p in settings.llm_providers} | {p.model for p in settings.llm_providers})
    upstream: dict[str, Any] = {key: snapshot["prompts"][ours] for key, ours in UPSTREAM_PROMPT_KEYS.items()}
    upstream["rewrite_model"] = settings.llm_providers[0].name if settings.llm_providers else "local"
    upstream["rewrite_model_options"] = models or ["local"]
    upstream["rewrite_temperature"] = settings.llm_temperature
    return {**upstream, **snapshot}


def _authorize(request: Request) -> JSONResponse | None:
    token = _settings(request).admin_token
    if token is None or not token.get_secret_value():
        return error_response(AdminDisabled("editing is disabled: no admin token is configured"))
    if not admin_accepted(request, token.get_secret_value()):
        return error_response(
            Unauthorized("a valid admin bearer token is required"), {"WWW-Authenticate": "Bearer"}
        )
    return None


async def get_prompt_system_config(request: Request) -> JSONResponse:
    return JSONResponse(_config(request.app.state.prompt_store, _settings(request)))


async def put_prompt_system_config(request: Request) -> JSONResponse:
    denied = _authorize(request)
    if denied is not None:
        return denied
    try:
        body = await read_limited_body(request, MAX_BODY_BYTES)
    except BodyTooLarge:
        return error_response(MessageTooLarge(f"body over {MAX_BODY_BYTES} bytes"))
    store: SystemPromptStore = request.app.state.prompt_store
    try:
        prompts = store.validate(json.loads(body))
    except json.JSONDecodeError:
        return error_response(InvalidBody("the body is not JSON"))
    except SystemPromptValidationError as exc:
        return error_response(InvalidBody(str(exc)))
    try:
        await asyncio.to_thread(store.update, prompts)
    except OSError as exc:
        logger.error("cannot save system prompts to %s: %s", store.directory, exc)
        return error_response(StorageFailed("the system prompts could not be saved"))
    logger.info("system prompts edited by admin from %s", request.client.host if request.client else "?")
    return JSONResponse(_config(store, _settings(request)))


routes = [
    Route("/prompt-system-config", get_prompt_system_config, methods=["GET"]),
    Route("/prompt-system-config", put_prompt_system_config, methods=["PUT"]),
]
