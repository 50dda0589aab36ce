"""``python -m cleantext``: the same as the ``cleantext`` command."""

import sys

from cleantext.cli import main

__all__: list[str] = []  # run, not imported

sys.exit(main())
