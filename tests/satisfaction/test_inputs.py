"""Bad input: each a ValueError or TypeError with the house message template."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest

from custvalue.satisfaction import (
    CustomerSatisfactionScore,
    NetPromoterScore,
    ces,
    csat,
    nps,
    nps_by_group,
    nps_from_scores,
    nps_sample_size,
    nps_sample_size_for_difference,
    satisfaction_index,
)

GOOD = nps(promoters=5, passives=3, detractors=2)


def test_negative_count() -> None:
    with pytest.raises(
        ValueError, match=r"^`passives` must be a finite number >= 0; got -1\. "
    ):
        nps(promoters=5, passives=-1, detractors=2)


def test_fractional_count() -> None:
    with pytest.raises(ValueError, match=r"`promoters` must be a whole number"):
        nps(promoters=2.5, passives=1, detractors=0)  # type: ignore[arg-type]


def test_zero_respondents() -> None:
    with pytest.raises(ValueError, match="must not all be 0; got no respondents"):
        nps(promoters=0, passives=0, detractors=0)


def test_count_of_wrong_type() -> None:
    with pytest.raises(TypeError, match="`detractors` must be a number"):
        nps(promoters=1, passives=1, detractors="2")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="`promoters` must be a number"):
        nps(promoters=True, passives=1, detractors=2)


def test_score_outside_the_scale_names_the_first_offender() -> None:
    expected = (
        "`scores` must be whole numbers from 0 to 10; 2 of 5 violate this "
        "(first at index 2: scores=11.0). Check that the answers are on the 0 to "
        "10 scale and not already recoded."
    )
    with pytest.raises(ValueError, match=f"^{re.escape(expected)}$"):
        nps_from_scores([10, 9, 11, 3, -1])


def test_fractional_score() -> None:
    with pytest.raises(ValueError, match=r"first at index 1: scores=7\.5"):
        nps_from_scores([10, 7.5])


def test_missing_answer_is_an_error_unless_omitted() -> None:
    with pytest.raises(
        ValueError,
        match=r"`scores` must not contain missing answers \(NaN or None\); 1 of 3 "
        r"violate this \(first at index 1: scores=nan\)\. Pass missing='omit'",
    ):
        nps_from_scores([10, np.nan, 3])
    with pytest.raises(ValueError, match="missing answers"):
        nps_from_scores(np.array([10, None, 3], dtype=object))
    with_none = np.array([10, None, 3], dtype=object)
    assert nps_from_scores(with_none, missing="omit").n_missing == 1


def test_infinity_is_never_a_missing_answer() -> None:
    with pytest.raises(ValueError, match=r"scores=inf"):
        nps_from_scores([10, np.inf], missing="omit")


def test_all_missing() -> None:
    with pytest.raises(ValueError, match="must contain at least one answer"):
        nps_from_scores([np.nan, np.nan], missing="omit")


def test_empty_and_non_numeric_scores() -> None:
    with pytest.raises(ValueError, match="`scores` must not be empty"):
        nps_from_scores([])
    with pytest.raises(TypeError, match="`scores` must contain numbers"):
        nps_from_scores(["9", "10"])
    with pytest.raises(TypeError, match="`scores` must contain numbers"):
        nps_from_scores([True, False])
    with pytest.raises(ValueError, match="`scores` must be one-dimensional"):
        nps_from_scores([[9, 10]])


@pytest.mark.parametrize("bad", [0.0, -1.0, np.nan, np.inf])
def test_weights_must_be_positive_and_finite(bad: float) -> None:
    with pytest.raises(ValueError, match=r"`weights` must be (> 0|finite)"):
        nps_from_scores([10, 9, 3], weights=[1.0, bad, 1.0])


def test_weights_of_the_wrong_length() -> None:
    with pytest.raises(
        ValueError,
        match=r"`scores`, `weights` must have the same length; `scores` has 3, "
        r"`weights` has 2",
    ):
        nps_from_scores([10, 9, 3], weights=[1.0, 2.0])


@pytest.mark.parametrize("level", [0.0, 1.0, 1.5, -0.2])
def test_confidence_level_outside_the_unit_interval(level: float) -> None:
    message = f"`confidence_level` must be strictly between 0 and 1; got {level!r}."
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        GOOD.confidence_interval(level)
    with pytest.raises(ValueError, match=re.escape(message)):
        csat([5, 4], scale=5).confidence_interval(level)
    with pytest.raises(ValueError, match=re.escape(message)):
        nps_sample_size(5, confidence_level=level)
    with pytest.raises(ValueError, match=re.escape(message)):
        nps_by_group([10, 9], ["a", "b"], confidence_level=level)
    with pytest.raises(ValueError, match=re.escape(message)):
        ces([5, 4]).mean_confidence_interval(level)


def test_confidence_level_of_the_wrong_type() -> None:
    with pytest.raises(TypeError, match="`confidence_level` must be a real number"):
        GOOD.confidence_interval("95%")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"method": "exact"}, ValueError, "`method` must be one of 'wald'"),
        ({"method": "bayesian", "prior": "flat"}, ValueError, "`prior` must be"),
        ({"method": "bootstrap", "n_resamples": 0}, ValueError, "`n_resamples` must"),
        ({"method": "bootstrap", "n_resamples": 2.5}, TypeError, "`n_resamples` must"),
        ({"method": "bootstrap", "rng": "seed"}, TypeError, "`rng` must be"),
    ],
)
def test_interval_options(
    kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        GOOD.confidence_interval(**kwargs)


@pytest.mark.parametrize(
    ("breaks", "error"),
    [
        ((7, 6), ValueError),
        ((6, 10), ValueError),
        ((-1, 8), ValueError),
        ((6,), TypeError),
        ((6.0, 8), TypeError),
        ("68", TypeError),
    ],
)
def test_breaks(breaks: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match="`breaks` must"):
        nps_from_scores([10, 9], breaks=breaks)


def test_missing_policy_name() -> None:
    with pytest.raises(ValueError, match="`missing` must be 'raise' or 'omit'"):
        nps_from_scores([10], missing="drop")  # type: ignore[arg-type]


def test_result_invariants_are_checked() -> None:
    with pytest.raises(ValueError, match="`effective_sample_size` must be > 0"):
        NetPromoterScore(
            promoters=1,
            passives=0,
            detractors=0,
            n_respondents=1,
            effective_sample_size=2.0,
            standard_error=0.0,
        )
    with pytest.raises(ValueError, match="`standard_error` must be finite"):
        NetPromoterScore(
            promoters=1,
            passives=0,
            detractors=0,
            n_respondents=1,
            effective_sample_size=1.0,
            standard_error=float("nan"),
        )


# Each case breaks one invariant of NetPromoterScore's Notes; the fields
# not named are those of nps(promoters=50, passives=30, detractors=20):
# n = 100, se = 100 sqrt((0.7 - 0.09) / 100) = 7.8102497.
SE_50_30_20 = 100 * (0.61 / 100) ** 0.5


@pytest.mark.parametrize(
    ("fields", "error", "message"),
    [
        # The review's example: all promoters, yet a standard error of 50
        # and a fractional number of respondents.
        (
            {
                "promoters": 100,
                "passives": 0,
                "detractors": 0,
                "n_respondents": 2.5,
                "effective_sample_size": 1,
                "standard_error": 50.0,
            },
            ValueError,
            r"^`n_respondents` must be a whole number >= 1; got 2\.5\.$",
        ),
        (
            {
                "promoters": 100,
                "passives": 0,
                "detractors": 0,
                "n_respondents": 2,
                "effective_sample_size": 1,
                "standard_error": 50.0,
            },
            ValueError,
            r"^`standard_error` must be consistent with the shares",
        ),
        ({"n_respondents": 0}, ValueError, r"`n_respondents` must be a whole number"),
        ({"n_respondents": True}, TypeError, r"`n_respondents` must be a whole"),
        ({"n_respondents": "100"}, TypeError, r"`n_respondents` must be a whole"),
        ({"n_missing": -1}, ValueError, r"^`n_missing` must be a whole number >= 0"),
        ({"n_missing": 0.5}, ValueError, r"^`n_missing` must be a whole number >= 0"),
        # Unweighted counts that do not add up to n_respondents.
        (
            {"n_respondents": 99, "effective_sample_size": 99.0},
            ValueError,
            r"^`n_respondents` must be consistent with the counts; got 99, which "
            r"gives 19\.8, 29\.7, 49\.5 respondents",
        ),
        # Unweighted, with a standard error that is not the formula's.
        (
            {"standard_error": 7.81},
            ValueError,
            r"^`standard_error` must be 100 sqrt\(\[\(p \+ d\) - \(p - d\)\^2\] / n\)"
            r" when `effective_sample_size` equals `n_respondents`.*, 7\.81025 here",
        ),
        # Three non-empty categories need at least three respondents.
        (
            {"n_respondents": 2, "effective_sample_size": 2.0},
            ValueError,
            r"^`n_respondents` must be at least the number of non-empty categories; "
            r"got 2 for 3",
        ),
        # Weighted (n_eff < n): n_eff (se/100)^2 must lie between the smallest
        # and largest (y - 0.3)^2 over the categories: 0.09 and 1.69.
        (
            {"effective_sample_size": 50.0, "standard_error": 1.0},
            ValueError,
            r"must lie between 0\.09 and 1\.69; got 0\.005",
        ),
        (
            {"effective_sample_size": 50.0, "standard_error": 20.0},
            ValueError,
            r"must lie between 0\.09 and 1\.69; got 2 \(standard_error=20\.0",
        ),
    ],
)
def test_inconsistent_result_fields(
    fields: dict[str, Any], error: type[Exception], message: str
) -> None:
    base: dict[str, Any] = {
        "promoters": 50,
        "passives": 30,
        "detractors": 20,
        "n_respondents": 100,
        "effective_sample_size": 100.0,
        "standard_error": SE_50_30_20,
    }
    NetPromoterScore(**base)  # the base itself is consistent
    with pytest.raises(error, match=message):
        NetPromoterScore(**{**base, **fields})


def test_consistent_hand_built_results_are_accepted() -> None:
    # Weighted: answers 10, 9, 3, 8 with weights 1, 2, 1, 2 (see
    # test_nps_reference.py): totals 3, 2, 1; n_eff = 36/10 = 3.6; se from
    # the linearized formula. Equal weights of 2: counts twice the
    # respondents, n_eff = n, the unweighted standard error.
    weighted = nps_from_scores([10, 9, 3, 8], weights=[1, 2, 1, 2])
    assert (
        NetPromoterScore(
            promoters=3.0,
            passives=2.0,
            detractors=1.0,
            n_respondents=4,
            effective_sample_size=3.6,
            standard_error=weighted.standard_error,
        )
        == weighted
    )
    doubled = nps_from_scores([10, 9, 3, 8], weights=[2, 2, 2, 2])
    assert doubled.promoters == 4.0
    assert doubled.standard_error == nps_from_scores([10, 9, 3, 8]).standard_error
    # Whole numbers of any numeric type are accepted and stored as int.
    result = NetPromoterScore(
        promoters=1,
        passives=0,
        detractors=0,
        n_respondents=np.int64(1),
        effective_sample_size=1.0,
        standard_error=0.0,
        n_missing=2.0,
    )
    assert type(result.n_respondents) is int
    assert type(result.n_missing) is int
    assert result.n_missing == 2


def test_sample_size_inputs() -> None:
    with pytest.raises(ValueError, match=r"^`margin_of_error` must be > 0; got 0\.$"):
        nps_sample_size(0)
    with pytest.raises(ValueError, match="must be given together"):
        nps_sample_size(5, promoter_share=0.5)
    with pytest.raises(ValueError, match="must be <= 1"):
        nps_sample_size(5, promoter_share=0.7, detractor_share=0.4)
    with pytest.raises(ValueError, match="must leave some spread"):
        nps_sample_size(5, promoter_share=1.0, detractor_share=0.0)
    with pytest.raises(ValueError, match="`power` must be strictly between 0 and 1"):
        nps_sample_size_for_difference(10, power=1.0)
    with pytest.raises(ValueError, match="`difference` must be > 0"):
        nps_sample_size_for_difference(-5)


@pytest.mark.parametrize(
    ("value", "suggestion"), [(0.05, "5"), (0.1, "10"), (0.25, "25"), (0.999, "99.9")]
)
def test_sample_sizes_reject_shares_for_points(value: float, suggestion: str) -> None:
    # 0.05 meant as 5 points would silently ask for 15,365,833 respondents.
    with pytest.raises(
        ValueError,
        match=rf"^`margin_of_error` must be >= 1 point; got {value}\. "
        rf"`margin_of_error` is in NPS points \(-100\.\.100 scale\), so {value} "
        rf"means {value} points\. Suggestion: did you mean {suggestion}\?$",
    ):
        nps_sample_size(value)
    with pytest.raises(
        ValueError,
        match=rf"^`difference` must be >= 1 point; got {value}\. .*did you mean "
        rf"{suggestion}\?$",
    ):
        nps_sample_size_for_difference(value)


def test_sample_sizes_reject_impossible_targets() -> None:
    # No two scores differ by more than 200 points, no margin exceeds 100.
    with pytest.raises(
        ValueError, match=r"^`difference` must be <= 200 points; got 300\. Two"
    ):
        nps_sample_size_for_difference(300)
    with pytest.raises(
        ValueError, match=r"^`margin_of_error` must be <= 100 points; got 150\. "
    ):
        nps_sample_size(150)
    with pytest.raises(ValueError, match=r"must be a finite number; got nan"):
        nps_sample_size(float("nan"))
    # The edges themselves are accepted: 1 point, 100 and 200 points.
    assert nps_sample_size(1) == 38_412  # ceil((1.959964 / 0.01)^2 - 3)
    assert nps_sample_size(100) == 1
    assert nps_sample_size_for_difference(200) == 1
    assert nps_sample_size_for_difference(1) == 156_975


def test_by_group_inputs() -> None:
    with pytest.raises(ValueError, match="`scores`, `groups` must have the same"):
        nps_by_group([10, 9, 3], ["a", "b"])
    with pytest.raises(ValueError, match="`groups` must not contain NaN labels"):
        nps_by_group([10, 9], [1.0, np.nan])
    with pytest.raises(TypeError, match="`groups` must hold labels of one sortable"):
        nps_by_group([10, 9], np.array(["a", None], dtype=object))
    with pytest.raises(ValueError, match="`weights` must be > 0"):
        nps_by_group([10, 9], ["a", "b"], weights=[1, 0])
    with pytest.raises(KeyError, match="no group 'z'"):
        nps_by_group([10, 9], ["a", "b"]).group_result("z")


def test_csat_inputs() -> None:
    with pytest.raises(ValueError, match="`scale` must be 5, 7 or 10"):
        csat([4, 5], scale=6)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"first at index 1: scores=6\.0"):
        csat([4, 6], scale=5)
    with pytest.raises(ValueError, match=r"first at index 0: scores=0\.0"):
        csat([0, 5], scale=5)
    with pytest.raises(ValueError, match="`top_box` must be an integer from 1 to 4"):
        csat([4, 5], scale=5, top_box=5)
    with pytest.raises(TypeError, match="`top_box` must be an integer"):
        csat([4, 5], scale=5, top_box=1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="`method` must be 'wilson' or"):
        csat([4, 5], scale=5).confidence_interval(method="wald")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least 2 answers"):
        csat([4], scale=5).mean_confidence_interval()
    with pytest.raises(ValueError, match="`counts` must have one entry per answer"):
        CustomerSatisfactionScore(scale=5, top_box=2, counts=[1, 2, 3])
    with pytest.raises(ValueError, match="`counts` must be >= 0"):
        CustomerSatisfactionScore(scale=5, top_box=2, counts=[1, -2, 3, 0, 0])


def test_ces_inputs() -> None:
    with pytest.raises(ValueError, match=r"must be whole numbers from 1 to 7; 1 of 2 "):
        ces([7, 8])
    with pytest.raises(ValueError, match="missing answers"):
        ces([7, np.nan])


def test_index_inputs() -> None:
    with pytest.raises(ValueError, match="`items` must be a two-dimensional array"):
        satisfaction_index([8, 9, 10])
    with pytest.raises(
        ValueError,
        match=r"`items` must be whole numbers from 1 to 10; 1 of 4 violate this "
        r"\(first at row 1, item 0: 0\.0\)",
    ):
        satisfaction_index([[8, 9], [0, 10]])
    with pytest.raises(ValueError, match="`item_weights` must have one entry per item"):
        satisfaction_index([[8, 9]], item_weights=[1.0])
    with pytest.raises(ValueError, match="`item_weights` must be > 0"):
        satisfaction_index([[8, 9]], item_weights=[1.0, 0.0])
    with pytest.raises(TypeError, match="`items` must contain numbers"):
        satisfaction_index([["8", "9"]])
