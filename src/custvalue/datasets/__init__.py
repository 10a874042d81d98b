"""Example data shipped with custvalue, as numpy arrays and frozen objects.

This is the only part of custvalue that reads files, and it reads only the
files inside the installed package (see ``data/README.md`` for sources). The
objects it returns are the library's own types (:class:`custvalue.clv.Transactions`,
:class:`custvalue.clv.CustomerSummary`, :class:`custvalue.clv.DiscreteTimeSummary`).

- :func:`load_cdnow_transactions` -- the CDNOW 1/10 sample transaction log;
- :func:`load_cdnow_summary` -- the papers' 39-week calibration summary of it;
- :func:`load_donations` -- the donations data of Fader, Hardie & Shang (2010).
"""

from custvalue.datasets._loaders import (
    load_cdnow_summary,
    load_cdnow_transactions,
    load_donations,
)

__all__ = [
    "load_cdnow_summary",
    "load_cdnow_transactions",
    "load_donations",
]
