"""`GET /prompt-system-config` (public read) and `PUT /prompt-system-config` (admin token only).

The app provides `app.state.prompt_store` (a `SystemPromptStore`) and
`app.state.settings.prompts.admin_token` (a `SecretStr`, a `str` or None). PUT answers 403 when no admin
token is configured, 401 for a missing or wrong `Authorization: Bearer <token>`, 413 for a body over
`MAX_BODY_BYTES`, 422 for a body that is not a valid update; all errors are `{"error": {"code", "message"}}`.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging

from pydantic import SecretStr
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from dreamverse.runtime.bodies import BodyTooLarge, read_limited_body
from dreamverse.runtime.prompts.store import SystemPromptStore, SystemPromptValidationError

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


def _configured_token(request: Request) -> str | None:
    token = request.app.state.settings.prompts.admin_token
    if isinstance(token, SecretStr):
        token = token.get_secret_value()
    return token or None


def _authorize(request: Request) -> JSONResponse | None:
    expected = _configured_token(request)
    if expected is None:
        return _error(403, "admin_disabled", "editing is disabled: no admin token is configured")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), expected.encode()):
        return _error(
            401, "unauthorized", "a valid admin bearer token is required", {"WWW-Authenticate": "Bearer"}
        )
    return None


async def get_prompt_system_config(request: Request) -> JSONResponse:
    store: SystemPromptStore = request.app.state.prompt_store
    return JSONResponse(store.snapshot())


async def put_prompt_system_config(request: Request) -> JSONResponse:
    denied = _authorize(request)
    if denied is not None:
        return denied
    try:
        body = await read_limited_body(request, MAX_BODY_BYTES)
    except BodyTooLarge:
        return _error(413, "body_too_large", f"body over {MAX_BODY_BYTES} bytes")
    store: SystemPromptStore = request.app.state.prompt_store
    try:
        prompts = store.validate(json.loads(body))
    except json.JSONDecodeError:
        return _error(422, "invalid_json", "the body is not JSON")
    except SystemPromptValidationError as exc:
        return _error(422, "invalid_system_prompts", str(exc))
    try:
        snapshot = await asyncio.to_thread(store.update, prompts)
    except OSError as exc:
        logger.error("cannot save system prompts to %s: %s", store.directory, exc)
        return _error(500, "storage_failed", "the system prompts could not be saved")
    logger.info("system prompts edited by admin from %s", request.client.host if request.client else "?")
    return JSONResponse(snapshot)


routes = [
    Route("/prompt-system-config", get_prompt_system_config, methods=["GET"]),
    Route("/prompt-system-config", put_prompt_system_config, methods=["PUT"]),
]
