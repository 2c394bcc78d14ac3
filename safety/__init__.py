"""dreamverse.safety: the fastText prompt classifier that every prompt passes before it may be generated.

safety = SafetyFilter.from_settings(SafetySettings())   # loads model files: off the event loop
verdict = safety.check("a fox in the snow")             # SafetyVerdict(blocked, category, score)
"""

from dreamverse.safety.classifier import FastTextClassifier
from dreamverse.safety.errors import SafetyError, SafetyModelError, UnknownLabelError
from dreamverse.safety.filter import CATEGORIES, SafetyFilter, SafetyVerdict
from dreamverse.safety.settings import DEFAULT_MODEL_PATH, SafetySettings

__all__ = [
    "CATEGORIES",
    "DEFAULT_MODEL_PATH",
    "FastTextClassifier",
    "SafetyError",
    "SafetyFilter",
    "SafetyModelError",
    "SafetySettings",
    "SafetyVerdict",
    "UnknownLabelError",
]
