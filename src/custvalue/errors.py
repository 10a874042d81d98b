"""Exceptions and warnings raised by custvalue.

Bad input is reported with the built-in :class:`ValueError` or
:class:`TypeError`. The classes here are for problems that are not the
caller's input: a numerical procedure that could not produce an answer that
can be trusted, or a result that means less than was asked for (tied values
that leave score bins empty).
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ConvergenceError",
    "ConvergenceWarning",
    "CustvalueError",
    "TiedBinsWarning",
]


class CustvalueError(Exception):
    """Root of the exceptions that custvalue defines itself."""


class ConvergenceError(CustvalueError):
    """A numerical procedure ended without an answer that can be trusted.

    Parameters
    ----------
    message : str
        What went wrong, in words.
    report : object, optional
        The optimizer's state when it stopped (for model fits, the fit's
        convergence report), kept so the caller can inspect it.

    Examples
    --------
    >>> from custvalue.errors import ConvergenceError
    >>> err = ConvergenceError("gradient norm 3.2 after 200 iterations", report=None)
    >>> str(err)
    'gradient norm 3.2 after 200 iterations'
    """

    def __init__(self, message: str, *, report: Any = None) -> None:
        super().__init__(message)
        self.report = report


class ConvergenceWarning(UserWarning):
    """A numerical procedure ended with an answer that deserves a second look."""


class TiedBinsWarning(UserWarning):
    """Tied values left some quantile bins empty.

    Binning by value gives equal values equal scores, so a value shared by
    many customers (one-time buyers, a popular price) cannot be split across
    bins. When that leaves a score with no customers, the scores still mean
    what they say, but fewer distinct scores are in use than were asked for.
    The warning quotes the occupancy of each bin and the cut points used; the
    same numbers are on the result.

    Examples
    --------
    >>> import warnings
    >>> from custvalue.segment import TiedBinsWarning, value_tiers
    >>> with warnings.catch_warnings(record=True, action="always") as caught:
    ...     tiers = value_tiers([0.0, 0.0, 0.0, 0.0, 5.0], n_tiers=4)
    >>> caught[0].category is TiedBinsWarning
    True
    >>> tiers.occupancy
    array([0, 4, 0, 1])
    """
