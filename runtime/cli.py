"""`dreamverse-server` and `dreamverse-mock-server`.

Flags are generated from `Settings`: every field `foo_bar` is `--foo-bar`, its environment variable is
`DREAMVERSE_FOO_BAR`, and its help line is the field's description. A flag beats the environment.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, get_args

import uvicorn
from pydantic import ValidationError
from pydantic.fields import FieldInfo

from dreamverse.runtime.logs import configure_logging
from dreamverse.runtime.settings import Settings
from dreamverse.runtime.version import __version__

logger = logging.getLogger(__name__)

_MOCK_HIDDEN = {
    "model",
    "checkpoint",
    "text_encoder",
    "dtype",
    "schedule",
    "quantization",
    "compile",
    "cuda_graphs",
    "stream_decode",
    "attention",
}


_DESCRIPTIONS = {
    "dreamverse-server": "Real-time, steerable video generation: serves the websocket API and the workspace.",
    "dreamverse-mock-server": (
        "The Dreamverse runtime with the synthetic generator: the real protocol and media, no model."
    ),
    "dreamverse-worker": (
        "A GPU host's worker agent: registers its workers in Redis and serves segments for every replica."
    ),
}


def parser_for(prog: str) -> argparse.ArgumentParser:
    """The flags of a console script: `dreamverse-server`, `dreamverse-mock-server` or `dreamverse-worker`."""
    hidden = _MOCK_HIDDEN if prog == "dreamverse-mock-server" else ()
    return build_parser(prog, _DESCRIPTIONS[prog], hidden)


def build_parser(prog: str, description: str, hidden: Iterable[str] = ()) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    skip = set(hidden)
    for group_name, group_cls in Settings.groups().items():
        group = parser.add_argument_group(group_name)
        for name, field in group_cls.model_fields.items():
            if name not in skip:
                _add_flag(group, name, field)
    return parser


def _add_flag(group: argparse._ArgumentGroup, name: str, field: FieldInfo) -> None:
    flag = "--" + name.replace("_", "-")
    env = f"DREAMVERSE_{name.upper()}"
    default = field.get_default(call_default_factory=True)
    shown = "unset" if default is None else str(default).replace(str(Path.home()), "~")
    help_text = f"{field.description} [env {env}; default: {shown}]"
    kwargs: dict[str, Any] = {"dest": name, "default": None, "help": help_text}
    annotation = field.annotation
    if annotation is bool:
        kwargs["action"] = argparse.BooleanOptionalAction
    elif choices := _literal_choices(annotation):
        kwargs["choices"] = choices
    elif annotation in (int, float):
        kwargs["type"] = annotation
    elif annotation == int | None:
        kwargs["type"] = int
    elif annotation in (str, str | None):
        kwargs["type"] = str
    else:
        kwargs["type"] = _json_or_text
        kwargs["metavar"] = "VALUE"
    group.add_argument(flag, **kwargs)


def _literal_choices(annotation: Any) -> list[str] | None:
    args = get_args(annotation)
    if args and all(isinstance(a, str) for a in args):
        return list(args)
    return None


def _json_or_text(value: str) -> Any:
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return value


def settings_from_args(args: argparse.Namespace, fixed: dict[str, Any] | None = None) -> Settings:
    values = {k: v for k, v in vars(args).items() if v is not None}
    values.update(fixed or {})
    return Settings.from_flat(values)


def _serve(settings: Settings, banner: str) -> int:
    from dreamverse.runtime.app import create_app

    try:
        app = create_app(settings)
    except ValueError as exc:
        logger.error("%s", exc)
        return 2
    server = settings.server
    logger.info("%s: http://%s:%d/  (websocket /ws)", banner, server.host, server.port)
    config = uvicorn_config(app, settings)
    try:
        uvicorn.Server(config).run()
    except KeyboardInterrupt:  # uvicorn re-raises Ctrl+C after its graceful shutdown
        logger.info("stopped")
    return 0


def uvicorn_config(app: Any, settings: Settings) -> uvicorn.Config:
    server = settings.server
    return uvicorn.Config(
        app,
        host=server.host,
        port=server.port,
        ws_ping_interval=server.ws_ping_interval_s,
        ws_ping_timeout=server.ws_ping_timeout_s,
        ws_max_size=settings.session.max_message_bytes,
        # No permessage-deflate: nearly every byte sent is H.264/AAC, which does not compress, and deflating
        # it took a third of a replica's CPU under load (benchmarks/load.py); JSON events are small.
        ws_per_message_deflate=False,
        log_config=None,
        lifespan="on",
        timeout_graceful_shutdown=int(settings.workers.shutdown_timeout_s),
    )


def _parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None, fixed: dict[str, Any]) -> Settings:
    args = parser.parse_args(argv)
    try:
        return settings_from_args(args, fixed)
    except (ValidationError, ValueError) as exc:
        parser.error(str(exc))
        raise  # unreachable: parser.error exits


def server_main(argv: Sequence[str] | None = None) -> int:
    parser = parser_for("dreamverse-server")
    settings = _parse(parser, argv, {})
    configure_logging(settings.server.log_level)
    model = settings.model.model
    banner = f"Dreamverse {__version__} with model {model!r}"
    if model == "synthetic":
        banner += " (procedural video, no GPU needed; use --model ltx2 on a GPU host)"
    return _serve(settings, banner)


def mock_server_main(argv: Sequence[str] | None = None) -> int:
    parser = parser_for("dreamverse-mock-server")
    settings = _parse(parser, argv, {"model": "synthetic"})
    configure_logging(settings.server.log_level)
    return _serve(settings, f"Dreamverse mock server {__version__} (synthetic generator)")


def worker_main(argv: Sequence[str] | None = None) -> int:
    """`dreamverse-worker --redis URL`: serve this host's GPUs to the replicas sharing that Redis."""
    import asyncio
    import secrets
    import socket

    from dreamverse.workers.gpus import worker_specs
    from dreamverse.workers.remote.agent import AgentConfig, run_agent
    from dreamverse.workers.supervisor import WorkerPool

    parser = parser_for("dreamverse-worker")
    settings = _parse(parser, argv, {})
    configure_logging(settings.server.log_level)
    cluster = settings.cluster
    if cluster.redis is None:
        parser.error("dreamverse-worker needs --redis URL (DREAMVERSE_REDIS)")
    try:
        specs = worker_specs(settings.worker_template(), settings.model.gpus)
    except ValueError as exc:
        logger.error("%s", exc)
        return 2
    agent_id = cluster.agent_id or f"{socket.gethostname()}-{secrets.token_hex(3)}"
    config = AgentConfig(
        redis_url=cluster.redis,
        prefix=cluster.redis_prefix,
        agent_id=agent_id,
        model=settings.model.model,
        ttl_s=cluster.agent_ttl_s,
        timeout_s=cluster.redis_timeout_s,
        stream_max_len=cluster.stream_max_len,
        stream_ttl_s=cluster.stream_ttl_s,
    )
    logger.info("worker agent %s: %d worker(s) for model %r", agent_id, len(specs), settings.model.model)
    asyncio.run(run_agent(config, WorkerPool(specs, settings.workers.pool_timeouts())))
    return 0


if __name__ == "__main__":
    sys.exit(server_main())
