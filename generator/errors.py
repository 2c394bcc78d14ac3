"""Errors raised by the generator.

GeneratorError                  (base; `code` is the wire code, `retryable` whether a retry can help)
 ├── GeneratorConfigError       a setting the model cannot serve (size, frames, unknown model)
 ├── CheckpointError            weights cannot be loaded
 │    ├── CheckpointNotFound    the path or repo does not exist (or is not reachable offline)
 │    ├── CheckpointConfigMismatch  the file's `config` metadata contradicts the shipped config (names it)
 │    ├── MissingKeysError      the file lacks tensors the model needs (names them)
 │    ├── UnexpectedKeysError   the file holds tensors the model does not know (names them)
 │    └── ShapeMismatchError    a tensor has the wrong shape (names it)
 └── ConditioningError          bad `initial_image`, or a continuation with no previous segment
"""

from __future__ import annotations

from collections.abc import Iterable


class GeneratorError(Exception):
    code = "generator_error"
    retryable = False


class GeneratorConfigError(GeneratorError):
    code = "generator_config"


class CheckpointError(GeneratorError):
    code = "checkpoint_error"


class CheckpointNotFound(CheckpointError):
    code = "checkpoint_not_found"


def _listing(names: Iterable[str], limit: int = 8) -> str:
    names = sorted(names)
    shown = ", ".join(names[:limit])
    more = f" (and {len(names) - limit} more)" if len(names) > limit else ""
    return shown + more


class MissingKeysError(CheckpointError):
    code = "checkpoint_missing_keys"

    def __init__(self, component: str, keys: Iterable[str], source: str) -> None:
        self.component = component
        self.keys = sorted(keys)
        super().__init__(
            f"{source}: {component} is missing {len(self.keys)} tensor(s): {_listing(self.keys)}"
        )


class UnexpectedKeysError(CheckpointError):
    code = "checkpoint_unexpected_keys"

    def __init__(self, component: str, keys: Iterable[str], source: str) -> None:
        self.component = component
        self.keys = sorted(keys)
        super().__init__(
            f"{source}: {len(self.keys)} tensor(s) not part of {component}: {_listing(self.keys)}"
        )


class ShapeMismatchError(CheckpointError):
    code = "checkpoint_shape_mismatch"

    def __init__(
        self, component: str, key: str, expected: tuple[int, ...], got: tuple[int, ...], source: str
    ):
        self.component = component
        self.key = key
        super().__init__(f"{source}: {component} tensor {key} has shape {got}, expected {expected}")


class CheckpointConfigMismatch(CheckpointError):
    code = "checkpoint_config_mismatch"

    def __init__(self, source: str, mismatches: Iterable[str]) -> None:
        self.mismatches = sorted(mismatches)
        listing = _listing(self.mismatches)
        super().__init__(f"{source}: config metadata disagrees with the shipped config: {listing}")


class ConditioningError(GeneratorError):
    code = "bad_conditioning"
