"""Exceptions and warnings raised by custvalue.

Bad input is reported with the built-in :class:`ValueError` or
:class:`TypeError`. The classes here are for problems that are not the
caller's input: a numerical procedure that could not produce an answer that
can be trusted.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ConvergenceError", "ConvergenceWarning", "CustvalueError"]


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
