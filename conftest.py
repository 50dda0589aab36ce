"""pytest settings for the whole repository (the tests' own fixtures are in tests/)."""

from __future__ import annotations

import importlib.util

# cleantext/datatrove.py subclasses datatrove's step, so importing it (as the doctest
# collection does) needs datatrove; without it, its tests in tests/ skip and say why.
collect_ignore = ["cleantext/datatrove.py"] if importlib.util.find_spec("datatrove") is None else []
