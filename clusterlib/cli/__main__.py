"""``python -m clusterlib.cli``: the ``clusterlib`` command."""

import sys

from clusterlib.cli import main

sys.exit(main())
