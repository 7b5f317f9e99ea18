"""``python -m hdkit.cli``: the ``hdkit`` command without its installed script."""

import sys

from hdkit.cli import main

sys.exit(main())
