"""``python -m bench``: every benchmark in one run; see ``bench/__init__.py``."""

import sys

from .run import main

sys.exit(main())
