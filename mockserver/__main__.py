"""``python -m mockserver`` is ``picsellia-mock serve`` with the same options."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))
