"""The README's examples run as written."""

from __future__ import annotations

import doctest

from .conftest import ROOT


def test_readme_examples():
    result = doctest.testfile(
        str(ROOT / "README.md"), module_relative=False, optionflags=doctest.ELLIPSIS
    )
    assert result.attempted >= 8
    assert result.failed == 0
