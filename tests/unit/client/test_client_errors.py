"""Error events become the runtime's own exception classes, chosen by code."""

from __future__ import annotations

import pytest

from dreamverse.client.cli import exit_code_of
from dreamverse.client.errors import ConnectionFailed, ServerError, error_from_event
from dreamverse.runtime import errors as re
from dreamverse.runtime.protocol.server import Error


def event(code: str, retryable: bool = False, **extra: object) -> Error:
    return Error(message=f"{code} happened", code=code, retryable=retryable, **extra)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        ("queue_full", re.QueueFull),
        ("invalid_message", re.InvalidMessage),
        ("worker_failed", re.WorkerFailed),
        ("worker_lost", re.WorkerLost),
        ("resume_failed", re.ResumeFailed),
        ("internal", re.DreamverseError),
    ],
)
def test_the_most_specific_class_of_a_code_is_chosen(code: str, cls: type[re.DreamverseError]) -> None:
    exc = error_from_event(event(code))
    assert type(exc) is cls and exc.message == f"{code} happened"


def runtime_error_classes() -> list[type[re.DreamverseError]]:
    found, pending = [], [re.DreamverseError]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return found


def test_every_code_a_runtime_error_declares_comes_back_as_that_error() -> None:
    declared = {cls.code for cls in runtime_error_classes() if "code" in vars(cls)}
    assert {"queue_full", "prompt_blocked", "segment_evicted"} <= declared
    for code in declared:
        exc = error_from_event(event(code.value))
        assert not isinstance(exc, ServerError) and exc.code == code


def test_the_events_retryable_and_safety_fields_are_kept() -> None:
    exc = error_from_event(event("prompt_blocked", category="sexual", prompt_id="p1"))
    assert isinstance(exc, re.SafetyRejected)
    assert (exc.category, exc.prompt_id, exc.retryable) == ("sexual", "p1", False)
    assert error_from_event(event("queue_full", retryable=False)).retryable is False


def test_an_unknown_code_from_a_newer_server_keeps_its_text() -> None:
    exc = error_from_event(event("brand_new_code", retryable=True))
    assert isinstance(exc, ServerError) and exc.code_text == "brand_new_code" and exc.retryable


@pytest.mark.parametrize(
    ("exc", "code"),
    [
        (ConnectionFailed("x"), 3),
        (re.QueueFull("x"), 4),
        (re.SafetyRejected("x", "sexual"), 5),
        (re.PromptTooLong("x"), 6),
        (re.Unauthorized("x"), 11),
        (re.IdleTimeout("x"), 7),
        (re.WorkerLost("x"), 8),
        (RuntimeError("x"), 1),
    ],
)
def test_exit_codes_follow_the_error_class(exc: BaseException, code: int) -> None:
    assert exit_code_of(exc) == code


def test_errors_that_name_a_segment_keep_it() -> None:
    exc = error_from_event(event("segment_evicted", segment_idx=3))
    assert isinstance(exc, re.SegmentEvicted) and exc.segment_idx == 3
