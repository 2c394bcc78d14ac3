"""Logging set-up for a worker process: one line per record, prefixed with the worker's name."""

from __future__ import annotations

import logging
import sys


def configure_worker_logging(level: str, name: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(f"%(asctime)s %(levelname)s [{name}] %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
