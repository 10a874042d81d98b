"""Steps beyond the parameters' range never reach the model.

A profile search in the validation script stepped to log(beta) = -800,
where exp underflows to 0, and then to beta near 1e-170, where beta**2
underflows; the Pareto/NBD likelihood divided by them in plain floats
(ZeroDivisionError). The driver and the profile reject parameters outside
[1e-100, 1e100] (``LOG_LIMIT``) as not finite instead of calling the model.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from custvalue._lib.optimize import _Objective
from custvalue._lib.profile import _Profile
from custvalue._lib.validation import FloatArray


def _strict_model(theta: FloatArray) -> tuple[float, FloatArray, FloatArray]:
    value = float(theta[0])
    assert 0.0 < value < math.inf, "the model must not see parameters outside (0, inf)"
    return (
        -1.0 / value - value,
        np.array([1.0 / value**2 - 1.0]),
        np.array([[-2.0 / value**3]]),
    )


@pytest.mark.parametrize("log_theta", [-800.0, -391.0, 240.0, 800.0])
def test_driver_rejects_parameters_beyond_float_range(log_theta: float) -> None:
    objective = _Objective(_strict_model, 10.0, 0.0)
    value, gradient = objective.fun(np.array([log_theta]))
    assert value == math.inf
    assert np.all(gradient == 0.0)


@pytest.mark.parametrize("log_theta", [-800.0, -391.0, 240.0, 800.0])
def test_profile_rejects_parameters_beyond_float_range(log_theta: float) -> None:
    profile = _Profile(_strict_model, np.array([0.0]), 0, 10.0, 0.0)
    assert profile._objective(np.array([log_theta]))[0] == math.inf
