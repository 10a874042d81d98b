"""Run custvalue's end-to-end example: ``python -m custvalue``."""

from __future__ import annotations

import sys

from custvalue._cli._report import cdnow_report


def main() -> None:
    """Write the CDNOW report to standard output."""
    sys.stdout.write(cdnow_report() + "\n")


if __name__ == "__main__":
    main()
