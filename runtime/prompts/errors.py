"""Errors of the LLM prompt services. The service absorbs all of them into a fallback; they surface only
as the `error` text of a result and in logs.

    PromptServiceError (dreamverse.runtime.errors)
    ├── LLMTransientError           worth another try at the same provider (`transient = True`)
    │   ├── LLMTimeout              no answer within `llm_timeout_s` (or the whole operation timed out)
    │   ├── LLMRateLimited          HTTP 429
    │   ├── LLMServerError          HTTP 5xx
    │   └── LLMConnectionError      refused, reset, DNS
    ├── LLMRequestRejected          other HTTP 4xx (bad key, unknown model): not retried
    ├── LLMBadOutput                no JSON, wrong shape, empty or too long prompts
    ├── LLMOutputBlocked            the safety filter blocked what the LLM wrote
    └── LLMAllProvidersFailed       every provider failed; `errors` holds each one's reason

`map_openai_errors` translates the `openai` client's exceptions at the boundary.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import openai

from dreamverse.runtime.errors import PromptServiceError


class LLMError(PromptServiceError):
    transient: bool = False


class LLMTransientError(LLMError):
    transient = True


class LLMTimeout(LLMTransientError):
    pass


class LLMRateLimited(LLMTransientError):
    pass


class LLMServerError(LLMTransientError):
    pass


class LLMConnectionError(LLMTransientError):
    pass


class LLMRequestRejected(LLMError):
    pass


class LLMBadOutput(LLMError):
    pass


class LLMOutputBlocked(LLMError):
    def __init__(self, message: str, category: str | None) -> None:
        super().__init__(message)
        self.category = category


class LLMAllProvidersFailed(LLMError):
    def __init__(self, errors: dict[str, LLMError]) -> None:
        summary = "; ".join(f"{name}: {err.message}" for name, err in errors.items()) or "no provider"
        super().__init__(f"all LLM providers failed ({summary})")
        self.errors = errors


@contextmanager
def map_openai_errors(provider: str) -> Iterator[None]:
    """Translate `openai` (and timeout) exceptions into ours, naming the provider."""
    try:
        yield
    except (TimeoutError, openai.APITimeoutError) as exc:
        raise LLMTimeout(f"{provider}: timed out") from exc
    except openai.APIConnectionError as exc:
        raise LLMConnectionError(f"{provider}: connection failed ({exc})") from exc
    except openai.RateLimitError as exc:
        raise LLMRateLimited(f"{provider}: rate limited (429)") from exc
    except openai.InternalServerError as exc:
        raise LLMServerError(f"{provider}: server error ({exc.status_code})") from exc
    except openai.APIStatusError as exc:
        if exc.status_code in (408, 409):
            raise LLMServerError(f"{provider}: retryable status {exc.status_code}") from exc
        raise LLMRequestRejected(f"{provider}: request rejected ({exc.status_code})") from exc
    except (openai.APIResponseValidationError, openai.APIError, ValueError) as exc:
        raise LLMBadOutput(f"{provider}: unreadable response ({type(exc).__name__})") from exc
