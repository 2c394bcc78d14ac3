"""System prompts: shipped as files in `system_prompts/`, editable by an admin, previous versions kept.

Layout of `prompt_system_dir` (created on the first edit, never inside the package):

    <key>.md                         the edited prompt, used instead of the shipped one
    history/<key>/<version>-<utc>.md the text each edit replaced (the newest `versions_kept` per key)
    state.json                       {"version": n, "updated_at": "..."}

`load` and `update` touch the disk: call them off the event loop. `get` reads memory only.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dreamverse.runtime.prompts.settings import PromptSettings

logger = logging.getLogger(__name__)

SHIPPED_DIR = Path(__file__).resolve().parent / "system_prompts"
# enhance: a viewer's appended prompt (upstream `rewrite_user_system_prompt`); rewrite_window: edit the
# rollout (upstream `rewrite_window_system_prompt`); rollout_from_idea: a new rollout; auto_extend.
SYSTEM_PROMPT_KEYS = ("enhance", "rewrite_window", "rollout_from_idea", "auto_extend")


class SystemPromptValidationError(ValueError):
    pass


class SystemPromptStore:
    def __init__(
        self,
        directory: Path,
        *,
        max_chars: int = 16000,
        versions_kept: int = 50,
        shipped_dir: Path = SHIPPED_DIR,
    ) -> None:
        self.directory = directory
        self.max_chars = max_chars
        self.versions_kept = versions_kept
        self._shipped_dir = shipped_dir
        self._prompts: dict[str, str] = {}
        self._customized: set[str] = set()
        self._version = 0
        self._updated_at: str | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: PromptSettings) -> SystemPromptStore:
        store = cls(
            settings.prompt_system_dir,
            max_chars=settings.prompt_system_max_chars,
            versions_kept=settings.prompt_system_versions_kept,
        )
        store.load()
        return store

    def load(self) -> None:
        """Read the shipped prompts, then any edited ones (blocking)."""
        prompts: dict[str, str] = {}
        customized: set[str] = set()
        for key in SYSTEM_PROMPT_KEYS:
            edited = self.directory / f"{key}.md"
            if edited.is_file():
                prompts[key] = edited.read_text(encoding="utf-8")
                customized.add(key)
            else:
                prompts[key] = (self._shipped_dir / f"{key}.md").read_text(encoding="utf-8")
        state = self._read_state()
        with self._lock:
            self._prompts, self._customized = prompts, customized
            self._version, self._updated_at = int(state.get("version", 0)), state.get("updated_at")
        logger.info(
            "system prompts loaded (edited: %s, version %d)", sorted(customized) or "none", self._version
        )

    def get(self, key: str) -> str:
        return self._prompts[key]

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "prompts": dict(self._prompts),
                "customized": sorted(self._customized),
                "version": self._version,
                "updated_at": self._updated_at,
                "keys": list(SYSTEM_PROMPT_KEYS),
                "max_chars": self.max_chars,
            }

    def validate(self, body: object) -> dict[str, str]:
        """`{"prompts": {key: text, ...}}` -> the prompts to change; raises `SystemPromptValidationError`."""
        prompts = body.get("prompts") if isinstance(body, dict) else None
        if not isinstance(prompts, dict) or not prompts:
            raise SystemPromptValidationError(
                'expected {"prompts": {"<key>": "<text>", ...}} with at least one key'
            )
        unknown = sorted(set(prompts) - set(SYSTEM_PROMPT_KEYS))
        if unknown:
            raise SystemPromptValidationError(f"unknown keys {unknown}; known: {list(SYSTEM_PROMPT_KEYS)}")
        for key, text in prompts.items():
            if not isinstance(text, str) or not text.strip():
                raise SystemPromptValidationError(f"{key}: must be a non-empty string")
            if len(text) > self.max_chars:
                raise SystemPromptValidationError(f"{key}: {len(text)} characters (limit {self.max_chars})")
        return {key: text.strip() + "\n" for key, text in prompts.items()}

    def update(self, prompts: Mapping[str, str]) -> dict[str, Any]:
        """Save validated prompts, archiving the texts they replace (blocking). Returns the new snapshot."""
        with self._lock:
            changed = {key: text for key, text in prompts.items() if self._prompts.get(key) != text}
            if changed:
                self._version += 1
                self._updated_at = datetime.now(UTC).isoformat(timespec="seconds")
                for key, text in changed.items():
                    self._archive(key, self._prompts[key])
                    _write_atomic(self.directory / f"{key}.md", text)
                    self._prompts[key] = text
                    self._customized.add(key)
                _write_atomic(
                    self.directory / "state.json",
                    json.dumps({"version": self._version, "updated_at": self._updated_at}),
                )
        if changed:
            logger.info("system prompts updated: %s (version %d)", sorted(changed), self._version)
        return self.snapshot()

    def history(self, key: str) -> list[Path]:
        """Archived versions of one prompt, oldest first."""
        folder = self.directory / "history" / key
        return sorted(folder.glob("*.md")) if folder.is_dir() else []

    def _archive(self, key: str, text: str) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        _write_atomic(self.directory / "history" / key / f"{self._version - 1:06d}-{stamp}.md", text)
        for old in self.history(key)[: -self.versions_kept]:
            old.unlink(missing_ok=True)

    def _read_state(self) -> dict[str, Any]:
        path = self.directory / "state.json"
        if not path.is_file():
            return {}
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            logger.warning("ignoring unreadable %s: %s", path, exc)
            return {}
        return state if isinstance(state, dict) else {}


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
