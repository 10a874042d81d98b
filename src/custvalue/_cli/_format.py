"""Text layout shared by the parts of the ``python -m custvalue`` report."""

from __future__ import annotations

__all__ = ["rows"]


def rows(pairs: list[tuple[str, str]]) -> list[str]:
    """Format label/value pairs as an indented two-column block."""
    width = max(len(label) for label, _ in pairs)
    return [f"  {label:<{width}}  {value}" for label, value in pairs]
