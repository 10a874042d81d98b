"""The Gamma-Gamma model of spend per transaction (Fader & Hardie 2013).

References used in the comments:

- Note 025: Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary
  Value", http://brucehardie.com/notes/025/; equation numbers are the note's.
- FHL05b: Fader, Hardie & Lee (2005), "RFM and CLV: Using iso-value curves
  for customer base analysis", Journal of Marketing Research 42(4).
"""

from __future__ import annotations

import math

import attrs
import numpy as np
import numpy.typing as npt
from scipy import special

from custvalue._lib.fields import Result
from custvalue._lib.special import group_by_value
from custvalue._lib.validation import (
    FloatArray,
    as_float_array,
    as_generator,
    as_int_array,
    check_all,
    check_same_length,
)
from custvalue.clv._gamma_gamma._likelihood import (
    POSITIVE_SPEND,
    repeat_customers,
    repeat_frequency,
)
from custvalue.clv._inputs import float_if_real, positive_parameter, shape_result

__all__ = ["GammaGamma"]


@attrs.frozen(kw_only=True)
class GammaGamma(Result):
    r"""The Gamma-Gamma model of a customer's spend per transaction.

    The spend companion of the transaction models (BG/NBD, Pareto/NBD): it
    says how much a customer spends per transaction, so that expected
    transactions can be turned into expected revenue. Each customer's
    transaction values vary around their own mean, and those means vary
    across customers; a customer's observed mean spend is shrunk towards the
    population mean, the more so the fewer transactions it rests on. The
    object holds the three parameters and computes everything in closed form.

    Parameters
    ----------
    p : float
        Shape of the gamma distribution of one customer's transaction values
        (their coefficient of variation is :math:`1/\sqrt{p}`).
    q, gamma : float
        Shape and rate of the gamma distribution of the customers' rate
        parameters :math:`\nu`; ``gamma`` is in the currency of the data.

    Raises
    ------
    TypeError
        If a parameter is not a real number.
    ValueError
        If a parameter is not a finite number > 0.

    See Also
    --------
    fit_gamma_gamma : Maximum-likelihood estimation from customer summaries.
    spend_frequency_correlation : Check the independence assumption.

    Notes
    -----
    Assumptions (note 025, section 2; Colombo & Jiang 1999): a customer's
    transaction values :math:`z_1, \ldots, z_x` are independent
    :math:`\mathrm{Gamma}(p, \nu)` (shape, rate), so their mean
    :math:`m` is :math:`\mathrm{Gamma}(px, x\nu)`; across customers
    :math:`\nu \sim \mathrm{Gamma}(q, \gamma)`; and the spend process is
    independent of the transaction process. Integrating :math:`\nu` out
    gives the density of :math:`m` given :math:`x` (note 025, eq. 3)

    .. math::

        f(m \mid p, q, \gamma; x) = \frac{\Gamma(px+q)}{\Gamma(px)\Gamma(q)}
            \frac{\gamma^q m^{px-1} x^{px}}{(\gamma + xm)^{px+q}}.

    A customer's mean transaction value :math:`E[Z \mid \nu] = p/\nu` has
    population mean :math:`p\gamma/(q-1)` (infinite when :math:`q \le 1`)
    and, given :math:`(x, m)`, the conditional mean (note 025, eq. 5)

    .. math::

        E[Z \mid x, m] = \frac{(\gamma + xm)p}{px + q - 1}
            = \frac{q-1}{px+q-1}\,\frac{p\gamma}{q-1}
              + \frac{px}{px+q-1}\,m.

    References
    ----------
    .. [1] Fader, P. S., & Hardie, B. G. S. (2013). The Gamma-Gamma model of
       monetary value. http://brucehardie.com/notes/025/
    .. [2] Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005). RFM and CLV:
       Using iso-value curves for customer base analysis. Journal of
       Marketing Research, 42(4), 415-430.
    .. [3] Colombo, R., & Jiang, W. (1999). A stochastic RFM model. Journal
       of Interactive Marketing, 13(3), 2-12.

    Examples
    --------
    The estimates of note 025 on the CDNOW sample. Two customers spent $100
    per repeat purchase on average; the one with a single repeat purchase is
    shrunk further towards the population mean of $35.22 than the one with
    10:

    >>> from custvalue.clv import GammaGamma
    >>> model = GammaGamma(p=6.25, q=3.74, gamma=15.44)
    >>> round(model.mean_spend, 2)
    35.22
    >>> model.conditional_expected_spend([1, 10], [100.0, 100.0]).round(2)
    array([80.26, 97.28])

    A customer without repeat purchases gets the population mean:

    >>> model.conditional_expected_spend(0, 0.0)
    array(35.22)
    """

    p: float = attrs.field(converter=float_if_real, validator=positive_parameter("p"))
    q: float = attrs.field(converter=float_if_real, validator=positive_parameter("q"))
    gamma: float = attrs.field(
        converter=float_if_real, validator=positive_parameter("gamma")
    )

    parameter_names = ("p", "q", "gamma")

    @property
    def mean_spend(self) -> float:
        """Population mean spend per transaction, :math:`p\\gamma/(q-1)`.

        It is infinite when :math:`q \\le 1`: the spend distribution then has
        no finite mean (``math.inf`` is returned, never a negative number).
        """
        if self.q <= 1.0:
            return math.inf
        return self.p * self.gamma / (self.q - 1.0)

    def log_likelihood(
        self, frequency: npt.ArrayLike, monetary_value: npt.ArrayLike
    ) -> FloatArray:
        """Log-density of each customer's mean repeat spend given its count.

        Note 025, eq. (3), in the rearranged form

        .. math::

            \\ell = \\ln\\frac{\\Gamma(px+q)}{\\Gamma(px)\\Gamma(q)}
                    - q \\ln\\Bigl(1 + \\frac{xm}{\\gamma}\\Bigr)
                    - px \\ln\\Bigl(1 + \\frac{\\gamma}{xm}\\Bigr) - \\ln m,

        which is free of the cancellation between :math:`q\\ln\\gamma` and
        :math:`(px+q)\\ln(\\gamma+xm)` when the parameters are large.

        Parameters
        ----------
        frequency : array-like of int, shape (n_customers,)
            Repeat transactions :math:`x`, >= 1.
        monetary_value : array-like of float, shape (n_customers,)
            Mean value :math:`m` of those transactions, > 0.

        Returns
        -------
        ndarray of shape (n_customers,)

        Raises
        ------
        ValueError
            If a frequency is not a whole number >= 1, a mean spend is not
            finite and > 0, or the lengths differ.

        Examples
        --------
        >>> from custvalue.clv import GammaGamma
        >>> model = GammaGamma(p=6.25, q=3.74, gamma=15.44)
        >>> model.log_likelihood([1, 3], [20.0, 20.0]).round(4)
        array([-3.5942, -3.476 ])
        """
        scalar = np.ndim(frequency) == 0 and np.ndim(monetary_value) == 0
        x, m, _ = repeat_customers(
            np.atleast_1d(frequency), np.atleast_1d(monetary_value), None
        )
        p, q, gamma = self.p, self.q, self.gamma
        values, index = group_by_value(x)
        u = values.astype(np.float64)
        log_norm = (  # ln Gamma(px+q) - ln Gamma(px) - ln Gamma(q), per value
            special.gammaln(p * u + q) - special.gammaln(p * u) - special.gammaln(q)
        )
        xf = x.astype(np.float64)
        xm = xf * m
        value = (
            log_norm[index]
            - q * np.log1p(xm / gamma)
            - p * xf * np.log1p(gamma / xm)
            - np.log(m)
        )
        return shape_result(value, scalar)

    def conditional_expected_spend(
        self, frequency: npt.ArrayLike, monetary_value: npt.ArrayLike
    ) -> FloatArray:
        """Return each customer's expected spend per transaction given its history.

        Note 025, eq. (5): :math:`E[Z \\mid x, m] = (\\gamma + xm)p/(px+q-1)`,
        the weighted average of the population mean :math:`p\\gamma/(q-1)`
        (weight :math:`(q-1)/(px+q-1)`) and the customer's own mean
        :math:`m` (weight :math:`px/(px+q-1)`).

        Conventions: a customer with ``frequency == 0`` gets the population
        mean and its ``monetary_value`` is ignored (it may be 0, as in
        summaries). Where :math:`px + q - 1 \\le 0` the posterior of
        :math:`1/\\nu` has no finite mean and the result is ``inf`` (never the
        negative number the formula would give); this includes every
        ``frequency == 0`` customer when :math:`q \\le 1`.

        Parameters
        ----------
        frequency : array-like of int, shape (n_customers,)
            Repeat transactions :math:`x`, >= 0.
        monetary_value : array-like of float, shape (n_customers,)
            Mean value of those transactions: > 0 where ``frequency >= 1``,
            finite (any value, usually 0) where ``frequency == 0``.

        Returns
        -------
        ndarray of shape (n_customers,), values > 0
            ``inf`` exactly where ``p * frequency + q <= 1``: the posterior
            of :math:`\\nu` is then :math:`\\mathrm{Gamma}(px+q, \\gamma+xm)`
            with shape at most 1, so the posterior mean of :math:`1/\\nu`
            (and of the spend) is infinite. :func:`customer_lifetime_value`
            refuses such customers with a ``ValueError``.

        Raises
        ------
        ValueError
            If a frequency is not a whole number >= 0, a mean spend is not
            finite, or not > 0 for a repeat customer, or the lengths differ.

        Examples
        --------
        >>> from custvalue.clv import GammaGamma
        >>> model = GammaGamma(p=6.25, q=3.74, gamma=15.44)
        >>> model.conditional_expected_spend([0, 2, 2], [0.0, 10.0, 60.0]).round(2)
        array([35.22, 14.53, 55.54])

        With :math:`q \\le 1` the population mean is infinite:

        >>> GammaGamma(p=2.0, q=0.5, gamma=10.0).conditional_expected_spend(
        ...     [0, 1], [0.0, 30.0]
        ... ).round(2)
        array([  inf, 53.33])
        """
        scalar = np.ndim(frequency) == 0 and np.ndim(monetary_value) == 0
        x = as_int_array(np.atleast_1d(frequency), "frequency", nonnegative=True)
        m = as_float_array(np.atleast_1d(monetary_value), "monetary_value")
        check_same_length(frequency=x, monetary_value=m)
        check_all(
            (m > 0) | (x == 0),
            "`monetary_value` must be > 0 where `frequency` >= 1",
            {"frequency": x, "monetary_value": m},
            POSITIVE_SPEND,
        )
        xf = x.astype(np.float64)
        # m is ignored where x = 0: xm = 0 whatever m is
        numerator = (self.gamma + xf * np.where(x > 0, m, 0.0)) * self.p
        denominator = self.p * xf + self.q - 1.0
        with np.errstate(divide="ignore"):
            value = np.where(
                denominator > 0, numerator / np.maximum(denominator, 0.0), np.inf
            )
        return shape_result(value, scalar)

    def simulate(
        self,
        frequency: npt.ArrayLike,
        *,
        rng: np.random.Generator | int | None = None,
    ) -> FloatArray:
        """Draw each customer's mean spend given its number of repeat transactions.

        Each customer gets :math:`\\nu \\sim \\mathrm{Gamma}(q, \\gamma)` (shape,
        rate) and :math:`x` transaction values
        :math:`z_j \\sim \\mathrm{Gamma}(p, \\nu)`; their mean is drawn directly
        as :math:`m \\sim \\mathrm{Gamma}(px, x\\nu)`, i.e.
        :math:`m = \\gamma G/(xH)` with :math:`G \\sim \\mathrm{Gamma}(px, 1)`
        and :math:`H \\sim \\mathrm{Gamma}(q, 1)`.

        Both gamma variates are drawn in log space with
        :math:`\\mathrm{Gamma}(a) = \\mathrm{Gamma}(a+1)\\,U^{1/a}` (Marsaglia &
        Tsang 2000, section 6), so shapes far below 1 do not underflow to 0.
        With small ``q`` (and ``p``) the spend distribution is so heavy-tailed
        that a draw can truly exceed the float range (about 1.8e308; e.g.
        ``p=0.0713, q=0.0023776``): such a draw is returned as ``inf``, and
        one below about 5e-324 as 0, without a warning. Use finite draws
        only (``numpy.isfinite``) where a mean over customers is needed.

        Parameters
        ----------
        frequency : array-like of int, shape (n_customers,)
            Repeat transactions of each customer, >= 1.
        rng : numpy.random.Generator, int or None, optional
            Source of randomness; an int seeds a new generator. Global numpy
            state is never used.

        Returns
        -------
        ndarray of shape (n_customers,)
            Simulated ``monetary_value``, one per customer, in [0, inf]
            (``inf`` where the draw exceeds the float range).

        References
        ----------
        .. [1] Marsaglia, G., & Tsang, W. W. (2000). A simple method for
           generating gamma variables. ACM Transactions on Mathematical
           Software, 26(3), 363-372.

        Examples
        --------
        >>> from custvalue.clv import GammaGamma
        >>> model = GammaGamma(p=6.25, q=3.74, gamma=15.44)
        >>> m = model.simulate([1, 2, 5], rng=42)
        >>> m.shape, bool((m > 0).all())
        ((3,), True)
        """
        generator = as_generator(rng)
        x = repeat_frequency(frequency).astype(np.float64)
        log_g = _log_standard_gamma(generator, self.p * x)
        log_h = _log_standard_gamma(generator, np.full(x.size, self.q))
        # m = gamma G / (x H) = exp(ln gamma - ln x + ln G - ln H); outside the
        # float range exp gives inf or 0, as documented
        with np.errstate(over="ignore", under="ignore"):
            return np.asarray(
                np.exp(math.log(self.gamma) - np.log(x) + log_g - log_h),
                dtype=np.float64,
            )


def _log_standard_gamma(
    generator: np.random.Generator, shape: FloatArray
) -> FloatArray:
    """Ln of Gamma(shape, 1) variates via Gamma(a) = Gamma(a+1) U^(1/a)."""
    boosted = generator.standard_gamma(shape + 1.0)
    uniform = generator.random(shape.size)  # in [0, 1), so log1p(-u) is finite
    return np.asarray(np.log(boosted) + np.log1p(-uniform) / shape, dtype=np.float64)
