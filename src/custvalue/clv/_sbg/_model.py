"""The shifted-beta-geometric (sBG) model of contract renewals.

Fader & Hardie (2007) model a cohort of subscribers in a contractual,
discrete-time setting: at the end of every period each customer renews or
cancels, cancelling with a probability that is constant for the customer
and beta-distributed across customers. Retention rates of the cohort then
rise with tenure because the customers most likely to cancel leave first.

Time is counted in renewal opportunities throughout:

* a customer's *lifetime* is the number of periods subscribed: a customer
  who cancels at the end of period ``t`` (at the ``t``-th renewal
  opportunity) has lifetime ``t >= 1``;
* a customer's *tenure* is the number of renewals made so far; a customer
  with tenure ``n`` is subscribed in period ``n + 1`` and faces the
  ``(n + 1)``-th renewal opportunity at its end.
"""

from __future__ import annotations

import math

import attrs
import numpy as np
import numpy.typing as npt
from scipy import special

from custvalue._lib.fields import ARRAY_EQ, Result
from custvalue._lib.validation import (
    FloatArray,
    IntArray,
    as_generator,
    check_scalar,
)
from custvalue.clv._inputs import float_if_real, positive_parameter
from custvalue.clv._sbg._likelihood import (
    BoolArray,
    bool_vector,
    int_vector,
    log_likelihood_terms,
    validate_lifetimes,
    whole_numbers,
)
from custvalue.clv._simulation import observation_lengths

__all__ = ["ShiftedBetaGeometric", "SubscriberLifetimes"]


#: Below this distance of ``alpha`` from 1 the closed form of
#: :meth:`ShiftedBetaGeometric.expected_renewals` cancels badly (it divides
#: by ``alpha - 1``), and the renewals are summed term by term instead.
_NEAR_ONE = 0.05
#: Relative size of the neglected tail at which a discounted sum stops.
_TAIL_TOLERANCE = 1e-15
#: First and largest block of terms summed at once.
_FIRST_BLOCK = 256
_LARGEST_BLOCK = 65_536


@attrs.frozen(kw_only=True)
class SubscriberLifetimes(Result):
    """Observed lifetimes of subscribers, right-censored at the end of observation.

    Parameters
    ----------
    lifetime : ndarray of int, shape (n_customers,)
        Periods subscribed: the renewal opportunity at which the customer
        cancelled (``churned`` True, ``lifetime >= 1``), or the renewals
        made by the end of observation (``churned`` False).
    churned : ndarray of bool, shape (n_customers,)
        Whether the cancellation was observed; False means the customer
        was still subscribed after ``lifetime`` periods (right-censored).
    """

    lifetime: IntArray = attrs.field(converter=int_vector, eq=ARRAY_EQ)
    churned: BoolArray = attrs.field(converter=bool_vector, eq=ARRAY_EQ)

    @lifetime.validator
    def _check(self, attribute: object, value: IntArray) -> None:
        validate_lifetimes(value, self.churned)


@attrs.frozen(kw_only=True)
class ShiftedBetaGeometric(Result):
    r"""The shifted-beta-geometric (sBG) model of contract renewals.

    A model of customer retention in a contractual, discrete-time setting
    (subscriptions renewed every month or year): each customer cancels at
    the end of any period with a probability of their own, and those
    probabilities vary across customers. The object holds the two
    parameters and computes survival curves, retention rates, expected
    renewals and the discounted expected residual lifetime that values a
    subscriber; a student can type the paper's numbers and use it.

    Parameters
    ----------
    alpha, beta : float
        Shapes of the beta distribution of cancellation probabilities
        across customers; the mean probability is ``alpha / (alpha + beta)``.

    Raises
    ------
    ValueError
        If a parameter is not a finite number > 0.

    See Also
    --------
    fit_sbg : Maximum-likelihood estimation from individual lifetimes.
    fit_sbg_survivors : The same from a cohort's survivor counts.

    Notes
    -----
    Assumptions (Fader & Hardie 2007, section 3): at the end of each period
    an active customer cancels with probability :math:`\theta`, the same
    every period, so the lifetime :math:`T` (periods subscribed) is
    geometric, :math:`P(T=t\mid\theta) = \theta(1-\theta)^{t-1}`,
    :math:`t = 1, 2, \dots`; across customers
    :math:`\theta \sim \mathrm{Beta}(\alpha, \beta)`. Then (eqs. 5-7)

    .. math::

        P(T = t) = \frac{B(\alpha+1, \beta+t-1)}{B(\alpha, \beta)}, \qquad
        S(t) = P(T > t) = \frac{B(\alpha, \beta+t)}{B(\alpha, \beta)},

    and the retention rate at the :math:`t`-th renewal opportunity is

    .. math::

        r_t = \frac{S(t)}{S(t-1)} = \frac{\beta+t-1}{\alpha+\beta+t-1},

    which rises with :math:`t` towards 1. A customer with tenure :math:`n`
    (still subscribed after :math:`n` renewals) has
    :math:`\theta \sim \mathrm{Beta}(\alpha, \beta+n)`, so every
    prediction for such a customer is the new-customer prediction with
    :math:`\beta + n` in place of :math:`\beta`.

    In a contractual setting a customer's status is observed, so there is
    no "probability alive": a subscriber with tenure :math:`n` is alive.
    What is uncertain is the future, given by :meth:`conditional_survival`.

    Everything is computed from :func:`scipy.special.betaln` differences
    in log space, so tenures of millions of periods neither overflow nor
    underflow.

    References
    ----------
    .. [1] Fader, P. S., & Hardie, B. G. S. (2007). How to project customer
       retention. Journal of Interactive Marketing, 21(1), 76-90.
    .. [2] Fader, P. S., & Hardie, B. G. S. (2010). Customer-base valuation
       in a contractual setting: The perils of ignoring heterogeneity.
       Marketing Science, 29(1), 85-93.

    Examples
    --------
    The "regular" segment of Fader & Hardie (2007): of 1,000 customers,
    63.1% renewed after the first year; the fitted model projects the
    share still subscribed at the start of years 0 to 4 and the yearly
    retention rates, which rise as the cohort sorts itself:

    >>> from custvalue.clv import ShiftedBetaGeometric
    >>> model = ShiftedBetaGeometric(alpha=0.704, beta=1.182)
    >>> model.survival([0, 1, 2, 3, 4])
    array([1.    , 0.6267, 0.4738, 0.3880, 0.3321])
    >>> model.retention_rate([1, 2, 3])
    array([0.6267, 0.7561, 0.8188])

    A customer who has renewed 4 times is expected to renew about 3.67
    times in the next 5 years:

    >>> model.expected_renewals(5, tenure=4)
    array(3.669)
    """

    alpha: float = attrs.field(
        converter=float_if_real, validator=positive_parameter("alpha")
    )
    beta: float = attrs.field(
        converter=float_if_real, validator=positive_parameter("beta")
    )

    parameter_names = ("alpha", "beta")

    def _log_survival_ratio(self, start: FloatArray, stop: FloatArray) -> FloatArray:
        """Compute log S(stop) - log S(start) as a betaln difference."""
        a, b = self.alpha, self.beta
        return np.asarray(
            special.betaln(a, b + stop) - special.betaln(a, b + start),
            dtype=np.float64,
        )

    def survival(self, t: npt.ArrayLike) -> FloatArray:
        """Share of a new cohort still subscribed after ``t`` renewal opportunities.

        :math:`S(t) = B(\\alpha, \\beta+t)/B(\\alpha, \\beta)` (Fader & Hardie
        2007, eq. 7), with :math:`S(0) = 1`.

        Parameters
        ----------
        t : array-like of int
            Numbers of periods, whole and >= 0.

        Returns
        -------
        ndarray of the shape of ``t``, values in (0, 1]
        """
        periods = whole_numbers(t, "t", 0)
        return np.exp(self._log_survival_ratio(np.zeros_like(periods), periods))

    def churn_probability(self, t: npt.ArrayLike) -> FloatArray:
        """Probability that a new customer cancels at the ``t``-th renewal opportunity.

        :math:`P(T = t) = B(\\alpha+1, \\beta+t-1)/B(\\alpha, \\beta)`
        (Fader & Hardie 2007, eq. 5): the customer is subscribed for exactly
        ``t`` periods.

        Parameters
        ----------
        t : array-like of int
            Lifetimes, whole and >= 1.

        Returns
        -------
        ndarray of the shape of ``t``, values in (0, 1)
        """
        periods = whole_numbers(t, "t", 1)
        a, b = self.alpha, self.beta
        return np.asarray(
            np.exp(special.betaln(a + 1.0, b + periods - 1.0) - special.betaln(a, b)),
            dtype=np.float64,
        )

    def retention_rate(self, t: npt.ArrayLike) -> FloatArray:
        """Share of the customers facing the ``t``-th renewal opportunity who renew.

        :math:`r_t = S(t)/S(t-1) = (\\beta+t-1)/(\\alpha+\\beta+t-1)`
        (Fader & Hardie 2007, eq. 8); it increases with ``t``.

        Parameters
        ----------
        t : array-like of int
            Renewal opportunities, whole and >= 1.

        Returns
        -------
        ndarray of the shape of ``t``, values in (0, 1)
        """
        periods = whole_numbers(t, "t", 1)
        b = self.beta + periods - 1.0
        return np.asarray(b / (self.alpha + b), dtype=np.float64)

    def conditional_survival(
        self, horizon: npt.ArrayLike, tenure: npt.ArrayLike
    ) -> FloatArray:
        """Probability that a subscriber with ``tenure`` renews ``horizon`` more times.

        :math:`S(n+h)/S(n) = B(\\alpha, \\beta+n+h)/B(\\alpha, \\beta+n)`:
        the chance that a customer who has made :math:`n` renewals is still
        subscribed after :math:`h` more renewal opportunities (1 for
        :math:`h = 0`).

        Parameters
        ----------
        horizon : array-like of int
            Further renewal opportunities, whole and >= 0.
        tenure : array-like of int
            Renewals made so far, whole and >= 0; broadcast against
            ``horizon``.

        Returns
        -------
        ndarray of the broadcast shape, values in (0, 1]
        """
        h = whole_numbers(horizon, "horizon", 0)
        n = whole_numbers(tenure, "tenure", 0)
        return np.exp(self._log_survival_ratio(n, n + h))

    def expected_renewals(
        self, horizon: npt.ArrayLike, tenure: npt.ArrayLike = 0
    ) -> FloatArray:
        """Compute the expected renewals in the next ``horizon`` renewal opportunities.

        The contractual counterpart of a transaction model's conditional
        expected purchases: each renewal is one more period paid for, so
        with a margin of ``m`` per period the undiscounted value of the
        next ``horizon`` periods is ``m * expected_renewals(horizon,
        tenure)``. For the value of a subscriber over an unlimited future
        with discounting, use ``m * discounted_expected_residual_lifetime``
        (Fader & Hardie 2010); these models do not fit the
        :class:`TransactionModel` protocol of non-contractual CLV, which
        conditions on (frequency, recency, T).

        Parameters
        ----------
        horizon : array-like of int
            Number of renewal opportunities ahead, whole and >= 0.
        tenure : array-like of int, default=0
            Renewals made so far (0 for a customer who just joined), whole
            and >= 0; broadcast against ``horizon``.

        Returns
        -------
        ndarray of the broadcast shape; 0 where ``horizon`` is 0

        Notes
        -----
        With :math:`b = \\beta + n` and :math:`u_m = S(n+m)/S(n) =
        (b)_m/(\\alpha+b)_m`, the sum :math:`\\sum_{m=1}^{h} u_m` telescopes:
        :math:`v_m = u_m(\\alpha+b+m-1)` satisfies
        :math:`v_{m+1} - v_m = (1-\\alpha)u_m`, so

        .. math::

            \\sum_{m=1}^{h} \\frac{S(n+m)}{S(n)}
            = \\frac{b - (\\alpha+b+h)\\,S(n+h+1)/S(n)}{\\alpha - 1}.

        This closed form divides by :math:`\\alpha-1`; within 0.05 of
        :math:`\\alpha = 1` the terms are summed directly instead.
        """
        h = whole_numbers(horizon, "horizon", 0)
        n = whole_numbers(tenure, "tenure", 0)
        h, n = np.broadcast_arrays(h, n)
        a = self.alpha
        b = self.beta + n
        if abs(a - 1.0) < _NEAR_ONE:
            return _renewal_sum(a, b, 1.0, h)
        # Telescoping closed form of the Notes, written with
        # w = S(n+h+1)/S(n+1) and S(n+1)/S(n) = b/(a+b) as
        # b [1 - (1 + h/(a+b)) w] / (a-1) = b [-expm1(ln w) - h w/(a+b)] / (a-1),
        # which is exactly 0 at h = 0 (ln w = 0).
        log_w = self._log_survival_ratio(n + 1.0, n + h + 1.0)
        bracket = -np.expm1(log_w) - h / (a + b) * np.exp(log_w)
        return np.asarray(b * bracket / (a - 1.0), dtype=np.float64)

    def expected_residual_lifetime(self, tenure: npt.ArrayLike) -> FloatArray:
        """Compute the expected number of further renewals given ``tenure``.

        :math:`\\sum_{t>n} S(t)/S(n) = (\\beta+n)/(\\alpha-1)` for
        :math:`\\alpha > 1`, the mean of :math:`(1-\\theta)/\\theta` under
        :math:`\\theta \\sim \\mathrm{Beta}(\\alpha, \\beta+n)`. It does not
        count the period the customer is in now (that is already paid for);
        add 1 for the expected remaining periods including it. It equals
        :meth:`discounted_expected_residual_lifetime` with no discounting.

        For :math:`\\alpha \\le 1` the beta distribution puts so much mass
        near :math:`\\theta = 0` (customers who practically never cancel)
        that the expectation is infinite; ``inf`` is returned. Discounted
        quantities stay finite.

        Parameters
        ----------
        tenure : array-like of int
            Renewals made so far, whole and >= 0.

        Returns
        -------
        ndarray of the shape of ``tenure``, values > 0 (``inf`` if alpha <= 1)
        """
        n = whole_numbers(tenure, "tenure", 0)
        if self.alpha <= 1.0:
            return np.full_like(n, np.inf)
        return np.asarray((self.beta + n) / (self.alpha - 1.0), dtype=np.float64)

    def discounted_expected_residual_lifetime(
        self, tenure: npt.ArrayLike, *, discount_rate: float
    ) -> FloatArray:
        """Discounted expected residual lifetime (DERL) of a subscriber.

        The present value of a subscriber's future renewals, in units of
        one period's payment, valued just before the customer's next
        renewal decision (Fader & Hardie 2010). With a margin ``m`` per
        period the expected residual value of the customer is
        ``m * discounted_expected_residual_lifetime(tenure, discount_rate=d)``.

        Parameters
        ----------
        tenure : array-like of int
            Renewals made so far, whole and >= 0. Fader & Hardie (2010)
            write DERL for "a customer who has made :math:`n-1` renewals",
            so their :math:`n` is ``tenure + 1``.
        discount_rate : float
            Discount rate per period, >= 0 (0.1 means a payment one period
            later is worth 1/1.1). With 0 this is
            :meth:`expected_residual_lifetime` (infinite for alpha <= 1).

        Returns
        -------
        ndarray of the shape of ``tenure``

        Raises
        ------
        ValueError
            For a negative or non-finite rate, or invalid tenures.

        Notes
        -----
        The payment of the upcoming renewal (opportunity :math:`n+1` for a
        customer with tenure :math:`n`) is received at once if the customer
        renews and is not discounted; each later one is discounted by one
        more period (Fader & Hardie 2010, eq. 6, with their :math:`n` equal
        to ``tenure + 1``):

        .. math::

            \\mathrm{DERL}(d \\mid n) = \\sum_{t=n+1}^{\\infty}
                \\frac{S(t)/S(n)}{(1+d)^{t-n-1}}
            = \\frac{\\beta+n}{\\alpha+\\beta+n}\\;
              {}_2F_1\\!\\left(1, \\beta+n+1; \\alpha+\\beta+n+1;
              \\tfrac{1}{1+d}\\right).

        The series is summed in log space, in blocks, until the neglected
        tail is below :math:`10^{-15}` of the total; the terms
        :math:`S(t)/S(n)` decrease, so after :math:`M` terms the tail is at
        most :math:`u_{M+1}(1+d)^{-M}(1+d)/d`. The work grows like
        :math:`1/d`. ``scipy.special.hyp2f1`` is not used: near
        :math:`z = 1` with :math:`c-a-b = \\alpha-1` an integer it can be
        badly wrong (scipy 1.17 makes the formula above -1.27 for
        alpha = 1, beta = 0.05, tenure 0, d = 0.001, where the sum is 0.342).

        Examples
        --------
        A subscriber of the "regular" segment who has renewed 4 times, at
        a yearly discount rate of 10%:

        >>> from custvalue.clv import ShiftedBetaGeometric
        >>> model = ShiftedBetaGeometric(alpha=0.704, beta=1.182)
        >>> model.discounted_expected_residual_lifetime(4, discount_rate=0.1)
        array(5.8944)
        """
        n = whole_numbers(tenure, "tenure", 0)
        d = check_scalar(discount_rate, "discount_rate", nonnegative=True)
        if d == 0.0:
            return self.expected_residual_lifetime(n)
        distinct, inverse = np.unique(n.reshape(-1), return_inverse=True)
        sums = _renewal_sum(
            self.alpha,
            self.beta + distinct,
            1.0 / (1.0 + d),
            np.full(distinct.shape, np.inf),
        )
        return np.asarray(sums[inverse].reshape(n.shape), dtype=np.float64)

    def log_likelihood(
        self, lifetime: npt.ArrayLike, churned: npt.ArrayLike
    ) -> FloatArray:
        """Log-likelihood of each customer's observed lifetime.

        A customer who cancelled at the end of period ``t`` contributes
        :math:`\\ln P(T = t)`; one still subscribed after ``t`` periods when
        observation ended (right-censored) contributes :math:`\\ln S(t)`
        (Fader & Hardie 2007, eq. 9, written per customer).

        Parameters
        ----------
        lifetime : array-like of int, shape (n_customers,)
            Periods subscribed: whole, >= 1 where ``churned`` and >= 0
            otherwise.
        churned : array-like of bool, shape (n_customers,)
            True where the cancellation was observed, False where the
            customer was still subscribed after ``lifetime`` periods.

        Returns
        -------
        ndarray of shape (n_customers,)
        """
        t, c, _ = validate_lifetimes(lifetime, churned)
        return log_likelihood_terms(self.alpha, self.beta, t, c)

    def simulate(
        self,
        n_customers: int,
        *,
        n_periods: npt.ArrayLike,
        rng: np.random.Generator | int | None = None,
    ) -> SubscriberLifetimes:
        """Draw subscriber lifetimes, right-censored after ``n_periods``.

        Each customer gets :math:`\\theta \\sim \\mathrm{Beta}(\\alpha,
        \\beta)` and a geometric lifetime in :math:`\\theta` (drawn by
        inversion, :math:`T = \\lceil \\ln U / \\ln(1-\\theta) \\rceil`). A
        customer whose lifetime exceeds the observation window is recorded
        as still subscribed after ``n_periods`` periods.

        Parameters
        ----------
        n_customers : int
            Number of customers, >= 1.
        n_periods : int or array-like of int, shape (n_customers,)
            Renewal opportunities observed for each customer (an array gives
            customers who joined at different times), whole and >= 0.
        rng : numpy.random.Generator, int or None, optional
            Source of randomness; an int seeds a new generator. Global numpy
            state is never used.

        Returns
        -------
        SubscriberLifetimes
            ``lifetime`` and ``churned`` of each simulated customer.
        """
        generator = as_generator(rng)
        window = observation_lengths(n_customers, n_periods)
        whole_numbers(window, "n_periods", 0)
        theta = generator.beta(self.alpha, self.beta, size=window.size)
        uniform = 1.0 - generator.random(window.size)  # in (0, 1]
        with np.errstate(divide="ignore", invalid="ignore"):
            # theta = 0 gives an infinite lifetime; theta = 1 gives 0 -> 1
            draws = np.ceil(np.log(uniform) / np.log1p(-theta))
        lifetime = np.maximum(np.nan_to_num(draws, nan=1.0, posinf=np.inf), 1.0)
        churned = lifetime <= window
        observed = np.where(churned, lifetime, window)
        return SubscriberLifetimes(lifetime=observed.astype(np.int64), churned=churned)


def _renewal_sum(
    alpha: float, b: FloatArray, v: float, count: FloatArray
) -> FloatArray:
    """Compute sum_{m=1}^{count} S(n+m)/S(n) v^(m-1), with b = beta + n.

    Summed in log space in growing blocks. For an infinite ``count`` (which
    needs ``v < 1``) it stops once the tail bound u_{M+1} v^M / (1 - v) is
    below ``_TAIL_TOLERANCE`` of the total: the terms u_m decrease in m.
    """
    b = np.asarray(b, dtype=np.float64).reshape(-1)
    limit = np.asarray(count, dtype=np.float64).reshape(-1)
    shape = np.shape(count)
    total = np.zeros(b.size)
    active = limit > 0
    log_v = math.log(v)
    base = special.betaln(alpha, b)
    done = 0
    block = _FIRST_BLOCK
    while np.any(active):
        idx = np.flatnonzero(active)
        m = np.arange(done + 1, done + block + 1, dtype=np.float64)
        log_u = special.betaln(alpha, b[idx, None] + m) - base[idx, None]
        terms = np.exp(log_u + (m - 1.0) * log_v)
        terms = np.where(m <= limit[idx, None], terms, 0.0)
        total[idx] += terms.sum(axis=1)
        done += block
        finished = limit[idx] <= done
        if v < 1.0:
            # upper bound on the rest of the infinite series
            log_tail = (
                special.betaln(alpha, b[idx] + done + 1.0)
                - base[idx]
                + done * log_v
                - math.log1p(-v)
            )
            finished |= np.exp(log_tail) <= _TAIL_TOLERANCE * total[idx]
        active[idx[finished]] = False
        block = min(2 * block, _LARGEST_BLOCK)
    return total.reshape(shape)
