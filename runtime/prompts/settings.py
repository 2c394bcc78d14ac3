"""Settings of the prompt services: LLM providers, timeouts, system prompts, admin token.

Flat, unique field names (`llm_*`, `prompt_*`, `admin_token`), environment variables `DREAMVERSE_<FIELD>`.
`DREAMVERSE_LLM_PROVIDERS` is a JSON list, e.g.
`[{"name": "local-vllm", "base_url": "http://127.0.0.1:8000/v1", "model": "qwen2.5-7b-instruct"}]`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_system_prompt_dir() -> Path:
    """Where edited system prompts and their previous versions live (never inside the package)."""
    return Path.home() / ".local" / "share" / "dreamverse" / "system_prompts"


class LLMProviderConfig(BaseModel):
    """One OpenAI-compatible chat-completions endpoint."""

    model_config = {"frozen": True, "extra": "forbid"}

    name: str = Field(min_length=1, max_length=64, description="Label in logs, /status and `rewrite_model`.")
    base_url: str = Field(min_length=1, description="Endpoint root, e.g. `https://api.openai.com/v1`.")
    model: str = Field(min_length=1, description="Model name sent in each request.")
    api_key_env: str | None = Field(
        None, description="Environment variable holding the API key; none for keyless local servers."
    )
    json_mode: bool = Field(True, description="Send `response_format={'type': 'json_object'}`.")


class PromptSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DREAMVERSE_", frozen=True, extra="ignore")

    llm_providers: list[LLMProviderConfig] = Field(
        default_factory=list,
        description="OpenAI-compatible endpoints as a JSON list of {name, base_url, model, api_key_env}; "
        "empty = the deterministic local rewriter.",
    )
    llm_strategy: Literal["race", "ordered"] = Field(
        "ordered", description="`ordered`: try providers in turn; `race`: ask all, first valid answer wins."
    )
    llm_timeout_s: float = Field(8.0, gt=0, description="Hard limit of one LLM request.")
    llm_total_timeout_s: float = Field(
        20.0, gt=0, description="Hard limit of one prompt operation (all retries and providers)."
    )
    llm_retries: int = Field(
        1, ge=0, le=5, description="Retries per provider for timeouts, 429, 5xx, resets."
    )
    llm_retry_backoff_s: float = Field(
        0.25, ge=0, description="First retry delay; doubles, with full jitter."
    )
    llm_temperature: float = Field(0.7, ge=0.0, le=2.0, description="Default sampling temperature (0-2).")
    llm_max_tokens: int = Field(1200, gt=0, description="Most tokens an LLM answer may have.")
    llm_max_output_chars: int = Field(2000, gt=0, description="Longest segment prompt accepted from an LLM.")
    llm_context_prompts: int = Field(
        6, ge=0, le=64, description="Recent segment prompts sent as context to enhance/auto-extend."
    )
    prompt_system_dir: Path = Field(
        default_factory=default_system_prompt_dir,
        description="Folder for edited system prompts and their previous versions.",
    )
    prompt_system_max_chars: int = Field(16000, gt=0, description="Longest system prompt accepted.")
    prompt_system_versions_kept: int = Field(50, ge=1, description="Previous system prompt versions kept.")
    admin_token: SecretStr | None = Field(
        None, description="Bearer token for `PUT /prompt-system-config`; unset = editing disabled."
    )

    @field_validator("llm_providers")
    @classmethod
    def _unique_names(cls, providers: list[LLMProviderConfig]) -> list[LLMProviderConfig]:
        names = [p.name for p in providers]
        if len(set(names)) != len(names):
            raise ValueError(f"provider names must be unique: {names}")
        return providers
