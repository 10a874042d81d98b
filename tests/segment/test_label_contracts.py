"""Contracts every segmenter keeps: one label each, ties and row order irrelevant."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from custvalue.segment import (
    SegmentLabels,
    SegmentMap,
    TiedBinsWarning,
    abc_classes,
    customer_pyramid,
    lifecycle_stages,
    rfm_scores,
    value_map,
    value_matrix,
    value_tiers,
)

FloatArray = npt.NDArray[np.float64]
Segmenter = Callable[[FloatArray, FloatArray, FloatArray], SegmentLabels]


def _rfm_eleven(t: FloatArray, f: FloatArray, m: FloatArray) -> SegmentLabels:
    return rfm_scores(t, f, m).segments(SegmentMap.eleven_segment())


def _rfm_nested_five(t: FloatArray, f: FloatArray, m: FloatArray) -> SegmentLabels:
    return rfm_scores(t, f, m, sorting="nested").segments(SegmentMap.five_segment())


def _abc(t: FloatArray, f: FloatArray, m: FloatArray) -> SegmentLabels:
    return abc_classes(m + 1.0).labels


SEGMENTERS: dict[str, Segmenter] = {
    "rfm_eleven": _rfm_eleven,
    "rfm_nested_five": _rfm_nested_five,
    "value_tiers": lambda t, f, m: value_tiers(m - f).labels,
    "abc_classes": _abc,
    "customer_pyramid": lambda t, f, m: customer_pyramid(m - 3 * f).labels,
    "lifecycle_stages": lambda t, f, m: (
        lifecycle_stages(t, hiatus=5.0, at_risk_after=2.0, previous_gap=f).labels
    ),
    "value_matrix": lambda t, f, m: value_matrix(f, m).labels,
    "value_matrix_median": lambda t, f, m: value_matrix(f, m, split="median").labels,
    "value_map": lambda t, f, m: value_map(m + 1.0, t + 1.0).labels,
    "value_map_exact": lambda t, f, m: (
        value_map(m + 1.0, t + 1.0, market_share=f + 1.0, tolerance=0.0).labels
    ),
}

Row = tuple[float, float, float]


def _rows(value: st.SearchStrategy[float]) -> st.SearchStrategy[list[Row]]:
    return st.lists(st.tuples(value, value, value), min_size=1, max_size=25)


# Small integers make ties common. Tenths (0.0 to 0.8) are not exact in
# binary, and with few distinct values a mean often lands on a customer's
# value, so a sum or mean whose rounding depends on the order of the rows
# shows up as a label that changes when the rows are shuffled.
ROWS = {
    "integers": _rows(st.integers(0, 8).map(float)),
    "tenths": _rows(st.integers(0, 8).map(lambda k: k / 10)),
}
VALUES = sorted(ROWS)


def _run(segmenter: Segmenter, data: list[Row]) -> SegmentLabels:
    array = np.array(data, dtype=np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=TiedBinsWarning)
        return segmenter(array[:, 0], array[:, 1], array[:, 2])


@pytest.mark.parametrize("values", VALUES)
@pytest.mark.parametrize("name", sorted(SEGMENTERS))
@given(draw=st.data())
def test_every_customer_gets_exactly_one_label(
    name: str, values: str, draw: st.DataObject
) -> None:
    data = draw.draw(ROWS[values])
    labels = _run(SEGMENTERS[name], data)
    assert labels.codes.shape == (len(data),)
    assert labels.codes.min() >= 0
    assert labels.codes.max() < len(labels.names)
    assert int(labels.sizes.sum()) == len(data)
    assert len(labels.as_strings()) == len(data)


@pytest.mark.parametrize("values", VALUES)
@pytest.mark.parametrize("name", sorted(SEGMENTERS))
@given(draw=st.data())
def test_identical_customers_get_identical_labels(
    name: str, values: str, draw: st.DataObject
) -> None:
    data = draw.draw(ROWS[values])
    labels = _run(SEGMENTERS[name], data + data[::-1])
    n = len(data)
    assert np.array_equal(labels.codes[:n], labels.codes[n:][::-1])


@pytest.mark.parametrize("values", VALUES)
@pytest.mark.parametrize("name", sorted(SEGMENTERS))
@given(draw=st.data(), seed=st.integers(0, 2**32 - 1))
def test_shuffling_rows_shuffles_labels_the_same_way(
    name: str, values: str, draw: st.DataObject, seed: int
) -> None:
    data = draw.draw(ROWS[values])
    order = np.random.default_rng(seed).permutation(len(data))
    labels = _run(SEGMENTERS[name], data)
    shuffled = _run(SEGMENTERS[name], [data[i] for i in order])
    assert shuffled.names == labels.names
    assert np.array_equal(shuffled.codes, labels.codes[order])
