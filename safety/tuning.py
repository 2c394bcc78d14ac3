"""The options `crossval` and `grouped` share: a hyperparameter, a filter constant or a threshold to try."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any

from dreamverse.safety import filter as safety_filter
from dreamverse.safety.settings import SafetySettings
from dreamverse.safety.train import HYPERPARAMETERS


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
