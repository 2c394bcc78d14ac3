"""Parsing client messages keeps nothing of them: a session's prompts and tokens go when its objects do."""

from __future__ import annotations

import gc
import json
import sys

from dreamverse.runtime.protocol.parse import MessageLimits, parse_client_message

LIMITS = MessageLimits(max_message_bytes=1 << 20, max_prompt_chars=2000, max_prompts=64)


def _parse_unique(count: int, first: int) -> None:
    for i in range(first, first + count):
        init = {"type": "session_init_v2", "curated_prompts": [f"prompt {i}"], "enhancement_enabled": False}
        resume = {"type": "session_resume", "session_id": f"s{i}", "resume_token": f"token-{i:026d}"}
        parse_client_message(json.dumps(init), LIMITS)
        parse_client_message(json.dumps(resume), LIMITS)


def test_parsing_unique_messages_retains_no_memory() -> None:
    _parse_unique(200, 0)  # warm: validators, the keys' cache entries
    gc.collect()
    before = sys.getallocatedblocks()
    _parse_unique(2000, 10**6)
    gc.collect()
    # pydantic's default JSON string cache would keep ~2 strings per message pair (4,000 blocks here).
    assert sys.getallocatedblocks() - before < 100
