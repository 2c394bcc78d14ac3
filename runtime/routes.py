"""HTTP routes: health, readiness, status, curated presets, Prometheus metrics and MP4 export.

Where upstream's client reads a route (`/healthz`, `/readyz`, `/status`, `/curated-presets`), the answer has
upstream's fields, with ours alongside. Errors have the one HTTP error body (`runtime/protocol/errors.py`).
"""

from __future__ import annotations

import json
import time
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute

from dreamverse.runtime.auth import token_accepted
from dreamverse.runtime.errors import Unauthorized
from dreamverse.runtime.exporting import export_upload
from dreamverse.runtime.protocol.errors import error_response
from dreamverse.runtime.version import __version__

if TYPE_CHECKING:
    from dreamverse.runtime.app import AppState

_STARTED = time.time()
CURATED_PRESETS = Path(__file__).resolve().parent / "curated_presets.json"
# Upstream's `service` names, which its client and specs check: the real backend or the mock server.
SERVICE_NAMES = {"synthetic": "ltx2-streaming-mock-server"}
SERVICE_NAME = "ltx2-streaming-backend"


def _state(request: Request) -> AppState:
    return request.app.state.dreamverse  # type: ignore[no-any-return]


def _authorized(request: Request) -> bool:
    return token_accepted(request, _state(request).settings.server.auth_token)


def _unauthorized() -> JSONResponse:
    return error_response(Unauthorized("missing or wrong token"))


async def healthz(request: Request) -> JSONResponse:
    service = SERVICE_NAMES.get(_state(request).settings.model.model, SERVICE_NAME)
    body = {"status": "ok", "service": service, "server": "dreamverse", "version": __version__}
    return JSONResponse({**body, "ts": time.time()})


async def readyz(request: Request) -> JSONResponse:
    state = _state(request)
    workers = state.slots.counts()
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
    workers = state.slots.counts()
    described = state.slots.describe()
    return JSONResponse(
        {
            **_upstream_pool_status(described, state.slots.depth),
            "version": __version__,
            "uptime_s": time.time() - _STARTED,
            "model": state.settings.model.model,
            "total_gpus": workers["total"],  # upstream's name: slots, each one GPU or one group of `sp_size`
            "available_gpus": workers["available"],
            "sp_size": state.settings.model.sp_size,
            "workers": described,
            "queue": {"waiting": state.slots.depth, "cap": state.settings.session.queue_cap},
            "limits": _limits(state),
            "sessions": state.registry.counts(),
            "sessions_started": state.registry.started_total,
            "prompts": state.prompts.status(),
        }
    )


def _upstream_pool_status(workers: list[dict[str, Any]], waiting: int) -> dict[str, Any]:
    """Upstream's pool summary (`queue_size`, `warmup_*`, `gpu_status` by GPU id) from our worker list."""
    gpu_status = {
        str(w["gpu_id"]): {
            "ready": w["state"] in {"ready", "busy"},
            "available": w["state"] == "ready" and w["current_session"] is None,
            "client_count": 0 if w["current_session"] is None else 1,
            "current_model_id": w["generator"],
            "process_alive": w["pid"] is not None and w["state"] != "dead",
            "warmup_enabled": True,
            "warmup_success": w["warmup_s"] is not None,
            "warmup_error": w["last_failure"] if w["state"] == "dead" else None,
            "warmup_timings": {k: w[k] for k in ("load_s", "warmup_s") if w[k] is not None},
        }
        for w in workers
    }
    return {
        "queue_size": waiting,
        "warmup_enabled": True,
        "warmup_successful_gpus": sum(1 for g in gpu_status.values() if g["warmup_success"]),
        "warmup_failed_gpus": sum(1 for g in gpu_status.values() if g["warmup_error"] is not None),
        "gpu_status": gpu_status,
    }


@cache
def _curated_presets() -> list[dict[str, Any]]:
    presets: list[dict[str, Any]] = json.loads(CURATED_PRESETS.read_text(encoding="utf-8"))
    return presets


async def curated_presets(request: Request) -> JSONResponse:
    """The shipped presets in upstream's shape (`id`, `label`, `description`, `segment_prompts`)."""
    presets = [
        {"id": p["id"], "label": p["label"], "description": p["summary"], "segment_prompts": p["prompts"]}
        for p in _curated_presets()
    ]
    return JSONResponse({"presets": presets, "count": len(presets)})


async def metrics(request: Request) -> PlainTextResponse | JSONResponse:
    if not _authorized(request):
        return _unauthorized()
    state = _state(request)
    lines: list[str] = []

    def gauge(name: str, help_text: str, samples: list[tuple[dict[str, Any], float]]) -> None:
        lines.extend([f"# HELP {name} {help_text}", f"# TYPE {name} gauge"])
        for labels, value in samples:
            label_text = ",".join(f'{k}="{v}"' for k, v in labels.items())
            lines.append(f"{name}{{{label_text}}} {value}" if label_text else f"{name} {value}")

    counts = state.slots.counts()
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
    served = [({"gpu": d["gpu_id"]}, d["segments_served"]) for d in state.slots.describe()]
    gauge("dreamverse_segments_served", "Segments streamed per worker.", served)
    restarts = [({"gpu": d["gpu_id"]}, d["restarts"]) for d in state.slots.describe()]
    gauge("dreamverse_worker_restarts", "Restarts per worker.", restarts)
    groups = [
        (
            {"gpu": d["gpu_id"], "gpus": ",".join(map(str, d["gpus"])), "sp_size": d["sp_size"]},
            float(len(d["gpus"])),
        )
        for d in state.slots.describe()
        if "gpus" in d  # a cluster replica lists other hosts' slots without their GPUs
    ]
    gauge("dreamverse_worker_gpus", "GPUs per worker slot (a sequence-parallel group has several).", groups)
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
