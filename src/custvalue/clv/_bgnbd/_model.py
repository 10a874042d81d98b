"""The beta-geometric family of transaction models: BG/NBD and MBG/NBD.

Both models describe purchasing as a Poisson process with gamma-distributed
rates and drop-out after purchases with a beta-distributed probability; they
differ only in whether the first purchase is also followed by a chance to
drop out. The shared implementation lives here; :class:`BGNBD` and
:class:`MBGNBD` say which variant they are.
"""

from __future__ import annotations

from typing import ClassVar, overload

import attrs
import numpy as np
import numpy.typing as npt
from scipy import special

from custvalue._lib.fields import Result
from custvalue._lib.validation import FloatArray, as_counts, as_generator
from custvalue.clv._bgnbd import _likelihood as math
from custvalue.clv._bgnbd import _predictions as predictions
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
from custvalue.clv._simulation import observation_lengths
from custvalue.clv._units import Duration

__all__ = ["BGNBD", "MBGNBD", "BetaGeometricModel"]


@attrs.frozen(kw_only=True)
class BetaGeometricModel(Result):
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
        # B(a, b + 1) / B(a, b) = b / (a + b), exactly (no log-beta difference)
        return self.b / (self.a + self.b)

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
        return self._alive_at_start() * predictions.expected_count(
            t, self.r, self.alpha, self.a, self.b + self._shift
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
        mean = predictions.expected_count(
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
        counts = as_counts(n, "n", suggestion="n counts purchases.").astype(np.float64)
        t = as_horizon(horizon)
        alive = self._alive_at_start()
        pmf = np.exp(
            predictions.log_pmf(
                counts, t, self.r, self.alpha, self.a, self.b + self._shift
            )
        )
        return with_inactive(alive, pmf, counts)

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
        counts = as_counts(n, "n", suggestion="n counts purchases.").astype(np.float64)
        x, tx, t_obs, scalar = customer_arrays(frequency, recency, T)
        t = as_horizon(horizon)
        alive = self._probability_alive(x, tx, t_obs)
        xf = x.astype(np.float64)
        pmf = np.exp(
            predictions.log_pmf(
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
        # p ~ Beta(a, b) is 0 in floating point for small a (a = 0.001 gives
        # p = 0 in about half the draws): such a customer never drops out,
        # the value numpy already returns for positive p below ~1e-19.
        # Drawing with p = 1 there leaves every other draw of the stream as
        # it was.
        never = p <= 0.0
        draws = generator.geometric(np.where(never, 1.0, p))
        draws = np.where(never, np.iinfo(np.int64).max, draws)
        purchases_until_dropout = draws - self._shift
        x = np.minimum(would_buy, purchases_until_dropout)
        recency = np.zeros(t_obs.size)
        some = x > 0
        recency[some] = t_obs[some] * generator.beta(
            x[some], would_buy[some] - x[some] + 1.0
        )
        return CustomerSummary(frequency=x, recency=recency, T=t_obs)


@attrs.frozen(kw_only=True)
class BGNBD(BetaGeometricModel):
    r"""The beta-geometric/negative binomial distribution (BG/NBD) model.

    A model of repeat buying in a non-contractual, continuous-time setting:
    customers buy at their own steady rate while "alive", and after each
    purchase may drop out for good. The object holds the four parameters
    and computes every prediction in closed form; a student can type the
    paper's numbers and use it without fitting anything.

    Parameters
    ----------
    r, alpha : float
        Shape and scale (in the data's time unit) of the gamma distribution
        of purchase rates across customers; the mean rate is ``r / alpha``.
    a, b : float
        Shapes of the beta distribution of drop-out probabilities; the mean
        drop-out probability after a purchase is ``a / (a + b)``.

    Raises
    ------
    ValueError
        If a parameter is not a finite number > 0.

    See Also
    --------
    fit_bgnbd : Maximum-likelihood estimation from customer summaries.

    Notes
    -----
    Assumptions (FHL 2005, section 3): while alive, purchases follow a
    Poisson process with rate :math:`\lambda \sim \mathrm{Gamma}(r, \alpha)`;
    after any purchase the customer becomes inactive with probability
    :math:`p \sim \mathrm{Beta}(a, b)`; :math:`\lambda` and :math:`p` are
    independent across and within customers. The likelihood of a customer
    with :math:`x` repeat purchases, the last at :math:`t_x`, observed for
    :math:`T` is (eq. 6)

    .. math::

        L = \frac{B(a, b+x)}{B(a, b)} \frac{\Gamma(r+x)\alpha^r}{\Gamma(r)}
            \left[(\alpha+T)^{-(r+x)} + \delta_{x>0}
            \frac{a}{b+x-1}(\alpha+t_x)^{-(r+x)}\right].

    Given the data, the customer is alive with probability (Fader, Hardie &
    Lee 2008)

    .. math::

        \pi = \left[1 + \delta_{x>0}\frac{a}{b+x-1}
               \left(\frac{\alpha+T}{\alpha+t_x}\right)^{r+x}\right]^{-1},

    and an alive customer's future is a new BG/NBD process with parameters
    :math:`(r+x, \alpha+T, a, b+x)`. Every conditional prediction here is
    derived from that one fact: the number of purchases in :math:`(T, T+t]`
    is 0 with probability :math:`1-\pi` and otherwise distributed as
    :math:`X(t)` under the updated parameters. Its mean is eq. (10).

    References
    ----------
    .. [1] Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005). "Counting your
       customers" the easy way: An alternative to the Pareto/NBD model.
       Marketing Science, 24(2), 275-284.
    .. [2] Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2008). Computing
       P(alive) using the BG/NBD model. http://brucehardie.com/notes/021/
    .. [3] Hardie, B. G. S. (2013). Overcoming the BG/NBD model's #NUM! error
       problem. http://brucehardie.com/notes/027/

    Examples
    --------
    The estimates of FHL (2005) on the CDNOW sample, in weeks, and the
    customer of their section 5 (2 repeat purchases, the last at week
    30.43, observed for 38.86 weeks):

    >>> from custvalue.clv import BGNBD
    >>> model = BGNBD(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> model.conditional_expected_purchases(39, frequency=2, recency=30.43, T=38.86)
    array(1.226)
    >>> model.probability_alive(frequency=2, recency=30.43, T=38.86)
    array(0.7266)

    Expected purchases of a new customer after 1 and 78 weeks (Hardie's
    spreadsheet prints 0.0532 and 1.8576 from unrounded estimates):

    >>> model.expected_purchases([1, 78])
    array([0.0533, 1.8605])
    """

    _shift: ClassVar[int] = 0


@attrs.frozen(kw_only=True)
class MBGNBD(BetaGeometricModel):
    r"""The modified BG/NBD (MBG/NBD) model.

    Like :class:`BGNBD`, a model of repeat buying in a non-contractual,
    continuous-time setting, except that a customer may also drop out right
    after the *first* purchase. One-time buyers are therefore not certainly
    alive, which the BG/NBD model assumes and which makes it overstate the
    activity of customers who never came back.

    Parameters
    ----------
    r, alpha : float
        Shape and scale (in the data's time unit) of the gamma distribution
        of purchase rates; the mean rate is ``r / alpha``.
    a, b : float
        Shapes of the beta distribution of the drop-out probability that
        follows every purchase, the first one included.

    Raises
    ------
    ValueError
        If a parameter is not a finite number > 0.

    See Also
    --------
    fit_mbgnbd : Maximum-likelihood estimation.
    BGNBD : The model without drop-out at the first purchase.

    Notes
    -----
    A customer with :math:`x` repeat purchases has had :math:`x + 1`
    chances to drop out, so the likelihood is (Batislam et al. 2007, eq. 6,
    with the correction of Wagner & Hoppe 2008)

    .. math::

        L = \frac{B(a, b+x+1)}{B(a, b)} \frac{\Gamma(r+x)\alpha^r}{\Gamma(r)}
            \left[(\alpha+T)^{-(r+x)} + \frac{a}{b+x}(\alpha+t_x)^{-(r+x)}\right]

    and the probability of being alive is
    :math:`\pi = [1 + \frac{a}{b+x}(\frac{\alpha+T}{\alpha+t_x})^{r+x}]^{-1}`
    for every customer, one-time buyers included. An alive customer's future
    is a BG/NBD process with parameters :math:`(r+x, \alpha+T, a, b+x+1)`,
    and a new customer is alive after the first purchase with probability
    :math:`b/(a+b)`; all predictions follow from these two facts, as for
    :class:`BGNBD`.

    References
    ----------
    .. [1] Batislam, E. P., Denizel, M., & Filiztekin, A. (2007). Empirical
       validation and comparison of models for customer base analysis.
       International Journal of Research in Marketing, 24(3), 201-209.
    .. [2] Wagner, U., & Hoppe, D. (2008). Erratum on the MBG/NBD model.
       International Journal of Research in Marketing, 25(3), 225-226.

    Examples
    --------
    The maximum-likelihood estimates on the CDNOW calibration summary (as
    computed by the R package BTYDplus):

    >>> from custvalue.clv import MBGNBD
    >>> model = MBGNBD(r=0.525, alpha=6.183, a=0.891, b=1.614)
    >>> model.probability_alive(frequency=[0, 2], recency=[0.0, 30.43], T=38.86)
    array([0.390, 0.706])
    """

    _shift: ClassVar[int] = 1
