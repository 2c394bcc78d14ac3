"""Errors of the safety package.

SafetyError                     base
├── SafetyModelError            a model file is missing, unreadable or not a fastText classifier
└── UnknownLabelError           a model has a label we cannot map to "safe" or a category
"""

from __future__ import annotations


class SafetyError(Exception):
    pass


class SafetyModelError(SafetyError):
    pass


class UnknownLabelError(SafetyModelError):
    pass
