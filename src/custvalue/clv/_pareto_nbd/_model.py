"""The Pareto/NBD model of Schmittlein, Morrison & Colombo (1987)."""

from __future__ import annotations

from typing import Any, ClassVar, overload

import attrs
import numpy as np
import numpy.typing as npt
from scipy import special

from custvalue._lib.fields import Result
from custvalue._lib.hypergeometric import tricomi_u_one
from custvalue._lib.special import expm1_ratio
from custvalue._lib.validation import FloatArray, as_counts, as_generator, check_scalar
from custvalue.clv._data import CustomerSummary
from custvalue.clv._inputs import (
    as_horizon,
    customer_arrays,
    float_if_real,
    positive_parameter,
    shape_result,
    with_inactive,
)
from custvalue.clv._keyed import CustomerValues, keyed
from custvalue.clv._pareto_nbd import _likelihood as math
from custvalue.clv._protocols import Compounding
from custvalue.clv._simulation import observation_lengths
from custvalue.clv._units import Duration

__all__ = ["ParetoNBD"]


def _expected_count(
    t: FloatArray,
    r: float | npt.NDArray[np.floating[Any]],
    alpha: float | FloatArray,
    s: float,
    beta: float | FloatArray,
) -> FloatArray:
    """Compute E[X(t)] = r beta / (alpha (s-1)) [1 - (beta/(beta+t))^(s-1)].

    Written as :math:`(r\\beta/\\alpha)(1 - e^{-(s-1)\\ln(1+t/\\beta)})/(s-1)`
    through :func:`expm1_ratio`, exact at and near :math:`s = 1` (where it
    becomes :math:`(r\\beta/\\alpha)\\ln(1+t/\\beta)`).
    """
    return np.asarray((r * beta / alpha) * -expm1_ratio(-np.log1p(t / beta), s - 1.0))


@attrs.frozen(kw_only=True)
class ParetoNBD(Result):
    r"""The Pareto/NBD model of repeat buying.

    A model for a non-contractual, continuous-time setting: while "alive",
    each customer buys at a steady rate, and may become inactive at any
    moment (not only after a purchase, as in :class:`BGNBD`). Purchase
    rates and drop-out rates vary across customers. The object holds the
    four parameters and computes every prediction; it can be built from a
    paper's numbers without fitting.

    Parameters
    ----------
    r, alpha : float
        Shape and scale (in the data's time unit) of the gamma distribution
        of purchase rates :math:`\lambda`; the mean rate is ``r / alpha``.
    s, beta : float
        Shape and scale of the gamma distribution of drop-out rates
        :math:`\mu`; the mean lifetime is ``beta / (s - 1)`` for ``s > 1``.

    Raises
    ------
    ValueError
        If a parameter is not a finite number > 0.

    See Also
    --------
    fit_pareto_nbd : Maximum-likelihood estimation from customer summaries.
    BGNBD : The beta-geometric alternative with drop-out after purchases.

    Notes
    -----
    Assumptions (Schmittlein, Morrison & Colombo 1987): while alive,
    purchases follow a Poisson process with rate :math:`\lambda`; the
    lifetime is exponential with rate :math:`\mu`;
    :math:`\lambda \sim \mathrm{Gamma}(r, \alpha)` and
    :math:`\mu \sim \mathrm{Gamma}(s, \beta)` independently. The likelihood
    of :math:`x` repeat purchases, the last at :math:`t_x`, observed for
    :math:`T` (Fader & Hardie 2005, note 009, eq. 3, with the death time
    integrated out directly):

    .. math::

        L = \frac{\Gamma(r+x)\alpha^r\beta^s}{\Gamma(r)}\Big[
        (\alpha+T)^{-(r+x)}(\beta+T)^{-s}
        + s\int_{t_x}^{T}(\alpha+\tau)^{-(r+x)}(\beta+\tau)^{-(s+1)}d\tau
        \Big].

    The first term in the bracket is the customer alive at :math:`T`; its
    share of the bracket is :math:`P(\text{alive})`. A customer alive at
    :math:`T` has purchase and drop-out rates distributed
    :math:`\mathrm{Gamma}(r+x, \alpha+T)` and :math:`\mathrm{Gamma}(s,
    \beta+T)`, and being memoryless, faces a fresh Pareto/NBD future with
    those parameters; every conditional prediction is :math:`P(\text{alive})`
    times the new-customer prediction under them.

    The integral is computed by a Gauss-Legendre rule adapted to each
    customer (it is log-concave in :math:`\ln(\min(\alpha,\beta)+\tau)`), so
    the likelihood is finite and accurate for frequencies in the thousands,
    :math:`\alpha = \beta`, :math:`\alpha \ne \beta` by many decades and
    :math:`t_x = T`, where the Gauss hypergeometric form of the likelihood
    (SMC 1987 eq. 22) overflows or converges slowly.

    References
    ----------
    .. [1] Schmittlein, D. C., Morrison, D. G., & Colombo, R. (1987).
       Counting your customers: Who are they and what will they do next?
       Management Science, 33(1), 1-24.
    .. [2] Fader, P. S., & Hardie, B. G. S. (2005). A note on deriving the
       Pareto/NBD model and related expressions.
       http://brucehardie.com/notes/009/
    .. [3] Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005). RFM and CLV:
       Using iso-value curves for customer base analysis. Journal of
       Marketing Research, 42(4), 415-430.

    Examples
    --------
    The CDNOW estimates of Fader, Hardie & Lee (2005). A customer with two
    repeat purchases, the last at week 30.43 of 38.86, is likely still
    active and is expected to buy almost twice in the next 52 weeks:

    >>> from custvalue.clv import ParetoNBD
    >>> model = ParetoNBD(r=0.553, alpha=10.578, s=0.606, beta=11.669)
    >>> round(float(model.probability_alive(2, 30.43, 38.86)), 4)
    0.8692
    >>> round(float(model.conditional_expected_purchases(52, 2, 30.43, 38.86)), 4)
    1.8508
    """

    r: float = attrs.field(converter=float_if_real, validator=positive_parameter("r"))
    alpha: float = attrs.field(
        converter=float_if_real, validator=positive_parameter("alpha")
    )
    s: float = attrs.field(converter=float_if_real, validator=positive_parameter("s"))
    beta: float = attrs.field(
        converter=float_if_real, validator=positive_parameter("beta")
    )

    parameter_names = ("r", "alpha", "s", "beta")
    #: How :meth:`discounted_expected_residual_purchases` discounts
    #: (used by :func:`custvalue.clv.customer_lifetime_value`).
    residual_compounding: ClassVar[Compounding] = "continuous"

    def log_likelihood(
        self, frequency: npt.ArrayLike, recency: npt.ArrayLike, T: npt.ArrayLike
    ) -> FloatArray:
        """Log-likelihood of each customer's history.

        Parameters
        ----------
        frequency : array-like of int, shape (n_customers,)
            Repeat purchases :math:`x`.
        recency : array-like of float, shape (n_customers,)
            Time of the last purchase since the first, :math:`t_x` (0 when
            ``frequency`` is 0).
        T : array-like of float, shape (n_customers,)
            Time observed since the first purchase, >= ``recency``.

        Returns
        -------
        ndarray of shape (n_customers,)

        Examples
        --------
        A heavy buyer (221 repeat purchases) is no problem:

        >>> from custvalue.clv import ParetoNBD
        >>> model = ParetoNBD(r=0.5143, alpha=2.8845, s=0.2856, beta=14.1087)
        >>> model.log_likelihood([0, 221], [0.0, 103.43], [38.0, 103.57]).round(4)
        array([ -1.1122, -61.5817])
        """
        x, tx, t_obs, scalar = customer_arrays(frequency, recency, T)
        xf = x.astype(np.float64)
        log_e, log_a = math.log_bracket_terms(
            self.r, self.alpha, self.s, self.beta, xf, tx, t_obs
        )
        value = (
            special.gammaln(self.r + xf)
            - special.gammaln(self.r)
            + self.r * np.log(self.alpha)
            + self.s * np.log(self.beta)
            + np.logaddexp(log_e, log_a)
        )
        return shape_result(value, scalar)

    def _probability_alive(
        self, x: npt.NDArray[np.int64], tx: FloatArray, t_obs: FloatArray
    ) -> FloatArray:
        log_e, log_a = math.log_bracket_terms(
            self.r, self.alpha, self.s, self.beta, x.astype(np.float64), tx, t_obs
        )
        with np.errstate(invalid="ignore"):
            return np.asarray(special.expit(log_e - log_a))

    @overload
    def probability_alive(self, summary: CustomerSummary, /) -> CustomerValues: ...
    @overload
    def probability_alive(
        self,
        frequency: npt.ArrayLike,
        recency: npt.ArrayLike,
        T: npt.ArrayLike,
    ) -> FloatArray: ...
    @keyed("probability_alive")
    def probability_alive(
        self, frequency: npt.ArrayLike, recency: npt.ArrayLike, T: npt.ArrayLike
    ) -> FloatArray:
        """Probability that each customer is still alive at ``T``.

        The share of the "alive at :math:`T`" term in the likelihood
        bracket (note 009, eq. 5). It is 1 when ``recency == T`` (the
        customer bought at the end of the observation).

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

    def expected_purchases(self, horizon: npt.ArrayLike) -> FloatArray:
        """Compute E[X(t)], the expected purchases of a new customer in ``(0, t]``.

        .. math::

            E[X(t)] = \\frac{r\\beta}{\\alpha(s-1)}\\Big[1 -
            \\Big(\\frac{\\beta}{\\beta+t}\\Big)^{s-1}\\Big]

        (note 009, eq. 17), with its limit
        :math:`(r\\beta/\\alpha)\\ln(1+t/\\beta)` at :math:`s = 1`.

        Parameters
        ----------
        horizon : array-like of float
            Lengths of time, >= 0.

        Returns
        -------
        ndarray of the shape of ``horizon``
        """
        t = as_horizon(horizon)
        return _expected_count(t, self.r, self.alpha, self.s, self.beta)

    @overload
    def conditional_expected_purchases(
        self, horizon: npt.ArrayLike | Duration, summary: CustomerSummary, /
    ) -> CustomerValues: ...
    @overload
    def conditional_expected_purchases(
        self,
        horizon: npt.ArrayLike | Duration,
        frequency: npt.ArrayLike,
        recency: npt.ArrayLike,
        T: npt.ArrayLike,
    ) -> FloatArray: ...
    @keyed("conditional_expected_purchases")
    def conditional_expected_purchases(
        self,
        horizon: npt.ArrayLike,
        frequency: npt.ArrayLike,
        recency: npt.ArrayLike,
        T: npt.ArrayLike,
    ) -> FloatArray:
        """Compute the expected purchases in ``(T, T + horizon]`` given the history.

        :math:`P(\\text{alive})\\,E[X(t) \\mid r+x, \\alpha+T, s, \\beta+T]`
        (note 009, eq. 21).

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
        mean = _expected_count(
            t, self.r + x, self.alpha + t_obs, self.s, self.beta + t_obs
        )
        return shape_result(alive * mean, scalar and t.ndim == 0)

    def purchase_probability(
        self, n: npt.ArrayLike, horizon: npt.ArrayLike
    ) -> FloatArray:
        """Compute P(X(t) = n), ``n`` purchases by a new customer in ``(0, t]``.

        The negative binomial count up to ``t`` for a customer still alive
        then, plus the negative binomial count up to the death time
        integrated over death times before ``t`` (the mixture form of note
        009, eq. 16).

        Parameters
        ----------
        n : array-like of int
            Numbers of purchases, >= 0.
        horizon : array-like of float
            Lengths of time, broadcast against ``n``.

        Returns
        -------
        ndarray of the broadcast shape of ``n`` and ``horizon``

        Examples
        --------
        >>> from custvalue.clv import ParetoNBD
        >>> model = ParetoNBD(r=0.553, alpha=10.578, s=0.606, beta=11.669)
        >>> model.purchase_probability([0, 1, 2], 39.0).round(4)
        array([0.5936, 0.1656, 0.0825])
        """
        counts = as_counts(n, "n", suggestion="n counts purchases.").astype(np.float64)
        t = as_horizon(horizon)
        shape = np.broadcast_shapes(counts.shape, t.shape)
        log_p = math.log_purchase_pmf(counts, t, self.r, self.alpha, self.s, self.beta)
        return np.exp(log_p).reshape(shape)

    @overload
    def conditional_purchase_probability(
        self,
        n: npt.ArrayLike,
        horizon: npt.ArrayLike | Duration,
        summary: CustomerSummary,
        /,
    ) -> CustomerValues: ...
    @overload
    def conditional_purchase_probability(
        self,
        n: npt.ArrayLike,
        horizon: npt.ArrayLike | Duration,
        frequency: npt.ArrayLike,
        recency: npt.ArrayLike,
        T: npt.ArrayLike,
    ) -> FloatArray: ...
    @keyed("conditional_purchase_probability")
    def conditional_purchase_probability(
        self,
        n: npt.ArrayLike,
        horizon: npt.ArrayLike,
        frequency: npt.ArrayLike,
        recency: npt.ArrayLike,
        T: npt.ArrayLike,
    ) -> FloatArray:
        """Compute P(Y = n), ``n`` purchases in ``(T, T + horizon]``, given the history.

        Inactive with probability :math:`1 - \\pi` (then :math:`Y = 0`),
        otherwise a fresh Pareto/NBD customer with parameters
        :math:`(r+x, \\alpha+T, s, \\beta+T)`:

        .. math::

            P(Y = n) = (1-\\pi)\\,\\delta_{n=0} + \\pi\\,P(X(t) = n \\mid r+x,
            \\alpha+T, s, \\beta+T),

        which equals the conditional distribution derived in Fader & Hardie
        (2006), note 028.

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
        counts = as_counts(n, "n", suggestion="n counts purchases.").astype(np.float64)
        x, tx, t_obs, scalar = customer_arrays(frequency, recency, T)
        t = as_horizon(horizon)
        alive = self._probability_alive(x, tx, t_obs)
        shape = np.broadcast_shapes(counts.shape, t.shape, x.shape)
        pmf = np.exp(
            math.log_purchase_pmf(
                counts,
                t,
                self.r + x,
                self.alpha + t_obs,
                self.s,
                self.beta + t_obs,
            )
        ).reshape(shape)
        value = with_inactive(alive, pmf, counts)
        return shape_result(value, scalar and counts.ndim == 0 and t.ndim == 0)

    @overload
    def discounted_expected_residual_purchases(
        self, summary: CustomerSummary, /, *, discount_rate: float
    ) -> CustomerValues: ...
    @overload
    def discounted_expected_residual_purchases(
        self,
        frequency: npt.ArrayLike,
        recency: npt.ArrayLike,
        T: npt.ArrayLike,
        *,
        discount_rate: float,
    ) -> FloatArray: ...
    @keyed("discounted_expected_residual_purchases")
    def discounted_expected_residual_purchases(
        self,
        frequency: npt.ArrayLike,
        recency: npt.ArrayLike,
        T: npt.ArrayLike,
        *,
        discount_rate: float,
    ) -> FloatArray:
        """Discounted expected residual transactions (DERT) of each customer.

        All future purchases, one at time :math:`T + t` discounted by
        :math:`(1+d)^{-t} = e^{-\\delta t}` (continuous compounding,
        :math:`\\delta = \\ln(1 + d)`), in closed form (FHL 2005 "RFM and
        CLV", eq. 2). Multiply by the value of a purchase for the residual
        lifetime value; :func:`customer_lifetime_value` uses this for an
        infinite horizon with ``compounding='continuous'``.

        Parameters
        ----------
        frequency, recency, T : array-like, shape (n_customers,)
            As in :meth:`log_likelihood`.
        discount_rate : float
            Effective discount rate per period of the data, > 0.

        Returns
        -------
        ndarray of shape (n_customers,)

        Notes
        -----
        An alive customer with rates :math:`\\lambda, \\mu` makes
        :math:`\\int_0^\\infty \\lambda e^{-(\\mu+\\delta)t}dt = \\lambda/(\\mu +
        \\delta)` discounted purchases. Averaging over the updated gamma
        distributions, with :math:`E[1/(\\delta+\\mu)] = b^s \\delta^{s-1}
        U(s, s; \\delta b)` for :math:`\\mu \\sim \\mathrm{Gamma}(s, b)`
        (:math:`U` the confluent hypergeometric function of the second
        kind):

        .. math::

            \\mathrm{DERT} = \\pi\\,\\frac{r+x}{\\alpha+T}\\,(\\beta+T)^s
            \\delta^{s-1}\\,U\\big(s, s; \\delta(\\beta+T)\\big)
            = \\pi\\,\\frac{r+x}{\\alpha+T}\\,(\\beta+T)\\,
            U\\big(1, 2-s; \\delta(\\beta+T)\\big),

        the second form by Kummer's transformation (DLMF 13.2.40), with
        :math:`U(1, 2-s; z) = \\int_0^\\infty e^{-zv}(1+v)^{-s}dv`
        (DLMF 13.4.4) computed by quadrature; it stays finite where
        :math:`(\\beta+T)^s` or :math:`\\delta^{s-1}` overflow, for every
        :math:`s`.

        Examples
        --------
        >>> from custvalue.clv import ParetoNBD
        >>> model = ParetoNBD(r=0.553, alpha=10.578, s=0.606, beta=11.669)
        >>> weekly = 1.15 ** (1 / 52) - 1  # 15% a year
        >>> dert = model.discounted_expected_residual_purchases(
        ...     2, 30.43, 38.86, discount_rate=weekly
        ... )
        >>> round(float(dert), 3)
        6.502
        """
        d = check_scalar(discount_rate, "discount_rate", positive=True)
        x, tx, t_obs, scalar = customer_arrays(frequency, recency, T)
        delta = np.log1p(d)
        alive = self._probability_alive(x, tx, t_obs)
        b = self.beta + t_obs
        # E[1/(delta + mu)] = b^s delta^(s-1) U(s, s; delta b)
        #                   = b U(1, 2 - s; delta b)  (Kummer, DLMF 13.2.40):
        # no b^s or delta^(s-1) to overflow, and U(1, 2 - s; z) lies in
        # (0, min(1/z, 1/(s-1))] (scipy's hyperu(s, s, z) is NaN for s > 200)
        inverse_rate = b * tricomi_u_one(self.s, delta * b)
        value = alive * (self.r + x) / (self.alpha + t_obs) * inverse_rate
        return shape_result(value, scalar)

    def simulate(
        self,
        n_customers: int,
        T: npt.ArrayLike,
        *,
        rng: np.random.Generator | int | None = None,
    ) -> CustomerSummary:
        """Draw customer histories from the model.

        Each customer gets :math:`\\lambda \\sim \\mathrm{Gamma}(r, \\alpha)`,
        :math:`\\mu \\sim \\mathrm{Gamma}(s, \\beta)` and an exponential
        lifetime :math:`\\tau` with rate :math:`\\mu`; the repeat purchases
        in :math:`(0, \\min(\\tau, T)]` are Poisson in
        :math:`\\lambda\\min(\\tau, T)`, and the last one is the largest of
        that many uniform times.

        Parameters
        ----------
        n_customers : int
            Number of customers, >= 1.
        T : float or array-like of shape (n_customers,)
            Observation length of each customer.
        rng : numpy.random.Generator, int or None, optional
            Source of randomness; an int seeds a new generator.

        Returns
        -------
        CustomerSummary
            ``frequency``, ``recency`` and ``T`` of the simulated customers.

        Examples
        --------
        >>> from custvalue.clv import ParetoNBD
        >>> model = ParetoNBD(r=0.553, alpha=10.578, s=0.606, beta=11.669)
        >>> sim = model.simulate(3, 39.0, rng=7)
        >>> sim.frequency.shape, bool((sim.recency <= sim.T).all())
        ((3,), True)
        """
        generator = as_generator(rng)
        t_obs = observation_lengths(n_customers, T)
        lam = generator.gamma(self.r, 1.0 / self.alpha, size=t_obs.size)
        mu = generator.gamma(self.s, 1.0 / self.beta, size=t_obs.size)
        # exponential(1/mu) is standard_exponential() * (1/mu), drawn the same
        # way; a drop-out rate drawn as 0 or so small that 1/mu overflows
        # (gamma with tiny s) is an infinite lifetime, without a warning
        with np.errstate(divide="ignore", over="ignore"):
            scale = 1.0 / mu
        lifetime = np.multiply(
            generator.standard_exponential(t_obs.size),
            scale,
            out=np.full_like(mu, np.inf),
            where=np.isfinite(scale),
        )
        active = np.minimum(lifetime, t_obs)
        x = generator.poisson(lam * active)
        recency = np.zeros(t_obs.size)
        some = x > 0
        recency[some] = active[some] * generator.beta(x[some], 1.0)
        return CustomerSummary(frequency=x, recency=recency, T=t_obs)
