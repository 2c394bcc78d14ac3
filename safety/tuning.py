"""What `crossval` and `grouped` share: the options (a hyperparameter, a filter constant or a threshold to
try) and how a run's verdicts are scored."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dreamverse.safety import filter as safety_filter
from dreamverse.safety.dataset import Example, evaluate
from dreamverse.safety.filter import CATEGORIES
from dreamverse.safety.settings import SafetySettings
from dreamverse.safety.train import HYPERPARAMETERS

# the filter's float constants a run can move (`--constant`) and reports
FILTER_CONSTANTS = (
    "MINORS_EVIDENCE",
    "SLUR_EVIDENCE",
    "MINORS_SEXUAL_EVIDENCE",
    "HATE_WITHOUT_GROUP",
    "HATE_WITHOUT_GROUP_NOT_ASCII",
)

Verdicts = Sequence[tuple[Example, str | None]]  # each prompt with the category that blocked it, or None


@dataclass(frozen=True, slots=True)
class Tuning:
    hyperparameters: dict[str, Any]
    thresholds: dict[str, float]
    constants: dict[str, float]  # the filter constants set for this run


def add_tuning_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="override a hyperparameter"
    )
    parser.add_argument(
        "--constant",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="try another value of a filter constant (MINORS_EVIDENCE, HATE_WITHOUT_GROUP, ...)",
    )
    parser.add_argument(
        "--threshold",
        action="append",
        default=[],
        metavar="CATEGORY=VALUE",
        help="override a category threshold",
    )


def apply_tuning_arguments(parser: argparse.ArgumentParser, args: argparse.Namespace) -> Tuning:
    """The hyperparameters and thresholds asked for; a `--constant` is set on the filter module, which
    `SafetyFilter` reads at each check."""
    params = dict(HYPERPARAMETERS)
    for item in args.set:
        name, _, value = item.partition("=")
        params[name] = type(HYPERPARAMETERS[name])(value) if name in HYPERPARAMETERS else value
    constants = {}
    for item in args.constant:
        name, _, value = item.partition("=")
        if not isinstance(getattr(safety_filter, name, None), float):
            parser.error(f"no float constant {name} in dreamverse.safety.filter")
        setattr(safety_filter, name, float(value))
        constants[name] = float(value)
    thresholds = SafetySettings().thresholds()
    for item in args.threshold:
        category, _, value = item.partition("=")
        thresholds[category] = float(value)
    return Tuning(hyperparameters=params, thresholds=thresholds, constants=constants)


def filter_constants() -> dict[str, float]:
    """The filter constants' values now (a `--constant` sets them on the module)."""
    return {name: getattr(safety_filter, name) for name in FILTER_CONSTANTS}


def verdict_metrics(verdicts: Verdicts, digits: int) -> dict[str, dict[str, float]]:
    """Precision, recall and support per category; by position, since a text may occur twice."""
    got = [category for _, category in verdicts]
    indexed = [Example(e.label, str(i)) for i, (e, _) in enumerate(verdicts)]
    return {
        m.category: {
            "precision": round(m.precision, digits),
            "recall": round(m.recall, digits),
            "support": m.support,
        }
        for m in evaluate(indexed, lambda i: got[int(i)], CATEGORIES)
    }


def safe_blocked(verdicts: Verdicts) -> int:
    return sum(1 for e, category in verdicts if e.label == "safe" and category is not None)


def wrong_verdicts(verdicts: Verdicts) -> list[dict[str, str | None]]:
    return [
        {"label": e.label, "got": category, "text": e.text}
        for e, category in verdicts
        if (category or "safe") != e.label
    ]
