"""cleantext: repair and normalize damaged article text.

>>> from cleantext import clean
>>> clean("The RNLIâ€™s  crew\\u00a0said\\r\\n")
'The RNLI’s crew said'
"""

from cleantext.core import PIPELINE_ROUNDS, Normalizer, Stage, fixed_point, normalizer
from cleantext.explain import Change
from cleantext.kernels import speedups
from cleantext.offsets import Alignment
from cleantext.pipeline import (
    PRESETS,
    Pipeline,
    align,
    clean,
    default_pipeline,
    explain,
    preset,
)
from cleantext.registry import all_normalizers, get

__all__ = [
    "PIPELINE_ROUNDS",
    "PRESETS",
    "Alignment",
    "Change",
    "Normalizer",
    "Pipeline",
    "Stage",
    "align",
    "all_normalizers",
    "clean",
    "default_pipeline",
    "explain",
    "fixed_point",
    "get",
    "normalizer",
    "preset",
    "speedups",
]
__version__ = "0.1.0"
