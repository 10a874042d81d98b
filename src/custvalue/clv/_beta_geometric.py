"""The beta-geometric family of transaction models: BG/NBD and MBG/NBD.

Both models describe purchasing as a Poisson process with gamma-distributed
rates and drop-out after purchases with a beta-distributed probability; they
differ only in whether the first purchase is also followed by a chance to
drop out. The shared implementation lives here; :class:`BGNBD` and
:class:`MBGNBD` say which variant they are.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

import attrs
import numpy as np
import numpy.typing as npt
from scipy import special

from custvalue._lib.reductions import weighted_sum
from custvalue._lib.validation import FloatArray, check_scalar
from custvalue.clv import _bgnbd_math as math
from custvalue.clv._boundaries import mixing_reasons
from custvalue.clv._fit import Fit, maximum_likelihood_fit
from custvalue.clv._inputs import (
    as_horizon,
    as_purchase_count,
    customer_arrays,
    float_if_real,
    positive_parameter,
    shape_result,
    with_inactive,
)
from custvalue.clv._patterns import compress_patterns, validate_customers
from custvalue.clv._simulation import as_generator, observation_lengths
from custvalue.clv._summary_types import CustomerSummary

__all__ = ["BetaGeometricModel", "fit_beta_geometric"]

ModelT = TypeVar("ModelT", bound="BetaGeometricModel")

_NO_DROPOUT = (
    "the data show little drop-out, so the drop-out probability a/(a+b) tends to 0"
)


@attrs.frozen(kw_only=True)
class BetaGeometricModel:
    """Shared implementation of BG/NBD and MBG/NBD; use those classes."""

    r: float = attrs.field(converter=float_if_real, validator=positive_parameter("r"))
    alpha: float = attrs.field(
        converter=float_if_real, validator=positive_parameter("alpha")
    )
    a: float = attrs.field(converter=float_if_real, validator=positive_parameter("a"))
    b: float = attrs.field(converter=float_if_real, validator=positive_parameter("b"))

    parameter_names = ("r", "alpha", "a", "b")
    #: Drop-out opportunities before the first repeat purchase (0 or 1).
    _shift: ClassVar[int] = 0

    def _alive_at_start(self) -> float:
        """Probability of surviving the drop-out opportunities before any repeat."""
        if self._shift == 0:
            return 1.0
        return float(
            np.exp(
                special.betaln(self.a, self.b + self._shift)
                - special.betaln(self.a, self.b)
            )
        )

    def log_likelihood(
        self, frequency: npt.ArrayLike, recency: npt.ArrayLike, T: npt.ArrayLike
    ) -> FloatArray:
        """Log-likelihood of each customer's history.

        FHL 2005 eq. (6) for BG/NBD (Batislam et al. 2007 eq. 6 for MBG/NBD),
        computed in the form of Hardie's note 027, which neither overflows
        nor underflows for any frequency.

        Parameters
        ----------
        frequency : array-like of int, shape (n_customers,)
            Repeat purchases :math:`x`.
        recency : array-like of float, shape (n_customers,)
            Time of the last purchase since the first, :math:`t_x`.
        T : array-like of float, shape (n_customers,)
            Time observed since the first purchase.

        Returns
        -------
        ndarray of shape (n_customers,)

        Examples
        --------
        Hardie's note 027 (r = 0.25, alpha = 4, a = 0.8, b = 2.5, T = 40):

        >>> from custvalue.clv import BGNBD
        >>> model = BGNBD(r=0.25, alpha=4.0, a=0.8, b=2.5)
        >>> model.log_likelihood([0, 200], [0.0, 38.0], [40.0, 40.0])
        array([ -0.59947382, 100.7957])
        """
        x, tx, t_obs, scalar = customer_arrays(frequency, recency, T)
        value = math.log_likelihood_per_customer(
            self.r, self.alpha, self.a, self.b, x, tx, t_obs, self._shift
        )
        return shape_result(value, scalar)

    def expected_purchases(self, horizon: npt.ArrayLike) -> FloatArray:
        """Compute E[X(t)], the expected purchases of a new customer in ``(0, t]``.

        FHL 2005 eq. (7), evaluated through Euler's transformation so that it
        is finite for every valid parameter (the form is explained in the
        BG/NBD page of the documentation's explanation section). Under
        MBG/NBD a new customer is first alive with probability
        :math:`b/(a+b)`, and then purchases as under BG/NBD with ``b + 1``.

        Parameters
        ----------
        horizon : array-like of float
            Lengths of time, in the data's period, >= 0.

        Returns
        -------
        ndarray of the shape of ``horizon``
        """
        t = as_horizon(horizon)
        return self._alive_at_start() * math.expected_count(
            t, self.r, self.alpha, self.a, self.b + self._shift
        )

    def conditional_expected_purchases(
        self,
        horizon: npt.ArrayLike,
        frequency: npt.ArrayLike,
        recency: npt.ArrayLike,
        T: npt.ArrayLike,
    ) -> FloatArray:
        """Compute the expected purchases in ``(T, T + horizon]`` given the history.

        FHL 2005 eq. (10): :math:`\\pi \\, E[X(t) \\mid r+x, \\alpha+T, a, b+x]`,
        with :math:`\\pi` the probability that the customer is alive.

        Parameters
        ----------
        horizon : array-like of float
            Prediction window(s), broadcast against the customers (a scalar,
            one per customer, or shape ``(n_horizons, 1)`` for a table).
        frequency, recency, T : array-like, shape (n_customers,)
            As in :meth:`log_likelihood`.

        Returns
        -------
        ndarray
            The broadcast shape of ``horizon`` and the customers.
        """
        x, tx, t_obs, scalar = customer_arrays(frequency, recency, T)
        t = as_horizon(horizon)
        alive = self._probability_alive(x, tx, t_obs)
        mean = math.expected_count(
            t, self.r, self.alpha, self.a, self.b + self._shift, x, t_obs
        )
        return shape_result(alive * mean, scalar and t.ndim == 0)

    def _probability_alive(
        self, x: npt.NDArray[np.int64], tx: FloatArray, t_obs: FloatArray
    ) -> FloatArray:
        lod = math.log_odds_dead(
            self.r, self.alpha, self.a, self.b, x, tx, t_obs, self._shift
        )
        return np.asarray(special.expit(-lod), dtype=np.float64)

    def probability_alive(
        self, frequency: npt.ArrayLike, recency: npt.ArrayLike, T: npt.ArrayLike
    ) -> FloatArray:
        """Probability that each customer is still alive at ``T``.

        Fader, Hardie & Lee (2008), note 021, eq. (2). Under BG/NBD it is 1
        for customers with ``frequency == 0``: a customer can only drop out
        right after a repeat purchase. Under MBG/NBD it is below 1 for
        everyone (drop-out may also follow the first purchase).

        Parameters
        ----------
        frequency, recency, T : array-like, shape (n_customers,)
            As in :meth:`log_likelihood`.

        Returns
        -------
        ndarray of shape (n_customers,), values in [0, 1]
        """
        x, tx, t_obs, scalar = customer_arrays(frequency, recency, T)
        return shape_result(self._probability_alive(x, tx, t_obs), scalar)

    def purchase_probability(
        self, n: npt.ArrayLike, horizon: npt.ArrayLike
    ) -> FloatArray:
        """Compute P(X(t) = n), ``n`` purchases by a new customer in ``(0, t]``.

        FHL 2005 eq. (8), with the negative binomial tail computed as a
        regularized incomplete beta function.

        Parameters
        ----------
        n : array-like of int
            Numbers of purchases, >= 0.
        horizon : array-like of float
            Lengths of time, broadcast against ``n``.

        Returns
        -------
        ndarray of the broadcast shape of ``n`` and ``horizon``
        """
        counts = as_purchase_count(n)
        t = as_horizon(horizon)
        alive = self._alive_at_start()
        pmf = np.exp(
            math.log_pmf(counts, t, self.r, self.alpha, self.a, self.b + self._shift)
        )
        return with_inactive(alive, pmf, counts)

    def conditional_purchase_probability(
        self,
        n: npt.ArrayLike,
        horizon: npt.ArrayLike,
        frequency: npt.ArrayLike,
        recency: npt.ArrayLike,
        T: npt.ArrayLike,
    ) -> FloatArray:
        """Compute P(Y = n), ``n`` purchases in ``(T, T + horizon]``, given the history.

        The customer is inactive with probability :math:`1-\\pi` (then
        :math:`Y = 0`); otherwise :math:`Y` follows FHL 2005 eq. (8) with the
        updated parameters :math:`(r+x, \\alpha+T, a, b+x)`:

        .. math::

            P(Y = n) = (1-\\pi)\\,\\delta_{n=0} + \\pi\\,P(X(t) = n \\mid r+x,
            \\alpha+T, a, b+x).

        Parameters
        ----------
        n : array-like of int
            Numbers of purchases, broadcast against the customers.
        horizon : array-like of float
            Prediction window(s), broadcast against the customers.
        frequency, recency, T : array-like, shape (n_customers,)
            As in :meth:`log_likelihood`.

        Returns
        -------
        ndarray of the broadcast shape
        """
        counts = as_purchase_count(n)
        x, tx, t_obs, scalar = customer_arrays(frequency, recency, T)
        t = as_horizon(horizon)
        alive = self._probability_alive(x, tx, t_obs)
        xf = x.astype(np.float64)
        pmf = np.exp(
            math.log_pmf(
                counts,
                t,
                self.r + xf,
                self.alpha + t_obs,
                self.a,
                self.b + self._shift + xf,
            )
        )
        value = with_inactive(alive, pmf, counts)
        return shape_result(value, scalar and counts.ndim == 0 and t.ndim == 0)

    def simulate(
        self,
        n_customers: int,
        T: npt.ArrayLike,
        *,
        rng: np.random.Generator | int | None = None,
    ) -> CustomerSummary:
        """Draw customer histories from the model.

        Each customer gets :math:`\\lambda \\sim \\mathrm{Gamma}(r, \\alpha)` and
        :math:`p \\sim \\mathrm{Beta}(a, b)`; the number of purchases a customer
        makes before dropping out is geometric in :math:`p`, the purchases
        that would occur in :math:`(0, T]` are Poisson in :math:`\\lambda T`,
        and the observed frequency is the smaller of the two. The last
        purchase time is the matching order statistic of uniform times.

        Parameters
        ----------
        n_customers : int
            Number of customers, >= 1.
        T : float or array-like of shape (n_customers,)
            Observation length of each customer (an array gives staggered
            first purchases).
        rng : numpy.random.Generator, int or None, optional
            Source of randomness; an int seeds a new generator. Global numpy
            state is never used.

        Returns
        -------
        CustomerSummary
            ``frequency``, ``recency`` and ``T`` of the simulated customers.
        """
        generator = as_generator(rng)
        t_obs = observation_lengths(n_customers, T)
        lam = generator.gamma(self.r, 1.0 / self.alpha, size=t_obs.size)
        p = generator.beta(self.a, self.b, size=t_obs.size)
        would_buy = generator.poisson(lam * t_obs)
        # repeat purchases made before dropping out: the drop-out chances
        # come after each purchase, the first one included when shift = 1
        purchases_until_dropout = generator.geometric(p) - self._shift
        x = np.minimum(would_buy, purchases_until_dropout)
        recency = np.zeros(t_obs.size)
        some = x > 0
        recency[some] = t_obs[some] * generator.beta(
            x[some], would_buy[some] - x[some] + 1.0
        )
        return CustomerSummary(frequency=x, recency=recency, T=t_obs)


def _initial_values(
    x: npt.NDArray[np.int64], t_obs: FloatArray, w: FloatArray
) -> FloatArray:
    """Scale-aware starting values: r = 1, alpha from the mean purchase rate."""
    mean_x = weighted_sum(w, x) / float(w.sum())
    mean_t = weighted_sum(w, t_obs) / float(w.sum())
    alpha = max(mean_t, 1e-8) / max(mean_x, 0.05)
    return np.array([1.0, alpha, 1.0, 2.0])


def fit_beta_geometric(
    model_class: type[ModelT],
    frequency: npt.ArrayLike,
    recency: npt.ArrayLike,
    T: npt.ArrayLike,
    *,
    weights: npt.ArrayLike | None,
    penalizer: float,
) -> Fit[ModelT]:
    """Fit a model of the beta-geometric family by maximum likelihood."""
    x, tx, t_obs, w = validate_customers(frequency, recency, T, weights)
    pen = check_scalar(penalizer, "penalizer", nonnegative=True)
    data = compress_patterns(x, tx, t_obs, w)
    arranged = math.LikelihoodData.from_patterns(data, model_class._shift)
    return maximum_likelihood_fit(
        model_class,
        lambda theta: math.log_likelihood_derivatives(theta, arranged),
        _initial_values(data.frequency, data.T, data.weight),
        boundary_reason=mixing_reasons(
            {("r", "alpha"): "purchase rates", ("a", "b"): "drop-out probabilities"},
            frequency=data.frequency,
            fading={
                ("a", "0"): _NO_DROPOUT,
                ("b", "infinity"): _NO_DROPOUT,
            },
        ),
        parameter_names=model_class.parameter_names,
        n_customers=data.total_weight,
        n_patterns=int(data.frequency.size),
        penalizer=pen,
    )
