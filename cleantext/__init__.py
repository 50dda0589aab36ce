"""cleantext: repair and normalize damaged article text.

>>> from cleantext import clean
>>> clean("The RNLIâ€™s  crew\\u00a0said\\r\\n")
'The RNLI’s crew said'
"""

from cleantext.core import Normalizer, Stage, normalizer
from cleantext.explain import Change
from cleantext.pipeline import PRESETS, Pipeline, clean, default_pipeline, explain, preset
from cleantext.registry import all_normalizers, get

__all__ = [
    "PRESETS",
    "Change",
    "Normalizer",
    "Pipeline",
    "Stage",
    "all_normalizers",
    "clean",
    "default_pipeline",
    "explain",
    "get",
    "normalizer",
    "preset",
]
__version__ = "0.1.0"
