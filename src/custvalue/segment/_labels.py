"""One label per customer, stored compactly as integer codes and names."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from custvalue._lib.fields import ARRAY_EQ, Result
from custvalue._lib.validation import IntArray, as_vector, readonly

__all__ = ["SegmentLabels"]

CodeArray = npt.NDArray[np.int16]
MAX_SEGMENTS = int(np.iinfo(np.int16).max)


def _codes(value: npt.ArrayLike) -> CodeArray:
    array = as_vector(value, "codes", allow_empty=True)
    if array.dtype == np.bool_ or array.dtype.kind not in "iu":
        msg = f"`codes` must contain integers; got dtype {array.dtype}."
        raise TypeError(msg)
    if array.size and (array.min() < 0 or array.max() > MAX_SEGMENTS):
        msg = (
            f"`codes` must lie in 0..{MAX_SEGMENTS}; got values from "
            f"{int(array.min())} to {int(array.max())}."
        )
        raise ValueError(msg)
    return readonly(np.array(array, dtype=np.int16, copy=True))


def _names(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        msg = f"`names` must be a sequence of strings, not one string; got {value!r}."
        raise TypeError(msg)
    names = tuple(value)
    for name in names:
        if not isinstance(name, str) or not name:
            msg = f"`names` must contain non-empty strings; got {name!r}."
            raise TypeError(msg)
    return names


@attrs.frozen(kw_only=True)
class SegmentLabels(Result):
    """One segment label per customer: integer codes into a tuple of names.

    Every segmenter in :mod:`custvalue.segment` returns its labels in this
    form. Codes keep ten million labels in 20 MB; :meth:`as_strings` gives
    the names when they are wanted, and
    ``pandas.Categorical.from_codes(labels.codes, labels.names)`` turns them
    into a pandas categorical without copying strings.

    Parameters
    ----------
    codes : array-like of int, shape (n_customers,)
        For each customer, the index of their segment in ``names``.
    names : sequence of str
        The segment names, distinct and non-empty, in the segmenter's order
        (for example best to worst). A name may have no customers.

    Raises
    ------
    ValueError
        If a code is not a valid index into ``names`` or names repeat.

    Examples
    --------
    >>> from custvalue.segment import SegmentLabels
    >>> labels = SegmentLabels(codes=[0, 2, 2, 1], names=("A", "B", "C"))
    >>> labels.as_strings()
    array(['A', 'C', 'C', 'B'], dtype='<U1')
    >>> labels.sizes
    array([1, 1, 2])
    >>> labels.mask("C")
    array([False,  True,  True, False])
    """

    codes: CodeArray = attrs.field(converter=_codes, eq=ARRAY_EQ)
    names: tuple[str, ...] = attrs.field(converter=_names)

    def __attrs_post_init__(self) -> None:
        if not self.names:
            msg = "`names` must not be empty; got ()."
            raise ValueError(msg)
        if len(set(self.names)) != len(self.names):
            repeated = sorted({n for n in self.names if self.names.count(n) > 1})
            msg = f"`names` must be distinct; got {repeated[0]!r} more than once."
            raise ValueError(msg)
        if self.codes.size and int(self.codes.max()) >= len(self.names):
            bad = self.codes >= len(self.names)
            first = int(np.flatnonzero(bad)[0])
            msg = (
                f"`codes` must be < {len(self.names)} (the number of names); "
                f"{int(bad.sum())} of {bad.size} violate this (first at index "
                f"{first}: codes={int(self.codes[first])})."
            )
            raise ValueError(msg)

    @classmethod
    def from_values(cls, values: npt.ArrayLike) -> SegmentLabels:
        """Build labels from any array of labels (strings, integers, ...).

        The names are the distinct values as strings, in sorted order.

        Examples
        --------
        >>> from custvalue.segment import SegmentLabels
        >>> SegmentLabels.from_values(["gold", "iron", "gold"]).names
        ('gold', 'iron')
        """
        array = as_vector(values, "labels")
        if array.dtype.kind == "f" and np.isnan(array).any():
            msg = (
                "`labels` must not contain NaN; give customers without a "
                "segment an explicit label."
            )
            raise ValueError(msg)
        distinct, codes = np.unique(array, return_inverse=True)
        return cls(codes=codes, names=tuple(str(v) for v in distinct.tolist()))

    @property
    def n_customers(self) -> int:
        """Number of customers labelled."""
        return int(self.codes.size)

    @property
    def sizes(self) -> IntArray:
        """Number of customers per name, in the order of ``names``."""
        counts = np.bincount(self.codes, minlength=len(self.names))
        return readonly(counts.astype(np.int64))

    def as_strings(self) -> npt.NDArray[np.str_]:
        """Return each customer's segment name as a numpy string array."""
        return np.asarray(self.names, dtype=np.str_)[self.codes]

    def mask(self, name: str) -> npt.NDArray[np.bool_]:
        """Return a boolean array that is True for the customers in ``name``.

        Raises
        ------
        ValueError
            If ``name`` is not one of ``names``.
        """
        if name not in self.names:
            msg = f"`name` must be one of {self.names!r}; got {name!r}."
            raise ValueError(msg)
        result: npt.NDArray[np.bool_] = self.codes == self.names.index(name)
        return result
