"""Prompt memory, LLM prompt services and system prompts.

settings = PromptSettings()
store = SystemPromptStore.from_settings(settings)                 # reads files: off the event loop
service = PromptService.from_settings(settings, store=store, safety=safety_filter)
result = await service.enhance("make it rain", recent=[...])      # never raises for LLM failures
"""

from dreamverse.runtime.prompts.errors import (
    LLMAllProvidersFailed,
    LLMBadOutput,
    LLMError,
    LLMOutputBlocked,
    LLMTimeout,
    LLMTransientError,
)
from dreamverse.runtime.prompts.results import PromptResult, RewriteResult
from dreamverse.runtime.prompts.service import PromptService
from dreamverse.runtime.prompts.settings import LLMProviderConfig, PromptSettings
from dreamverse.runtime.prompts.store import (
    SYSTEM_PROMPT_KEYS,
    SystemPromptStore,
    SystemPromptValidationError,
)

__all__ = [
    "SYSTEM_PROMPT_KEYS",
    "LLMAllProvidersFailed",
    "LLMBadOutput",
    "LLMError",
    "LLMOutputBlocked",
    "LLMProviderConfig",
    "LLMTimeout",
    "LLMTransientError",
    "PromptResult",
    "PromptService",
    "PromptSettings",
    "RewriteResult",
    "SystemPromptStore",
    "SystemPromptValidationError",
]
