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

import attrs
import numpy as np
import numpy.typing as npt
from scipy import special

from custvalue._lib.fields import Result
from custvalue._lib.validation import (
    FloatArray,
    as_generator,
    check_scalar,
)
from custvalue.clv._data import SubscriberLifetimes
from custvalue.clv._inputs import float_if_real, positive_parameter
from custvalue.clv._sbg._likelihood import (
    log_likelihood_terms,
    validate_lifetimes,
    whole_numbers,
)
from custvalue.clv._sbg._series import (
    EXPLICIT_TERMS,
    NEAR_ONE,
    discounted_renewals,
    log_beta_ratio,
    renewal_sum,
)
from custvalue.clv._simulation import observation_lengths

__all__ = ["ShiftedBetaGeometric"]


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
        """Compute log S(stop) - log S(start), see :func:`log_beta_ratio`."""
        return log_beta_ratio(self.alpha, self.beta, start, stop)

    def survival(self, t: npt.ArrayLike) -> FloatArray:
        """Share of a new cohort still subscribed after ``t`` renewal opportunities.

        :math:`S(t) = B(\\alpha, \\beta+t)/B(\\alpha, \\beta)` (Fader & Hardie
        2007, eq. 7), with :math:`S(0) = 1`. It is positive in exact
        arithmetic but can be below the smallest float (about 1e-308) for
        long horizons and a large ``alpha``; it is then 0. Use
        :meth:`log_survival` for such tails.

        Parameters
        ----------
        t : array-like of int
            Numbers of periods, whole and >= 0.

        Returns
        -------
        ndarray of the shape of ``t``, values in [0, 1]

        See Also
        --------
        log_survival : The same in log space, finite for every ``t``.
        """
        with np.errstate(under="ignore"):  # S(t) < 1e-308 is 0 (documented)
            return np.exp(self.log_survival(t))

    def log_survival(self, t: npt.ArrayLike) -> FloatArray:
        """Log of the share of a new cohort still subscribed after ``t`` periods.

        :math:`\\ln S(t) = \\ln B(\\alpha, \\beta+t) - \\ln B(\\alpha, \\beta)`
        (Fader & Hardie 2007, eq. 7), computed in log space, so that it stays
        finite and accurate where :meth:`survival` underflows to 0 (e.g.
        ``alpha=305.389, beta=0.443249, t=10000`` gives about -1,375.5).

        Parameters
        ----------
        t : array-like of int
            Numbers of periods, whole and >= 0.

        Returns
        -------
        ndarray of the shape of ``t``, values <= 0 (0 at ``t = 0``)

        Examples
        --------
        >>> from custvalue.clv import ShiftedBetaGeometric
        >>> model = ShiftedBetaGeometric(alpha=305.389, beta=0.443249)
        >>> model.survival([10_000])
        array([0.])
        >>> model.log_survival([10_000]).round(2)
        array([-1375.53])
        """
        periods = whole_numbers(t, "t", 0)
        # ln S(t) = betaln(a, b + t) - betaln(a, b): no exp, no underflow. The
        # difference loses digits when |ln S(t)| is far below |betaln(a, b)|
        # (a small, b large: 7e-8 relative at a=1e-3, b=1e3, t=1), so the
        # first M = 1024 periods use the product of retention rates,
        # ln S(t) = sum_{j<t} ln((b+j)/(a+b+j)), terms of one sign, each as
        # log1p(-a/(a+b+j)) or, where that ratio is > 1/2, as the log of the
        # ratio itself; later periods add ln S(t)/S(M), by _log_tail_ratio.
        a, b = self.alpha, self.beta
        j = np.arange(float(EXPLICIT_TERMS))
        share = a / (a + b + j)
        terms = np.where(
            share < 0.5,
            np.log1p(-np.minimum(share, 0.5)),
            np.log((b + j) / (a + b + j)),
        )
        partial = np.concatenate([[0.0], np.cumsum(terms)])
        short = periods <= EXPLICIT_TERMS
        anchor = np.full_like(periods, float(EXPLICIT_TERMS))
        value = np.where(
            short,
            partial[np.where(short, periods, 0).astype(np.int64)],
            partial[-1] + log_beta_ratio(a, b, anchor, np.maximum(periods, anchor)),
        )
        return np.asarray(value, dtype=np.float64)

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
        ndarray of the shape of ``t``, values in [0, 1) (0 where the
        probability is below the smallest float, about 1e-308)
        """
        periods = whole_numbers(t, "t", 1)
        a, b = self.alpha, self.beta
        with np.errstate(under="ignore"):  # P(T = t) < 1e-308 is 0 (documented)
            return np.asarray(
                np.exp(
                    special.betaln(a + 1.0, b + periods - 1.0) - special.betaln(a, b)
                ),
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
        ndarray of the broadcast shape, values in [0, 1] (0 where the
        probability is below the smallest float, about 1e-308)
        """
        h = whole_numbers(horizon, "horizon", 0)
        n = whole_numbers(tenure, "tenure", 0)
        with np.errstate(under="ignore"):  # below 1e-308 is 0 (documented)
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
        if abs(a - 1.0) < NEAR_ONE:
            return renewal_sum(a, b, 1.0, h)
        # Telescoping closed form of the Notes, written with
        # w = S(n+h+1)/S(n+1) and S(n+1)/S(n) = b/(a+b) as
        # b [1 - (1 + h/(a+b)) w] / (a-1) = b [-expm1(ln w) - h w/(a+b)] / (a-1),
        # which is exactly 0 at h = 0 (ln w = 0).
        log_w = self._log_survival_ratio(n + 1.0, n + h + 1.0)
        with np.errstate(under="ignore"):  # w < 1e-308 contributes nothing
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

        The first 1,024 terms are summed in log space (stopping there if
        the rest, at most :math:`u_{1025}(1+d)^{-1024}(1+d)/d` because the
        terms :math:`u_m = S(n+m)/S(n)` decrease, is below
        :math:`10^{-17}` of the total). The rest is the integral of the
        smooth :math:`u(t)(1+d)^{-(t-1)}` (with :math:`u(t)` the same beta
        ratio at real :math:`t`) by Gauss-Legendre panels up to where the
        discounted rest is below :math:`10^{-18}`, plus Gregory's end
        correction (the Euler-Maclaurin formula with differences), so the
        work does not grow as :math:`d \\to 0`. ``scipy.special.hyp2f1`` is
        not used: near :math:`z = 1` with :math:`c-a-b = \\alpha-1` an
        integer it can be badly wrong (scipy 1.17 makes the formula above
        -1.27 for alpha = 1, beta = 0.05, tenure 0, d = 0.001, where the sum
        is 0.342).

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
        sums = discounted_renewals(self.alpha, self.beta + distinct, d)
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
        as still subscribed after ``n_periods`` periods; whether it does is
        decided as :math:`-\\ln U \\le n\\,(-\\ln(1-\\theta))`, without the
        division, so a :math:`\\theta` too small for :math:`T` to be a float
        (e.g. ``alpha=0.0044``) means "never churns within the window".

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
        # T = ceil(-ln U / h) with hazard h = -ln(1 - theta) in [0, inf], and
        # T <= window  <=>  -ln U <= window * h: decided without dividing, so
        # a theta so small (even subnormal) that -ln U / h overflows is simply
        # "never churns within the window". 0 * inf (window 0, theta 1) is
        # avoided by multiplying only where window > 0.
        neg_log_u = -np.log(uniform)
        # ln(1 - theta), -inf where theta = 1 (set directly, not by log1p(-1))
        log_keep = np.full(theta.shape, -np.inf)
        with np.errstate(under="ignore"):  # a subnormal theta gives h = theta
            np.log1p(-theta, out=log_keep, where=theta < 1.0)
        hazard = -log_keep
        reach = np.multiply(window, hazard, out=np.zeros(window.size), where=window > 0)
        within = (window > 0) & (neg_log_u <= reach)
        ratio = np.divide(
            neg_log_u, hazard, out=np.zeros(window.size), where=within & (hazard > 0)
        )
        lifetime = np.maximum(np.ceil(ratio), 1.0)  # theta = 1 (h = inf) -> 1
        churned = within & (lifetime <= window)
        observed = np.where(churned, lifetime, window)
        return SubscriberLifetimes(lifetime=observed.astype(np.int64), churned=churned)
