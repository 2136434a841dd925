"""``python -m mockserver`` is ``picsellia-mock serve`` with the same options."""

import sys

from .serve import main

if __name__ == "__main__":
    sys.exit(main())
