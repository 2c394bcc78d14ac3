"""Wire-level constants: the protocol version, error codes and websocket close codes."""

from __future__ import annotations

from enum import IntEnum, StrEnum

# Announced in `session_ready`. Additions (new events, optional fields) keep it; anything else bumps it.
PROTOCOL_VERSION = 1


class ErrorCode(StrEnum):
    """The `code` of every `error` event."""

    INVALID_MESSAGE = "invalid_message"  # not JSON, not an object, no `type`, wrong or missing field
    UNKNOWN_MESSAGE_TYPE = "unknown_message_type"  # a `type` this server does not know (named in `message`)
    BINARY_NOT_ACCEPTED = "binary_not_accepted"
    MESSAGE_TOO_LARGE = "message_too_large"
    PROMPT_TOO_LONG = "prompt_too_long"
    INVALID_IMAGE = "invalid_image"
    RATE_LIMITED = "rate_limited"
    UNEXPECTED_MESSAGE = "unexpected_message"  # valid, but not in this session phase
    UNAUTHORIZED = "unauthorized"
    QUEUE_FULL = "queue_full"
    QUEUE_TIMEOUT = "queue_timeout"
    COORDINATOR_UNAVAILABLE = "coordinator_unavailable"  # scale-out: Redis cannot be reached (retry)
    IDLE_TIMEOUT = "idle_timeout"
    RESUME_FAILED = "resume_failed"
    PENDING_PROMPTS_FULL = "pending_prompts_full"
    PROMPT_BLOCKED = "prompt_blocked"
    PROMPT_SERVICE_FAILED = "prompt_service_failed"
    WORKER_LOST = "worker_lost"
    WORKER_FAILED = "worker_failed"
    SEGMENT_TIMEOUT = "segment_timeout"
    UNKNOWN_BRANCH = (
        "unknown_branch"  # fork_from_segment / switch_branch / export name no branch of the session
    )
    UNKNOWN_SEGMENT = "unknown_segment"  # that branch has no such segment (yet)
    SEGMENT_EVICTED = (
        "segment_evicted"  # the segment's stored state or media was evicted to keep the store bound
    )
    INTERNAL = "internal"
    # HTTP only
    ADMIN_DISABLED = "admin_disabled"
    EXPORT_BUSY = "export_busy"
    TOO_LARGE = "too_large"
    HOST_NOT_ALLOWED = "host_not_allowed"
    ORIGIN_REQUIRED = "origin_required"
    ORIGIN_NOT_ALLOWED = "origin_not_allowed"
    INVALID_BODY = "invalid_body"
    INVALID_MEDIA = "invalid_media"
    STORAGE_FAILED = "storage_failed"


class CloseCode(IntEnum):
    """Websocket close codes the server uses (upstream's where it has one)."""

    NORMAL = 1000  # leave, session timeout, idle timeout
    GOING_AWAY = 1001  # server shutting down
    UNSUPPORTED_DATA = 1003  # invalid initial image (upstream)
    POLICY_VIOLATION = 1008  # blocked first prompt (upstream), unauthorized, rate limit abuse
    TRY_AGAIN_LATER = 1013  # queue full
