"""The optional C extension; everything else is in pyproject.toml.

``optional=True``: where no C compiler or no Python headers are found, the build says so
and installs the pure-Python package, whose kernels give the same results (see
``cleantext/kernels.py``).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "_cleantext_speedups",
            sources=["cleantext/_speedups.c"],
            optional=True,
        )
    ]
)
