"""``python -m cleantext``: the same as the ``cleantext`` command."""

import sys

from cleantext.cli import main

sys.exit(main())
