"""The BG/BB model of Fader, Hardie & Shang (2010)."""

from __future__ import annotations

from typing import ClassVar, overload

import attrs
import numpy as np
import numpy.typing as npt

from custvalue._lib.fields import Result
from custvalue._lib.special import log_beta_ratio
from custvalue._lib.validation import (
    FloatArray,
    IntArray,
    as_counts,
    as_generator,
    check_integer_option,
    check_scalar,
)
from custvalue.clv._bgbb import _likelihood as math
from custvalue.clv._data import CustomerSummary, DiscreteTimeSummary
from custvalue.clv._inputs import (
    float_if_real,
    positive_parameter,
    shape_result,
    with_inactive,
)
from custvalue.clv._keyed import CustomerValues, keyed
from custvalue.clv._protocols import Compounding
from custvalue.clv._units import Duration

__all__ = ["BGBB"]

_OPPORTUNITIES = "`{name}` counts discrete transaction opportunities."


@attrs.frozen(kw_only=True)
class BGBB(Result):
    r"""The beta-geometric/beta-binomial (BG/BB) model.

    A model of repeat transactions in a non-contractual, *discrete-time*
    setting: customers have one chance to transact per period (an annual
    donation drive, a yearly event, a weekly visit recorded as yes/no).
    While "alive" a customer transacts in each opportunity with their own
    probability, and before each opportunity may drop out for good. The
    object holds the four parameters and computes every prediction in closed
    form or by exact sums.

    Data are counted in opportunities after the first transaction: the
    customer transacted in ``frequency`` (:math:`x`) of the ``T``
    (:math:`n`) opportunities observed, the last time in opportunity
    ``recency`` (:math:`t_x`, 0 when :math:`x = 0`). ``T`` keeps the name
    of the continuous-time models so that :class:`BGBB` plugs into
    :func:`customer_lifetime_value`; it is the number of opportunities and
    must be whole, and so must horizons.

    Parameters
    ----------
    alpha, beta : float
        Shapes of the beta distribution of the transaction probability
        :math:`p`; the mean is ``alpha / (alpha + beta)``.
    gamma, delta : float
        Shapes of the beta distribution of the drop-out probability
        :math:`\theta`; the mean is ``gamma / (gamma + delta)``.

    Raises
    ------
    ValueError
        If a parameter is not a finite number > 0.

    See Also
    --------
    fit_bgbb : Maximum-likelihood estimation from discrete-time summaries.

    Notes
    -----
    Assumptions (FHS 2010, section 2): while alive a customer transacts in
    each opportunity with probability :math:`p \sim \mathrm{Beta}(\alpha,
    \beta)`; an alive customer becomes inactive at the *start* of each
    opportunity with probability :math:`\theta \sim \mathrm{Beta}(\gamma,
    \delta)`; :math:`p` and :math:`\theta` are independent. "Alive in
    opportunity :math:`t`" means having survived the drop-out chances at the
    start of opportunities :math:`1, \dots, t`. The likelihood (eq. 5) is

    .. math::

        L = \frac{B(\alpha+x, \beta+n-x)}{B(\alpha,\beta)}
            \frac{B(\gamma, \delta+n)}{B(\gamma,\delta)}
          + \sum_{i=0}^{n-t_x-1}
            \frac{B(\alpha+x, \beta+t_x-x+i)}{B(\alpha,\beta)}
            \frac{B(\gamma+1, \delta+t_x+i)}{B(\gamma,\delta)}.

    The first term is the probability of the data and being alive in
    opportunity :math:`n`, so :math:`\pi_n` = first term / :math:`L` is the
    probability of being alive then. Given alive in :math:`n`, the
    posterior of :math:`(p, \theta)` is :math:`\mathrm{Beta}(\alpha+x,
    \beta+n-x) \times \mathrm{Beta}(\gamma, \delta+n)`, so the customer's
    future is a new BG/BB process with parameters :math:`(\alpha+x,
    \beta+n-x, \gamma, \delta+n)`. Every conditional prediction follows: the
    number of transactions in the next :math:`n^*` opportunities is 0 with
    probability :math:`1-\pi_n` and otherwise distributed as :math:`X(n^*)`
    under the updated parameters; its mean is eq. (13), and
    :math:`P(\text{alive in } n+m) = \pi_n B(\gamma, \delta+n+m) /
    B(\gamma, \delta+n)` is eq. (11) at :math:`m = 1`.

    Everything is computed in log space (log-sum-exp over the terms of
    :math:`L`), so customers with hundreds of opportunities get accurate
    values rather than underflow.

    References
    ----------
    .. [1] Fader, P. S., Hardie, B. G. S., & Shang, J. (2010). Customer-base
       analysis in a discrete-time noncontractual setting. Marketing
       Science, 29(6), 1086-1108.

    Examples
    --------
    The estimates of FHS (2010) for the donations data (11,104 donors of
    1995, six annual opportunities 1996-2001). A donor who gave in 4 of the
    6 years, the last time in 2000 (opportunity 5):

    >>> from custvalue.clv import BGBB
    >>> model = BGBB(alpha=1.204, beta=0.750, gamma=0.657, delta=2.783)
    >>> model.probability_alive(4, 5, 6)
    array(0.7488)
    >>> model.conditional_expected_purchases(5, frequency=4, recency=5, T=6)
    array(2.0296)

    A new donor is expected to give in about 2 of the next 6 years:

    >>> model.expected_purchases(6)
    array(2.2196)
    """

    alpha: float = attrs.field(
        converter=float_if_real, validator=positive_parameter("alpha")
    )
    beta: float = attrs.field(
        converter=float_if_real, validator=positive_parameter("beta")
    )
    gamma: float = attrs.field(
        converter=float_if_real, validator=positive_parameter("gamma")
    )
    delta: float = attrs.field(
        converter=float_if_real, validator=positive_parameter("delta")
    )

    parameter_names = ("alpha", "beta", "gamma", "delta")
    #: How :meth:`discounted_expected_residual_purchases` discounts
    #: (used by :func:`custvalue.clv.customer_lifetime_value`).
    residual_compounding: ClassVar[Compounding] = "end_of_period"

    def _theta(self) -> FloatArray:
        return np.array([self.alpha, self.beta, self.gamma, self.delta])

    def _pattern_terms(
        self, x: IntArray, tx: IntArray, n: IntArray
    ) -> tuple[math.DiscretePatterns, FloatArray, FloatArray]:
        """Distinct patterns, their log-likelihoods and ln P(alive in n)."""
        patterns = math.compress_discrete(x, tx, n)
        data = math.LikelihoodData.from_patterns(
            patterns.frequency, patterns.recency, patterns.n, patterns.weight
        )
        ll = math.log_likelihood_patterns(self._theta(), data)
        # first term of FHS eq. (5): the data and alive in opportunity n, from
        # the same exact log ratios as the likelihood's terms (no betaln
        # differences), so that P(alive) is exactly 1 when it is the only term
        alive_term = math.log_alive_terms(
            self._theta(), patterns.frequency, patterns.n, data.max_n + 2
        )
        return patterns, ll, alive_term - ll

    def log_likelihood(
        self, frequency: npt.ArrayLike, recency: npt.ArrayLike, T: npt.ArrayLike
    ) -> FloatArray:
        """Log-likelihood of each customer's history, FHS (2010) eq. (5).

        Parameters
        ----------
        frequency : array-like of int, shape (n_customers,)
            Opportunities with a transaction, :math:`x`.
        recency : array-like of int, shape (n_customers,)
            Opportunity of the last transaction, :math:`t_x` (0 if none).
        T : array-like of int, shape (n_customers,)
            Opportunities observed, :math:`n`.

        Returns
        -------
        ndarray of shape (n_customers,)

        Raises
        ------
        ValueError
            If the inputs are not whole numbers with
            ``frequency <= recency <= T`` and ``recency == 0`` exactly when
            ``frequency == 0``.

        Examples
        --------
        >>> from custvalue.clv import BGBB
        >>> model = BGBB(alpha=1.204, beta=0.750, gamma=0.657, delta=2.783)
        >>> model.log_likelihood([0, 6], [0, 6], [6, 6])
        array([-1.1673, -2.1822])
        """
        x, tx, n, scalar = math.discrete_customers(frequency, recency, T)
        patterns, ll, _ = self._pattern_terms(x, tx, n)
        return shape_result(ll[patterns.index], scalar)

    @overload
    def probability_alive(
        self, summary: CustomerSummary, /, *, future: int = 0
    ) -> CustomerValues: ...
    @overload
    def probability_alive(
        self,
        frequency: npt.ArrayLike,
        recency: npt.ArrayLike,
        T: npt.ArrayLike,
        *,
        future: int = 0,
    ) -> FloatArray: ...
    @keyed("probability_alive")
    def probability_alive(
        self,
        frequency: npt.ArrayLike,
        recency: npt.ArrayLike,
        T: npt.ArrayLike,
        *,
        future: int = 0,
    ) -> FloatArray:
        """Probability that each customer is alive ``future`` opportunities after ``T``.

        With the default ``future=0`` this is the probability of being alive
        in the last observed opportunity :math:`n` (having survived the
        drop-out chances at the start of opportunities :math:`1..n`), i.e.
        at the end of the observation period. ``future=m`` gives the
        probability of still being alive in opportunity :math:`n + m`;
        ``future=1`` is FHS (2010) eq. (11), and the convention is that of
        lifetimes' ``conditional_probability_alive(m_periods_in_future, ...)``.

        Parameters
        ----------
        frequency, recency, T : array-like of int, shape (n_customers,)
            As in :meth:`log_likelihood`.
        future : int, default=0
            Opportunities ahead, >= 0.

        Returns
        -------
        ndarray of shape (n_customers,), values in [0, 1]

        Notes
        -----
        .. math::

            P(\\text{alive in } n+m) = \\frac{B(\\alpha+x, \\beta+n-x)}{B(\\alpha,
            \\beta)} \\frac{B(\\gamma, \\delta+n+m)}{B(\\gamma,\\delta)}
            \\Big/ L

        (FHS 2010, appendix, eq. A10), computed as
        :math:`\\exp(\\ln\\pi_n + \\ln B(\\gamma, \\delta+n+m) - \\ln B(\\gamma,
        \\delta+n))`.
        """
        x, tx, n, scalar = math.discrete_customers(frequency, recency, T)
        m = as_counts(future, "future", suggestion=_OPPORTUNITIES.format(name="future"))
        if m.ndim != 0:
            msg = f"`future` must be a single whole number >= 0; got {future!r}."
            raise ValueError(msg)
        patterns, _, log_alive = self._pattern_terms(x, tx, n)
        nf = patterns.n.astype(np.float64)
        # ln B(gamma, delta+n+m) - ln B(gamma, delta+n), as an exact log ratio
        later = log_beta_ratio(self.gamma, self.delta + nf, float(m))
        value = np.minimum(np.exp(log_alive + later), 1.0)
        return shape_result(value[patterns.index], scalar)

    def expected_purchases(self, horizon: npt.ArrayLike) -> FloatArray:
        """Compute E[X(n)], the expected transactions of a new customer.

        Over the first ``n`` opportunities after the first transaction; FHS
        (2010) eq. (9): :math:`\\frac{\\alpha}{\\alpha+\\beta}
        \\sum_{t=1}^{n} \\frac{B(\\gamma, \\delta+t)}{B(\\gamma,\\delta)}`, the
        mean transaction probability times the expected number of
        opportunities alive. The sum is taken term by term rather than
        through the paper's closed form, which divides by :math:`\\gamma - 1`
        (0/0 at :math:`\\gamma = 1`).

        Parameters
        ----------
        horizon : array-like of int
            Numbers of opportunities after the first transaction, >= 0.

        Returns
        -------
        ndarray of the shape of ``horizon``
        """
        h = as_counts(
            horizon, "horizon", suggestion=_OPPORTUNITIES.format(name="horizon")
        )
        mean_p = self.alpha / (self.alpha + self.beta)
        return np.asarray(
            mean_p * math.survival_sum(self.gamma, np.asarray(self.delta), h)
        )

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
        """Compute the expected transactions in the next ``horizon`` opportunities.

        FHS (2010) eq. (13), written as :math:`\\pi_n
        \\frac{\\alpha+x}{\\alpha+\\beta+n} \\sum_{k=1}^{n^*}
        \\frac{B(\\gamma, \\delta+n+k)}{B(\\gamma, \\delta+n)}` (the probability
        of being alive in :math:`n`, the posterior mean of :math:`p`, and the
        expected number of the next :math:`n^*` opportunities alive).

        Parameters
        ----------
        horizon : array-like of int
            Numbers of future opportunities :math:`n^*` (whole, >= 0),
            broadcast against the customers (a scalar, one per customer, or
            shape ``(n_horizons, 1)`` for a table).
        frequency, recency, T : array-like of int, shape (n_customers,)
            As in :meth:`log_likelihood`.

        Returns
        -------
        ndarray
            The broadcast shape of ``horizon`` and the customers.
        """
        x, tx, n, scalar = math.discrete_customers(frequency, recency, T)
        h = as_counts(
            horizon, "horizon", suggestion=_OPPORTUNITIES.format(name="horizon")
        )
        patterns, _, log_alive = self._pattern_terms(x, tx, n)
        xf = patterns.frequency.astype(np.float64)[patterns.index]
        nf = patterns.n.astype(np.float64)[patterns.index]
        alive = np.exp(log_alive)[patterns.index]
        mean_p = (self.alpha + xf) / (self.alpha + self.beta + nf)
        lifetime = math.survival_sum(self.gamma, self.delta + nf, h)
        return shape_result(alive * mean_p * lifetime, scalar and h.ndim == 0)

    def purchase_probability(
        self, k: npt.ArrayLike, horizon: npt.ArrayLike
    ) -> FloatArray:
        """Compute P(X(n) = k), the distribution of a new customer's transactions.

        FHS (2010) eq. (8), as a log-sum-exp of its terms.

        Parameters
        ----------
        k : array-like of int
            Numbers of transactions, >= 0.
        horizon : array-like of int
            Numbers of opportunities, broadcast against ``k``.

        Returns
        -------
        ndarray of the broadcast shape of ``k`` and ``horizon``

        Examples
        --------
        >>> from custvalue.clv import BGBB
        >>> model = BGBB(alpha=1.204, beta=0.750, gamma=0.657, delta=2.783)
        >>> model.purchase_probability([0, 6], 6)
        array([0.3112, 0.1128])
        """
        counts = as_counts(k, "k", suggestion=_OPPORTUNITIES.format(name="k"))
        h = as_counts(
            horizon, "horizon", suggestion=_OPPORTUNITIES.format(name="horizon")
        )
        return np.exp(
            math.log_pmf(
                counts,
                h,
                np.asarray(self.alpha),
                np.asarray(self.beta),
                self.gamma,
                np.asarray(self.delta),
            )
        )

    @overload
    def conditional_purchase_probability(
        self,
        k: npt.ArrayLike,
        horizon: npt.ArrayLike | Duration,
        summary: CustomerSummary,
        /,
    ) -> CustomerValues: ...
    @overload
    def conditional_purchase_probability(
        self,
        k: npt.ArrayLike,
        horizon: npt.ArrayLike | Duration,
        frequency: npt.ArrayLike,
        recency: npt.ArrayLike,
        T: npt.ArrayLike,
    ) -> FloatArray: ...
    @keyed("conditional_purchase_probability")
    def conditional_purchase_probability(
        self,
        k: npt.ArrayLike,
        horizon: npt.ArrayLike,
        frequency: npt.ArrayLike,
        recency: npt.ArrayLike,
        T: npt.ArrayLike,
    ) -> FloatArray:
        """Compute P(Y = k), ``k`` transactions in the next ``horizon`` opportunities.

        The customer is inactive with probability :math:`1-\\pi_n` (then
        :math:`Y = 0`); otherwise :math:`Y` follows FHS (2010) eq. (8) with
        the updated parameters :math:`(\\alpha+x, \\beta+n-x, \\gamma,
        \\delta+n)` (see the class notes):

        .. math::

            P(Y = k) = (1-\\pi_n)\\,\\delta_{k=0} + \\pi_n\\,P(X(n^*) = k \\mid
            \\alpha+x, \\beta+n-x, \\gamma, \\delta+n).

        Parameters
        ----------
        k : array-like of int
            Numbers of transactions, broadcast against the customers.
        horizon : array-like of int
            Numbers of future opportunities, broadcast against the customers.
        frequency, recency, T : array-like of int, shape (n_customers,)
            As in :meth:`log_likelihood`.

        Returns
        -------
        ndarray of the broadcast shape
        """
        counts = as_counts(k, "k", suggestion=_OPPORTUNITIES.format(name="k"))
        h = as_counts(
            horizon, "horizon", suggestion=_OPPORTUNITIES.format(name="horizon")
        )
        x, tx, n, scalar = math.discrete_customers(frequency, recency, T)
        patterns, _, log_alive = self._pattern_terms(x, tx, n)
        xf = patterns.frequency.astype(np.float64)[patterns.index]
        nf = patterns.n.astype(np.float64)[patterns.index]
        alive = np.exp(log_alive)[patterns.index]
        pmf = np.exp(
            math.log_pmf(
                counts,
                h,
                self.alpha + xf,
                self.beta + nf - xf,
                self.gamma,
                self.delta + nf,
            )
        )
        value = with_inactive(alive, pmf, counts)
        return shape_result(value, scalar and counts.ndim == 0 and h.ndim == 0)

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

        All future transactions, the one in opportunity :math:`n + k`
        discounted by :math:`(1+d)^{-k}` (FHS 2010 eq. 14). Multiply by the
        value of a transaction to get the residual lifetime value. This is
        the infinite-horizon, end-of-period value of
        :func:`discounted_expected_purchases`, summed exactly.

        Parameters
        ----------
        frequency, recency, T : array-like of int, shape (n_customers,)
            As in :meth:`log_likelihood`.
        discount_rate : float
            Discount rate per opportunity, > 0.

        Returns
        -------
        ndarray of shape (n_customers,)

        Notes
        -----
        .. math::

            \\mathrm{DERT} = \\pi_n \\frac{\\alpha+x}{\\alpha+\\beta+n}
            \\sum_{k=1}^{\\infty} \\frac{1}{(1+d)^k}
            \\frac{B(\\gamma, \\delta+n+k)}{B(\\gamma, \\delta+n)},

        which FHS write with :math:`{}_2F_1(1, \\delta+n+1; \\gamma+\\delta+n+1;
        1/(1+d))`. The series is summed directly until the remainder bound is
        below :math:`10^{-17}` of the sum.

        Examples
        --------
        >>> from custvalue.clv import BGBB
        >>> model = BGBB(alpha=1.204, beta=0.750, gamma=0.657, delta=2.783)
        >>> model.discounted_expected_residual_purchases(6, 6, 6, discount_rate=0.1)
        array(5.9087)
        """
        d = check_scalar(discount_rate, "discount_rate", positive=True)
        x, tx, n, scalar = math.discrete_customers(frequency, recency, T)
        patterns, _, log_alive = self._pattern_terms(x, tx, n)
        xf = patterns.frequency.astype(np.float64)
        nf = patterns.n.astype(np.float64)
        mean_p = (self.alpha + xf) / (self.alpha + self.beta + nf)
        residual = math.discounted_survival_sum(self.gamma, self.delta + nf, d)
        value = np.exp(log_alive) * mean_p * residual
        return shape_result(value[patterns.index], scalar)

    def simulate(
        self,
        n_customers: int,
        n_opportunities: npt.ArrayLike,
        *,
        rng: np.random.Generator | int | None = None,
    ) -> DiscreteTimeSummary:
        """Draw customer histories from the model, as patterns with counts.

        Each customer gets :math:`p \\sim \\mathrm{Beta}(\\alpha, \\beta)` and
        :math:`\\theta \\sim \\mathrm{Beta}(\\gamma, \\delta)`; at the start of
        each opportunity an alive customer drops out with probability
        :math:`\\theta`, and then (if alive) transacts with probability
        :math:`p`.

        Parameters
        ----------
        n_customers : int
            Number of customers, >= 1.
        n_opportunities : int or array-like of int, shape (n_customers,)
            Opportunities observed for each customer (an array gives cohorts
            of different ages).
        rng : numpy.random.Generator, int or None, optional
            Source of randomness; an int seeds a new generator. Global numpy
            state is never used.

        Returns
        -------
        DiscreteTimeSummary
            The distinct (frequency, recency, n_opportunities) patterns and
            how many customers have each.
        """
        n_customers = check_integer_option(n_customers, "n_customers", minimum=1)
        generator = as_generator(rng)
        lengths = as_counts(
            n_opportunities,
            "n_opportunities",
            suggestion=_OPPORTUNITIES.format(name="n_opportunities"),
        )
        if lengths.ndim == 0:
            lengths = np.full(int(n_customers), int(lengths), dtype=np.int64)
        elif lengths.shape != (n_customers,):
            msg = (
                "`n_opportunities` must be a scalar or have one entry per customer; "
                f"got shape {lengths.shape} for n_customers={n_customers}."
            )
            raise ValueError(msg)
        x, tx, _ = math.simulate_histories(self._theta(), lengths, 0, generator)
        patterns = math.compress_discrete(x, tx, lengths)
        return DiscreteTimeSummary(
            frequency=patterns.frequency,
            recency=patterns.recency,
            n_opportunities=patterns.n,
            counts=patterns.weight.astype(np.int64),
        )
