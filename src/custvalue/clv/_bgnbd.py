"""The BG/NBD model of Fader, Hardie & Lee (2005)."""

from __future__ import annotations

from typing import ClassVar

import attrs
import numpy.typing as npt

from custvalue.clv._beta_geometric import BetaGeometricModel, fit_beta_geometric
from custvalue.clv._fit import Fit

__all__ = ["BGNBD", "fit_bgnbd"]


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


def fit_bgnbd(
    frequency: npt.ArrayLike,
    recency: npt.ArrayLike,
    T: npt.ArrayLike,
    *,
    weights: npt.ArrayLike | None = None,
    penalizer: float = 0.0,
) -> Fit[BGNBD]:
    """Fit the BG/NBD model by maximum likelihood.

    Customers with identical (frequency, recency, T) are first merged into
    weighted patterns, so discrete data fit in the time of their distinct
    patterns. The log-likelihood is maximized over the logarithms of the
    parameters by a trust-region Newton method with the exact gradient and
    Hessian; no starting values or tolerances need tuning.

    Parameters
    ----------
    frequency : array-like of int, shape (n_customers,)
        Repeat purchases.
    recency : array-like of float, shape (n_customers,)
        Time of the last purchase since the first (0 when frequency is 0).
    T : array-like of float, shape (n_customers,)
        Time observed since the first purchase.
    weights : array-like of float, shape (n_customers,), optional
        Number of customers each row stands for (> 0), for data that come
        as patterns with counts.
    penalizer : float, default=0.0
        L2 penalty :math:`\\lambda\\sum\\theta^2` on the parameters, added to
        the mean negative log-likelihood (as in lifetimes, but on the data's
        own time scale, so ``alpha`` is penalized in those units).

    Returns
    -------
    Fit[BGNBD]
        The model, log-likelihood, AIC/BIC, covariance, standard errors,
        confidence intervals and convergence report.

    Raises
    ------
    ValueError
        For invalid data (see :class:`CustomerSummary` for the rules).
    ConvergenceError
        If no trustworthy maximum is found (for example, data without any
        repeat purchase do not identify ``a`` and ``b``).

    See Also
    --------
    BGNBD : The model and its predictions.

    Examples
    --------
    Fitting the published CDNOW calibration summary reproduces FHL (2005):
    r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4.

    >>> from custvalue.clv import fit_bgnbd
    >>> from custvalue.datasets import load_cdnow_summary
    >>> cdnow = load_cdnow_summary()
    >>> fit = fit_bgnbd(cdnow.frequency, cdnow.recency, cdnow.T)
    >>> {k: round(v, 3) for k, v in fit.parameters.items()}
    {'r': 0.243, 'alpha': 4.414, 'a': 0.793, 'b': 2.426}
    >>> round(fit.log_likelihood, 1)
    -9582.4
    """
    return fit_beta_geometric(
        BGNBD, frequency, recency, T, weights=weights, penalizer=penalizer
    )
