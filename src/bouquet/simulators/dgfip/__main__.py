"""``python -m bouquet.simulators.dgfip``."""

import sys

from .cli import main

sys.exit(main())
