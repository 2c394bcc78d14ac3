"""Logging set-up for the runtime process (workers have `workers.logs`)."""

from __future__ import annotations

import logging
import re
import sys

# `?token=…` in a URL that uvicorn logs (websocket handshakes, access lines); bearer headers are never logged.
_TOKEN_IN_URL = re.compile(r"([?&]token=)[^&\s\"']*", re.IGNORECASE)


class RedactTokens(logging.Filter):
    """Replaces token values in every record with `***` before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _TOKEN_IN_URL.sub(r"\1***", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s [runtime] %(name)s: %(message)s"))
    handler.addFilter(RedactTokens())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("uvicorn.access",):
        logging.getLogger(noisy).setLevel(logging.WARNING)
