"""The ASGI app: Starlette routes over the worker pool, the slot queue and the session registry.

The server listens at once; workers load in the background. `/healthz` is 200 from the start, `/readyz`
503 until a worker is warm.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket

from dreamverse.runtime import routes
from dreamverse.runtime.capacity import Slots
from dreamverse.runtime.guard import RequestGuard, RequestPolicy
from dreamverse.runtime.prompts.service import PromptService
from dreamverse.runtime.prompts.store import SystemPromptStore
from dreamverse.runtime.segments.root import segment_stores
from dreamverse.runtime.segments.routes import routes as segment_routes
from dreamverse.runtime.session.connection import serve_websocket
from dreamverse.runtime.session.registry import SessionRegistry
from dreamverse.runtime.session.services import SessionServices
from dreamverse.runtime.settings import Settings
from dreamverse.runtime.slots import SlotQueue
from dreamverse.runtime.version import __version__
from dreamverse.safety.filter import SafetyFilter
from dreamverse.workers.gpus import worker_specs
from dreamverse.workers.spec import WorkerSpec
from dreamverse.workers.supervisor import WorkerPool

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"


@dataclass(slots=True)
class AppState:
    settings: Settings
    pool: WorkerPool | None  # None in scale-out mode: the workers belong to `dreamverse-worker` agents
    slots: Slots
    registry: SessionRegistry
    prompts: PromptService
    safety: SafetyFilter | None
    export_slots: asyncio.Semaphore


def create_app(settings: Settings) -> Starlette:
    # placed before listening, so that a bad --gpus fails at once
    specs = [] if settings.cluster.redis else worker_specs(settings.worker_template(), settings.model.gpus)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            state = await _start(settings, specs, stack)
            app.state.dreamverse = state
            app.state.settings = settings
            app.state.prompt_store = state.prompts.store
            yield
            logger.info("shutting down")
            state.registry.close_all()

    static_dir = Path(settings.server.static_dir) if settings.server.static_dir else STATIC_DIR
    app_routes = [
        Route("/healthz", routes.healthz),
        Route("/readyz", routes.readyz),
        Route("/status", routes.status),
        Route("/metrics", routes.metrics),
        Route("/curated-presets", routes.curated_presets),
        Route("/export", routes.export, methods=["POST"]),
        *routes.prompt_routes(),
        *segment_routes,
        WebSocketRoute("/ws", _websocket),
    ]
    if static_dir.is_dir():
        app_routes.append(Mount("/", StaticFiles(directory=static_dir, html=True), name="static"))
    else:
        app_routes.append(Route("/", routes.no_frontend))
    return Starlette(routes=app_routes, lifespan=lifespan, middleware=_middleware(settings))


def _middleware(settings: Settings) -> list[Middleware]:
    """The Host/Origin guard outermost; CORS headers only for explicitly listed origins."""
    server = settings.server
    policy = RequestPolicy.build(
        bind_host=server.host,
        port=server.port,
        hosts=server.allowed_hosts,
        origins=server.allowed_origins,
        has_token=bool(server.auth_token),
    )
    middleware = [Middleware(RequestGuard, policy=policy)]
    if server.allowed_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=server.allowed_origins,
                allow_methods=["GET", "POST", "PUT"],
                allow_headers=["Authorization", "Content-Type"],
                allow_credentials=False,
            )
        )
    return middleware


async def _start_slots(
    settings: Settings, specs: list[WorkerSpec], stack: contextlib.AsyncExitStack
) -> tuple[WorkerPool | None, Slots]:
    """Local worker processes and an in-process queue, or (`--redis`) the queue shared by replicas."""
    if settings.cluster.redis:
        from dreamverse.runtime.cluster.setup import start_redis_slots

        return None, await start_redis_slots(settings, stack)
    pool = WorkerPool(specs, settings.workers.pool_timeouts())
    await pool.start()
    stack.push_async_callback(pool.stop)
    return pool, SlotQueue(pool, settings.session.queue_cap)


async def _start(settings: Settings, specs: list[WorkerSpec], stack: contextlib.AsyncExitStack) -> AppState:
    pool, slots = await _start_slots(settings, specs, stack)
    safety = None
    if settings.safety.safety_enabled:
        safety = await asyncio.to_thread(SafetyFilter.from_settings, settings.safety)
    store = await asyncio.to_thread(SystemPromptStore.from_settings, settings.prompts)
    prompts = PromptService.from_settings(settings.prompts, store=store, safety=safety)
    stack.push_async_callback(prompts.aclose)
    cfg = settings.session
    segments = stack.enter_context(
        segment_stores(cfg.session_store_dir, cfg.session_store_max_bytes, cfg.session_store_memory_bytes)
    )
    services = SessionServices(prompts, safety, cfg.max_image_bytes, cfg.max_image_pixels, segments)
    tg = await stack.enter_async_context(asyncio.TaskGroup())
    takeovers = None
    if settings.cluster.redis:
        from dreamverse.runtime.cluster import setup
        from dreamverse.runtime.cluster.queue import RedisSlotQueue

        assert isinstance(slots, RedisSlotQueue)
        takeovers = setup.takeovers(settings, slots, tg)
    registry = SessionRegistry(settings, slots, services, tg, __version__, takeovers)
    if takeovers is not None:
        setup.watch_takeovers(registry, tg, stack)
    stack.callback(registry.close_all)  # runs before the task group waits for the sessions
    if pool is not None:
        logger.info(
            "dreamverse %s: %d worker(s) for model %r starting", __version__, len(specs), settings.model.model
        )
    export_slots = asyncio.Semaphore(settings.server.max_concurrent_exports)
    return AppState(settings, pool, slots, registry, prompts, safety, export_slots)


async def _websocket(websocket: WebSocket) -> None:
    state: AppState = websocket.app.state.dreamverse
    await serve_websocket(websocket, state.settings, state.registry)
