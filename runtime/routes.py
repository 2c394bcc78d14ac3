"""HTTP routes: health, readiness, status, Prometheus metrics and MP4 export."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute

from dreamverse.runtime.auth import token_accepted
from dreamverse.runtime.exporting import export_upload
from dreamverse.runtime.version import __version__

if TYPE_CHECKING:
    from dreamverse.runtime.app import AppState

_STARTED = time.time()


def _state(request: Request) -> AppState:
    return request.app.state.dreamverse  # type: ignore[no-any-return]


def _authorized(request: Request) -> bool:
    return token_accepted(request, _state(request).settings.server.auth_token)


def _unauthorized() -> JSONResponse:
    return JSONResponse({"error": "unauthorized", "detail": "missing or wrong token"}, status_code=401)


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok", "service": "dreamverse", "version": __version__, "ts": time.time()})


async def readyz(request: Request) -> JSONResponse:
    state = _state(request)
    workers = state.pool.counts()
    ready = workers["ready"] + workers["busy"] > 0
    body = {
        "status": "ready" if ready else "warming",
        "workers": workers,
        "queue": {"waiting": state.slots.depth, "cap": state.settings.session.queue_cap},
        "prompts": state.prompts.readiness(),
        "limits": _limits(state),
        "safety": "on" if state.safety is not None else "off",
    }
    if not ready:
        body["detail"] = (
            "no worker is warm yet" if workers["dead"] < workers["total"] else "all workers are down"
        )
    return JSONResponse(body, status_code=200 if ready else 503)


def _limits(state: AppState) -> dict[str, float]:
    cfg = state.settings.session
    return {**cfg.limits().model_dump(), "segment_cap": cfg.segment_cap, "max_session_s": cfg.max_session_s}


async def status(request: Request) -> JSONResponse:
    if not _authorized(request):
        return _unauthorized()
    state = _state(request)
    workers = state.pool.counts()
    return JSONResponse(
        {
            "version": __version__,
            "uptime_s": time.time() - _STARTED,
            "model": state.settings.model.model,
            "total_gpus": workers["total"],
            "available_gpus": workers["available"],
            "workers": state.pool.describe(),
            "queue": {"waiting": state.slots.depth, "cap": state.settings.session.queue_cap},
            "limits": _limits(state),
            "sessions": state.registry.counts(),
            "sessions_started": state.registry.started_total,
            "prompts": state.prompts.status(),
        }
    )


async def metrics(request: Request) -> PlainTextResponse:
    if not _authorized(request):
        return PlainTextResponse("unauthorized\n", status_code=401)
    state = _state(request)
    lines: list[str] = []

    def gauge(name: str, help_text: str, samples: list[tuple[dict[str, Any], float]]) -> None:
        lines.extend([f"# HELP {name} {help_text}", f"# TYPE {name} gauge"])
        for labels, value in samples:
            label_text = ",".join(f'{k}="{v}"' for k, v in labels.items())
            lines.append(f"{name}{{{label_text}}} {value}" if label_text else f"{name} {value}")

    counts = state.pool.counts()
    gauge(
        "dreamverse_workers",
        "Workers by state.",
        [({"state": k}, v) for k, v in counts.items() if k != "total"],
    )
    gauge("dreamverse_queue_waiting", "Sessions waiting for a slot.", [({}, state.slots.depth)])
    sessions = state.registry.counts()
    gauge(
        "dreamverse_sessions",
        "Sessions by phase.",
        [({"phase": k}, v) for k, v in sessions.items() if k != "total"],
    )
    gauge("dreamverse_sessions_started", "Sessions started since boot.", [({}, state.registry.started_total)])
    served = [({"gpu": d["gpu_id"]}, d["segments_served"]) for d in state.pool.describe()]
    gauge("dreamverse_segments_served", "Segments streamed per worker.", served)
    restarts = [({"gpu": d["gpu_id"]}, d["restarts"]) for d in state.pool.describe()]
    gauge("dreamverse_worker_restarts", "Restarts per worker.", restarts)
    return PlainTextResponse("\n".join(lines) + "\n", media_type="text/plain; version=0.0.4")


async def export(request: Request) -> Response:
    """Segments' fMP4 bytes back to back (as a client received them) → one progressive MP4."""
    if not _authorized(request):
        return _unauthorized()
    state = _state(request)
    return await export_upload(request, state.settings, state.export_slots)


async def no_frontend(request: Request) -> PlainTextResponse:
    return PlainTextResponse(
        "Dreamverse server is running, but the browser workspace is not built. Run `make frontend` "
        "(or `make run`), or connect a client to /ws.\n"
    )


def prompt_routes() -> list[BaseRoute]:
    from dreamverse.runtime.prompts.routes import routes

    return list(routes)
