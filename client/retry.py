"""How the client waits between attempts: exponential backoff with jitter, bounded in count and size."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 8  # tries after the first failure; 0 = never retry
    initial_s: float = 0.5
    max_s: float = 8.0
    factor: float = 2.0
    jitter: float = 0.2  # ± this fraction of each delay, so many clients do not retry in lockstep

    def delays(self) -> Iterator[float]:
        """The wait before each retry."""
        delay = self.initial_s
        for _ in range(self.attempts):
            yield delay * (1 + random.uniform(-self.jitter, self.jitter))
            delay = min(delay * self.factor, self.max_s)


@dataclass(frozen=True, slots=True)
class ClientTimeouts:
    connect_s: float = 10.0  # opening the socket and receiving `session_ready`
    reply_s: float = 60.0  # a call that waits for the server's answer (`append`, `rewrite`)
    slot_s: float = 600.0  # `start` waiting in the queue for a slot, retries included
