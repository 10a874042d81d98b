"""Strict reading of plain dicts into scorecard objects (internal).

Scorecards travel as JSON, so ``from_dict`` must reject what it does not
understand (a misspelt key would otherwise be silently ignored) and name
where the problem is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["read_mapping"]


def read_mapping(
    data: object,
    where: str,
    *,
    required: tuple[str, ...],
    optional: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Check that ``data`` is a mapping with exactly the allowed keys.

    Parameters
    ----------
    data : object
        What the caller passed.
    where : str
        Where it sits, for error messages (e.g. ``"KPI 'churn'"``).
    required, optional : tuple of str
        Keys that must be present, and keys that may be.

    Returns
    -------
    dict
        A shallow copy with only the present keys.

    Raises
    ------
    TypeError
        If ``data`` is not a mapping with string keys.
    ValueError
        If a required key is absent or an unknown key is present.
    """
    if not isinstance(data, Mapping):
        msg = f"{where} must be a dict; got {type(data).__name__}."
        raise TypeError(msg)
    keys = list(data.keys())
    for key in keys:
        if not isinstance(key, str):
            msg = f"{where} must have string keys; got {key!r}."
            raise TypeError(msg)
    allowed = (*required, *optional)
    unknown = [key for key in keys if key not in allowed]
    if unknown:
        msg = (
            f"{where} has unknown key {unknown[0]!r}"
            + (f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else "")
            + f"; the keys are {list(allowed)}. Check the spelling."
        )
        raise ValueError(msg)
    absent = [key for key in required if key not in data]
    if absent:
        msg = (
            f"{where} must have the key {absent[0]!r}; the required keys are "
            f"{list(required)}."
        )
        raise ValueError(msg)
    return dict(data)
