"""Errors of the worker layer (the runtime maps them onto its wire error codes)."""

from __future__ import annotations


class WorkerGone(Exception):
    """The worker process serving a lease died or was killed."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail
